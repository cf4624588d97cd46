// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Logging.  A whole line goes out in one write() so that lines of rzsd and
 * of the mkswap it runs never interleave mid-line.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

static int with_prefix = 1;

void log_init(int prefix)
{
	if (prefix >= 0)
		with_prefix = prefix;
	else
		with_prefix = getenv("JOURNAL_STREAM") || !isatty(STDERR_FILENO);
}

void log_msg(int prio, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n = 0;

	if (with_prefix)
		n = snprintf(line, sizeof(line), "<%d>", prio);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	n = (int)strlen(line);
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* Nowhere left to say it. */
	}
}
