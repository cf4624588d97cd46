// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A recursive-descent evaluator for size expressions:
 *
 *   expr    := term { ('+' | '-') term }
 *   term    := primary { ('*' | '/') primary }
 *   primary := NUMBER [UNIT | '%'] | "ram" | FUNC '(' expr { ',' expr } ')'
 *            | '(' expr ')'
 *   FUNC    := "min" | "max"
 *   UNIT    := K M G T P E (or KiB ... EiB, powers of 1024) | B
 *
 * Values carry a type: a size (whole bytes) or a plain number (an exact
 * fraction, so "ram * 0.75" and "ram * 3 / 4" agree).  Only the
 * combinations that mean something are allowed: size +- size,
 * size * number, size / number, size / size (a ratio), number op number.
 * Everything is unsigned 64-bit with overflow checks through 128-bit
 * intermediates; a negative result is an error, never a wrap.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "expr.h"

typedef unsigned __int128 u128;

struct val {
	bool size;		/* bytes in num, den == 1 */
	uint64_t num;
	uint64_t den;		/* > 0 */
};

struct parser {
	const char *s;		/* the whole text, for messages */
	const char *p;		/* next character */
	uint64_t ram;
	char *err;
	size_t errlen;
	bool failed;
	int depth;
};

/* Deep enough for any sane config, shallow enough for the stack. */
#define EXPR_MAX_DEPTH	64

static int fail(struct parser *ps, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int fail(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	/* The innermost failure is the precise one: keep it. */
	if (ps->failed)
		return -1;
	ps->failed = true;
	va_start(ap, fmt);
	vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* num/den reduced into a plain number; -1 if it still does not fit. */
static int make_ratio(struct parser *ps, u128 num, u128 den, struct val *v)
{
	u128 a = num, b = den, t;

	if (!den)
		return fail(ps, "division by zero");
	while (b) {
		t = a % b;
		a = b;
		b = t;
	}
	if (a > 1) {
		num /= a;
		den /= a;
	}
	if (num > UINT64_MAX || den > UINT64_MAX)
		return fail(ps, "a number in the expression is too large");
	v->size = false;
	v->num = (uint64_t)num;
	v->den = (uint64_t)den;
	return 0;
}

static int make_size(struct parser *ps, u128 bytes, struct val *v)
{
	if (bytes > UINT64_MAX)
		return fail(ps, "the size does not fit in 64 bits");
	v->size = true;
	v->num = (uint64_t)bytes;
	v->den = 1;
	return 0;
}

static void skip_space(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static int parse_expr(struct parser *ps, struct val *v);

/* The binary shift of a unit, 0 for "B"; -1 (after reporting) if unknown. */
static int unit_shift(struct parser *ps, const char *u, size_t n)
{
	static const char units[] = "KMGTPE";
	const char *k;

	if (n == 1 && (u[0] == 'B' || u[0] == 'b'))
		return 0;
	k = strchr(units, toupper((unsigned char)u[0]));
	if (k && (n == 1 || (n == 3 && u[1] == 'i' && (u[2] == 'B' || u[2] == 'b'))))
		return 10 * (int)(k - units + 1);
	if (k && n == 2 && (u[1] == 'B' || u[1] == 'b'))
		return fail(ps, "unit \"%.*s\" is ambiguous (powers of 1000 or 1024?): write %c or %ciB, which are powers of 1024",
			    (int)n, u, toupper((unsigned char)u[0]),
			    toupper((unsigned char)u[0]));
	return fail(ps, "unknown unit \"%.*s\": use B, K, M, G, T, P, E or KiB ... EiB",
		    (int)n, u);
}

static int parse_number(struct parser *ps, struct val *v)
{
	uint64_t whole = 0, frac = 0, scale = 1;
	const char *u;
	int ndig = 0, shift;

	while (isdigit((unsigned char)*ps->p)) {
		uint64_t d = (uint64_t)(*ps->p++ - '0');

		if (whole > (UINT64_MAX - d) / 10)
			return fail(ps, "a number in the expression is too large");
		whole = whole * 10 + d;
	}
	if (*ps->p == '.') {
		ps->p++;
		if (!isdigit((unsigned char)*ps->p))
			return fail(ps, "a digit must follow the decimal point");
		while (isdigit((unsigned char)*ps->p)) {
			/* 18 digits are exact in 64 bits; more cannot matter. */
			if (ndig++ < 18) {
				frac = frac * 10 + (uint64_t)(*ps->p - '0');
				scale *= 10;
			}
			ps->p++;
		}
	}
	/* value = (whole * scale + frac) / scale, exactly */
	if (*ps->p == '%') {
		ps->p++;
		return make_size(ps, ((u128)whole * scale + frac) * ps->ram /
				     ((u128)scale * 100), v);
	}
	u = ps->p;
	while (isalpha((unsigned char)*ps->p))
		ps->p++;
	if (ps->p == u)
		return make_ratio(ps, (u128)whole * scale + frac, scale, v);
	shift = unit_shift(ps, u, (size_t)(ps->p - u));
	if (shift < 0)
		return -1;
	if (ndig && !shift)
		return fail(ps, "a fraction of a byte is not a size");
	return make_size(ps, (((u128)whole * scale + frac) << shift) / scale, v);
}

/* a <=> b for two values of the same type: -1, 0, 1 */
static int compare(const struct val *a, const struct val *b)
{
	u128 l = (u128)a->num * b->den, r = (u128)b->num * a->den;

	return l < r ? -1 : l > r;
}

static int parse_call(struct parser *ps, const char *name, size_t n,
		      struct val *v)
{
	bool is_min = n == 3 && !strncmp(name, "min", 3);
	struct val arg;
	int nargs = 0;

	ps->p++;	/* '(' */
	for (;;) {
		if (parse_expr(ps, &arg))
			return -1;
		if (nargs && arg.size != v->size)
			return fail(ps, "%s() of a size and a plain number: give every argument a unit",
				    is_min ? "min" : "max");
		if (!nargs++ || (compare(&arg, v) < 0) == is_min)
			*v = arg;
		skip_space(ps);
		if (*ps->p == ')')
			break;
		if (*ps->p != ',')
			return fail(ps, "expected ',' or ')' in %s()",
				    is_min ? "min" : "max");
		ps->p++;
	}
	ps->p++;
	if (nargs < 2)
		return fail(ps, "%s() needs at least two arguments",
			    is_min ? "min" : "max");
	return 0;
}

static int parse_primary(struct parser *ps, struct val *v)
{
	const char *name;
	size_t n;
	int ret;

	skip_space(ps);
	if (++ps->depth > EXPR_MAX_DEPTH)
		return fail(ps, "the expression is nested too deeply");
	if (isdigit((unsigned char)*ps->p) || *ps->p == '.') {
		ret = parse_number(ps, v);
	} else if (*ps->p == '(') {
		ps->p++;
		ret = parse_expr(ps, v);
		skip_space(ps);
		if (!ret && *ps->p != ')')
			ret = fail(ps, "expected ')'");
		if (!ret)
			ps->p++;
	} else if (isalpha((unsigned char)*ps->p)) {
		name = ps->p;
		while (isalnum((unsigned char)*ps->p) || *ps->p == '_')
			ps->p++;
		n = (size_t)(ps->p - name);
		skip_space(ps);
		if (n == 3 && !strncmp(name, "ram", 3)) {
			ret = make_size(ps, ps->ram, v);
		} else if (((n == 3 && !strncmp(name, "min", 3)) ||
			    (n == 3 && !strncmp(name, "max", 3))) &&
			   *ps->p == '(') {
			ret = parse_call(ps, name, n, v);
		} else {
			ret = fail(ps, "unknown name \"%.*s\": only ram, min() and max() are known",
				   (int)n, name);
		}
	} else if (*ps->p == '-') {
		ret = fail(ps, "negative values are not sizes");
	} else if (!*ps->p) {
		ret = fail(ps, "the expression ends too early");
	} else {
		ret = fail(ps, "unexpected '%c'", *ps->p);
	}
	ps->depth--;
	return ret;
}

static int multiply(struct parser *ps, struct val *l, const struct val *r)
{
	if (l->size && r->size)
		return fail(ps, "cannot multiply two sizes");
	if (l->size)
		return make_size(ps, (u128)l->num * r->num / r->den, l);
	if (r->size)
		return make_size(ps, (u128)r->num * l->num / l->den, l);
	return make_ratio(ps, (u128)l->num * r->num, (u128)l->den * r->den, l);
}

static int divide(struct parser *ps, struct val *l, const struct val *r)
{
	if (!r->num)
		return fail(ps, "division by zero");
	if (!l->size && r->size)
		return fail(ps, "cannot divide a plain number by a size");
	if (l->size && !r->size)
		return make_size(ps, (u128)l->num * r->den / r->num, l);
	/* size / size is a ratio; number / number is a number */
	return make_ratio(ps, (u128)l->num * r->den, (u128)l->den * r->num, l);
}

static int add_sub(struct parser *ps, struct val *l, const struct val *r,
		   bool sub)
{
	u128 a, b;

	if (l->size != r->size)
		return fail(ps, "cannot %s a size and a plain number: give the number a unit (e.g. 512M)",
			    sub ? "subtract" : "add");
	a = (u128)l->num * r->den;
	b = (u128)r->num * l->den;
	if (sub && b > a)
		return fail(ps, "the result would be negative");
	if (l->size)
		return make_size(ps, sub ? a - b : a + b, l);
	return make_ratio(ps, sub ? a - b : a + b, (u128)l->den * r->den, l);
}

static int parse_term(struct parser *ps, struct val *v)
{
	struct val r;
	char op;

	if (parse_primary(ps, v))
		return -1;
	for (;;) {
		skip_space(ps);
		op = *ps->p;
		if (op != '*' && op != '/')
			return 0;
		ps->p++;
		if (parse_primary(ps, &r))
			return -1;
		if (op == '*' ? multiply(ps, v, &r) : divide(ps, v, &r))
			return -1;
	}
}

static int parse_expr(struct parser *ps, struct val *v)
{
	struct val r;
	char op;

	if (parse_term(ps, v))
		return -1;
	for (;;) {
		skip_space(ps);
		op = *ps->p;
		if (op != '+' && op != '-')
			return 0;
		ps->p++;
		if (parse_term(ps, &r))
			return -1;
		if (add_sub(ps, v, &r, op == '-'))
			return -1;
	}
}

int expr_eval_size(const char *text, uint64_t ram, uint64_t *bytes,
		   char *err, size_t errlen)
{
	struct parser ps = {
		.s = text, .p = text, .ram = ram, .err = err, .errlen = errlen,
	};
	struct val v;

	if (parse_expr(&ps, &v))
		return -1;
	skip_space(&ps);
	if (*ps.p)
		return fail(&ps, "unexpected '%c' after the expression", *ps.p);
	if (!v.size && v.num) {
		/* The zram-generator trap: its bare numbers are megabytes. */
		if (ps.p - text > 0 && strspn(text, "0123456789. \t") ==
		    strlen(text))
			return fail(&ps, "a size needs a unit: write %sM for MiB or %sG for GiB (a bare number is neither bytes nor megabytes here)",
				    text, text);
		return fail(&ps, "the result is a plain number, not a size: give it a unit");
	}
	*bytes = v.size ? v.num : 0;
	return 0;
}

void expr_format_size(uint64_t bytes, char *buf, size_t len)
{
	static const char units[] = "BKMGTPE";
	uint64_t unit = 1, whole, tenths;
	int i = 0;

	while (i < 6 && bytes >= unit * 1024) {
		unit *= 1024;
		i++;
	}
	if (!i) {
		snprintf(buf, len, "%lluB", (unsigned long long)bytes);
		return;
	}
	whole = bytes / unit;
	tenths = ((bytes % unit) * 10 + unit / 2) / unit;
	if (tenths == 10) {
		whole++;
		tenths = 0;
	}
	snprintf(buf, len, "%llu.%llu%c", (unsigned long long)whole,
		 (unsigned long long)tenths, units[i]);
}
