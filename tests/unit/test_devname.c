// SPDX-License-Identifier: GPL-2.0-or-later
/* Device arguments (rzsctl/devname.c). */
#include <errno.h>
#include <stdint.h>

#include "check.h"
#include "../../rzsctl/rzsctl.h"

static void ok(const char *s, uint32_t want)
{
	uint32_t idx = 99999;

	CHECK_INT(parse_device(s, &idx), 0);
	CHECK_INT(idx, want);
}

static void bad(const char *s, int want)
{
	uint32_t idx = 77;

	if (parse_device(s, &idx) != want)
		fprintf(stderr, "  parse_device(\"%s\")\n", s);
	CHECK_INT(parse_device(s, &idx), want);
	CHECK_INT(idx, 77);
}

int main(void)
{
	ok("0", 0);
	ok("7", 7);
	ok("1023", 1023);
	ok("ramzswap0", 0);
	ok("ramzswap12", 12);
	ok("/dev/ramzswap3", 3);

	bad("", -EINVAL);
	bad("/dev/3", -EINVAL);
	bad("ramzswap", -EINVAL);
	bad("/dev/ramzswap", -EINVAL);
	bad("ramzswap-1", -EINVAL);
	bad("-1", -EINVAL);
	bad("+1", -EINVAL);
	bad("01", -EINVAL);
	bad("ramzswap01", -EINVAL);
	bad("zram0", -EINVAL);
	bad("/dev/zram0", -EINVAL);
	bad("ramzswap0p1", -EINVAL);
	bad("/dev//ramzswap0", -EINVAL);
	bad("dev/ramzswap0", -EINVAL);
	bad("ramzswap0 ", -EINVAL);
	bad("1024", -ERANGE);
	bad("ramzswap99999999999999999999", -ERANGE);
	CHECK_INT(parse_device(NULL, NULL), -EINVAL);
	return test_done("devname");
}
