// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Observing the system and carrying out plans.  Each action is one librzs
 * call, one mkswap or one swapon/swapoff; each is logged.  When an action
 * of a device fails, the rest of that device's actions are skipped: the
 * device stays as it was (or half set up, which the next reload finishes,
 * since plans start from what is observed).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "expr.h"
#include "log.h"
#include "rzsd.h"
#include "swap.h"
#include "sysinfo.h"
#include "tier.h"

#define PROC_MEMINFO	"/proc/meminfo"
#define PROC_SWAPS	"/proc/swaps"

int rzsd_env(struct rzsd *d, struct conf_env *env)
{
	struct rzs_info info;
	struct conf_alg *algs;
	uint64_t avail;
	size_t i;
	int ret;

	memset(env, 0, sizeof(*env));
	ret = sys_meminfo(PROC_MEMINFO, &env->ram, &avail);
	if (ret)
		return ret;
	env->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	if (!d->ctx)
		return 0;	/* the built-in algorithms */
	ret = rzs_info(d->ctx, &info);
	if (ret) {
		log_warn("cannot read the module's algorithms (%s): checking against the built-in list",
			 strerror(-ret));
		return 0;
	}
	algs = calloc(info.nr_algorithms + 1, sizeof(*algs));
	if (!algs) {
		rzs_info_free(&info);
		return -ENOMEM;
	}
	for (i = 0; i < info.nr_algorithms; i++) {
		memcpy(algs[i].name, info.algorithms[i].name,
		       sizeof(algs[i].name));
		algs[i].level_min = info.algorithms[i].level_min;
		algs[i].level_max = info.algorithms[i].level_max;
		algs[i].level_default = info.algorithms[i].level_default;
	}
	/* The default's name lives in the spare entry past the list. */
	memcpy(algs[i].name, info.default_algorithm, sizeof(algs[i].name));
	env->algs = algs;
	env->nr_algs = info.nr_algorithms;
	env->default_alg = algs[i].name;
	if (info.page_size)
		env->page_size = info.page_size;
	rzs_info_free(&info);
	return 0;
}

void rzsd_env_free(struct conf_env *env)
{
	free((void *)env->algs);
	memset(env, 0, sizeof(*env));
}

/*
 * A device that is open but not swap is somebody else's, and the plan
 * leaves it alone.  Some openers are gone a moment later, though: blkid
 * run by udev after mkswap, or the mkswap of an rzsd killed mid-apply.
 * Give those a few seconds before deciding.
 */
#define SETTLE_MS	3000

static void settle(struct rzsd *d, struct obs *obs)
{
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	struct rzs_dev dev;
	int waited = 0;
	size_t i;
	bool busy;

	do {
		busy = false;
		for (i = 0; i < obs->nr; i++) {
			struct obs_dev *o = &obs->devs[i];

			if (o->swap_on || !o->openers)
				continue;
			if (!rzs_dev_get(d->ctx, o->index, &dev))
				o->openers = dev.openers;
			busy |= o->openers != 0;
		}
		if (busy)
			nanosleep(&ts, NULL);
		waited += 50;
	} while (busy && waited < SETTLE_MS);
}

int rzsd_observe(struct rzsd *d, struct obs *obs)
{
	struct rzs_dev *devs;
	uint64_t total;
	size_t i, nr;
	int ret;

	memset(obs, 0, sizeof(*obs));
	ret = rzs_dev_list(d->ctx, &devs, &nr);
	if (ret)
		return ret;
	obs->devs = calloc(nr ? nr : 1, sizeof(*obs->devs));
	if (!obs->devs) {
		rzs_dev_list_free(devs);
		return -ENOMEM;
	}
	for (i = 0; i < nr; i++) {
		struct obs_dev *o = &obs->devs[i];

		o->index = devs[i].index;
		o->exists = true;
		o->initialized = devs[i].state == RZS_STATE_INITIALIZED;
		o->disksize = devs[i].disksize;
		o->memlimit = devs[i].memlimit;
		o->level = devs[i].level;
		o->openers = devs[i].openers;
		memcpy(o->algorithm, devs[i].algorithm, sizeof(o->algorithm));
		if (devs[i].backing_dev)
			snprintf(o->backing_dev, sizeof(o->backing_dev), "%s",
				 devs[i].backing_dev);
	}
	obs->nr = nr;
	rzs_dev_list_free(devs);
	ret = sys_swaps(PROC_SWAPS, obs);
	if (!ret)
		settle(d, obs);
	if (!ret)
		ret = sys_meminfo(PROC_MEMINFO, &total, &obs->mem_available);
	if (ret)
		rzsd_obs_free(obs);
	return ret;
}

void rzsd_obs_free(struct obs *obs)
{
	free(obs->devs);
	memset(obs, 0, sizeof(*obs));
}

static void expect(struct rzsd *d, uint32_t index, enum rzs_event_type t,
		   int delta)
{
	if (index < RZSD_MAX_DEVICES)
		d->expect[index][t] = (uint16_t)(d->expect[index][t] + delta);
}

static void describe(const struct conf_dev *w, char *buf, size_t len)
{
	char size[32], lim[320] = "";
	size_t n;

	expr_format_size(w->disksize, size, sizeof(size));
	if (w->memlimit) {
		strcpy(lim, ", memlimit ");
		expr_format_size(w->memlimit, lim + 11, sizeof(lim) - 11);
	}
	if (w->backing_dev[0]) {
		n = strlen(lim);
		snprintf(lim + n, sizeof(lim) - n, ", backing device %s",
			 w->backing_dev);
	}
	if (w->level)
		snprintf(buf, len, "%s %s level %u%s", size, w->algorithm,
			 w->level, lim);
	else
		snprintf(buf, len, "%s %s%s", size, w->algorithm, lim);
}

/* One action; 0, 1 for a refusal, or -errno.  *inited: init happened. */
static int run_action(struct rzsd *d, const struct action *a, bool *inited)
{
	const struct conf_dev *w = a->want;
	struct rzs_init_params p = { 0 };
	char desc[448], s[32];
	uint32_t i = a->index;
	int ret = 0;

	switch (a->type) {
	case ACT_KEEP:
		describe(w, desc, sizeof(desc));
		log_info("ramzswap%u: %s: %s, swap priority %d", i, a->why,
			 desc, w->priority);
		return 0;
	case ACT_REFUSE:
		log_warn("ramzswap%u: %s", i, a->why);
		return 1;
	case ACT_ADD:
		expect(d, i, RZS_EVENT_ADDED, 1);
		ret = rzs_dev_add(d->ctx, (int)i, NULL);
		if (ret) {
			expect(d, i, RZS_EVENT_ADDED, -1);
			log_err("ramzswap%u: cannot create the device: %s", i,
				rzsd_errmsg(d, ret));
			return ret;
		}
		log_debug("ramzswap%u: created", i);
		return 0;
	case ACT_INIT:
		p.disksize = w->disksize;
		p.algorithm = w->algorithm;
		p.flags = RZS_INIT_ALGORITHM | RZS_INIT_MEMLIMIT;
		p.memlimit = w->memlimit;
		if (w->level) {
			p.flags |= RZS_INIT_LEVEL;
			p.level = w->level;
		}
		if (w->backing_dev[0]) {
			p.flags |= RZS_INIT_BACKING_DEV | RZS_INIT_WB_LIMIT;
			p.backing_dev = w->backing_dev;
			p.wb_limit = tier_initial_limit(&w->wb_limit);
		}
		expect(d, i, RZS_EVENT_INITIALIZED, 1);
		ret = rzs_dev_init(d->ctx, i, &p);
		if (ret) {
			expect(d, i, RZS_EVENT_INITIALIZED, -1);
			describe(w, desc, sizeof(desc));
			log_err("ramzswap%u: cannot initialize as %s: %s", i,
				desc, rzsd_errmsg(d, ret));
			/*
			 * The kernel opens the backing device as rzsd, so the
			 * unit's device policy (DeviceAllow=) applies to it.
			 */
			if (ret == -EPERM && w->backing_dev[0])
				log_err("ramzswap%u: under systemd, allow the backing device to rzsd: systemctl edit rzsd, then [Service] DeviceAllow=%s rw",
					i, w->backing_dev);
			return ret;
		}
		*inited = true;
		return 0;
	case ACT_MKSWAP:
		ret = swap_wait_node(i, 5000);
		if (ret) {
			log_err("ramzswap%u: /dev/ramzswap%u did not appear", i, i);
			return ret;
		}
		ret = swap_mkswap(i);
		if (ret) {
			log_err("ramzswap%u: mkswap failed: %s", i,
				ret == -ENOENT ? "mkswap not found" :
				strerror(-ret));
			return ret;
		}
		log_debug("ramzswap%u: swap signature written", i);
		return 0;
	case ACT_SWAPON:
		ret = swap_on(i, w->priority, w->discard);
		if (ret) {
			log_err("ramzswap%u: swapon failed: %s", i,
				strerror(-ret));
			return ret;
		}
		describe(w, desc, sizeof(desc));
		if (*inited)
			log_info("ramzswap%u: initialized %s, swap on, priority %d, discard %s",
				 i, desc, w->priority, discard_name(w->discard));
		else
			log_info("ramzswap%u: swap on, priority %d, discard %s",
				 i, w->priority, discard_name(w->discard));
		return 0;
	case ACT_SWAPOFF:
		ret = swap_off(i);
		if (ret) {
			log_err("ramzswap%u: swapoff failed (%s): %s; kept as it is",
				i, a->why, strerror(-ret));
			return ret;
		}
		log_info("ramzswap%u: swap off (%s)", i, a->why);
		return 0;
	case ACT_RESET:
		expect(d, i, RZS_EVENT_RESET, 1);
		ret = rzs_dev_reset(d->ctx, i);
		if (ret) {
			expect(d, i, RZS_EVENT_RESET, -1);
			log_err("ramzswap%u: cannot reset: %s", i, rzsd_errmsg(d, ret));
			return ret;
		}
		log_info("ramzswap%u: reset", i);
		return 0;
	case ACT_REMOVE:
		expect(d, i, RZS_EVENT_REMOVED, 1);
		ret = rzs_dev_del(d->ctx, i);
		if (ret) {
			expect(d, i, RZS_EVENT_REMOVED, -1);
			log_err("ramzswap%u: cannot remove: %s", i, rzsd_errmsg(d, ret));
			return ret;
		}
		log_info("ramzswap%u: removed", i);
		return 0;
	case ACT_SET_MEMLIMIT:
		ret = rzs_dev_set_memlimit(d->ctx, i, w->memlimit);
		if (ret) {
			log_err("ramzswap%u: cannot set memlimit: %s", i,
				rzsd_errmsg(d, ret));
			return ret;
		}
		if (w->memlimit)
			expr_format_size(w->memlimit, s, sizeof(s));
		log_info("ramzswap%u: memlimit %s", i, w->memlimit ? s : "none");
		return 0;
	}
	return -EINVAL;
}

unsigned int rzsd_execute(struct rzsd *d, const struct plan *plan,
			  const struct conf *old, const struct conf *new,
			  struct conf *applied)
{
	static bool bad[RZSD_MAX_DEVICES];
	const struct conf_dev *o;
	unsigned int problems = 0;
	bool inited = false;
	int64_t skip = -1;
	size_t i, n = 0;

	memset(bad, 0, sizeof(bad));
	for (i = 0; i < plan->nr; i++) {
		const struct action *a = &plan->acts[i];

		if (i && plan->acts[i - 1].index != a->index)
			inited = false;
		if ((int64_t)a->index == skip)
			continue;
		skip = -1;
		if (run_action(d, a, &inited)) {
			skip = a->index;
			bad[a->index] = true;
			problems++;
		}
	}
	if (!applied)
		return problems;

	/* What rzsd owns now: new, with failed changes keeping the old. */
	memset(applied, 0, sizeof(*applied));
	applied->devs = calloc(RZSD_MAX_DEVICES, sizeof(*applied->devs));
	if (!applied->devs)
		return problems + 1;
	for (i = 0; i < new->nr; i++) {
		o = old ? conf_find(old, new->devs[i].index) : NULL;
		applied->devs[n++] = bad[new->devs[i].index] && o ? *o :
				     new->devs[i];
	}
	for (i = 0; old && i < old->nr; i++) {
		o = &old->devs[i];
		if (!conf_find(new, o->index) && bad[o->index])
			applied->devs[n++] = *o;
	}
	applied->nr = n;
	return problems;
}

void rzsd_status(struct rzsd *d, char *buf, size_t len)
{
	size_t off = 0, i;
	const struct obs_dev *o;
	struct obs obs;
	char s[32];

	buf[0] = '\0';
	if (rzsd_observe(d, &obs)) {
		snprintf(buf, len, "cannot read the devices");
		return;
	}
	for (i = 0; i < d->cur.nr && off < len; i++) {
		const struct conf_dev *w = &d->cur.devs[i];

		o = obs_find(&obs, w->index);
		if (!o || !o->swap_on) {
			off += (size_t)snprintf(buf + off, len - off,
						"%sramzswap%u down%s", off ? ", " : "",
						w->index, d->drifted[w->index] ?
						" (changed outside rzsd)" : "");
			continue;
		}
		expr_format_size(o->disksize, s, sizeof(s));
		off += (size_t)snprintf(buf + off, len - off,
					"%sramzswap%u %s %s prio %d%s",
					off ? ", " : "", w->index, s,
					o->algorithm, o->swap_prio,
					d->drifted[w->index] ? " (changed outside rzsd)" : "");
	}
	if (!d->cur.nr && off < len)
		off += (size_t)snprintf(buf + off, len - off, "no devices configured");
	if (d->problems && off < len)
		off += (size_t)snprintf(buf + off, len - off,
					"; %u problem%s, see the log", d->problems,
					d->problems == 1 ? "" : "s");
	if (d->last_error[0] && off < len)
		snprintf(buf + off, len - off, "; reload refused: %s",
			 d->last_error);
	rzsd_obs_free(&obs);
}
