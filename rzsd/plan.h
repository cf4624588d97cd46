/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The plan: what to do to get from what the kernel has to what the
 * configuration wants.  A pure function of its inputs (the old and new
 * configuration, what was observed), so the unit tests check every
 * decision of start, reload and stop without a kernel.
 */
#ifndef RZSD_PLAN_H
#define RZSD_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf.h"

/* What the system looks like now, per device and overall. */
struct obs_dev {
	uint32_t index;
	bool exists;
	bool initialized;
	uint64_t disksize;
	uint64_t memlimit;
	char algorithm[RZS_ALGORITHM_MAX];
	uint32_t level;
	char backing_dev[RZS_BACKING_DEV_MAX];	/* "": none */
	uint32_t openers;
	bool swap_on;		/* listed in /proc/swaps */
	int swap_prio;
	uint64_t swap_used;	/* bytes */
	uint64_t swap_size;	/* bytes */
};

struct obs {
	size_t nr;
	struct obs_dev *devs;	/* any order */
	uint64_t mem_available;	/* bytes */
	uint64_t swap_free;	/* bytes, all swap areas */
};

enum act_type {
	ACT_KEEP,		/* already as wanted: nothing (logged once) */
	ACT_ADD,		/* create the device at its index */
	ACT_INIT,
	ACT_MKSWAP,
	ACT_SWAPON,
	ACT_SWAPOFF,
	ACT_RESET,
	ACT_REMOVE,
	ACT_SET_MEMLIMIT,
	ACT_REFUSE,		/* a change that cannot be made now: keep old */
};

struct action {
	enum act_type type;
	uint32_t index;
	const struct conf_dev *want;	/* into new (or old for removals) */
	char why[512];			/* ACT_KEEP/ACT_REFUSE, swapoff reason */
};

struct plan {
	size_t nr;
	struct action *acts;
};

/* Free memory a swapoff must leave untouched, on top of what it brings in. */
#define PLAN_RESERVE	(32ULL << 20)

/*
 * Start (old == NULL) or reload: adopt what matches, create and set up
 * what is missing, change what differs, remove devices old configured and
 * new does not.  Devices neither configuration names are never touched.
 * Actions of one device are contiguous; a failed action makes the
 * executor skip the rest of that device's actions.
 */
int plan_apply(const struct conf *old, const struct obs *obs,
	       const struct conf *new, struct plan *plan);
/* Stop: swapoff, reset and remove each device of conf with teardown. */
int plan_stop(const struct conf *conf, const struct obs *obs,
	      struct plan *plan);
void plan_free(struct plan *plan);

/* Whether swapoff of d can fit its pages into RAM and the other swap. */
bool plan_room_for_swapoff(const struct obs *obs, const struct obs_dev *d);
const struct obs_dev *obs_find(const struct obs *obs, uint32_t index);
const char *act_name(enum act_type t);

#endif /* RZSD_PLAN_H */
