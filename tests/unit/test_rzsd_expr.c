// SPDX-License-Identifier: GPL-2.0-or-later
/* rzsd's size expressions (rzsd/expr.c): values, types, overflow, errors. */
#include <stdint.h>

#include "check.h"
#include "../../rzsd/expr.h"

#define GiB	(1ULL << 30)
#define RAM	(8 * GiB)

static void ok(const char *s, uint64_t want)
{
	char err[256] = "";
	uint64_t v = 0xdead;
	int r = expr_eval_size(s, RAM, &v, err, sizeof(err));

	if (r || v != want)
		fprintf(stderr, "  \"%s\" = %d, %" PRIu64 " (%s)\n", s, r, v, err);
	CHECK_INT(r, 0);
	CHECK_U64(v, want);
}

static void bad(const char *s, const char *msg)
{
	char err[256] = "";
	uint64_t v = 12345;
	int r = expr_eval_size(s, RAM, &v, err, sizeof(err));

	if (r != -1)
		fprintf(stderr, "  \"%s\" evaluated to %" PRIu64 "\n", s, v);
	CHECK_INT(r, -1);
	CHECK_U64(v, 12345);		/* untouched on failure */
	CHECK_HAS(err, msg);
}

static void fmt(uint64_t v, const char *want)
{
	char buf[32];

	expr_format_size(v, buf, sizeof(buf));
	CHECK_STR(buf, want);
}

int main(void)
{
	/* units */
	ok("4096B", 4096);
	ok("4K", 4096);
	ok("4k", 4096);
	ok("2M", 2 << 20);
	ok("2MiB", 2 << 20);
	ok("1G", GiB);
	ok("1GiB", GiB);
	ok("1T", 1ULL << 40);
	ok("1P", 1ULL << 50);
	ok("1E", 1ULL << 60);
	ok("1.5G", GiB + GiB / 2);
	ok("0.5K", 512);
	ok("  2G  ", 2 * GiB);
	ok("0", 0);
	ok("0G", 0);
	/* percent of RAM */
	ok("50%", RAM / 2);
	ok("12.5%", GiB);
	ok("100%", RAM);
	/* expressions */
	ok("ram", RAM);
	ok("ram / 2", RAM / 2);
	ok("ram/2", RAM / 2);
	ok("ram * 3 / 4", 6 * GiB);
	ok("ram * 0.75", 6 * GiB);
	ok("ram * (3 / 4)", 6 * GiB);
	ok("min(ram / 2, 8G)", 4 * GiB);
	ok("min(ram / 2, 2G)", 2 * GiB);
	ok("max(ram / 2, 8G)", 8 * GiB);
	ok("min(1G, 2G, 512M)", 512ULL << 20);
	ok("max(1G, 2G, 512M)", 2 * GiB);
	ok("ram - 512M", RAM - (512ULL << 20));
	ok("2G + 512M", 2 * GiB + (512ULL << 20));
	ok("(1G + 1G) * 2", 4 * GiB);
	ok("1G * 2 + 1G * 3", 5 * GiB);
	ok("2 * 1G", 2 * GiB);
	ok("8G / (ram / 4G)", 4 * GiB);	/* size / ratio */
	ok("1G / 3", GiB / 3);		/* rounded down */
	ok("ram * 1 / 3 * 3", RAM / 3 * 3);
	ok("min(ram, 15E)", RAM);
	ok("15E", 15ULL << 60);

	/* the zram-generator trap: bare numbers */
	bad("4096", "a size needs a unit: write 4096M for MiB or 4096G for GiB");
	bad("1.5", "a size needs a unit");
	bad("ram / 1G", "plain number, not a size");
	/* types */
	bad("2G + 1", "cannot add a size and a plain number");
	bad("1 + 2G", "cannot add a size and a plain number");
	bad("ram - 1", "cannot subtract a size and a plain number");
	bad("1G * 1G", "cannot multiply two sizes");
	bad("2 / 1G", "cannot divide a plain number by a size");
	bad("min(1G, 2)", "min() of a size and a plain number");
	bad("max(1G)", "max() needs at least two arguments");
	/* units */
	bad("4GB", "unit \"GB\" is ambiguous");
	bad("4MB", "write M or MiB");
	bad("4X", "unknown unit \"X\"");
	bad("4Gi", "unknown unit \"Gi\"");
	bad("0.5B", "a fraction of a byte");
	bad("1.G", "a digit must follow the decimal point");
	/* arithmetic */
	bad("16E", "does not fit in 64 bits");
	bad("8E + 8E", "does not fit in 64 bits");
	bad("ram * 3000000000", "does not fit in 64 bits");
	bad("99999999999999999999K", "too large");
	bad("1G - 2G", "negative");
	bad("1G / 0", "division by zero");
	bad("1G / (1 - 1)", "division by zero");
	bad("-1G", "negative values are not sizes");
	/* syntax */
	bad("", "ends too early");
	bad("min(1G, 2G", "expected ',' or ')'");
	bad("(1G", "expected ')'");
	bad("1G)", "unexpected ')' after the expression");
	bad("1G 2G", "unexpected '2' after the expression");
	bad("foo", "unknown name \"foo\"");
	bad("ram(1)", "unexpected '('");
	bad("sqrt(4G)", "unknown name \"sqrt\"");
	bad("1G +", "ends too early");
	bad("((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1G))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))",
	    "nested too deeply");

	fmt(0, "0B");
	fmt(1023, "1023B");
	fmt(1024, "1.0K");
	fmt(2 * GiB, "2.0G");
	fmt(GiB + GiB / 2, "1.5G");
	fmt(512ULL << 20, "512.0M");
	fmt(UINT64_MAX, "16.0E");
	return test_done("rzsd_expr");
}
