// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rzsd's tier timer (rzsd/tier_exec.c) against a fake librzs: the test
 * defines rzs_dev_get, rzs_dev_set_wb_limit, rzs_dev_mark_idle,
 * rzs_dev_writeback and log_msg itself, so every call the timer makes is
 * seen and every answer is scripted: refills, batches, a spent limit, a
 * full disk, memory pressure, a reload's changes.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "../../rzsd/log.h"
#include "../../rzsd/rzsd.h"

#define GIB	(1ULL << 30)
#define MIN	(60 * 1000ULL)
#define HOUR	(60 * MIN)
#define DAY	(24 * HOUR)

static struct {
	uint64_t left;			/* the kernel's WB_LIMIT */
	uint64_t bd_writes;		/* blocks written */
	uint64_t set_calls, last_set;
	int mark_calls, wb_calls;
	uint64_t batches[8];		/* what each writeback call moves */
	int wb_err;			/* after the batches: this error */
	int nr_batches;
	char log[8192];
} fk;

static char page_cache_path[64];

int rzs_dev_get(struct rzs_ctx *ctx, uint32_t index, struct rzs_dev *dev)
{
	memset(dev, 0, sizeof(*dev));
	dev->index = index;
	dev->state = RZS_STATE_INITIALIZED;
	dev->backing_dev = "/dev/vdb";
	dev->wb_limit = fk.left;
	dev->valid = RZS_DEV_INDEX | RZS_DEV_STATE | RZS_DEV_BACKING_DEV |
		     RZS_DEV_WB_LIMIT | RZS_DEV_STATS;
	dev->stats.bd_writes = fk.bd_writes;
	dev->stats.bd_blocks = fk.bd_writes;
	dev->stats.bd_bytes = fk.bd_writes * 2048;
	return 0;
}

int rzs_dev_set_wb_limit(struct rzs_ctx *ctx, uint32_t index, uint64_t v)
{
	fk.set_calls++;
	fk.last_set = v;
	fk.left = v;
	return 0;
}

int rzs_dev_mark_idle(struct rzs_ctx *ctx, uint32_t index, unsigned int age,
		      uint64_t *marked)
{
	fk.mark_calls++;
	*marked = 10;
	return 0;
}

int rzs_dev_writeback(struct rzs_ctx *ctx, uint32_t index, uint32_t kinds,
		      unsigned int min_age, uint64_t max_pages, uint64_t *written)
{
	int call = fk.wb_calls++;

	CHECK_INT(min_age, 3);
	CHECK_U64(max_pages, TIER_WB_BATCH);
	*written = 0;
	if (call >= fk.nr_batches)
		return fk.wb_err;
	*written = fk.batches[call];
	fk.bd_writes += *written / 2;
	return 0;
}

const char *rzs_last_error(const struct rzs_ctx *ctx)
{
	return "kernel's reason";
}

void log_msg(int prio, const char *fmt, ...)
{
	size_t n = strlen(fk.log);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fk.log + n, sizeof(fk.log) - n, fmt, ap);
	va_end(ap);
	n = strlen(fk.log);
	if (n < sizeof(fk.log) - 1)
		strcat(fk.log, "\n");
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay++;
	}
	return n;
}

static struct rzsd d;
static struct conf_dev devs[2];

static void reset_fake(void)
{
	memset(&fk, 0, sizeof(fk));
	fk.left = RZS_WB_LIMIT_NONE;
}

static void psi(const char *text)
{
	FILE *f = fopen(page_cache_path, "w");

	fputs(text, f);
	fclose(f);
}

/* Makes device 0 due now, its last refill ago_ms in the past. */
static void due(uint64_t ago_ms)
{
	uint64_t now = tier_now_ms();

	d.tier[0].next_ms = 0;
	d.tier[0].refill_ms = now - ago_ms;
}

int main(void)
{
	struct tier_dev *t = &d.tier[0];
	uint64_t now;
	int fd;

	snprintf(page_cache_path, sizeof(page_cache_path), "/tmp/rzsd-psi.XXXXXX");
	fd = mkstemp(page_cache_path);
	close(fd);
	tier_psi_path = page_cache_path;
	psi("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");

	/* A device with a backing device and a budget of 2G a day. */
	devs[0].index = 0;
	strcpy(devs[0].backing_dev, "/dev/vdb");
	devs[0].wb_kinds = RZS_WB_IDLE;
	devs[0].wb_after_ms = HOUR;
	devs[0].wb_limit.bytes = 2 * GIB;
	devs[0].wb_limit.period_ms = DAY;
	devs[1].index = 1;		/* none: never ticks */
	devs[1].wb_limit.bytes = TIER_LIMIT_NONE;
	d.cur.devs = devs;
	d.cur.nr = 2;
	reset_fake();
	now = tier_now_ms();
	tier_sync(&d, NULL);
	CHECK(t->active);
	CHECK(!d.tier[1].active);
	CHECK(t->next_ms >= now + 30 * MIN && t->next_ms <= tier_now_ms() + 30 * MIN);
	CHECK_HAS(fk.log, "ramzswap0: writeback of idle pages to /dev/vdb after 1h idle (marking every 30min)");
	CHECK(tier_poll_timeout(&d) > 29 * (int)MIN);
	/* Not due: nothing happens. */
	tier_run_due(&d);
	CHECK_INT(fk.mark_calls, 0);

	/* Half a day later, spent: refilled by 1G, marked, written back. */
	fk.left = 0;
	fk.nr_batches = 1;
	fk.batches[0] = 100;
	due(DAY / 2);
	CHECK_INT(tier_poll_timeout(&d), 0);
	tier_run_due(&d);
	CHECK_U64(fk.set_calls, 1);
	CHECK_U64(fk.last_set, GIB);
	CHECK_INT(fk.mark_calls, 1);
	CHECK_INT(fk.wb_calls, 1);
	CHECK_HAS(fk.log, "ramzswap0: wrote back 100 pages (400.0K): 100.0K on the disk, 200.0K of it in use, writeback limit left 1.0G");
	CHECK(t->next_ms >= now + 30 * MIN);

	/* Full batches go on until a short one. */
	reset_fake();
	fk.left = 2 * GIB;
	fk.nr_batches = 4;
	fk.batches[0] = fk.batches[1] = fk.batches[2] = TIER_WB_BATCH;
	fk.batches[3] = 5;
	due(0);
	tier_run_due(&d);
	CHECK_INT(fk.wb_calls, 4);
	CHECK_U64(fk.set_calls, 0);	/* full: no refill */
	CHECK_HAS(fk.log, "wrote back 49157 pages");

	/* Spent and nothing earned yet: marks, no writeback. */
	reset_fake();
	fk.left = 0;
	due(0);
	tier_run_due(&d);
	CHECK_INT(fk.mark_calls, 1);
	CHECK_INT(fk.wb_calls, 0);
	CHECK(t->spent);
	/* The kernel's event while spent: said once. */
	tier_on_wb_limit(&d, 0);
	CHECK(!strstr(fk.log, "writeback limit spent"));
	t->spent = false;
	tier_on_wb_limit(&d, 0);
	CHECK_HAS(fk.log, "ramzswap0: writeback limit spent: no writeback until the budget refills");
	/* An hour earns 2G/24 and writeback resumes. */
	fk.log[0] = '\0';
	fk.nr_batches = 1;
	fk.batches[0] = 1;
	due(HOUR);
	tier_run_due(&d);
	CHECK_U64(fk.last_set, 2 * GIB / 24);
	CHECK_HAS(fk.log, "ramzswap0: writeback limit 85.3M: writeback resumes");
	CHECK_INT(fk.wb_calls, 1);

	/* A full disk (ENOSPC, limit not spent): said once, tried each tick. */
	reset_fake();
	fk.left = 2 * GIB;
	fk.wb_err = -ENOSPC;
	due(0);
	tier_run_due(&d);
	due(0);
	tier_run_due(&d);
	CHECK_INT(fk.wb_calls, 2);
	CHECK_HAS(fk.log, "ramzswap0: no writeback: No space left on device (kernel's reason)");
	CHECK_INT(count(fk.log, "no writeback:"), 1);
	fk.nr_batches = 1;
	fk.batches[0] = 3;
	fk.wb_calls = 0;
	due(0);
	tier_run_due(&d);
	CHECK_HAS(fk.log, "ramzswap0: the backing device has room again");
	/* ENOSPC after some pages: what moved is logged, no complaint. */
	reset_fake();
	fk.left = 2 * GIB;
	fk.nr_batches = 1;
	fk.batches[0] = TIER_WB_BATCH;
	fk.wb_err = -ENOSPC;
	due(0);
	tier_run_due(&d);
	CHECK_HAS(fk.log, "wrote back 16384 pages");
	CHECK(!strstr(fk.log, "no writeback"));
	CHECK(!t->full);

	/* Memory pressure: four times as often, said when it starts and ends. */
	reset_fake();
	fk.left = 2 * GIB;
	psi("some avg10=35.50 avg60=3.00 avg300=1.00 total=999\nfull avg10=1.00 avg60=0 avg300=0 total=1\n");
	now = tier_now_ms();
	due(0);
	tier_run_due(&d);
	CHECK_HAS(fk.log, "ramzswap0: memory pressure: marking idle every 7min30s");
	CHECK(t->next_ms <= tier_now_ms() + 30 * MIN / 4 && t->next_ms >= now + 30 * MIN / 4);
	psi("some avg10=1.00 avg60=3.00 avg300=1.00 total=999\n");
	due(0);
	tier_run_due(&d);
	CHECK_HAS(fk.log, "ramzswap0: memory pressure over: marking idle every 30min");

	/* A reload: writeback-after and a fixed limit, live. */
	reset_fake();
	fk.left = 2 * GIB;
	fk.bd_writes = GIB / 4096;	/* 1G written so far */
	devs[0].wb_after_ms = 90 * 1000;
	devs[0].wb_limit.bytes = 10 * GIB;
	devs[0].wb_limit.period_ms = 0;
	devs[0].wb_kinds = RZS_WB_IDLE | RZS_WB_HUGE;
	tier_sync(&d, NULL);
	CHECK_HAS(fk.log, "ramzswap0: writeback idle,huge");
	CHECK_HAS(fk.log, "ramzswap0: writeback-after 1min30s (marking every 45s)");
	CHECK_HAS(fk.log, "ramzswap0: writeback-limit 10.0G (9.0G left)");
	CHECK_U64(fk.last_set, 9 * GIB);
	CHECK(t->next_ms <= tier_now_ms() + 45 * 1000);
	/* A fixed budget is never refilled. */
	fk.set_calls = 0;
	fk.left = 0;
	due(DAY);
	tier_run_due(&d);
	CHECK_U64(fk.set_calls, 0);
	CHECK_INT(fk.wb_calls, 0);
	/* Back to none. */
	devs[0].wb_limit.bytes = TIER_LIMIT_NONE;
	tier_sync(&d, NULL);
	CHECK_U64(fk.last_set, RZS_WB_LIMIT_NONE);
	CHECK_HAS(fk.log, "writeback-limit none (no limit left)");

	/* A re-init (the plan's ACT_INIT) starts the timer afresh. */
	{
		struct action a = { .type = ACT_INIT, .index = 0 };
		struct plan p = { .nr = 1, .acts = &a };

		t->carry = 77;
		fk.log[0] = '\0';
		tier_sync(&d, &p);
		CHECK_U64(t->carry, 0);
		CHECK_HAS(fk.log, "ramzswap0: writeback of idle,huge pages to /dev/vdb");
	}

	/* The backing device gone from the configuration: the timer stops. */
	devs[0].backing_dev[0] = '\0';
	tier_sync(&d, NULL);
	CHECK(!t->active);
	CHECK_HAS(fk.log, "ramzswap0: no backing device now: no more writeback");
	CHECK_INT(tier_poll_timeout(&d), -1);

	unlink(page_cache_path);
	return test_done("rzsd_tier_exec");
}
