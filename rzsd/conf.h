/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ramzswap.conf: the main file plus drop-ins, parsed with inih into a
 * resolved list of devices.  Loading never touches the system: RAM size,
 * page size and the algorithms offered come in through struct conf_env,
 * so the unit tests and "rzsd --check" run anywhere.
 */
#ifndef RZSD_CONF_H
#define RZSD_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <rzs/rzs.h>

#include "tier.h"

#define RZSD_CONF_PATH		"/etc/ramzswap.conf"
#define RZSD_MAX_DEVICES	1024	/* RAMZSWAP_MAX_DEVICES */
#define RZSD_DEFAULT_PRIORITY	100
#define RZSD_DEFAULT_DISKSIZE	"min(ram / 2, 4G)"

/* swapon --discard: what SWAP_FLAG_DISCARD* to pass. */
enum discard {
	DISCARD_NO,
	DISCARD_YES,		/* both: once at swapon and freed pages */
	DISCARD_ONCE,
	DISCARD_PAGES,
};

/* One algorithm the module offers, with its level range. */
struct conf_alg {
	char name[RZS_ALGORITHM_MAX];
	uint32_t level_min, level_max, level_default;	/* 0: no levels */
};

struct conf_env {
	uint64_t ram;			/* bytes: MemTotal */
	uint64_t page_size;
	const struct conf_alg *algs;	/* NULL: the built-in list */
	size_t nr_algs;
	const char *default_alg;	/* NULL: the built-in default */
};

/* One device as configured, every key resolved to its final value. */
struct conf_dev {
	uint32_t index;
	uint64_t disksize;		/* bytes, page-aligned */
	uint64_t memlimit;		/* bytes, 0: none */
	char algorithm[RZS_ALGORITHM_MAX];
	uint32_t level;			/* resolved: never 0 if it has levels */
	int priority;			/* -1: the kernel picks */
	enum discard discard;
	bool teardown;			/* stop: swapoff, reset, remove */
	/* The tier below RAM; backing_dev "" when there is none. */
	char backing_dev[RZS_BACKING_DEV_MAX];
	uint32_t wb_kinds;		/* RZS_WB_*: what rzsd writes back */
	uint64_t wb_after_ms;		/* writeback-after */
	struct tier_limit wb_limit;	/* writeback-limit */
	/* Where the device's section was first seen, for messages. */
	char where[64];
};

/* A configured device left out on this machine, and why. */
struct conf_skip {
	uint32_t index;
	char why[160];
};

struct conf {
	size_t nr;
	struct conf_dev *devs;		/* by index, ascending */
	size_t nr_skipped;		/* host-memory-limit or disksize 0 */
	struct conf_skip *skipped;
	size_t nr_files;		/* files read, main + drop-ins */
};

/* Errors, in the order found, each "file:line: message". */
struct conf_errors {
	size_t nr;
	char **msgs;
};

/*
 * Loads path (missing is fine: no devices) and dropin_dir/[*].conf in
 * strcmp order (dropin_dir NULL: none).  0 with *conf filled, or -1 with
 * the errors in *errs; nothing is half-loaded.
 */
int conf_load(const char *path, const char *dropin_dir,
	      const struct conf_env *env, struct conf *conf,
	      struct conf_errors *errs);
void conf_free(struct conf *conf);
void conf_errors_free(struct conf_errors *errs);

const struct conf_dev *conf_find(const struct conf *conf, uint32_t index);
const char *discard_name(enum discard d);
/* One line per device, then one per skipped device: rzsd --check. */
void conf_dump(const struct conf *conf, FILE *f);
/* The built-in algorithms: what the module offered when rzsd was written. */
const struct conf_alg *conf_builtin_algs(size_t *nr);

#endif /* RZSD_CONF_H */
