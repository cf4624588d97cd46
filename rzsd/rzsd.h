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

#endif /* RZSD_RZSD_H */
