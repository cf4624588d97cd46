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
 * ABI: the soname is librzs.so.1 and every symbol is versioned (LIBRZS_1).
 * The structs below are filled by the library; fields are only ever added
 * into their reserved space, so their size never changes within soname 1.
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
	uint64_t reserved[14];
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
	uint64_t reserved[8];
	struct rzs_stats stats;		/* zero unless RZS_DEV_STATS */
};

/* Which optional fields of rzs_init_params to send. */
#define RZS_INIT_ALGORITHM	(1u << 0)
#define RZS_INIT_LEVEL		(1u << 1)
#define RZS_INIT_MEMLIMIT	(1u << 2)

struct rzs_init_params {
	uint32_t flags;			/* RZS_INIT_*; disksize is always sent */
	uint32_t level;
	uint64_t disksize;		/* bytes, required */
	uint64_t memlimit;		/* bytes, 0: no limit */
	const char *algorithm;
};

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
