/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A ramzswap block device and its life cycle.
 */
#ifndef RAMZSWAP_H
#define RAMZSWAP_H

#include <linux/blkdev.h>
#include <linux/rwsem.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include <uapi/linux/ramzswap.h>

#include "store.h"

#define RZS_SECTORS_PER_PAGE_SHIFT	(PAGE_SHIFT - SECTOR_SHIFT)
#define RZS_SECTORS_PER_PAGE		BIT(RZS_SECTORS_PER_PAGE_SHIFT)

/* Device numbers are minors of one dynamic major. */
#define RZS_MAX_DEVICES		RAMZSWAP_MAX_DEVICES

/* What initializes a device (module parameters now, netlink later). */
struct rzs_config {
	u64 disksize;		/* bytes, rounded up to PAGE_SIZE */
	u64 memlimit;		/* bytes of allocator memory, 0 = none */
	const char *algorithm;	/* NULL: the module default */
	int level;		/* 0: the algorithm's default */
	struct rzs_backing *backing; /* the disk tier, or NULL; init owns it */
	u64 wb_limit;		/* bytes, RAMZSWAP_WB_LIMIT_NONE: none */
};

struct ramzswap {
	struct gendisk *disk;
	int id;
	/*
	 * Serializes init, reset and configuration changes, and keeps the
	 * store alive for readers of statistics.  The I/O path does not take
	 * it: I/O needs an open device, and reset refuses open devices.
	 */
	struct rw_semaphore init_lock;
	struct rzs_store *store;	/* NULL while uninitialized */
	u64 disksize;
	u64 memlimit;
	const struct rzs_backend *backend;
	int level;
	bool claimed;			/* reset/remove under way: refuse open */
	bool added;			/* the disk is visible (add_disk done) */
	struct rzs_stats stats;
	struct work_struct memlimit_work; /* announces a memory limit hit */
	struct mutex wb_lock;		/* one writeback at a time */
	atomic_t tier_users;		/* marking or writeback under way */
};

extern const struct block_device_operations rzs_fops;
extern const struct attribute_group *rzs_attr_groups[];

/*
 * The control plane (module parameters, netlink) changes devices only
 * with the control lock held: commands are serialized and never see a
 * device half added, removed, initialized or reset.
 */
void rzs_ctl_lock(void);
void rzs_ctl_unlock(void);
struct ramzswap *rzs_dev_find(u32 index);
struct ramzswap *rzs_dev_next(u32 *index);
const struct rzs_backend *rzs_dev_default_backend(void);

int rzs_dev_init(struct ramzswap *rzs, const struct rzs_config *cfg);
int rzs_dev_reset(struct ramzswap *rzs);
int rzs_dev_set_memlimit(struct ramzswap *rzs, u64 memlimit);
int rzs_dev_set_wb_limit(struct ramzswap *rzs, u64 bytes);
int rzs_dev_tier_begin(struct ramzswap *rzs);
void rzs_dev_tier_end(struct ramzswap *rzs);
unsigned long rzs_dev_mark_idle(struct ramzswap *rzs, unsigned int min_age);
int rzs_dev_writeback(struct ramzswap *rzs, unsigned int kinds,
		      unsigned int min_age, u64 max_pages, u64 *written,
		      enum rzs_wb_stop *stop);
struct ramzswap *rzs_dev_add(int id, const struct rzs_config *cfg);
int rzs_dev_remove(struct ramzswap *rzs);
unsigned long rzs_dev_compact(struct ramzswap *rzs);
bool rzs_dev_initialized(struct ramzswap *rzs);
unsigned int rzs_dev_openers(struct ramzswap *rzs);
void rzs_dev_stats(struct ramzswap *rzs, u64 *v);

/* genl.c: the generic-netlink family */
/* The sizes its policy accepts; the module parameters are held to them. */
extern struct netlink_range_validation rzs_disksize_range;
extern struct netlink_range_validation rzs_memlimit_range;

int rzs_genl_register(void);
void rzs_genl_unregister(void);
void rzs_genl_notify(struct ramzswap *rzs, u8 cmd);

#endif /* RAMZSWAP_H */
