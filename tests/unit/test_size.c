// SPDX-License-Identifier: GPL-2.0-or-later
/* Size parsing and formatting (rzsctl/size.c). */
#include <errno.h>
#include <stdint.h>

#include "check.h"
#include "../../rzsctl/rzsctl.h"

static void ok(const char *s, uint64_t want)
{
	uint64_t v = 0xdead;
	int r = parse_size(s, &v);

	if (r || v != want)
		fprintf(stderr, "  parse_size(\"%s\") = %d, %" PRIu64 "\n", s, r, v);
	CHECK_INT(r, 0);
	CHECK_U64(v, want);
}

static void bad(const char *s, int want)
{
	uint64_t v = 12345;
	int r = parse_size(s, &v);

	if (r != want)
		fprintf(stderr, "  parse_size(\"%s\") = %d\n", s, r);
	CHECK_INT(r, want);
	CHECK_U64(v, 12345);		/* untouched on failure */
}

static void fmt(uint64_t v, const char *want)
{
	char buf[32];

	format_size(v, buf, sizeof(buf));
	CHECK_STR(buf, want);
}

int main(void)
{
	ok("0", 0);
	ok("4096", 4096);
	ok("4096B", 4096);
	ok("1K", 1024);
	ok("1k", 1024);
	ok("1KiB", 1024);
	ok("1kib", 1024);
	ok("512M", 512ull << 20);
	ok("512MiB", 512ull << 20);
	ok("1G", 1ull << 30);
	ok("2GiB", 2ull << 30);
	ok("1T", 1ull << 40);
	ok("1P", 1ull << 50);
	ok("1.5G", 3ull << 29);
	ok("0.5K", 512);
	ok("1.0001K", 1024);		/* fractions of a byte round down */
	ok("15E", 15ull << 60);
	ok("15.5E", 31ull << 59);
	ok("15.99999999999999999999E", UINT64_MAX - 1);	/* just below 2^64 */
	ok("18446744073709551615", UINT64_MAX);
	ok("00012", 12);

	bad("", -EINVAL);
	bad("G", -EINVAL);
	bad("-1", -EINVAL);
	bad("-1G", -EINVAL);
	bad("+1G", -EINVAL);
	bad(" 1G", -EINVAL);
	bad("1G ", -EINVAL);
	bad("1 G", -EINVAL);
	bad("1GB", -EINVAL);		/* powers of 1000 are not guessed */
	bad("1KB", -EINVAL);
	bad("1Gi", -EINVAL);
	bad("1X", -EINVAL);
	bad("1.5", -EINVAL);		/* a fraction of a byte */
	bad("1.", -EINVAL);
	bad(".5G", -EINVAL);
	bad("1.5.5G", -EINVAL);
	bad("0x10", -EINVAL);
	bad("abc", -EINVAL);
	bad("18446744073709551616", -ERANGE);
	bad("99999999999999999999999", -ERANGE);
	bad("16E", -ERANGE);
	bad("17179869184G", -ERANGE);	/* 2^34 G = 2^64 */
	CHECK_INT(parse_size(NULL, NULL), -EINVAL);

	fmt(0, "0B");
	fmt(1023, "1023B");
	fmt(1024, "1K");
	fmt(1536, "1.5K");
	fmt(1ull << 30, "1G");
	fmt((1ull << 30) - 1, "1G");	/* rounds to the nearest tenth */
	fmt(3ull << 29, "1.5G");
	fmt(1ull << 50, "1P");
	fmt(UINT64_MAX, "16E");
	fmt(1048575, "1M");
	fmt(1023 * 1024 + 1000, "1M");
	fmt(1023 * 1024 + 100, "1023.1K");
	return test_done("size");
}
