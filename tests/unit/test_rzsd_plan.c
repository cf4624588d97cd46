// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rzsd's plans (rzsd/plan.c): old configuration + what the kernel has +
 * new configuration -> actions, checked as a string such as
 * "add0 init0 mkswap0 swapon0", for start, reload and stop.
 */
#include <stdlib.h>

#include "check.h"
#include "../../rzsd/plan.h"

#define MiB	(1ULL << 20)
#define GiB	(1ULL << 30)

static struct conf_dev dev(uint32_t index, uint64_t size, const char *alg,
			   int prio)
{
	struct conf_dev d = {
		.index = index, .disksize = size, .priority = prio,
		.discard = DISCARD_YES, .teardown = true,
	};

	snprintf(d.algorithm, sizeof(d.algorithm), "%s", alg);
	return d;
}

/* Observed: initialized as d, swap on with its priority, used bytes. */
static struct obs_dev as_set_up(const struct conf_dev *d, uint64_t used)
{
	struct obs_dev o = {
		.index = d->index, .exists = true, .initialized = true,
		.disksize = d->disksize, .memlimit = d->memlimit,
		.level = d->level, .openers = 1, .swap_on = true,
		.swap_prio = d->priority, .swap_used = used,
		.swap_size = d->disksize,
	};

	snprintf(o.algorithm, sizeof(o.algorithm), "%s", d->algorithm);
	return o;
}

static const char *actions(const struct plan *p)
{
	static char buf[1024];
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < p->nr && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s%u",
					i ? " " : "", act_name(p->acts[i].type),
					p->acts[i].index);
	return buf;
}

static void expect_apply(const struct conf *old, const struct obs *obs,
			 const struct conf *new, const char *want)
{
	struct plan p;

	CHECK_INT(plan_apply(old, obs, new, &p), 0);
	CHECK_STR(actions(&p), want);
	plan_free(&p);
}

static void expect_stop(const struct conf *conf, const struct obs *obs,
			const char *want)
{
	struct plan p;

	CHECK_INT(plan_stop(conf, obs, &p), 0);
	CHECK_STR(actions(&p), want);
	plan_free(&p);
}

#define CONF(...) { .nr = sizeof((struct conf_dev[]){ __VA_ARGS__ }) / \
		    sizeof(struct conf_dev), .devs = (struct conf_dev[]){ __VA_ARGS__ } }
#define OBS(avail, free, ...) { .nr = sizeof((struct obs_dev[]){ __VA_ARGS__ }) / \
		    sizeof(struct obs_dev), .devs = (struct obs_dev[]){ __VA_ARGS__ }, \
		    .mem_available = (avail), .swap_free = (free) }

static void start(void)
{
	struct conf_dev a = dev(0, 2 * GiB, "lz4", 100);
	struct conf_dev b = dev(1, 1 * GiB, "zstd", 50);
	struct conf two = CONF(a, b);
	struct obs none = { .mem_available = 4 * GiB };
	struct obs uninit = OBS(4 * GiB, 0, { .index = 0, .exists = true });
	struct obs adopted = OBS(4 * GiB, 0, as_set_up(&a, 0), as_set_up(&b, 0));
	struct obs_dev off = as_set_up(&a, 0), wrong = as_set_up(&a, 0),
		       mounted = as_set_up(&a, 0), other = as_set_up(&a, 0);

	/* Nothing there: everything set up, in index order. */
	expect_apply(NULL, &none, &two,
		     "add0 init0 mkswap0 swapon0 add1 init1 mkswap1 swapon1");
	/* The module made ramzswap0 at load: it is used, not added again. */
	expect_apply(NULL, &uninit, &two,
		     "init0 mkswap0 swapon0 add1 init1 mkswap1 swapon1");
	/* Restart after kill -9: adopted as they are. */
	expect_apply(NULL, &adopted, &two, "keep0 keep1");

	/* Killed between init and swapon: finish the job. */
	off.swap_on = false;
	off.openers = 0;
	{
		struct obs o = OBS(4 * GiB, 0, off);
		struct conf one = CONF(a);

		expect_apply(NULL, &o, &one, "mkswap0 swapon0");
	}
	/* Initialized otherwise, not in use: reinitialized. */
	wrong.disksize = GiB;
	wrong.swap_on = false;
	wrong.openers = 0;
	{
		struct obs o = OBS(4 * GiB, 0, wrong);
		struct conf one = CONF(a);

		expect_apply(NULL, &o, &one, "reset0 init0 mkswap0 swapon0");
	}
	/* Open but not swap (a filesystem): somebody else's. */
	mounted.swap_on = false;
	mounted.openers = 1;
	{
		struct obs o = OBS(4 * GiB, 0, mounted);
		struct conf one = CONF(a);

		expect_apply(NULL, &o, &one, "refuse0");
		mounted.disksize = GiB;
		o.devs[0] = mounted;
		expect_apply(NULL, &o, &one, "refuse0");
	}
	/* Devices the configuration does not name are never touched. */
	other.index = 7;
	{
		struct obs o = OBS(4 * GiB, 0, as_set_up(&a, 0), other);
		struct conf one = CONF(a);

		expect_apply(NULL, &o, &one, "keep0");
	}
}

static void reload(void)
{
	struct conf_dev a = dev(0, 2 * GiB, "lz4", 100);
	struct conf_dev b = dev(1, 1 * GiB, "zstd", 50);
	struct conf_dev c = dev(2, 512 * MiB, "lzo-rle", 10);
	struct conf old = CONF(a, b);
	struct obs obs = OBS(4 * GiB, 3 * GiB, as_set_up(&a, 300 * MiB),
			     as_set_up(&b, 100 * MiB));
	/* Little RAM, and ramzswap1 is full: ramzswap0 cannot move out. */
	struct obs tight = OBS(100 * MiB, 2 * GiB - 300 * MiB,
			       as_set_up(&a, 300 * MiB), as_set_up(&b, GiB));
	struct conf_dev a2;

	/* Same configuration: nothing but "unchanged". */
	expect_apply(&old, &obs, &old, "keep0 keep1");

	/* A new device: only it is touched. */
	{
		struct conf new = CONF(a, b, c);

		expect_apply(&old, &obs, &new, "keep0 keep1 add2 init2 mkswap2 swapon2");
	}
	/* A removed device: swapoff, reset, remove; the other untouched. */
	{
		struct conf new = CONF(a);

		expect_apply(&old, &obs, &new, "keep0 swapoff1 reset1 remove1");
	}
	/*
	 * The backing device is an init-time key, like disksize: a new one
	 * (or none instead of one) means swapoff, reset, init; the tier's
	 * other keys change live, so the plan keeps the device.
	 */
	a2 = a;
	snprintf(a2.backing_dev, sizeof(a2.backing_dev), "/dev/vdb");
	{
		struct conf new = CONF(a2, b);
		struct conf with = CONF(a2, b);
		struct obs on = OBS(4 * GiB, 3 * GiB, as_set_up(&a2, 300 * MiB),
				    as_set_up(&b, 100 * MiB));
		struct conf_dev a3 = a2;

		snprintf(on.devs[0].backing_dev, sizeof(on.devs[0].backing_dev),
			 "/dev/vdb");
		expect_apply(&old, &obs, &new,
			     "swapoff0 reset0 init0 mkswap0 swapon0 keep1");
		expect_apply(&with, &on, &old,
			     "swapoff0 reset0 init0 mkswap0 swapon0 keep1");
		expect_apply(&with, &on, &with, "keep0 keep1");
		a3.wb_kinds = RZS_WB_IDLE | RZS_WB_HUGE;
		a3.wb_after_ms = 90 * 1000;
		a3.wb_limit.bytes = GiB;
		a3.wb_limit.period_ms = 24 * 3600 * 1000;
		{
			struct conf live = CONF(a3, b);

			expect_apply(&with, &on, &live, "keep0 keep1");
		}
		snprintf(a3.backing_dev, sizeof(a3.backing_dev), "/dev/vdc");
		{
			struct conf other = CONF(a3, b);

			expect_apply(&with, &on, &other,
				     "swapoff0 reset0 init0 mkswap0 swapon0 keep1");
		}
		/* Without room to swap off, the old disk stays. */
		{
			struct obs full = OBS(100 * MiB, 0, as_set_up(&a2, 300 * MiB),
					      as_set_up(&b, GiB));
			struct conf other = CONF(a3, b);

			snprintf(full.devs[0].backing_dev,
				 sizeof(full.devs[0].backing_dev), "/dev/vdb");
			expect_apply(&with, &full, &other, "refuse0 keep1");
		}
	}

	/* memlimit changes live: no swapoff. */
	a2 = a;
	a2.memlimit = 256 * MiB;
	{
		struct conf new = CONF(a2, b);

		expect_apply(&old, &obs, &new, "set-memlimit0 keep1");
	}
	/* Priority: swapoff + swapon, if the pages fit elsewhere. */
	a2 = a;
	a2.priority = 200;
	{
		struct conf new = CONF(a2, b);

		expect_apply(&old, &obs, &new, "swapoff0 swapon0 keep1");
		expect_apply(&old, &tight, &new, "refuse0 keep1");
	}
	/* Discard policy: the same. */
	a2 = a;
	a2.discard = DISCARD_ONCE;
	{
		struct conf new = CONF(a2, b);

		expect_apply(&old, &obs, &new, "swapoff0 swapon0 keep1");
	}
	/* disksize, algorithm, level: the full cycle, or nothing. */
	a2 = a;
	a2.disksize = 3 * GiB;
	{
		struct conf new = CONF(a2, b);

		expect_apply(&old, &obs, &new,
			     "swapoff0 reset0 init0 mkswap0 swapon0 keep1");
		expect_apply(&old, &tight, &new, "refuse0 keep1");
	}
	a2 = a;
	snprintf(a2.algorithm, sizeof(a2.algorithm), "zstd");
	{
		struct conf new = CONF(a2, b);

		expect_apply(&old, &obs, &new,
			     "swapoff0 reset0 init0 mkswap0 swapon0 keep1");
	}
	a2 = a;
	a2.level = 9;
	{
		struct conf new = CONF(a2, b);

		expect_apply(&old, &obs, &new,
			     "swapoff0 reset0 init0 mkswap0 swapon0 keep1");
	}
	/* Reset behind rzsd's back: the reload sets it up again. */
	{
		struct obs o = OBS(4 * GiB, 0, as_set_up(&a, 0),
				   { .index = 1, .exists = true });

		expect_apply(&old, &o, &old, "keep0 init1 mkswap1 swapon1");
	}
	/* Removed behind rzsd's back: added again. */
	{
		struct obs o = OBS(4 * GiB, 0, as_set_up(&a, 0));

		expect_apply(&old, &o, &old, "keep0 add1 init1 mkswap1 swapon1");
	}
	/* Two swapoffs share one budget: 1G available, 1G on each. */
	{
		struct conf_dev a3 = a, b3 = b;
		struct obs o = OBS(1 * GiB, 2 * GiB, as_set_up(&a, GiB),
				   as_set_up(&b, GiB));
		struct conf new = CONF(a3, b3);

		o.devs[0].swap_size = 2 * GiB;
		o.devs[1].swap_size = 2 * GiB;
		o.swap_free = 2 * GiB;	/* 1G free on each device */
		a3.priority = 1;
		b3.priority = 2;
		new.devs[0] = a3;
		new.devs[1] = b3;
		/* first: 1G + 32M <= 1G + 1G (the other's free); second: 2G + 32M > 2G */
		expect_apply(&old, &o, &new, "swapoff0 swapon0 refuse1");
	}
	/* Priority -1: any kernel-chosen (negative) priority matches. */
	{
		struct conf_dev k = dev(0, 2 * GiB, "lz4", -1);
		struct conf one = CONF(k);
		struct obs o = OBS(4 * GiB, 0, as_set_up(&k, 0));

		o.devs[0].swap_prio = -2;
		expect_apply(&one, &o, &one, "keep0");
		o.devs[0].swap_prio = 5;
		expect_apply(&one, &o, &one, "swapoff0 swapon0");
	}
	/* A removed device that is busy but not swap stays. */
	{
		struct obs o = OBS(4 * GiB, 0, as_set_up(&a, 0),
				   { .index = 1, .exists = true,
				     .initialized = true, .openers = 2 });
		struct conf new = CONF(a);

		expect_apply(&old, &o, &new, "keep0 refuse1");
	}
	/* A removed device that is already gone: nothing to do. */
	{
		struct obs o = OBS(4 * GiB, 0, as_set_up(&a, 0));
		struct conf new = CONF(a);

		expect_apply(&old, &o, &new, "keep0");
	}
}

static void stop(void)
{
	struct conf_dev a = dev(0, 2 * GiB, "lz4", 100);
	struct conf_dev b = dev(1, 1 * GiB, "zstd", 50);
	struct conf_dev c = dev(2, 1 * GiB, "zstd", 50);
	struct obs obs = OBS(0, 0, as_set_up(&a, 3 * GiB), as_set_up(&b, 0),
			     { .index = 2, .exists = true });
	struct conf conf;

	b.teardown = false;
	conf = (struct conf)CONF(a, b, c);
	/* No room check at stop (ENOMEM is the kernel's to say). */
	expect_stop(&conf, &obs, "swapoff0 reset0 remove0 keep1 remove2");
}

int main(void)
{
	struct obs_dev d = { .index = 0, .swap_used = GiB, .swap_size = 2 * GiB };
	struct obs o = { .mem_available = GiB, .swap_free = GiB };

	/* Own free space does not count: 1G <= 1G + 0 - 32M is false. */
	CHECK(!plan_room_for_swapoff(&o, &d));
	o.mem_available = GiB + PLAN_RESERVE;
	CHECK(plan_room_for_swapoff(&o, &d));

	start();
	reload();
	stop();
	return test_done("rzsd_plan");
}
