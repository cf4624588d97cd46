// SPDX-License-Identifier: GPL-2.0-only
/*
 * The disk tier: a block device claimed exclusively for writeback, split
 * into blocks of PAGE_SIZE.  Writeback packs compressed objects several to
 * a block; a block stays allocated while any object in it lives.
 *
 * Locking rules (after those of store.c, which call in here):
 *  1. @lock, a spinlock, guards the allocation bitmap and the live counts.
 *     It is the innermost lock of the module and is taken with a slot lock
 *     held, from swap free notification too (atomic context): nothing
 *     under it sleeps or allocates.
 *  2. A block is allocated with one reference, the writer's; each object
 *     committed into it takes one more, each object freed drops one, and
 *     the writer drops its own once the block's objects are committed.  A
 *     block whose count reaches zero is free at once.
 *  3. Reads and writes of blocks sleep and hold no lock of this file; a
 *     read runs with its slot lock held (store.c rule 1 allows it).
 *  4. Block I/O cannot be waited for inside ->submit_bio: bios submitted
 *     there are queued on current->bio_list until the caller returns.  A
 *     read from that context is handed to a worker of a WQ_MEM_RECLAIM
 *     workqueue (swap-in under reclaim must not wait for a new worker).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <uapi/linux/ramzswap.h>

#include "backing.h"
#include "compat.h"
#include "store.h"

struct rzs_backing {
	struct rz_bdev_handle handle;
	struct block_device *bdev;
	char *path;			/* as given, for DEV_GET */
	unsigned long nr_blocks;
	struct rzs_stats *stats;
	struct workqueue_struct *wq;	/* reads from ->submit_bio (rule 4) */
	mempool_t *bounce;		/* pages for reads of compressed objects */

	spinlock_t lock;		/* rule 1 */
	unsigned long *used;		/* a bit per block */
	u16 *live;			/* references per block (rule 2) */
	unsigned long blocks_used;
	unsigned long hint;		/* where the next search starts */

	spinlock_t limit_lock;		/* the three below */
	u64 limit_left;			/* bytes, or RAMZSWAP_WB_LIMIT_NONE */
	bool limit_announced;		/* EVT_WB_LIMIT sent for this limit */
	bool aborted;			/* reset under way: writeback stops */
};

/* At most this many objects share a block (the smallest object is 1 byte). */
#define RZS_BLOCK_REFS_MAX	U16_MAX

/**
 * rzs_backing_open - claim a block device for writeback
 * @path: its path
 * @holder: the exclusive holder (the ramzswap device)
 * @self: ramzswap's own block device operations, to refuse its devices
 * @stats: where block reads, writes and errors are counted
 *
 * Return: the backing device or an ERR_PTR: -ENOENT, -ENOTBLK (not a
 * block device), -EBUSY (mounted, swapped on, or claimed otherwise),
 * -EROFS/-EACCES (cannot be written), -ELOOP (a ramzswap device), -ENOSPC
 * (smaller than one block), -ENOMEM.
 */
struct rzs_backing *rzs_backing_open(const char *path, void *holder,
				     const struct block_device_operations *self,
				     struct rzs_stats *stats)
{
	struct rzs_backing *bd;
	int ret = -ENOMEM;

	bd = kzalloc(sizeof(*bd), GFP_KERNEL);
	if (!bd)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&bd->lock);
	spin_lock_init(&bd->limit_lock);
	bd->limit_left = RAMZSWAP_WB_LIMIT_NONE;
	bd->stats = stats;
	bd->path = kstrdup(path, GFP_KERNEL);
	if (!bd->path)
		goto free;

	ret = rz_bdev_open(&bd->handle, path, holder);
	if (ret)
		goto free;
	bd->bdev = rz_bdev(&bd->handle);
	if (bd->bdev->bd_disk->fops == self) {
		ret = -ELOOP;
		goto close;
	}
	bd->nr_blocks = rz_bdev_nr_bytes(bd->bdev) >> PAGE_SHIFT;
	if (!bd->nr_blocks) {
		ret = -ENOSPC;
		goto close;
	}
	ret = -ENOMEM;
	bd->used = bitmap_zalloc(bd->nr_blocks, GFP_KERNEL | __GFP_NOWARN);
	bd->live = kvcalloc(bd->nr_blocks, sizeof(*bd->live), GFP_KERNEL);
	if (!bd->used || !bd->live)
		goto close;
	bd->wq = alloc_workqueue("rzs_bd_%s", WQ_MEM_RECLAIM | WQ_UNBOUND, 0,
				 bd->bdev->bd_disk->disk_name);
	if (!bd->wq)
		goto close;
	/* A read under reclaim must not fail for want of a page. */
	bd->bounce = mempool_create_page_pool(1, 0);
	if (!bd->bounce)
		goto close;
	return bd;
close:
	if (bd->wq)
		destroy_workqueue(bd->wq);
	rz_bdev_close(&bd->handle);
free:
	kvfree(bd->live);
	bitmap_free(bd->used);
	kfree(bd->path);
	kfree(bd);
	return ERR_PTR(ret);
}

/* Releases the claim; the store has freed every object first. */
void rzs_backing_close(struct rzs_backing *bd)
{
	WARN_ON_ONCE(bd->blocks_used);
	mempool_destroy(bd->bounce);
	destroy_workqueue(bd->wq);
	rz_bdev_close(&bd->handle);
	kvfree(bd->live);
	bitmap_free(bd->used);
	kfree(bd->path);
	kfree(bd);
}

const char *rzs_backing_path(const struct rzs_backing *bd)
{
	return bd->path;
}

u64 rzs_backing_size(const struct rzs_backing *bd)
{
	return (u64)bd->nr_blocks << PAGE_SHIFT;
}

unsigned long rzs_backing_blocks_used(struct rzs_backing *bd)
{
	return READ_ONCE(bd->blocks_used);
}

/* A free block holding the writer's reference, or -ENOSPC. */
long rzs_backing_alloc(struct rzs_backing *bd)
{
	unsigned long block;

	spin_lock(&bd->lock);
	block = find_next_zero_bit(bd->used, bd->nr_blocks, bd->hint);
	if (block >= bd->nr_blocks)
		block = find_first_zero_bit(bd->used, bd->nr_blocks);
	if (block >= bd->nr_blocks) {
		spin_unlock(&bd->lock);
		return -ENOSPC;
	}
	__set_bit(block, bd->used);
	bd->live[block] = 1;
	WRITE_ONCE(bd->blocks_used, bd->blocks_used + 1);
	bd->hint = block + 1;
	spin_unlock(&bd->lock);
	return block;
}

/* One more object lives in @block; the writer still holds it. */
void rzs_backing_get(struct rzs_backing *bd, unsigned long block)
{
	spin_lock(&bd->lock);
	if (!WARN_ON_ONCE(!bd->live[block] ||
			  bd->live[block] == RZS_BLOCK_REFS_MAX))
		bd->live[block]++;
	spin_unlock(&bd->lock);
}

/* Drops a reference to @block; may be called in atomic context. */
void rzs_backing_put(struct rzs_backing *bd, unsigned long block)
{
	spin_lock(&bd->lock);
	if (!WARN_ON_ONCE(block >= bd->nr_blocks || !bd->live[block]) &&
	    !--bd->live[block]) {
		__clear_bit(block, bd->used);
		WRITE_ONCE(bd->blocks_used, bd->blocks_used - 1);
	}
	spin_unlock(&bd->lock);
}

/* A page to read a block into; waits for one rather than fail. */
struct page *rzs_backing_bounce_get(struct rzs_backing *bd)
{
	return mempool_alloc(bd->bounce, GFP_NOIO);
}

void rzs_backing_bounce_put(struct rzs_backing *bd, struct page *page)
{
	mempool_free(page, bd->bounce);
}

static int rzs_backing_rw(struct rzs_backing *bd, unsigned long block,
			  struct page *page, blk_opf_t opf)
{
	struct bio_vec bvec;
	struct bio bio;
	int ret;

	rz_bio_init(&bio, bd->bdev, &bvec, 1, opf);
	bio.bi_iter.bi_sector = (sector_t)block << (PAGE_SHIFT - SECTOR_SHIFT);
	__bio_add_page(&bio, page, PAGE_SIZE, 0);
	ret = submit_bio_wait(&bio);
	bio_uninit(&bio);
	return ret;
}

int rzs_backing_write(struct rzs_backing *bd, unsigned long block,
		      struct page *page)
{
	int ret = rzs_backing_rw(bd, block, page, REQ_OP_WRITE | REQ_SYNC);

	if (ret)
		atomic64_inc(&bd->stats->wb_errors);
	else
		atomic64_inc(&bd->stats->bd_writes);
	return ret;
}

struct rzs_backing_read_work {
	struct work_struct work;
	struct rzs_backing *bd;
	unsigned long block;
	struct page *page;
	int ret;
};

static void rzs_backing_read_fn(struct work_struct *work)
{
	struct rzs_backing_read_work *rw =
		container_of(work, struct rzs_backing_read_work, work);

	rw->ret = rzs_backing_rw(rw->bd, rw->block, rw->page, REQ_OP_READ);
}

int rzs_backing_read(struct rzs_backing *bd, unsigned long block,
		     struct page *page)
{
	struct rzs_backing_read_work rw = {
		.bd = bd, .block = block, .page = page,
	};

	if (current->bio_list) {
		/* Rule 4. */
		INIT_WORK_ONSTACK(&rw.work, rzs_backing_read_fn);
		queue_work(bd->wq, &rw.work);
		flush_work(&rw.work);
		destroy_work_on_stack(&rw.work);
	} else {
		rw.ret = rzs_backing_rw(bd, block, page, REQ_OP_READ);
	}
	if (rw.ret)
		atomic64_inc(&bd->stats->bd_read_errors);
	else
		atomic64_inc(&bd->stats->bd_reads);
	return rw.ret;
}

/* A new budget; the event may fire again when it is spent. */
void rzs_backing_set_limit(struct rzs_backing *bd, u64 bytes)
{
	spin_lock(&bd->limit_lock);
	bd->limit_left = bytes;
	bd->limit_announced = false;
	spin_unlock(&bd->limit_lock);
}

u64 rzs_backing_limit_left(struct rzs_backing *bd)
{
	u64 left;

	spin_lock(&bd->limit_lock);
	left = bd->limit_left;
	spin_unlock(&bd->limit_lock);
	return left;
}

/* Gives back what rzs_backing_charge() took for a write that failed. */
void rzs_backing_refund(struct rzs_backing *bd)
{
	spin_lock(&bd->limit_lock);
	if (bd->limit_left != RAMZSWAP_WB_LIMIT_NONE)
		bd->limit_left += PAGE_SIZE;
	spin_unlock(&bd->limit_lock);
}

/* Takes one block's worth from the budget; false if it is spent. */
bool rzs_backing_charge(struct rzs_backing *bd)
{
	bool ok = true;

	spin_lock(&bd->limit_lock);
	if (bd->limit_left != RAMZSWAP_WB_LIMIT_NONE) {
		if (bd->limit_left < PAGE_SIZE)
			ok = false;
		else
			bd->limit_left -= PAGE_SIZE;
	}
	spin_unlock(&bd->limit_lock);
	return ok;
}

/* Whether the spent budget is news: true once per limit set. */
bool rzs_backing_limit_announce(struct rzs_backing *bd)
{
	bool news;

	spin_lock(&bd->limit_lock);
	news = !bd->limit_announced;
	bd->limit_announced = true;
	spin_unlock(&bd->limit_lock);
	return news;
}

void rzs_backing_abort(struct rzs_backing *bd)
{
	WRITE_ONCE(bd->aborted, true);
}

bool rzs_backing_aborted(struct rzs_backing *bd)
{
	return READ_ONCE(bd->aborted);
}
