/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rzsctl: shared declarations.  Parsing (args.c, size.c, devname.c,
 * columns.c) never talks to the kernel, so the unit tests link it alone.
 */
#ifndef RZSCTL_H
#define RZSCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <rzs/rzs.h>

/* Exit codes, as documented in rzsctl(8). */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

enum verb {
	VERB_LIST,
	VERB_ADD,
	VERB_REMOVE,
	VERB_INIT,
	VERB_SET,
	VERB_RESET,
	VERB_COMPACT,
	VERB_IDLE,
	VERB_WRITEBACK,
	VERB_STATS,
	VERB_INFO,
	VERB_MONITOR,
	VERB_HELP,
	VERB_VERSION,
	VERB_COMPAT,
};

/* Output flags. */
#define OUT_JSON	(1u << 0)
#define OUT_RAW		(1u << 1)
#define OUT_BYTES	(1u << 2)
#define OUT_NOHEAD	(1u << 3)

#define MAX_COLUMNS	32
#define MAX_DEVS	64

/* rzscontrol's actions, run in its order: memlimit, init, reset, stats. */
#define COMPAT_INIT	(1u << 0)
#define COMPAT_RESET	(1u << 1)
#define COMPAT_STATS	(1u << 2)
#define COMPAT_VERBOSE	(1u << 3)

struct cmd {
	enum verb verb;
	unsigned int out;		/* OUT_* */
	int columns[MAX_COLUMNS];	/* indexes into the column table */
	size_t nr_columns;		/* 0: the default set */
	uint32_t devs[MAX_DEVS];	/* list, stats: which devices */
	size_t nr_devs;
	int index;			/* the device; add: -1 for any */
	struct rzs_init_params init;	/* init; set uses init.memlimit */
	char algorithm[RZS_ALGORITHM_MAX];
	char backing_dev[RZS_BACKING_DEV_MAX];
	bool has_memlimit;
	bool has_wb_limit;		/* init, set: init.wb_limit */
	unsigned int min_age;		/* idle (default 0), writeback (1) */
	uint32_t wb_kinds;		/* writeback: RZS_WB_* */
	uint64_t wb_max_pages;		/* writeback: 0: no bound */
	unsigned int compat;		/* COMPAT_* */
	uint64_t compat_disksize;	/* bytes, 0: unset */
	const char *help_topic;		/* help: NULL or a verb's name */
};

/* Parses argv into cmd.  0, or EXIT_USAGE with the reason in err. */
int rzsctl_parse(int argc, char **argv, struct cmd *cmd, char *err, size_t errlen);
/* The rzscontrol form: DEVICE [--init] [--reset] [--stats] ... */
int rzsctl_parse_compat(int argc, char **argv, struct cmd *cmd, char *err,
			size_t errlen);
const char *verb_name(enum verb verb);

/* size.c */
int parse_size(const char *s, uint64_t *bytes);
/* A size, or "none" (RZS_WB_LIMIT_NONE): the writeback limit. */
int parse_limit(const char *s, uint64_t *bytes);
void format_size(uint64_t bytes, char *buf, size_t len);

/* devname.c: "ramzswap3", "/dev/ramzswap3" or "3". */
int parse_device(const char *s, uint32_t *index);

/* columns.c */
enum col_type { COL_STR, COL_SIZE, COL_NUM, COL_RATIO };

struct column {
	const char *name;
	double whint;
	enum col_type type;
	const char *help;
};

extern const struct column columns[];
extern const size_t nr_columns;
extern const int default_columns[];
extern const size_t nr_default_columns;
int column_by_name(const char *name, size_t len);
int parse_columns(const char *list, struct cmd *cmd, char *err, size_t errlen);

#endif /* RZSCTL_H */
