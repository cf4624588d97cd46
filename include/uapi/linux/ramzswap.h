/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause) */
/*
 * ramzswap user API: the generic-netlink family that controls ramzswap
 * devices, and the limits shared by the module and userspace.  This header
 * is the single source of these names and numbers; the YNL spec
 * Documentation/netlink/ramzswap.yaml describes the same family.
 *
 * Numbers are only ever appended, never reused or renumbered.
 */
#ifndef _UAPI_LINUX_RAMZSWAP_H
#define _UAPI_LINUX_RAMZSWAP_H

#define RAMZSWAP_GENL_NAME		"ramzswap"
#define RAMZSWAP_GENL_VERSION		1
#define RAMZSWAP_GENL_MCGRP_MONITOR	"monitor"

/* Device numbers run from 0 to RAMZSWAP_MAX_DEVICES - 1. */
#define RAMZSWAP_MAX_DEVICES		1024

/* Longest compression algorithm name, with its terminating NUL. */
#define RAMZSWAP_ALGORITHM_NAME_MAX	16

/* Largest disk size a device accepts: 1 PiB. */
#define RAMZSWAP_DISKSIZE_MAX		(1ULL << 50)

/*
 * Idle ages: DEV_MARK_IDLE adds one to the age of every page it marks, up
 * to RAMZSWAP_IDLE_AGE_MAX; a read or a write of the page sets it to 0.
 */
#define RAMZSWAP_IDLE_AGE_MAX		3

/* RAMZSWAP_A_WB_LIMIT: no writeback limit (the default). */
#define RAMZSWAP_WB_LIMIT_NONE		(~0ULL)

/* Longest RAMZSWAP_A_BACKING_DEV path, with its terminating NUL. */
#define RAMZSWAP_BACKING_DEV_MAX	256

/**
 * enum ramzswap_cmd - commands and notifications
 * @RAMZSWAP_CMD_DEV_GET: do: one device (INDEX); dump: every device, or
 *	only INDEX if given.
 *	Reply: the device attributes and RAMZSWAP_A_STATS.
 * @RAMZSWAP_CMD_DEV_ADD: create an uninitialized device, at INDEX if given,
 *	else the lowest free number.  Reply: as DEV_GET.  Admin.
 * @RAMZSWAP_CMD_DEV_DEL: remove an uninitialized device (INDEX).  Admin.
 * @RAMZSWAP_CMD_DEV_INIT: give device INDEX its DISKSIZE (required),
 *	ALGORITHM, LEVEL, MEMLIMIT, BACKING_DEV and WB_LIMIT.  Admin.
 * @RAMZSWAP_CMD_DEV_SET: change what may change while initialized:
 *	MEMLIMIT, WB_LIMIT.  Admin.
 * @RAMZSWAP_CMD_DEV_RESET: free all a device stores; it becomes
 *	uninitialized.  Admin.
 * @RAMZSWAP_CMD_DEV_COMPACT: compact a device's allocator.  Reply:
 *	RAMZSWAP_A_PAGES_COMPACTED.  Admin.
 * @RAMZSWAP_CMD_INFO: module version, limits, the default algorithm
 *	(RAMZSWAP_A_ALGORITHM) and the algorithms offered.
 * @RAMZSWAP_CMD_EVT_ADDED: notification on "monitor": INDEX, NAME.
 * @RAMZSWAP_CMD_EVT_REMOVED: notification: INDEX, NAME.
 * @RAMZSWAP_CMD_EVT_INITIALIZED: notification: as DEV_GET without stats.
 * @RAMZSWAP_CMD_EVT_RESET: notification: INDEX, NAME.
 * @RAMZSWAP_CMD_EVT_MEMLIMIT: notification: the memory limit was hit, once
 *	per crossing: INDEX, NAME, MEMLIMIT, MEM_USED.
 * @RAMZSWAP_CMD_DEV_MARK_IDLE: add one to the idle age of the pages of
 *	device INDEX held in RAM whose age is at least IDLE_MIN_AGE (default
 *	0: every page).  Reply: IDLE_MARKED.  Admin.
 * @RAMZSWAP_CMD_DEV_WRITEBACK: move pages of the WB_KINDS given from RAM to
 *	the backing device, compressed, at most WB_MAX_PAGES (default: no
 *	bound but WB_LIMIT); idle pages of at least IDLE_MIN_AGE (default 1).
 *	Stops early, successfully, on a signal, when WB_LIMIT is spent or when
 *	the backing device is full.  Reply: WB_WRITTEN.  Admin.
 * @RAMZSWAP_CMD_EVT_WB_LIMIT: notification: writeback stopped because
 *	WB_LIMIT was spent, once until the limit is raised: INDEX, NAME.
 */
enum ramzswap_cmd {
	RAMZSWAP_CMD_UNSPEC,
	RAMZSWAP_CMD_DEV_GET,
	RAMZSWAP_CMD_DEV_ADD,
	RAMZSWAP_CMD_DEV_DEL,
	RAMZSWAP_CMD_DEV_INIT,
	RAMZSWAP_CMD_DEV_SET,
	RAMZSWAP_CMD_DEV_RESET,
	RAMZSWAP_CMD_DEV_COMPACT,
	RAMZSWAP_CMD_INFO,
	RAMZSWAP_CMD_EVT_ADDED,
	RAMZSWAP_CMD_EVT_REMOVED,
	RAMZSWAP_CMD_EVT_INITIALIZED,
	RAMZSWAP_CMD_EVT_RESET,
	RAMZSWAP_CMD_EVT_MEMLIMIT,
	RAMZSWAP_CMD_DEV_MARK_IDLE,
	RAMZSWAP_CMD_DEV_WRITEBACK,
	RAMZSWAP_CMD_EVT_WB_LIMIT,

	__RAMZSWAP_CMD_MAX,
	RAMZSWAP_CMD_MAX = __RAMZSWAP_CMD_MAX - 1
};

/**
 * enum ramzswap_state - RAMZSWAP_A_STATE
 * @RAMZSWAP_STATE_UNINITIALIZED: no disk size yet; I/O fails.
 * @RAMZSWAP_STATE_INITIALIZED: a disk of DISKSIZE bytes.
 */
enum ramzswap_state {
	RAMZSWAP_STATE_UNINITIALIZED,
	RAMZSWAP_STATE_INITIALIZED,
};

/**
 * enum ramzswap_attr - attributes of commands and notifications
 * @RAMZSWAP_A_PAD: padding for 64-bit attributes.
 * @RAMZSWAP_A_INDEX: u32, device number (N of ramzswapN).
 * @RAMZSWAP_A_NAME: string, device name ("ramzswap0"); output only.
 * @RAMZSWAP_A_STATE: u8, enum ramzswap_state; output only.
 * @RAMZSWAP_A_DISKSIZE: u64, bytes; rounded up to the page size.
 * @RAMZSWAP_A_ALGORITHM: string, compression algorithm; in INFO, the
 *	module's default.
 * @RAMZSWAP_A_LEVEL: u32, compression level; 0 = the algorithm's default.
 * @RAMZSWAP_A_MEMLIMIT: u64, bytes of memory the device may use; 0 = none.
 * @RAMZSWAP_A_OPENERS: u32, how many have the device open; output only.
 * @RAMZSWAP_A_STATS: nest of enum ramzswap_stat; output only.
 * @RAMZSWAP_A_MEM_USED: u64, bytes used now (in EVT_MEMLIMIT).
 * @RAMZSWAP_A_PAGES_COMPACTED: u64, pages freed by DEV_COMPACT.
 * @RAMZSWAP_A_VERSION: string, module version (INFO).
 * @RAMZSWAP_A_MAX_DEVICES: u32, RAMZSWAP_MAX_DEVICES (INFO).
 * @RAMZSWAP_A_PAGE_SIZE: u32, the kernel's page size (INFO).
 * @RAMZSWAP_A_ALGORITHMS: nest of RAMZSWAP_A_ALGORITHM_ENTRY (INFO).
 * @RAMZSWAP_A_ALGORITHM_ENTRY: nest of enum ramzswap_alg_attr, repeated.
 * @RAMZSWAP_A_BACKING_DEV: string, path of a block device that DEV_INIT
 *	claims exclusively for writeback until reset; in DEV_GET the path
 *	given.
 * @RAMZSWAP_A_WB_LIMIT: u64, bytes writeback may still write to the
 *	backing device (whole blocks of PAGE_SIZE); RAMZSWAP_WB_LIMIT_NONE =
 *	no limit.  In DEV_GET, what is left.
 * @RAMZSWAP_A_IDLE_MIN_AGE: u8, 0 to RAMZSWAP_IDLE_AGE_MAX.
 * @RAMZSWAP_A_WB_KINDS: u32, a mask of enum ramzswap_wb_kind.
 * @RAMZSWAP_A_WB_MAX_PAGES: u64, at most this many pages per DEV_WRITEBACK.
 * @RAMZSWAP_A_IDLE_MARKED: u64, pages whose age DEV_MARK_IDLE raised (pages
 *	already at RAMZSWAP_IDLE_AGE_MAX are not counted).
 * @RAMZSWAP_A_WB_WRITTEN: u64, pages DEV_WRITEBACK moved to the disk.
 * @RAMZSWAP_A_BACKING_SIZE: u64, bytes of the backing device (DEV_GET).
 */
enum ramzswap_attr {
	RAMZSWAP_A_UNSPEC,
	RAMZSWAP_A_PAD,
	RAMZSWAP_A_INDEX,
	RAMZSWAP_A_NAME,
	RAMZSWAP_A_STATE,
	RAMZSWAP_A_DISKSIZE,
	RAMZSWAP_A_ALGORITHM,
	RAMZSWAP_A_LEVEL,
	RAMZSWAP_A_MEMLIMIT,
	RAMZSWAP_A_OPENERS,
	RAMZSWAP_A_STATS,
	RAMZSWAP_A_MEM_USED,
	RAMZSWAP_A_PAGES_COMPACTED,
	RAMZSWAP_A_VERSION,
	RAMZSWAP_A_MAX_DEVICES,
	RAMZSWAP_A_PAGE_SIZE,
	RAMZSWAP_A_ALGORITHMS,
	RAMZSWAP_A_ALGORITHM_ENTRY,
	RAMZSWAP_A_BACKING_DEV,
	RAMZSWAP_A_WB_LIMIT,
	RAMZSWAP_A_IDLE_MIN_AGE,
	RAMZSWAP_A_WB_KINDS,
	RAMZSWAP_A_WB_MAX_PAGES,
	RAMZSWAP_A_IDLE_MARKED,
	RAMZSWAP_A_WB_WRITTEN,
	RAMZSWAP_A_BACKING_SIZE,

	__RAMZSWAP_A_MAX,
	RAMZSWAP_A_MAX = __RAMZSWAP_A_MAX - 1
};

/**
 * enum ramzswap_wb_kind - RAMZSWAP_A_WB_KINDS bits
 * @RAMZSWAP_WB_IDLE: pages whose idle age is at least IDLE_MIN_AGE.
 * @RAMZSWAP_WB_HUGE: pages stored uncompressed (they compress too little
 *	to share allocator pages).
 * @RAMZSWAP_WB_INCOMPRESSIBLE: of those, pages the algorithm could not
 *	make smaller than a page at all.
 */
enum ramzswap_wb_kind {
	RAMZSWAP_WB_IDLE		= 1 << 0,
	RAMZSWAP_WB_HUGE		= 1 << 1,
	RAMZSWAP_WB_INCOMPRESSIBLE	= 1 << 2,
};

/**
 * enum ramzswap_alg_attr - one entry of RAMZSWAP_A_ALGORITHMS
 * @RAMZSWAP_ALG_A_NAME: string.
 * @RAMZSWAP_ALG_A_LEVEL_MIN: u32; 0 when the algorithm takes no level.
 * @RAMZSWAP_ALG_A_LEVEL_MAX: u32.
 * @RAMZSWAP_ALG_A_LEVEL_DEFAULT: u32.
 */
enum ramzswap_alg_attr {
	RAMZSWAP_ALG_A_UNSPEC,
	RAMZSWAP_ALG_A_NAME,
	RAMZSWAP_ALG_A_LEVEL_MIN,
	RAMZSWAP_ALG_A_LEVEL_MAX,
	RAMZSWAP_ALG_A_LEVEL_DEFAULT,

	__RAMZSWAP_ALG_A_MAX,
	RAMZSWAP_ALG_A_MAX = __RAMZSWAP_ALG_A_MAX - 1
};

/**
 * enum ramzswap_stat - statistics, all u64, in RAMZSWAP_A_STATS
 * @RAMZSWAP_STAT_PAD: padding.
 * @RAMZSWAP_STAT_NUM_READS: pages read.
 * @RAMZSWAP_STAT_NUM_WRITES: pages written.
 * @RAMZSWAP_STAT_FAILED_READS: reads that failed.
 * @RAMZSWAP_STAT_FAILED_WRITES: writes that failed (memory, limit).
 * @RAMZSWAP_STAT_INVALID_IO: I/O to an uninitialized device or past its end.
 * @RAMZSWAP_STAT_NOTIFY_FREE: swap free notifications.
 * @RAMZSWAP_STAT_MISS_FREE: notifications that found the slot busy.
 * @RAMZSWAP_STAT_DISCARDED: slots freed by discard or write-zeroes.
 * @RAMZSWAP_STAT_MEMLIMIT_HITS: writes refused by the memory limit.
 * @RAMZSWAP_STAT_PAGES_STORED: pages held now.
 * @RAMZSWAP_STAT_SAME_PAGES: of those, pages of one repeated word.
 * @RAMZSWAP_STAT_HUGE_PAGES: of those, pages stored uncompressed.
 * @RAMZSWAP_STAT_GOOD_COMPRESS: of those, pages compressed to <= half.
 * @RAMZSWAP_STAT_ORIG_DATA_SIZE: bytes held, uncompressed.
 * @RAMZSWAP_STAT_COMPR_DATA_SIZE: bytes held, compressed.
 * @RAMZSWAP_STAT_MEM_USED_TOTAL: bytes of memory used now.
 * @RAMZSWAP_STAT_MEM_USED_MAX: peak of MEM_USED_TOTAL.
 * @RAMZSWAP_STAT_PAGES_COMPACTED: pages freed by compaction so far.
 * @RAMZSWAP_STAT_BD_PAGES: pages held on the backing device now (not in
 *	PAGES_STORED and the gauges above, which count RAM).
 * @RAMZSWAP_STAT_BD_BYTES: compressed bytes of those pages.
 * @RAMZSWAP_STAT_BD_BLOCKS: blocks of PAGE_SIZE they take on the disk now.
 * @RAMZSWAP_STAT_BD_READS: blocks read from the backing device.
 * @RAMZSWAP_STAT_BD_WRITES: blocks written to the backing device.
 * @RAMZSWAP_STAT_BD_READ_ERRORS: block reads that failed (the page read
 *	failed; also counted in FAILED_READS).
 * @RAMZSWAP_STAT_WB_ERRORS: block writes that failed (the pages stayed in
 *	RAM).
 * @RAMZSWAP_STAT_WB_PAGES: pages moved to the disk so far.
 * @RAMZSWAP_STAT_IDLE_AGE1: pages in RAM of idle age 1 now.
 * @RAMZSWAP_STAT_IDLE_AGE2: of age 2.
 * @RAMZSWAP_STAT_IDLE_AGE3: of age 3 (RAMZSWAP_IDLE_AGE_MAX).
 * @RAMZSWAP_STAT_WB_LIMIT_LEFT: bytes writeback may still write;
 *	RAMZSWAP_WB_LIMIT_NONE = no limit; 0 without a backing device.
 * @RAMZSWAP_STAT_INCOMPRESSIBLE_PAGES: pages in RAM the algorithm could
 *	not make smaller than a page (part of HUGE_PAGES).
 */
enum ramzswap_stat {
	RAMZSWAP_STAT_UNSPEC,
	RAMZSWAP_STAT_PAD,
	RAMZSWAP_STAT_NUM_READS,
	RAMZSWAP_STAT_NUM_WRITES,
	RAMZSWAP_STAT_FAILED_READS,
	RAMZSWAP_STAT_FAILED_WRITES,
	RAMZSWAP_STAT_INVALID_IO,
	RAMZSWAP_STAT_NOTIFY_FREE,
	RAMZSWAP_STAT_MISS_FREE,
	RAMZSWAP_STAT_DISCARDED,
	RAMZSWAP_STAT_MEMLIMIT_HITS,
	RAMZSWAP_STAT_PAGES_STORED,
	RAMZSWAP_STAT_SAME_PAGES,
	RAMZSWAP_STAT_HUGE_PAGES,
	RAMZSWAP_STAT_GOOD_COMPRESS,
	RAMZSWAP_STAT_ORIG_DATA_SIZE,
	RAMZSWAP_STAT_COMPR_DATA_SIZE,
	RAMZSWAP_STAT_MEM_USED_TOTAL,
	RAMZSWAP_STAT_MEM_USED_MAX,
	RAMZSWAP_STAT_PAGES_COMPACTED,
	RAMZSWAP_STAT_BD_PAGES,
	RAMZSWAP_STAT_BD_BYTES,
	RAMZSWAP_STAT_BD_BLOCKS,
	RAMZSWAP_STAT_BD_READS,
	RAMZSWAP_STAT_BD_WRITES,
	RAMZSWAP_STAT_BD_READ_ERRORS,
	RAMZSWAP_STAT_WB_ERRORS,
	RAMZSWAP_STAT_WB_PAGES,
	RAMZSWAP_STAT_IDLE_AGE1,
	RAMZSWAP_STAT_IDLE_AGE2,
	RAMZSWAP_STAT_IDLE_AGE3,
	RAMZSWAP_STAT_WB_LIMIT_LEFT,
	RAMZSWAP_STAT_INCOMPRESSIBLE_PAGES,

	__RAMZSWAP_STAT_MAX,
	RAMZSWAP_STAT_MAX = __RAMZSWAP_STAT_MAX - 1
};

#endif /* _UAPI_LINUX_RAMZSWAP_H */
