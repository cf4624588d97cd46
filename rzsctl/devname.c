// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device arguments: a name as the kernel gives it ("ramzswap3"), its node
 * ("/dev/ramzswap3") or the bare number ("3").  Leading zeros are refused:
 * "ramzswap03" names no device the kernel would create.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <linux/ramzswap.h>

#include "rzsctl.h"

/* 0, -EINVAL (not a device) or -ERANGE (number too large). */
int parse_device(const char *s, uint32_t *index)
{
	unsigned long v = 0;
	const char *p;

	if (!s)
		return -EINVAL;
	if (!strncmp(s, "/dev/", 5)) {
		s += 5;
		if (strncmp(s, "ramzswap", 8))
			return -EINVAL;
	}
	if (!strncmp(s, "ramzswap", 8))
		s += 8;
	if (!isdigit((unsigned char)*s) || (s[0] == '0' && s[1]))
		return -EINVAL;
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p - '0');
		if (v >= RAMZSWAP_MAX_DEVICES)
			return -ERANGE;
	}
	*index = (uint32_t)v;
	return 0;
}
