// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sizes: "4096", "512K", "1.5G", "2GiB".  Suffixes are powers of 1024 in
 * both spellings; "KB"/"MB" are refused rather than guessed at, since
 * other tools read them as powers of 1000.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "rzsctl.h"

static int suffix_shift(const char *s)
{
	static const char units[] = "KMGTPE";
	const char *u;

	if (!*s)
		return 0;
	if ((s[0] == 'B' || s[0] == 'b') && !s[1])
		return 0;
	u = strchr(units, toupper((unsigned char)s[0]));
	if (!u || !s[0])
		return -1;
	s++;
	/* K, KiB, KIB; also plain K followed by nothing */
	if (*s == 'i' || *s == 'I') {
		s++;
		if (*s != 'B' && *s != 'b')
			return -1;
		s++;
	}
	if (*s)
		return -1;
	return 10 * (int)(u - units + 1);
}

/* 0, -EINVAL (not a size) or -ERANGE (more than 2^64 - 1 bytes). */
int parse_size(const char *s, uint64_t *bytes)
{
	uint64_t whole = 0, frac = 0, scale = 1, v;
	int shift, ndig = 0;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (whole > (UINT64_MAX - d) / 10)
			return -ERANGE;
		whole = whole * 10 + d;
	}
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		for (; isdigit((unsigned char)*s); s++) {
			/* Digits past the 18th cannot matter at 2^60. */
			if (ndig++ < 18) {
				frac = frac * 10 + (uint64_t)(*s - '0');
				scale *= 10;
			}
		}
	}
	shift = suffix_shift(s);
	if (shift < 0)
		return -EINVAL;
	/* A fraction of a byte means nothing. */
	if (ndig && !shift)
		return -EINVAL;
	if (shift && whole > (UINT64_MAX >> shift))
		return -ERANGE;
	v = whole << shift;
	if (ndig) {
		/* frac / scale of a unit, rounded down; frac < scale <= 10^18 */
		unsigned __int128 f = ((unsigned __int128)frac << shift) / scale;

		if (f > UINT64_MAX - v)
			return -ERANGE;
		v += (uint64_t)f;
	}
	*bytes = v;
	return 0;
}

/* Like lsblk and zramctl: "0B", "512B", "4K", "1.5G". */
void format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	uint64_t unit = 1, whole, tenths;
	int i = 0;

	while (i < 6 && bytes >= unit * 1024) {
		unit *= 1024;
		i++;
	}
	whole = bytes / unit;
	/* Rounded to the nearest tenth; the remainder is < 2^60. */
	tenths = ((bytes % unit) * 10 + unit / 2) / unit;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	/* 1023.96K rounds to 1024.0K: say 1M. */
	if (whole == 1024 && i < 6) {
		whole = 1;
		i++;
	}
	if (tenths && i)
		snprintf(buf, len, "%llu.%llu%c", (unsigned long long)whole,
			 (unsigned long long)tenths, units[i]);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)whole, units[i]);
}

int parse_limit(const char *s, uint64_t *bytes)
{
	if (!strcmp(s, "none")) {
		*bytes = RZS_WB_LIMIT_NONE;
		return 0;
	}
	return parse_size(s, bytes);
}
