/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The disk tier: a backing block device, its block allocator, and the
 * writeback budget.
 */
#ifndef RAMZSWAP_BACKING_H
#define RAMZSWAP_BACKING_H

#include <linux/blkdev.h>
#include <linux/types.h>

struct bio_vec;
struct page;
struct rzs_backing;
struct rzs_stats;

struct rzs_backing *rzs_backing_open(const char *path, void *holder,
				     const struct block_device_operations *self,
				     struct rzs_stats *stats);
void rzs_backing_close(struct rzs_backing *bd);

const char *rzs_backing_path(const struct rzs_backing *bd);
u64 rzs_backing_size(const struct rzs_backing *bd);
unsigned long rzs_backing_blocks_used(struct rzs_backing *bd);

/* Blocks one writeback bio covers at most. */
#define RZS_RUN_MAX	32

long rzs_backing_alloc_run(struct rzs_backing *bd, unsigned long max,
			   unsigned long *start);
void rzs_backing_put_run(struct rzs_backing *bd, unsigned long start,
			 unsigned long n);
void rzs_backing_get_obj(struct rzs_backing *bd, u64 addr, size_t size);
void rzs_backing_put_obj(struct rzs_backing *bd, u64 addr, size_t size);
bool rzs_backing_obj_spans(u64 addr, size_t size);

struct page *rzs_backing_bounce_get(struct rzs_backing *bd);
void rzs_backing_bounce_put(struct rzs_backing *bd, struct page *page);

int rzs_backing_write_run(struct rzs_backing *bd, unsigned long start,
			  struct page **pages, unsigned int n,
			  struct bio_vec *bvec);
int rzs_backing_read(struct rzs_backing *bd, unsigned long block,
		     struct page *page, unsigned int n);

void rzs_backing_set_limit(struct rzs_backing *bd, u64 bytes);
u64 rzs_backing_limit_left(struct rzs_backing *bd);
unsigned long rzs_backing_budget(struct rzs_backing *bd, unsigned long max);
bool rzs_backing_charge(struct rzs_backing *bd, unsigned int n);
void rzs_backing_refund(struct rzs_backing *bd, unsigned int n);
bool rzs_backing_limit_announce(struct rzs_backing *bd);

#endif /* RAMZSWAP_BACKING_H */
