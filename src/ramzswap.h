/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A ramzswap block device and its life cycle.
 */
#ifndef RAMZSWAP_H
#define RAMZSWAP_H

#include <linux/blkdev.h>
#include <linux/rwsem.h>
#include <linux/mutex.h>

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
	struct rzs_stats stats;
};

extern const struct block_device_operations rzs_fops;
extern const struct attribute_group *rzs_attr_groups[];

int rzs_dev_init(struct ramzswap *rzs, const struct rzs_config *cfg);
int rzs_dev_reset(struct ramzswap *rzs);
int rzs_dev_set_memlimit(struct ramzswap *rzs, u64 memlimit);
struct ramzswap *rzs_dev_add(int id);
int rzs_dev_remove(struct ramzswap *rzs);

#endif /* RAMZSWAP_H */
