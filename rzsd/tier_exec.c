// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Carrying out the tier policy of tier.c: per device with a backing
 * device, one timer that marks idle, refills a refilling writeback budget
 * and writes back, each step one librzs call, what moved logged.  The
 * kernel's WB_LIMIT is the truth about the budget: it is read at every
 * tick, so a limit raised by hand (rzsctl set --writeback-limit) counts.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "expr.h"
#include "log.h"
#include "rzsd.h"

/* The tests point it at a file of their own. */
const char *tier_psi_path = "/proc/pressure/memory";

uint64_t tier_now_ms(void)
{
	struct timespec ts;

	/* BOOTTIME: a day of budget is a day, suspended or not. */
	if (clock_gettime(CLOCK_BOOTTIME, &ts))
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (uint64_t)p : 4096;
}

/* strerror() of @err and the kernel's extack message, if it gave one. */
const char *rzsd_errmsg(struct rzsd *d, int err)
{
	const char *k = rzs_last_error(d->ctx);
	static char buf[320];

	if (k && *k) {
		snprintf(buf, sizeof(buf), "%s (%s)", strerror(-err), k);
		return buf;
	}
	return strerror(-err);
}

static bool same_limit(const struct tier_limit *a, const struct tier_limit *b)
{
	return a->bytes == b->bytes && a->period_ms == b->period_ms;
}

static void start(struct tier_dev *t, const struct conf_dev *w, uint64_t now)
{
	memset(t, 0, sizeof(*t));
	t->active = true;
	t->want = *w;
	t->refill_ms = now;
	t->next_ms = now + tier_interval(w->wb_after_ms, false);
}

/* A reload changed the limit of a device initialized before it. */
static void change_limit(struct rzsd *d, uint32_t i, struct tier_dev *t,
			 const struct tier_limit *lim)
{
	struct rzs_dev dev;
	uint64_t left;
	char a[64], b[32];
	int ret;

	ret = rzs_dev_get(d->ctx, i, &dev);
	if (ret) {
		log_err("ramzswap%u: cannot read the writeback limit: %s", i,
			rzsd_errmsg(d, ret));
		return;
	}
	if (lim->bytes == TIER_LIMIT_NONE)
		left = TIER_LIMIT_NONE;
	else if (!lim->period_ms)
		/* What the disk took so far counts against a fixed budget. */
		left = tier_fixed_left(lim, dev.stats.bd_writes * page_size());
	else if (dev.valid & RZS_DEV_WB_LIMIT && dev.wb_limit != TIER_LIMIT_NONE)
		/* A budget that refills starts from what is left, at most full. */
		left = dev.wb_limit < lim->bytes ? dev.wb_limit : lim->bytes;
	else
		left = lim->bytes;
	ret = rzs_dev_set_wb_limit(d->ctx, i, left);
	tier_format_limit(lim, a, sizeof(a));
	if (ret) {
		log_err("ramzswap%u: cannot set writeback-limit %s: %s", i, a,
			rzsd_errmsg(d, ret));
		return;
	}
	if (left == TIER_LIMIT_NONE)
		snprintf(b, sizeof(b), "no limit");
	else
		expr_format_size(left, b, sizeof(b));
	log_info("ramzswap%u: writeback-limit %s (%s left)", i, a, b);
	t->carry = 0;
	t->refill_ms = tier_now_ms();
}

void tier_sync(struct rzsd *d, const struct plan *plan)
{
	uint64_t now = tier_now_ms();
	bool inited[RZSD_MAX_DEVICES] = { false };
	char a[64], b[32], c[32];
	size_t i;

	for (i = 0; plan && i < plan->nr; i++)
		if (plan->acts[i].type == ACT_INIT &&
		    plan->acts[i].index < RZSD_MAX_DEVICES)
			inited[plan->acts[i].index] = true;
	for (i = 0; i < RZSD_MAX_DEVICES; i++) {
		struct tier_dev *t = &d->tier[i];
		const struct conf_dev *w = conf_find(&d->cur, (uint32_t)i);

		if (!w || !w->backing_dev[0]) {
			if (t->active)
				log_info("ramzswap%zu: no backing device now: no more writeback", i);
			t->active = false;
			continue;
		}
		if (!t->active || inited[i] ||
		    strcmp(t->want.backing_dev, w->backing_dev)) {
			start(t, w, now);
			tier_format_kinds(w->wb_kinds, a, sizeof(a));
			tier_format_duration(w->wb_after_ms, b, sizeof(b));
			tier_format_duration(tier_interval(w->wb_after_ms, false),
					     c, sizeof(c));
			log_info("ramzswap%zu: writeback of %s pages to %s after %s idle (marking every %s)",
				 i, a, w->backing_dev, b, c);
			continue;
		}
		/* Live: what a reload may change without a new init. */
		if (t->want.wb_kinds != w->wb_kinds) {
			tier_format_kinds(w->wb_kinds, a, sizeof(a));
			log_info("ramzswap%zu: writeback %s", i, a);
		}
		if (t->want.wb_after_ms != w->wb_after_ms) {
			tier_format_duration(w->wb_after_ms, a, sizeof(a));
			tier_format_duration(tier_interval(w->wb_after_ms, false),
					     b, sizeof(b));
			log_info("ramzswap%zu: writeback-after %s (marking every %s)",
				 i, a, b);
			t->next_ms = now + tier_interval(w->wb_after_ms, t->pressure);
		}
		if (!same_limit(&t->want.wb_limit, &w->wb_limit))
			change_limit(d, (uint32_t)i, t, &w->wb_limit);
		t->want = *w;
	}
}

uint64_t tier_next_due(const struct rzsd *d)
{
	uint64_t due = UINT64_MAX;
	size_t i;

	for (i = 0; i < RZSD_MAX_DEVICES; i++)
		if (d->tier[i].active && d->tier[i].next_ms < due)
			due = d->tier[i].next_ms;
	return due;
}

void tier_on_wb_limit(struct rzsd *d, uint32_t i)
{
	struct tier_dev *t;

	if (i >= RZSD_MAX_DEVICES)
		return;
	t = &d->tier[i];
	if (!t->active) {
		log_info("ramzswap%u: writeback limit spent", i);
		return;
	}
	if (!t->spent)
		log_info("ramzswap%u: writeback limit spent: no writeback until %s",
			 i, t->want.wb_limit.period_ms ?
			 "the budget refills" : "it is raised");
	t->spent = true;
}

/* What moved, and where the disk stands, from the device's statistics. */
static void log_moved(struct rzsd *d, uint32_t i, uint64_t written,
		      const struct rzs_dev *before)
{
	char data[32], disk[32], used[32], left[32] = "";
	struct rzs_dev after;
	uint64_t page = page_size();

	expr_format_size(written * page, data, sizeof(data));
	if (rzs_dev_get(d->ctx, i, &after) || !(after.valid & RZS_DEV_STATS) ||
	    !(before->valid & RZS_DEV_STATS)) {
		log_info("ramzswap%u: wrote back %llu pages (%s)", i,
			 (unsigned long long)written, data);
		return;
	}
	expr_format_size(after.stats.bd_bytes > before->stats.bd_bytes ?
			 after.stats.bd_bytes - before->stats.bd_bytes : 0,
			 disk, sizeof(disk));
	expr_format_size(after.stats.bd_blocks * page, used, sizeof(used));
	if ((after.valid & RZS_DEV_WB_LIMIT) && after.wb_limit != TIER_LIMIT_NONE) {
		strcpy(left, ", writeback limit left ");
		expr_format_size(after.wb_limit, left + strlen(left),
				 sizeof(left) - strlen(left));
	}
	log_info("ramzswap%u: wrote back %llu pages (%s): %s on the disk, %s of it in use%s",
		 i, (unsigned long long)written, data, disk, used, left);
}

static void tick(struct rzsd *d, uint32_t i, struct tier_dev *t, uint64_t now,
		 bool pressure)
{
	const struct conf_dev *w = &t->want;
	uint64_t page = page_size(), marked = 0, written = 0, left;
	struct rzs_dev dev;
	unsigned int n;
	char a[32];
	int ret;

	if (pressure != t->pressure) {
		tier_format_duration(tier_interval(w->wb_after_ms, pressure), a,
				     sizeof(a));
		log_info("ramzswap%u: %s: marking idle every %s", i,
			 pressure ? "memory pressure" : "memory pressure over",
			 a);
		t->pressure = pressure;
	}
	t->next_ms = now + tier_interval(w->wb_after_ms, pressure);

	ret = rzs_dev_get(d->ctx, i, &dev);
	if (ret || dev.state != RZS_STATE_INITIALIZED || !dev.backing_dev) {
		/* Reset or removed behind rzsd's back: the monitor says so. */
		log_debug("ramzswap%u: not initialized with a backing device: no writeback now", i);
		t->refill_ms = now;
		return;
	}

	/* The budget: refilled by the time passed, read back from the kernel. */
	left = dev.valid & RZS_DEV_WB_LIMIT ? dev.wb_limit : TIER_LIMIT_NONE;
	if (w->wb_limit.period_ms && w->wb_limit.bytes != TIER_LIMIT_NONE) {
		uint64_t want = tier_refill(&w->wb_limit, left == TIER_LIMIT_NONE ?
					    w->wb_limit.bytes : left,
					    now - t->refill_ms, &t->carry);

		if (want != left) {
			ret = rzs_dev_set_wb_limit(d->ctx, i, want);
			if (ret)
				log_warn("ramzswap%u: cannot refill the writeback limit: %s",
					 i, rzsd_errmsg(d, ret));
			else
				left = want;
		}
	}
	t->refill_ms = now;
	if (t->spent && left >= page) {
		expr_format_size(left, a, sizeof(a));
		log_info("ramzswap%u: writeback limit %s: writeback resumes", i, a);
	}
	t->spent = left < page;

	/*
	 * Marking goes on while the budget is spent: when it refills, the
	 * ages are right, and the pages idle longest go first.
	 */
	ret = rzs_dev_mark_idle(d->ctx, i, 0, &marked);
	if (ret) {
		if (!t->failed)
			log_warn("ramzswap%u: cannot mark idle pages: %s", i,
				 rzsd_errmsg(d, ret));
		t->failed = true;
		return;
	}
	if (!w->wb_kinds || t->spent) {
		t->failed = false;
		return;
	}
	/*
	 * In batches, each a call of its own; a short batch means nothing
	 * more is old enough (or the limit or the disk ran out).
	 */
	for (n = 0; n < TIER_WB_BATCHES; n++) {
		uint64_t batch = 0;

		ret = rzs_dev_writeback(d->ctx, i, w->wb_kinds, TIER_WB_AGE,
					TIER_WB_BATCH, &batch);
		written += batch;
		if (ret || batch < TIER_WB_BATCH)
			break;
	}
	if (ret == -ENOSPC && written)
		ret = 0;	/* the limit or the disk ran out after some */
	if (ret == -ENOSPC) {
		/*
		 * With the limit not spent, the disk is full: tried again at
		 * every tick (pages read back free blocks), said once.
		 */
		if (!t->full)
			log_warn("ramzswap%u: no writeback: %s", i, rzsd_errmsg(d, ret));
		t->full = true;
		t->failed = false;
		return;
	}
	if (!ret && written && t->full) {
		log_info("ramzswap%u: the backing device has room again", i);
		t->full = false;
	}
	if (ret) {
		if (!t->failed)
			log_warn("ramzswap%u: writeback failed: %s", i, rzsd_errmsg(d, ret));
		t->failed = true;
		return;
	}
	t->failed = false;
	if (written)
		log_moved(d, i, written, &dev);
	else
		log_debug("ramzswap%u: %llu pages marked, none idle long enough to write back",
			  i, (unsigned long long)marked);
}

void tier_run_due(struct rzsd *d)
{
	uint64_t now = tier_now_ms();
	bool pressure = false, checked = false;
	double avg10;
	size_t i;

	for (i = 0; i < RZSD_MAX_DEVICES; i++) {
		struct tier_dev *t = &d->tier[i];

		if (!t->active || t->next_ms > now)
			continue;
		if (!checked) {
			/* No PSI (CONFIG_PSI off, psi=0): never hurried. */
			pressure = !tier_psi_some_avg10(tier_psi_path, &avg10) &&
				   avg10 > TIER_PSI_THRESHOLD;
			checked = true;
		}
		tick(d, (uint32_t)i, t, now, pressure);
	}
}

int tier_poll_timeout(const struct rzsd *d)
{
	uint64_t due = tier_next_due(d), now;

	if (due == UINT64_MAX)
		return -1;
	now = tier_now_ms();
	if (due <= now)
		return 0;
	return due - now > 3600 * 1000 ? 3600 * 1000 : (int)(due - now);
}
