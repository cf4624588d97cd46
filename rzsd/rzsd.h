/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rzsd: the daemon's state, shared by the parts that touch the system
 * (apply.c: observing and carrying out plans; daemon.c: the event loop,
 * reload, stop, the monitor).
 */
#ifndef RZSD_RZSD_H
#define RZSD_RZSD_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <rzs/rzs.h>

#include "conf.h"
#include "plan.h"
#include "tier.h"

/* The tier timer of one device (tier_exec.c). */
struct tier_dev {
	bool active;		/* configured with a backing device */
	struct conf_dev want;	/* its configuration, as applied */
	uint64_t next_ms;	/* next mark and writeback, tier_now_ms() */
	uint64_t refill_ms;	/* last refill of the budget */
	uint64_t carry;		/* the fraction of a byte of the refill */
	bool spent;		/* the writeback limit is spent */
	bool full;		/* ENOSPC with the limit not spent: the disk */
	bool pressure;		/* under memory pressure at the last tick */
	bool failed;		/* the last call failed: logged once */
};

#define RZSD_NR_EVENTS	(RZS_EVENT_MEMLIMIT + 1)

struct rzsd {
	struct rzs_ctx *ctx;
	struct rzs_monitor *mon;
	const char *conf_path;
	const char *dropin_dir;		/* NULL: none */
	struct conf cur;		/* what is applied: what rzsd owns */
	bool have_cur;
	/*
	 * Events rzsd's own commands will cause, per device and type, so
	 * the monitor can tell them from changes made behind its back.
	 */
	uint16_t expect[RZSD_MAX_DEVICES][RZSD_NR_EVENTS];
	bool drifted[RZSD_MAX_DEVICES];	/* changed by someone else */
	time_t memlimit_logged[RZSD_MAX_DEVICES];
	unsigned int memlimit_quiet[RZSD_MAX_DEVICES];
	struct tier_dev tier[RZSD_MAX_DEVICES];
	unsigned int problems;		/* of the last apply */
	char last_error[256];		/* of the last refused reload */
};

/* apply.c */
/* RAM, page size and algorithms for conf_load; free with rzsd_env_free. */
int rzsd_env(struct rzsd *d, struct conf_env *env);
void rzsd_env_free(struct conf_env *env);
int rzsd_observe(struct rzsd *d, struct obs *obs);
void rzsd_obs_free(struct obs *obs);
/*
 * Carries out plan.  Returns the number of failed or refused devices;
 * *applied (may be NULL) becomes what is now owned: new's devices, except
 * that a device whose change failed keeps its entry from old.
 */
unsigned int rzsd_execute(struct rzsd *d, const struct plan *plan,
			  const struct conf *old, const struct conf *new,
			  struct conf *applied);
/* "ramzswap0 2.0G lz4 swap prio 100, ..." from what is there now. */
void rzsd_status(struct rzsd *d, char *buf, size_t len);

/* daemon.c */
int rzsd_run(struct rzsd *d);

/* tier_exec.c */
/* "strerror (the kernel's message)" of a failed librzs call, for logs. */
const char *rzsd_errmsg(struct rzsd *d, int err);
extern const char *tier_psi_path;	/* /proc/pressure/memory */
uint64_t tier_now_ms(void);
/* After an apply: start, change or stop the timers; plan: what it did. */
void tier_sync(struct rzsd *d, const struct plan *plan);
uint64_t tier_next_due(const struct rzsd *d);
/* For poll(): ms until the next tick, -1 if none. */
int tier_poll_timeout(const struct rzsd *d);
/* Marks, refills and writes back on every device that is due. */
void tier_run_due(struct rzsd *d);
/* EVT_WB_LIMIT */
void tier_on_wb_limit(struct rzsd *d, uint32_t index);

#endif /* RZSD_RZSD_H */
