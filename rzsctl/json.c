// SPDX-License-Identifier: GPL-2.0-or-later
/* A streaming JSON writer: just enough for rzsctl's stats, info, monitor. */
#include <stdio.h>

#include "out.h"

static void indent(struct json *j)
{
	int i;

	if (!j->pretty)
		return;
	fputc('\n', j->f);
	for (i = 0; i < j->depth; i++)
		fputs("   ", j->f);
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void key(struct json *j, const char *k)
{
	if (j->need_comma)
		fputc(',', j->f);
	indent(j);
	if (k) {
		put_string(j->f, k);
		fputs(j->pretty ? ": " : ":", j->f);
	}
	j->need_comma = true;
}

void json_begin(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 1;
	j->need_comma = false;
	fputc('{', f);
}

void json_end(struct json *j)
{
	j->depth = 0;
	indent(j);
	fputs("}\n", j->f);
}

static void open_(struct json *j, const char *k, char c)
{
	key(j, k);
	fputc(c, j->f);
	j->depth++;
	j->need_comma = false;
}

static void close_(struct json *j, char c)
{
	j->depth--;
	indent(j);
	fputc(c, j->f);
	j->need_comma = true;
}

void json_obj(struct json *j, const char *k)
{
	open_(j, k, '{');
}

void json_arr(struct json *j, const char *k)
{
	open_(j, k, '[');
}

void json_close_obj(struct json *j)
{
	close_(j, '}');
}

void json_close_arr(struct json *j)
{
	close_(j, ']');
}

void json_str(struct json *j, const char *k, const char *val)
{
	key(j, k);
	put_string(j->f, val);
}

void json_u64(struct json *j, const char *k, uint64_t val)
{
	key(j, k);
	fprintf(j->f, "%llu", (unsigned long long)val);
}

void json_double(struct json *j, const char *k, double val)
{
	key(j, k);
	fprintf(j->f, "%.4f", val);
}

void json_null(struct json *j, const char *k)
{
	key(j, k);
	fputs("null", j->f);
}
