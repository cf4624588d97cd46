// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deciding what to do.  The rules, per device:
 *
 *  - missing: add, init, mkswap, swapon;
 *  - uninitialized: init, mkswap, swapon;
 *  - initialized as wanted (disksize, algorithm, level, backing device:
 *    the kernel takes them at init only): memlimit is set
 *    live if it differs; swap that is on with the wanted priority and
 *    discard is kept (adopted after a restart); a different priority or
 *    discard needs swapoff + swapon; swap that is off gets mkswap + swapon;
 *  - initialized otherwise: swapoff, reset, init, mkswap, swapon;
 *  - configured before and not now: swapoff, reset, remove.
 *
 * A swapoff is planned only if the pages on the device fit into available
 * RAM plus the free space of the other swap areas, less a reserve, each
 * swapoff in the plan counted against the same budget: otherwise the
 * change is refused and the old setup stays, to be retried on the next
 * reload.  A device that is open but not swap (a filesystem, a dd) is
 * somebody else's: it is never reset under them.
 *
 * What the kernel cannot tell, the discard policy of an active swap, is
 * taken from the old configuration; at start, an active swap is assumed
 * to have the configured one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "plan.h"

struct builder {
	struct plan *plan;
	const struct obs *obs;
	uint64_t spent;		/* RAM the planned swapoffs will take */
	int err;
};

static struct action *push(struct builder *b, enum act_type t, uint32_t index,
			   const struct conf_dev *want)
{
	struct action *a;

	a = realloc(b->plan->acts, (b->plan->nr + 1) * sizeof(*a));
	if (!a) {
		b->err = -1;
		return NULL;
	}
	b->plan->acts = a;
	a += b->plan->nr++;
	memset(a, 0, sizeof(*a));
	a->type = t;
	a->index = index;
	a->want = want;
	return a;
}

static void push_why(struct builder *b, enum act_type t, uint32_t index,
		     const struct conf_dev *want, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void push_why(struct builder *b, enum act_type t, uint32_t index,
		     const struct conf_dev *want, const char *fmt, ...)
{
	struct action *a = push(b, t, index, want);
	va_list ap;

	if (!a)
		return;
	va_start(ap, fmt);
	vsnprintf(a->why, sizeof(a->why), fmt, ap);
	va_end(ap);
}

const struct obs_dev *obs_find(const struct obs *obs, uint32_t index)
{
	size_t i;

	for (i = 0; i < obs->nr; i++)
		if (obs->devs[i].index == index && obs->devs[i].exists)
			return &obs->devs[i];
	return NULL;
}

static bool room(const struct obs *obs, const struct obs_dev *d,
		 uint64_t spent)
{
	uint64_t other_free, have, need;

	/* The device's own free space does not help: it is going away. */
	other_free = obs->swap_free;
	if (d->swap_size - d->swap_used <= other_free)
		other_free -= d->swap_size - d->swap_used;
	have = obs->mem_available + other_free;
	need = d->swap_used + spent + PLAN_RESERVE;
	return need <= have;
}

bool plan_room_for_swapoff(const struct obs *obs, const struct obs_dev *d)
{
	return room(obs, d, 0);
}

/* Plans a swapoff of d if there is room; else a refusal saying why. */
static bool swapoff_or_refuse(struct builder *b, const struct obs_dev *d,
			      const struct conf_dev *want, const char *what)
{
	char used[32], avail[32];

	if (!room(b->obs, d, b->spent)) {
		expr_format_size(d->swap_used, used, sizeof(used));
		expr_format_size(b->obs->mem_available, avail, sizeof(avail));
		push_why(b, ACT_REFUSE, d->index, want,
			 "%s needs swapoff, but %s is swapped out there and only %s of RAM is available: kept as it is, retried on the next reload",
			 what, used, avail);
		return false;
	}
	b->spent += d->swap_used;
	push_why(b, ACT_SWAPOFF, d->index, want, "%s", what);
	return true;
}

static bool same_setup(const struct conf_dev *w, const struct obs_dev *o)
{
	return o->disksize == w->disksize && o->level == w->level &&
	       !strcmp(o->algorithm, w->algorithm) &&
	       !strcmp(o->backing_dev, w->backing_dev);
}

static bool same_swap(const struct conf_dev *w, const struct conf_dev *old,
		      const struct obs_dev *o)
{
	/* -1: the kernel numbers it, below zero. */
	if (w->priority < 0 ? o->swap_prio >= 0 : o->swap_prio != w->priority)
		return false;
	return !old || old->discard == w->discard;
}

static void plan_device(struct builder *b, const struct conf_dev *w,
			const struct conf_dev *old, const struct obs_dev *o)
{
	char what[384], s[32];

	if (!o) {
		push(b, ACT_ADD, w->index, w);
		push(b, ACT_INIT, w->index, w);
		push(b, ACT_MKSWAP, w->index, w);
		push(b, ACT_SWAPON, w->index, w);
		return;
	}
	if (o->initialized && !same_setup(w, o)) {
		expr_format_size(o->disksize, s, sizeof(s));
		snprintf(what, sizeof(what), "changing %s %s level %u%s%s",
			 s, o->algorithm, o->level,
			 strcmp(o->backing_dev, w->backing_dev) ?
			 " backing-device " : "",
			 strcmp(o->backing_dev, w->backing_dev) ?
			 (o->backing_dev[0] ? o->backing_dev : "none") : "");
		if (o->swap_on) {
			if (!swapoff_or_refuse(b, o, w, what))
				return;
		} else if (o->openers) {
			push_why(b, ACT_REFUSE, w->index, w,
				 "open %u times but not as swap: somebody else's, not touched",
				 o->openers);
			return;
		}
		push(b, ACT_RESET, w->index, w);
		push(b, ACT_INIT, w->index, w);
		push(b, ACT_MKSWAP, w->index, w);
		push(b, ACT_SWAPON, w->index, w);
		return;
	}
	if (!o->initialized) {
		push(b, ACT_INIT, w->index, w);
		push(b, ACT_MKSWAP, w->index, w);
		push(b, ACT_SWAPON, w->index, w);
		return;
	}
	if (o->memlimit != w->memlimit)
		push(b, ACT_SET_MEMLIMIT, w->index, w);
	if (!o->swap_on) {
		if (o->openers) {
			push_why(b, ACT_REFUSE, w->index, w,
				 "open %u times but not as swap: somebody else's, not touched",
				 o->openers);
			return;
		}
		push(b, ACT_MKSWAP, w->index, w);
		push(b, ACT_SWAPON, w->index, w);
		return;
	}
	if (same_swap(w, old, o)) {
		if (o->memlimit == w->memlimit)
			push_why(b, ACT_KEEP, w->index, w, "%s",
				 old ? "unchanged" : "already set up: adopted");
		return;
	}
	snprintf(what, sizeof(what), "changing swap priority %d discard %s",
		 o->swap_prio, discard_name(old ? old->discard : w->discard));
	if (swapoff_or_refuse(b, o, w, what))
		push(b, ACT_SWAPON, w->index, w);
}

static void plan_removal(struct builder *b, const struct conf_dev *old,
			 const struct obs_dev *o)
{
	if (o->swap_on) {
		if (!swapoff_or_refuse(b, o, old, "removing it"))
			return;
	} else if (o->openers) {
		push_why(b, ACT_REFUSE, o->index, old,
			 "no longer configured, but open %u times: not removed",
			 o->openers);
		return;
	}
	if (o->initialized)
		push(b, ACT_RESET, o->index, old);
	push(b, ACT_REMOVE, o->index, old);
}

int plan_apply(const struct conf *old, const struct obs *obs,
	       const struct conf *new, struct plan *plan)
{
	struct builder b = { .plan = plan, .obs = obs };
	const struct conf_dev *od;
	const struct obs_dev *o;
	size_t i;

	memset(plan, 0, sizeof(*plan));
	for (i = 0; i < new->nr; i++)
		plan_device(&b, &new->devs[i],
			    old ? conf_find(old, new->devs[i].index) : NULL,
			    obs_find(obs, new->devs[i].index));
	for (i = 0; old && i < old->nr; i++) {
		od = &old->devs[i];
		if (conf_find(new, od->index))
			continue;
		o = obs_find(obs, od->index);
		if (o)
			plan_removal(&b, od, o);
	}
	if (b.err)
		plan_free(plan);
	return b.err;
}

int plan_stop(const struct conf *conf, const struct obs *obs,
	      struct plan *plan)
{
	struct builder b = { .plan = plan, .obs = obs };
	const struct conf_dev *d;
	const struct obs_dev *o;
	size_t i;

	memset(plan, 0, sizeof(*plan));
	for (i = 0; i < conf->nr; i++) {
		d = &conf->devs[i];
		o = obs_find(obs, d->index);
		if (!d->teardown) {
			push_why(&b, ACT_KEEP, d->index, d,
				 "left as it is (teardown-on-stop = no)");
			continue;
		}
		if (!o)
			continue;
		/* No room check: the kernel says ENOMEM if it must. */
		if (o->swap_on)
			push_why(&b, ACT_SWAPOFF, d->index, d, "stopping");
		else if (o->openers) {
			push_why(&b, ACT_REFUSE, d->index, d,
				 "open %u times but not as swap: not reset",
				 o->openers);
			continue;
		}
		if (o->initialized)
			push(&b, ACT_RESET, d->index, d);
		push(&b, ACT_REMOVE, d->index, d);
	}
	if (b.err)
		plan_free(plan);
	return b.err;
}

void plan_free(struct plan *plan)
{
	free(plan->acts);
	memset(plan, 0, sizeof(*plan));
}

const char *act_name(enum act_type t)
{
	static const char *const names[] = {
		[ACT_KEEP] = "keep", [ACT_ADD] = "add", [ACT_INIT] = "init",
		[ACT_MKSWAP] = "mkswap", [ACT_SWAPON] = "swapon",
		[ACT_SWAPOFF] = "swapoff", [ACT_RESET] = "reset",
		[ACT_REMOVE] = "remove", [ACT_SET_MEMLIMIT] = "set-memlimit",
		[ACT_REFUSE] = "refuse",
	};

	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}
