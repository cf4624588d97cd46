// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tier below RAM: when rzsd marks pages idle and writes them back.
 *
 * The kernel keeps an idle age per page in RAM, 0 to 3: DEV_MARK_IDLE adds
 * one to every page (saturating at 3), a read or a write sets it to 0.  An
 * age is a count of marks since the page was last used, not a time; rzsd
 * turns it into one by marking on a fixed interval T:
 *
 *   - a page of age k has seen k marks since it was last used;
 *   - the first of those may have come right after the use (the page was
 *     written a moment before a mark), so only the k - 1 intervals between
 *     the marks are sure: a page of age k has been idle at least
 *     (k - 1) * T, and at most k * T (+ the time a mark takes);
 *   - writeback asks for age 3 (RAMZSWAP_IDLE_AGE_MAX), the highest age
 *     and the only one that means "at least two whole intervals";
 *   - so to write back pages idle for writeback-after = D, mark every
 *     T = D / 2: age 3 then means idle for at least 2 * D / 2 = D (and
 *     at most 3 * D / 2).  A shorter T would write back pages used more
 *     recently than D; a longer one would keep idle pages longer.
 *
 * Under memory pressure (/proc/pressure/memory "some avg10" above
 * TIER_PSI_THRESHOLD percent: tasks stalled waiting for memory) RAM is
 * worth more than the promise of D: rzsd marks TIER_PSI_SPEEDUP times as
 * often, so pages idle for D / 4 or more go to the disk.  Writeback runs
 * right after each mark, so one timer drives both.
 *
 * The writeback limit is the kernel's: WB_LIMIT bytes left, spent by each
 * block written.  A fixed budget (writeback-limit = 10G) is set once, at
 * init; a refilling one (2G/day) starts at one period's worth and is raised
 * by rzsd by the rate times the time elapsed, never above one period's
 * worth (so a week without writeback does not bank a week of writes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <rzs/rzs.h>

#include "expr.h"
#include "tier.h"

#define MS_SEC		1000ULL
#define MS_MIN		(60 * MS_SEC)
#define MS_HOUR		(60 * MS_MIN)
#define MS_DAY		(24 * MS_HOUR)
#define MS_WEEK		(7 * MS_DAY)

struct unit {
	const char *name;
	uint64_t ms;
};

/* Longest first where one name starts another ("min" before "m"). */
static const struct unit duration_units[] = {
	{ "sec", MS_SEC }, { "s", MS_SEC },
	{ "min", MS_MIN }, { "m", MS_MIN },
	{ "hour", MS_HOUR }, { "h", MS_HOUR },
	{ "day", MS_DAY }, { "d", MS_DAY },
	{ "week", MS_WEEK }, { "w", MS_WEEK },
};

static const struct unit *find_unit(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(duration_units) / sizeof(duration_units[0]); i++)
		if (strlen(duration_units[i].name) == len &&
		    !strncmp(duration_units[i].name, s, len))
			return &duration_units[i];
	return NULL;
}

/* "1h30min": numbers each with a unit; *ms, or -1 with err. */
static int parse_units(const char *s, uint64_t *ms, char *err, size_t errlen)
{
	const char *p = s;
	uint64_t total = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p) {
		snprintf(err, errlen, "empty duration");
		return -1;
	}
	while (*p) {
		const struct unit *u;
		unsigned long long n;
		char *end;
		size_t len;

		if (*p < '0' || *p > '9') {
			snprintf(err, errlen,
				 "\"%s\" is not a duration: a number and a unit, e.g. 90s, 30min, 1h, 2d",
				 s);
			return -1;
		}
		errno = 0;
		n = strtoull(p, &end, 10);
		p = end;
		while (*p == ' ')
			p++;
		len = strspn(p, "abcdefghijklmnopqrstuvwxyz");
		if (!len) {
			snprintf(err, errlen,
				 "\"%s\" has no unit: say %llus, %llumin or %lluh",
				 s, n, n, n);
			return -1;
		}
		u = find_unit(p, len);
		if (!u) {
			snprintf(err, errlen,
				 "unknown unit \"%.*s\" in \"%s\": s, min, h, d or w",
				 (int)len, p, s);
			return -1;
		}
		if (errno || n > UINT64_MAX / u->ms ||
		    total > UINT64_MAX - n * u->ms) {
			snprintf(err, errlen, "\"%s\" is too long", s);
			return -1;
		}
		total += n * u->ms;
		p += len;
		while (*p == ' ' || *p == '\t')
			p++;
	}
	*ms = total;
	return 0;
}

int tier_parse_duration(const char *s, uint64_t *ms, char *err, size_t errlen)
{
	char lo[32], hi[32];
	uint64_t v;

	if (parse_units(s, &v, err, errlen))
		return -1;
	if (v < TIER_AFTER_MIN_MS || v > TIER_AFTER_MAX_MS) {
		tier_format_duration(TIER_AFTER_MIN_MS, lo, sizeof(lo));
		tier_format_duration(TIER_AFTER_MAX_MS, hi, sizeof(hi));
		snprintf(err, errlen, "\"%s\" is out of range: from %s to %s",
			 s, lo, hi);
		return -1;
	}
	*ms = v;
	return 0;
}

static const struct {
	const char *name;
	uint32_t bit;
} kind_names[] = {
	{ "idle", RZS_WB_IDLE },
	{ "huge", RZS_WB_HUGE },
	{ "incompressible", RZS_WB_INCOMPRESSIBLE },
};

int tier_parse_kinds(const char *s, uint32_t *kinds, char *err, size_t errlen)
{
	const char *p = s;
	uint32_t k = 0;

	if (!strcmp(s, "none")) {
		*kinds = 0;
		return 0;
	}
	for (;;) {
		size_t len, i;

		while (*p == ' ' || *p == '\t')
			p++;
		len = strcspn(p, ", \t");
		for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
			if (strlen(kind_names[i].name) == len &&
			    !strncmp(kind_names[i].name, p, len))
				break;
		if (!len || i == sizeof(kind_names) / sizeof(kind_names[0])) {
			snprintf(err, errlen,
				 "%s%.*s%s: the kinds are idle, huge and incompressible, comma separated (or none)",
				 len ? "unknown kind \"" : "empty kind",
				 (int)len, p, len ? "\"" : "");
			return -1;
		}
		k |= kind_names[i].bit;
		p += len;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (*p != ',') {
			snprintf(err, errlen, "\"%s\": kinds are separated by commas", s);
			return -1;
		}
		p++;
	}
	*kinds = k;
	return 0;
}

/* "day", "d", "12h", "2w": a period of a refilling budget, or -1. */
static int parse_period(const char *s, uint64_t *ms)
{
	char err[8];

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s >= 'a' && *s <= 'z') {
		const struct unit *u = find_unit(s, strlen(s));

		if (!u)
			return -1;
		*ms = u->ms;
		return 0;
	}
	return parse_units(s, ms, err, sizeof(err));
}

int tier_parse_limit(const char *s, uint64_t ram, struct tier_limit *lim,
		     char *err, size_t errlen)
{
	const char *slash = strrchr(s, '/');
	char size[128], lo[32], hi[32];
	uint64_t period = 0;

	if (!strcmp(s, "none")) {
		lim->bytes = TIER_LIMIT_NONE;
		lim->period_ms = 0;
		return 0;
	}
	/*
	 * "/" also divides in a size ("ram / 4"): it begins a period only
	 * when what follows the last one is a period.
	 */
	if (slash && !parse_period(slash + 1, &period)) {
		if ((size_t)(slash - s) >= sizeof(size)) {
			snprintf(err, errlen, "size too long");
			return -1;
		}
		memcpy(size, s, (size_t)(slash - s));
		size[slash - s] = '\0';
		if (period < TIER_PERIOD_MIN_MS || period > TIER_PERIOD_MAX_MS) {
			tier_format_duration(TIER_PERIOD_MIN_MS, lo, sizeof(lo));
			tier_format_duration(TIER_PERIOD_MAX_MS, hi, sizeof(hi));
			snprintf(err, errlen,
				 "the period of \"%s\" is out of range: from %s to %s",
				 s, lo, hi);
			return -1;
		}
	} else if (slash && slash[1 + strspn(slash + 1, " \t")] >= 'a' &&
		   slash[1 + strspn(slash + 1, " \t")] <= 'z' &&
		   strncmp(slash + 1 + strspn(slash + 1, " \t"), "ram", 3)) {
		snprintf(err, errlen,
			 "unknown period in \"%s\": min, h, d or w, e.g. 2G/day or 500M/h",
			 s);
		return -1;
	} else {
		snprintf(size, sizeof(size), "%s", s);
	}
	if (expr_eval_size(size, ram, &lim->bytes, err, errlen))
		return -1;
	if (period && !lim->bytes) {
		snprintf(err, errlen, "a budget of 0 per period never refills: say 0 for no writeback");
		return -1;
	}
	if (lim->bytes == TIER_LIMIT_NONE)
		lim->bytes--;	/* a size, not "none" */
	lim->period_ms = period;
	return 0;
}

void tier_format_kinds(uint32_t kinds, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if ((kinds & kind_names[i].bit) && n < len)
			n += (size_t)snprintf(buf + n, len - n, "%s%s",
					      n ? "," : "", kind_names[i].name);
	if (!n)
		snprintf(buf, len, "none");
}

void tier_format_duration(uint64_t ms, char *buf, size_t len)
{
	static const struct unit parts[] = {
		{ "d", MS_DAY }, { "h", MS_HOUR }, { "min", MS_MIN },
		{ "s", MS_SEC }, { "ms", 1 },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]) && n < len; i++) {
		if (ms < parts[i].ms)
			continue;
		n += (size_t)snprintf(buf + n, len - n, "%llu%s",
				      (unsigned long long)(ms / parts[i].ms),
				      parts[i].name);
		ms %= parts[i].ms;
	}
	if (!n)
		snprintf(buf, len, "0s");
}

void tier_format_limit(const struct tier_limit *lim, char *buf, size_t len)
{
	char size[32], period[32];

	if (lim->bytes == TIER_LIMIT_NONE) {
		snprintf(buf, len, "none");
		return;
	}
	expr_format_size(lim->bytes, size, sizeof(size));
	if (!lim->period_ms) {
		snprintf(buf, len, "%s", size);
		return;
	}
	tier_format_duration(lim->period_ms, period, sizeof(period));
	snprintf(buf, len, "%s/%s", size, period);
}

uint64_t tier_interval(uint64_t after_ms, bool pressure)
{
	uint64_t t = after_ms / 2;

	if (pressure)
		t /= TIER_PSI_SPEEDUP;
	return t ? t : 1;
}

uint64_t tier_initial_limit(const struct tier_limit *lim)
{
	return lim->bytes;	/* none, the budget, or one period's worth */
}

uint64_t tier_fixed_left(const struct tier_limit *lim, uint64_t written)
{
	if (lim->bytes == TIER_LIMIT_NONE)
		return TIER_LIMIT_NONE;
	return written >= lim->bytes ? 0 : lim->bytes - written;
}

uint64_t tier_refill(const struct tier_limit *lim, uint64_t left,
		     uint64_t elapsed_ms, uint64_t *carry)
{
	uint64_t p = lim->period_ms, r = lim->bytes, e, whole, part, add;

	if (!p || r == TIER_LIMIT_NONE)
		return left;
	if (left >= r) {
		*carry = 0;	/* full (or raised by hand): nothing to add */
		return left;
	}
	/*
	 * r * e / p without overflow: p < 2^32 (a week in ms), and e is
	 * capped at p (more than a period fills the budget anyway), so
	 * (r % p) * e + carry < p * p < 2^64, and (r / p) * e <= r.
	 */
	e = elapsed_ms < p ? elapsed_ms : p;
	whole = (r / p) * e;
	part = (r % p) * e + *carry;
	add = whole + part / p;
	*carry = part % p;
	if (add >= r - left) {
		*carry = 0;
		return r;
	}
	return left + add;
}

int tier_psi_some_avg10(const char *path, double *avg10)
{
	char line[256];
	FILE *f = fopen(path, "re");
	int ret = -ENODATA;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "avg10=");

		if (strncmp(line, "some ", 5) || !p)
			continue;
		*avg10 = strtod(p + 6, NULL);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}
