// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rzsd's tier policy (rzsd/tier.c): the values of backing-device's keys,
 * the marking interval, the writeback budget and its refill, the memory
 * pressure file.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <rzs/rzs.h>

#include "check.h"
#include "../../rzsd/tier.h"

#define SEC	1000ULL
#define MIN	(60 * SEC)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)
#define GIB	(1ULL << 30)
#define MIB	(1ULL << 20)

static char err[384];

static uint64_t dur(const char *s)
{
	uint64_t ms = 0;

	err[0] = '\0';
	if (tier_parse_duration(s, &ms, err, sizeof(err)))
		return 1;	/* no valid duration is 1 ms */
	return ms;
}

static void test_duration(void)
{
	char buf[32];

	CHECK_U64(dur("90s"), 90 * SEC);
	CHECK_U64(dur("30min"), 30 * MIN);
	CHECK_U64(dur("30m"), 30 * MIN);
	CHECK_U64(dur("1h"), HOUR);
	CHECK_U64(dur("2d"), 2 * DAY);
	CHECK_U64(dur("1h30min"), 90 * MIN);
	CHECK_U64(dur("1h 30min"), 90 * MIN);
	CHECK_U64(dur("45sec"), 45 * SEC);
	CHECK_U64(dur("1w"), 7 * DAY);

	/* A unit is required: "30" could be seconds or minutes. */
	CHECK_U64(dur("30"), 1);
	CHECK_HAS(err, "\"30\" has no unit: say 30s, 30min or 30h");
	CHECK_U64(dur("5x"), 1);
	CHECK_HAS(err, "unknown unit \"x\"");
	CHECK_U64(dur("soon"), 1);
	CHECK_HAS(err, "is not a duration");
	CHECK_U64(dur("-1h"), 1);
	CHECK_HAS(err, "is not a duration");
	CHECK_U64(dur(""), 1);
	CHECK_HAS(err, "empty duration");
	/* The bounds: at least 10s (marking every 5s), at most 30 days. */
	CHECK_U64(dur("10s"), 10 * SEC);
	CHECK_U64(dur("9s"), 1);
	CHECK_HAS(err, "out of range: from 10s to 30d");
	CHECK_U64(dur("30d"), 30 * DAY);
	CHECK_U64(dur("31d"), 1);
	CHECK_U64(dur("99999999999999999999h"), 1);
	CHECK_U64(dur("9999999999999999h"), 1);
	CHECK_HAS(err, "too long");

	tier_format_duration(HOUR, buf, sizeof(buf));
	CHECK_STR(buf, "1h");
	tier_format_duration(90 * MIN, buf, sizeof(buf));
	CHECK_STR(buf, "1h30min");
	tier_format_duration(90 * SEC, buf, sizeof(buf));
	CHECK_STR(buf, "1min30s");
	tier_format_duration(2 * DAY + 1500, buf, sizeof(buf));
	CHECK_STR(buf, "2d1s500ms");
	tier_format_duration(0, buf, sizeof(buf));
	CHECK_STR(buf, "0s");
}

static void test_kinds(void)
{
	uint32_t k = 99;
	char buf[64];

	CHECK_INT(tier_parse_kinds("idle", &k, err, sizeof(err)), 0);
	CHECK_INT(k, RZS_WB_IDLE);
	CHECK_INT(tier_parse_kinds("idle,huge", &k, err, sizeof(err)), 0);
	CHECK_INT(k, RZS_WB_IDLE | RZS_WB_HUGE);
	CHECK_INT(tier_parse_kinds(" huge , incompressible ,idle", &k, err,
				   sizeof(err)), 0);
	CHECK_INT(k, RZS_WB_IDLE | RZS_WB_HUGE | RZS_WB_INCOMPRESSIBLE);
	CHECK_INT(tier_parse_kinds("none", &k, err, sizeof(err)), 0);
	CHECK_INT(k, 0);
	CHECK_INT(tier_parse_kinds("idle,cold", &k, err, sizeof(err)), -1);
	CHECK_HAS(err, "unknown kind \"cold\"");
	CHECK_INT(tier_parse_kinds("idle,", &k, err, sizeof(err)), -1);
	CHECK_HAS(err, "empty kind");
	CHECK_INT(tier_parse_kinds("idle huge", &k, err, sizeof(err)), -1);
	CHECK_HAS(err, "separated by commas");
	CHECK_INT(tier_parse_kinds("idles", &k, err, sizeof(err)), -1);

	tier_format_kinds(RZS_WB_HUGE | RZS_WB_IDLE, buf, sizeof(buf));
	CHECK_STR(buf, "idle,huge");
	tier_format_kinds(0, buf, sizeof(buf));
	CHECK_STR(buf, "none");
}

static void test_limit(void)
{
	struct tier_limit l;
	char buf[64];

	CHECK_INT(tier_parse_limit("none", 8 * GIB, &l, err, sizeof(err)), 0);
	CHECK_U64(l.bytes, TIER_LIMIT_NONE);
	CHECK_INT(tier_parse_limit("10G", 8 * GIB, &l, err, sizeof(err)), 0);
	CHECK_U64(l.bytes, 10 * GIB);
	CHECK_U64(l.period_ms, 0);
	CHECK_INT(tier_parse_limit("0", 8 * GIB, &l, err, sizeof(err)), 0);
	CHECK_U64(l.bytes, 0);
	CHECK_INT(tier_parse_limit("2G/day", 8 * GIB, &l, err, sizeof(err)), 0);
	CHECK_U64(l.bytes, 2 * GIB);
	CHECK_U64(l.period_ms, DAY);
	CHECK_INT(tier_parse_limit("500M/h", 8 * GIB, &l, err, sizeof(err)), 0);
	CHECK_U64(l.bytes, 500 * MIB);
	CHECK_U64(l.period_ms, HOUR);
	CHECK_INT(tier_parse_limit("1G/12h", 8 * GIB, &l, err, sizeof(err)), 0);
	CHECK_U64(l.period_ms, 12 * HOUR);
	CHECK_INT(tier_parse_limit("2G / week", 8 * GIB, &l, err, sizeof(err)), 0);
	CHECK_U64(l.period_ms, 7 * DAY);
	/* "/" in a size divides: "ram / 4" is a quarter of RAM, fixed. */
	CHECK_INT(tier_parse_limit("ram / 4", 8 * GIB, &l, err, sizeof(err)), 0);
	CHECK_U64(l.bytes, 2 * GIB);
	CHECK_U64(l.period_ms, 0);
	CHECK_INT(tier_parse_limit("ram/4/d", 8 * GIB, &l, err, sizeof(err)), 0);
	CHECK_U64(l.bytes, 2 * GIB);
	CHECK_U64(l.period_ms, DAY);

	/* Sizes need their unit, as everywhere in ramzswap.conf. */
	CHECK_INT(tier_parse_limit("4096/day", 8 * GIB, &l, err, sizeof(err)), -1);
	CHECK_INT(tier_parse_limit("2G/fortnight", 8 * GIB, &l, err,
				   sizeof(err)), -1);
	CHECK_HAS(err, "unknown period in \"2G/fortnight\"");
	CHECK_INT(tier_parse_limit("16G/ram", 8 * GIB, &l, err, sizeof(err)), -1);
	CHECK_INT(tier_parse_limit("2G/30s", 8 * GIB, &l, err, sizeof(err)), -1);
	CHECK_HAS(err, "period of \"2G/30s\" is out of range: from 1min to 7d");
	CHECK_INT(tier_parse_limit("2G/30d", 8 * GIB, &l, err, sizeof(err)), -1);
	CHECK_INT(tier_parse_limit("0/day", 8 * GIB, &l, err, sizeof(err)), -1);
	CHECK_HAS(err, "never refills");
	CHECK_INT(tier_parse_limit("lots", 8 * GIB, &l, err, sizeof(err)), -1);

	l.bytes = 2 * GIB;
	l.period_ms = DAY;
	tier_format_limit(&l, buf, sizeof(buf));
	CHECK_STR(buf, "2.0G/1d");
	l.period_ms = 0;
	tier_format_limit(&l, buf, sizeof(buf));
	CHECK_STR(buf, "2.0G");
	l.bytes = TIER_LIMIT_NONE;
	tier_format_limit(&l, buf, sizeof(buf));
	CHECK_STR(buf, "none");
}

static void test_interval(void)
{
	/* Marking every D/2 makes age 3 mean idle for at least D. */
	CHECK_U64(tier_interval(HOUR, false), 30 * MIN);
	CHECK_U64(tier_interval(90 * SEC, false), 45 * SEC);
	CHECK_U64(2 * tier_interval(HOUR, false), HOUR);	/* (3 - 1) * T */
	/* Under pressure, four times as often. */
	CHECK_U64(tier_interval(HOUR, true), 30 * MIN / TIER_PSI_SPEEDUP);
	CHECK_U64(tier_interval(TIER_AFTER_MIN_MS, true), 1250);
	CHECK_U64(tier_interval(1, true), 1);	/* never a zero timer */
}

static void test_budget(void)
{
	struct tier_limit day = { .bytes = 2 * GIB, .period_ms = DAY };
	struct tier_limit fixed = { .bytes = 10 * GIB, .period_ms = 0 };
	struct tier_limit none = { .bytes = TIER_LIMIT_NONE };
	uint64_t carry = 0, left, i;

	CHECK_U64(tier_initial_limit(&day), 2 * GIB);
	CHECK_U64(tier_initial_limit(&fixed), 10 * GIB);
	CHECK_U64(tier_initial_limit(&none), TIER_LIMIT_NONE);

	/* Fixed: what was written counts against a changed budget. */
	CHECK_U64(tier_fixed_left(&fixed, 3 * GIB), 7 * GIB);
	CHECK_U64(tier_fixed_left(&fixed, 11 * GIB), 0);
	CHECK_U64(tier_fixed_left(&none, 11 * GIB), TIER_LIMIT_NONE);
	/* Fixed and none never refill. */
	CHECK_U64(tier_refill(&fixed, 5, DAY, &carry), 5);
	CHECK_U64(tier_refill(&none, 5, DAY, &carry), 5);

	/* Half a day refills half the daily budget. */
	CHECK_U64(tier_refill(&day, 0, DAY / 2, &carry), GIB);
	CHECK_U64(carry, 0);
	/* Never above one day's worth, however long it was. */
	CHECK_U64(tier_refill(&day, GIB, 3 * DAY, &carry), 2 * GIB);
	CHECK_U64(tier_refill(&day, 2 * GIB - 1, HOUR, &carry), 2 * GIB);
	/* A limit raised by hand above the cap is left alone. */
	CHECK_U64(tier_refill(&day, 5 * GIB, HOUR, &carry), 5 * GIB);
	/* Spent, and nothing elapsed: still spent. */
	CHECK_U64(tier_refill(&day, 0, 0, &carry), 0);

	/*
	 * Fractions add up: 2 GiB a day is 24855.13... bytes a second; a
	 * day of one-second ticks must give back the whole 2 GiB, not a
	 * second's worth less for every rounding.
	 */
	carry = 0;
	left = 0;
	for (i = 0; i < 24 * 3600; i++)
		left = tier_refill(&day, left, SEC, &carry);
	CHECK_U64(left, 2 * GIB);

	/* The largest budget and period: no overflow on the way. */
	{
		struct tier_limit big = { .bytes = 1ULL << 50,
					  .period_ms = TIER_PERIOD_MAX_MS };

		carry = 0;
		CHECK_U64(tier_refill(&big, 0, TIER_PERIOD_MAX_MS / 2, &carry),
			  1ULL << 49);
		CHECK_U64(tier_refill(&big, 0, TIER_PERIOD_MAX_MS - 1, &carry),
			  (1ULL << 50) - (1ULL << 50) / TIER_PERIOD_MAX_MS - 1);
	}
}

static const char *tmpfile_with(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/rzsd-tier.XXXXXX");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_psi(void)
{
	const char *p;
	double avg10 = -1;

	p = tmpfile_with("some avg10=12.50 avg60=3.10 avg300=0.80 total=123456\n"
			 "full avg10=40.00 avg60=1.00 avg300=0.20 total=6543\n");
	CHECK_INT(tier_psi_some_avg10(p, &avg10), 0);
	CHECK(avg10 > 12.49 && avg10 < 12.51);
	unlink(p);
	/* "full" alone (a malformed file) is not "some". */
	p = tmpfile_with("full avg10=40.00 avg60=1.00 avg300=0.20 total=6543\n");
	CHECK_INT(tier_psi_some_avg10(p, &avg10), -ENODATA);
	unlink(p);
	CHECK_INT(tier_psi_some_avg10("/nonexistent/pressure", &avg10), -ENOENT);
}

int main(void)
{
	test_duration();
	test_kinds();
	test_limit();
	test_interval();
	test_budget();
	test_psi();
	return test_done("rzsd_tier");
}
