// SPDX-License-Identifier: GPL-2.0-or-later
/* The columns of the device table, and --output parsing. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rzsctl.h"

const struct column columns[] = {
	{ "NAME",	0.25, COL_STR,	 "device name" },
	{ "DISKSIZE",	5,    COL_SIZE,	 "size of the disk" },
	{ "DATA",	5,    COL_SIZE,	 "uncompressed size of the data stored" },
	{ "COMPR",	5,    COL_SIZE,	 "compressed size of the data stored" },
	{ "ALGORITHM",	3,    COL_STR,	 "compression algorithm" },
	{ "LEVEL",	3,    COL_NUM,	 "compression level (0: default)" },
	{ "TOTAL",	5,    COL_SIZE,	 "memory used, all included" },
	{ "MEM-LIMIT",	5,    COL_SIZE,	 "memory limit (0: none)" },
	{ "MEM-USED",	5,    COL_SIZE,	 "peak memory used" },
	{ "RATIO",	5,    COL_RATIO, "DATA / TOTAL" },
	{ "SAME",	5,    COL_NUM,	 "pages stored as one repeated word" },
	{ "HUGE",	5,    COL_NUM,	 "pages stored uncompressed" },
	{ "STATE",	13,   COL_STR,	 "initialized or uninitialized" },
	{ "OPENERS",	3,    COL_NUM,	 "how many have the device open" },
	{ "BACKING",	0.3,  COL_STR,	 "backing device (writeback goes there)" },
	{ "BACKING-SIZE", 5,  COL_SIZE,	 "size of the backing device" },
	{ "DISK",	5,    COL_SIZE,	 "space the pages written back take on it" },
	{ "DISK-PAGES",	5,    COL_NUM,	 "pages held on the backing device" },
	{ "IDLE",	5,    COL_NUM,	 "pages in RAM of idle age 1 or more" },
	{ "WB-LIMIT",	5,    COL_SIZE,	 "what writeback may still write (none: no limit)" },
};

const size_t nr_columns = sizeof(columns) / sizeof(columns[0]);

/* NAME ALGORITHM DISKSIZE DATA COMPR TOTAL RATIO STATE */
const int default_columns[] = { 0, 4, 1, 2, 3, 6, 9, 12 };
const size_t nr_default_columns = sizeof(default_columns) /
				  sizeof(default_columns[0]);

int column_by_name(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < nr_columns; i++)
		if (strlen(columns[i].name) == len &&
		    !strncasecmp(columns[i].name, name, len))
			return (int)i;
	return -1;
}

/*
 * "NAME,DATA" replaces the columns, "+LEVEL,OPENERS" adds to the default
 * set (as util-linux does).  Called once per --output.
 */
int parse_columns(const char *list, struct cmd *cmd, char *err, size_t errlen)
{
	const char *p = list;

	if (*p == '+') {
		p++;
		if (!cmd->nr_columns) {
			memcpy(cmd->columns, default_columns, sizeof(default_columns));
			cmd->nr_columns = nr_default_columns;
		}
	} else {
		cmd->nr_columns = 0;
	}
	if (!*p) {
		snprintf(err, errlen, "--output: no columns given");
		return EXIT_USAGE;
	}
	while (*p) {
		size_t len = strcspn(p, ",");
		int c = column_by_name(p, len);

		if (c < 0) {
			snprintf(err, errlen, "--output: unknown column '%.*s'",
				 (int)len, p);
			return EXIT_USAGE;
		}
		if (cmd->nr_columns == MAX_COLUMNS) {
			snprintf(err, errlen, "--output: too many columns");
			return EXIT_USAGE;
		}
		cmd->columns[cmd->nr_columns++] = c;
		p += len;
		if (*p == ',' && !*++p) {
			snprintf(err, errlen, "--output: empty column name");
			return EXIT_USAGE;
		}
	}
	return 0;
}
