/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * librzs: control ramzswap devices through the kernel's "ramzswap"
 * generic-netlink family.
 *
 * Every function returns 0 (or a count) on success and a negative errno on
 * failure; rzs_last_error() then gives the kernel's explanation when it sent
 * one.  A struct rzs_ctx owns one netlink socket and is not thread-safe: use
 * one context per thread.  Nothing here exposes libnl.
 *
 * ABI: the soname is librzs.so.1 and every symbol is versioned (LIBRZS_1,
 * then LIBRZS_1.1 for what came later).  The structs below that the library
 * fills get fields only ever added into their reserved space, so their size
 * never changes within soname 1; struct rzs_init_params, which the caller
 * fills, grows at its end, and a field there is read only when its
 * RZS_INIT_* flag says so (an older caller never sets it).
 */
#ifndef RZS_RZS_H
#define RZS_RZS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Room for "ramzswap1023" and anything the kernel may name a disk. */
#define RZS_NAME_MAX		32
/* RAMZSWAP_ALGORITHM_NAME_MAX: longest algorithm name with its NUL. */
#define RZS_ALGORITHM_MAX	16
#define RZS_VERSION_MAX		64
/* RAMZSWAP_BACKING_DEV_MAX: longest backing device path with its NUL. */
#define RZS_BACKING_DEV_MAX	256
/* RAMZSWAP_IDLE_AGE_MAX: the highest idle age of a page. */
#define RZS_IDLE_AGE_MAX	3
/* RAMZSWAP_WB_LIMIT_NONE: writeback without a limit. */
#define RZS_WB_LIMIT_NONE	UINT64_MAX

struct rzs_ctx;
struct rzs_monitor;

enum rzs_state {
	RZS_STATE_UNINITIALIZED = 0,
	RZS_STATE_INITIALIZED = 1,
};

/* Every counter of enum ramzswap_stat, in the same order. */
struct rzs_stats {
	uint64_t num_reads;
	uint64_t num_writes;
	uint64_t failed_reads;
	uint64_t failed_writes;
	uint64_t invalid_io;
	uint64_t notify_free;
	uint64_t miss_free;
	uint64_t discarded;
	uint64_t memlimit_hits;
	uint64_t pages_stored;
	uint64_t same_pages;
	uint64_t huge_pages;
	uint64_t good_compress;
	uint64_t orig_data_size;	/* bytes */
	uint64_t compr_data_size;	/* bytes */
	uint64_t mem_used_total;	/* bytes */
	uint64_t mem_used_max;		/* bytes */
	uint64_t pages_compacted;
	/* LIBRZS_1.1: the backing device and the idle ages (0 from older modules). */
	uint64_t bd_pages;		/* on the disk now, not in the RAM gauges */
	uint64_t bd_bytes;		/* compressed bytes of those pages */
	uint64_t bd_blocks;		/* blocks of the page size they take */
	uint64_t bd_reads;		/* blocks read from the disk */
	uint64_t bd_writes;		/* blocks written to the disk */
	uint64_t bd_read_errors;
	uint64_t wb_errors;		/* block writes that failed */
	uint64_t wb_pages;		/* pages moved to the disk so far */
	uint64_t idle_age1;		/* pages in RAM of idle age 1 now */
	uint64_t idle_age2;
	uint64_t idle_age3;
	uint64_t wb_limit_left;		/* bytes; RZS_WB_LIMIT_NONE: no limit */
	uint64_t incompressible_pages;	/* in RAM, part of huge_pages */
	uint64_t reserved[1];
};

/* Bits of rzs_dev.valid: which fields the kernel sent. */
#define RZS_DEV_INDEX		(1u << 0)
#define RZS_DEV_NAME		(1u << 1)
#define RZS_DEV_STATE		(1u << 2)
#define RZS_DEV_DISKSIZE	(1u << 3)
#define RZS_DEV_ALGORITHM	(1u << 4)
#define RZS_DEV_LEVEL		(1u << 5)
#define RZS_DEV_MEMLIMIT	(1u << 6)
#define RZS_DEV_OPENERS		(1u << 7)
#define RZS_DEV_STATS		(1u << 8)
#define RZS_DEV_BACKING_DEV	(1u << 9)	/* LIBRZS_1.1 */
#define RZS_DEV_BACKING_SIZE	(1u << 10)
#define RZS_DEV_WB_LIMIT	(1u << 11)

struct rzs_dev {
	uint32_t valid;			/* RZS_DEV_* */
	uint32_t index;
	char name[RZS_NAME_MAX];
	uint32_t state;			/* enum rzs_state */
	uint32_t level;			/* 0: the algorithm's default */
	uint64_t disksize;		/* bytes */
	uint64_t memlimit;		/* bytes, 0: no limit */
	char algorithm[RZS_ALGORITHM_MAX];
	uint32_t openers;
	uint32_t reserved32;
	/* LIBRZS_1.1 */
	uint64_t wb_limit;		/* bytes left; RZS_WB_LIMIT_NONE: none */
	uint64_t backing_size;		/* bytes of the backing device */
	/*
	 * The backing device's path as given to init, or NULL.  It lives as
	 * long as what holds the device: the array of rzs_dev_list() (until
	 * rzs_dev_list_free()); for rzs_dev_get() and rzs_dev_add(), the
	 * context, until its next call or rzs_close(); for an event, the
	 * monitor, until its next rzs_monitor_read().  Copy it to keep it.
	 */
	union {
		const char *backing_dev;
		uint64_t reserved_ptr;	/* the same size everywhere */
	};
	uint64_t reserved[5];
	struct rzs_stats stats;		/* zero unless RZS_DEV_STATS */
};

/* Which optional fields of rzs_init_params to send. */
#define RZS_INIT_ALGORITHM	(1u << 0)
#define RZS_INIT_LEVEL		(1u << 1)
#define RZS_INIT_MEMLIMIT	(1u << 2)
#define RZS_INIT_BACKING_DEV	(1u << 3)	/* LIBRZS_1.1 */
#define RZS_INIT_WB_LIMIT	(1u << 4)	/* LIBRZS_1.1 */

struct rzs_init_params {
	uint32_t flags;			/* RZS_INIT_*; disksize is always sent */
	uint32_t level;
	uint64_t disksize;		/* bytes, required */
	uint64_t memlimit;		/* bytes, 0: no limit */
	const char *algorithm;
	/* LIBRZS_1.1: read only with their flag. */
	const char *backing_dev;	/* a block device, claimed until reset */
	uint64_t wb_limit;		/* bytes; RZS_WB_LIMIT_NONE: no limit */
};

/* Which pages rzs_dev_writeback() moves: enum ramzswap_wb_kind. */
#define RZS_WB_IDLE		(1u << 0)	/* idle age >= min_age */
#define RZS_WB_HUGE		(1u << 1)	/* stored uncompressed */
#define RZS_WB_INCOMPRESSIBLE	(1u << 2)	/* not smaller than a page */

struct rzs_algorithm {
	char name[RZS_ALGORITHM_MAX];
	uint32_t level_min;		/* 0 when the algorithm takes no level */
	uint32_t level_max;
	uint32_t level_default;
};

struct rzs_info {
	char version[RZS_VERSION_MAX];
	uint32_t max_devices;
	uint32_t page_size;
	char default_algorithm[RZS_ALGORITHM_MAX];	/* init without one */
	uint64_t reserved[8];
	size_t nr_algorithms;
	struct rzs_algorithm *algorithms;	/* free with rzs_info_free() */
};

enum rzs_event_type {
	RZS_EVENT_ADDED = 1,		/* dev: index, name */
	RZS_EVENT_REMOVED,		/* dev: index, name */
	RZS_EVENT_INITIALIZED,		/* dev: as rzs_dev_get() without stats */
	RZS_EVENT_RESET,		/* dev: index, name */
	RZS_EVENT_MEMLIMIT,		/* dev: index, name, memlimit; mem_used */
	RZS_EVENT_WB_LIMIT,		/* dev: index, name: writeback limit spent */
};

struct rzs_event {
	uint32_t type;			/* enum rzs_event_type */
	uint32_t reserved32;
	uint64_t mem_used;		/* RZS_EVENT_MEMLIMIT: bytes used now */
	uint64_t reserved[4];
	struct rzs_dev dev;
};

/* Context: one netlink socket, resolves the family.  -ENOENT: no module. */
int rzs_open(struct rzs_ctx **ctxp);
void rzs_close(struct rzs_ctx *ctx);

/*
 * Text of the last failure on ctx: the kernel's extended-ack message, or
 * librzs's own explanation of a local failure.  NULL when there is none.
 * Valid until the next call on ctx.
 */
const char *rzs_last_error(const struct rzs_ctx *ctx);

int rzs_dev_get(struct rzs_ctx *ctx, uint32_t index, struct rzs_dev *dev);
/* All devices, by index; *nr may be 0.  Free *devs with rzs_dev_list_free. */
int rzs_dev_list(struct rzs_ctx *ctx, struct rzs_dev **devs, size_t *nr);
void rzs_dev_list_free(struct rzs_dev *devs);
/* index -1: the lowest free number.  out (may be NULL): the new device. */
int rzs_dev_add(struct rzs_ctx *ctx, int index, struct rzs_dev *out);
int rzs_dev_del(struct rzs_ctx *ctx, uint32_t index);
int rzs_dev_init(struct rzs_ctx *ctx, uint32_t index,
		 const struct rzs_init_params *params);
int rzs_dev_set_memlimit(struct rzs_ctx *ctx, uint32_t index,
			 uint64_t memlimit);
int rzs_dev_reset(struct rzs_ctx *ctx, uint32_t index);
/* pages (may be NULL): how many pages the compaction freed. */
int rzs_dev_compact(struct rzs_ctx *ctx, uint32_t index, uint64_t *pages);

/*
 * LIBRZS_1.1: the tier below RAM.  A device given a backing device at init
 * (RZS_INIT_BACKING_DEV) can move pages there.
 *
 * rzs_dev_mark_idle: adds one to the idle age (up to RZS_IDLE_AGE_MAX) of
 * every page in RAM whose age is at least min_age; a read or write of a
 * page sets its age to 0.  marked (may be NULL): how many pages aged.
 *
 * rzs_dev_writeback: moves the pages of kinds (RZS_WB_*) to the backing
 * device, idle ones of age min_age or more (1 is the kernel's default), at
 * most max_pages (0: no bound but the writeback limit).  written (may be
 * NULL): how many pages moved.  -ENOSPC: the limit was spent or the disk
 * full before anything moved (the kernel says which).
 *
 * rzs_dev_set_wb_limit: the bytes writeback may still write from now on,
 * RZS_WB_LIMIT_NONE for no limit.
 */
int rzs_dev_mark_idle(struct rzs_ctx *ctx, uint32_t index,
		      unsigned int min_age, uint64_t *marked);
int rzs_dev_writeback(struct rzs_ctx *ctx, uint32_t index, uint32_t kinds,
		      unsigned int min_age, uint64_t max_pages,
		      uint64_t *written);
int rzs_dev_set_wb_limit(struct rzs_ctx *ctx, uint32_t index,
			 uint64_t wb_limit);

int rzs_info(struct rzs_ctx *ctx, struct rzs_info *info);
void rzs_info_free(struct rzs_info *info);

/* Monitor: events of the "monitor" multicast group, on their own socket. */
#define RZS_MONITOR_NONBLOCK	(1u << 0)

int rzs_monitor_open(struct rzs_monitor **monp, unsigned int flags);
void rzs_monitor_close(struct rzs_monitor *mon);
/* For poll(): readable when rzs_monitor_read() has something to return. */
int rzs_monitor_fd(const struct rzs_monitor *mon);
/*
 * Waits for the next event (unless RZS_MONITOR_NONBLOCK: -EAGAIN when there
 * is none).  Returns 1 with *ev filled.  -ENOBUFS: the kernel dropped
 * events because they were not read fast enough; list the devices again
 * and keep reading.
 */
int rzs_monitor_read(struct rzs_monitor *mon, struct rzs_event *ev);

const char *rzs_event_name(uint32_t type);
const char *rzs_state_name(uint32_t state);

#ifdef __cplusplus
}
#endif

#endif /* RZS_RZS_H */
