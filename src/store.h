/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The page store of one initialized device: slot table, zsmalloc pool and
 * compression streams.
 */
#ifndef RAMZSWAP_STORE_H
#define RAMZSWAP_STORE_H

#include <linux/atomic.h>
#include <linux/lockdep.h>
#include <linux/types.h>

#include <uapi/linux/ramzswap.h>

#include "comp.h"

struct rzs_backing;
struct zs_pool;

/*
 * Counters of one device.  Cumulative event counts and gauges of what is
 * stored now; all are reset with the device.
 */
struct rzs_stats {
	atomic64_t num_reads;		/* pages read */
	atomic64_t num_writes;		/* pages written */
	atomic64_t failed_reads;
	atomic64_t failed_writes;
	atomic64_t invalid_io;		/* out of range or device not ready */
	atomic64_t notify_free;		/* slots freed by swap free notify */
	atomic64_t miss_free;		/* notify that found the slot busy */
	atomic64_t discarded;		/* slots freed by discard/write-zeroes */
	atomic64_t memlimit_hits;	/* writes refused by the memory limit */
	atomic64_t pages_stored;	/* gauges: what the store holds now */
	atomic64_t same_pages;
	atomic64_t huge_pages;
	atomic64_t good_compress;
	atomic64_t compr_data_size;
	atomic64_t max_used_pages;
	atomic64_t incompressible;	/* of huge_pages: no smaller at all */
	atomic64_t idle[RAMZSWAP_IDLE_AGE_MAX];	/* pages of age 1, 2, 3 */
	/* The disk tier (backing.c): gauges, then event counts. */
	atomic64_t bd_pages;
	atomic64_t bd_bytes;
	atomic64_t bd_reads;
	atomic64_t bd_writes;
	atomic64_t bd_read_errors;
	atomic64_t wb_errors;
	atomic64_t wb_pages;
};

/*
 * One slot per PAGE_SIZE of the disk.  @handle is the zsmalloc handle, or
 * the fill value of a same-filled page.  @flags holds the object size in
 * its low bits, the state flags and the slot lock above them.
 */
struct rzs_slot {
	unsigned long handle;
	unsigned long flags;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map dep_map;	/* the lock in @flags, for lockdep */
#endif
};

struct rzs_store {
	const char *name;		/* the disk's, for messages */
	struct rzs_slot *table;
	unsigned long nr_pages;
	struct zs_pool *pool;
	struct rzs_comp *comp;
	size_t huge_class_size;
	unsigned long limit_pages;	/* 0: no memory limit */
	/*
	 * A limit hit is announced once per crossing: the first refused
	 * write disarms and schedules @limit_work; usage falling well below
	 * the limit, or a new limit, arms it again.
	 */
	unsigned long limit_flags;
	struct work_struct *limit_work;
	struct rzs_stats *stats;
	struct rzs_backing *bd;		/* NULL: no disk tier */
	bool aborted;			/* reset: marking, writeback stop */
};

#define RZS_LIMIT_ARMED		0

struct rzs_store *rzs_store_create(const char *name, unsigned long nr_pages,
				   const struct rzs_backend *backend,
				   int level, struct rzs_stats *stats,
				   struct rzs_backing *bd);
void rzs_store_destroy(struct rzs_store *store);

void rzs_slot_lock(struct rzs_store *store, unsigned long index);
void rzs_slot_unlock(struct rzs_store *store, unsigned long index);

/* Full-page operations; the _locked forms expect the slot lock held. */
int rzs_store_read_locked(struct rzs_store *store, unsigned long index,
			  struct page *page);
int rzs_store_read(struct rzs_store *store, unsigned long index,
		   struct page *page);
int rzs_store_write(struct rzs_store *store, unsigned long index,
		    struct page *page, bool locked);
void rzs_store_discard(struct rzs_store *store, unsigned long index);
void rzs_store_notify_free(struct rzs_store *store, unsigned long index);

void rzs_store_set_limit(struct rzs_store *store, unsigned long pages);
unsigned long rzs_store_mem_used_pages(struct rzs_store *store);
unsigned long rzs_store_pages_compacted(struct rzs_store *store);
unsigned long rzs_store_compact(struct rzs_store *store);

unsigned long rzs_store_mark_idle(struct rzs_store *store,
				  unsigned int min_age);

/* Why a writeback ended before it had looked at every slot. */
enum rzs_wb_stop {
	RZS_WB_DONE,		/* every slot seen, or the page bound */
	RZS_WB_SIGNAL,
	RZS_WB_LIMIT,		/* the budget is spent */
	RZS_WB_FULL,		/* no free block */
	RZS_WB_IO_ERROR,	/* a block write failed */
	RZS_WB_ABORTED,		/* the device is being reset */
	RZS_WB_NOMEM,
};

enum rzs_wb_stop rzs_store_writeback(struct rzs_store *store,
				     unsigned int kinds, unsigned int min_age,
				     u64 max_pages, u64 *written);

#endif /* RAMZSWAP_STORE_H */
