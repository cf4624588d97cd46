// SPDX-License-Identifier: GPL-2.0-only
/*
 * The disk tier: a block device claimed exclusively for writeback, split
 * into blocks of PAGE_SIZE.  Writeback packs compressed objects end to end
 * into runs of contiguous blocks, written with one bio each; an object may
 * span two neighbouring blocks, and a block stays allocated while any
 * object in it lives.
 *
 * Locking rules (after those of store.c, which call in here):
 *  1. @lock, a spinlock, guards the allocation bitmap and the live counts.
 *     It is the innermost lock of the module and is taken with a slot lock
 *     held, from swap free notification too (atomic context): nothing
 *     under it sleeps or allocates.
 *  2. A block is allocated with one reference, the writer's; each object
 *     committed into it (or reaching into it) takes one more, each object
 *     freed drops one, and the writer drops its own once the run's objects
 *     are committed.  A block whose count reaches zero is free at once.
 *  3. Reads and writes of blocks sleep and hold no lock of this file; a
 *     read runs with its slot lock held (store.c rule 1 allows it).
 *  4. Inside ->submit_bio a bio submitted is only queued on
 *     current->bio_list, to run once the caller returns: a read waited for
 *     there would never start.  A block read from that context takes the
 *     list aside for its submission, so the backing device's own
 *     submission runs at once (one level deeper; the backing device cannot
 *     be a ramzswap device), then puts it back.  A worker would do the
 *     same at the price of two wake-ups per swap-in: 3.3 ms against
 *     zram's 0.26 ms on 7.2 under TCG (make bench).
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
	mempool_t *bounce;		/* two pages for a read of an object */

	spinlock_t lock;		/* rule 1 */
	unsigned long *used;		/* a bit per block */
	u16 *live;			/* references per block (rule 2) */
	unsigned long blocks_used;
	unsigned long hint;		/* where the next search starts */

	spinlock_t limit_lock;		/* the three below */
	u64 limit_left;			/* bytes, or RAMZSWAP_WB_LIMIT_NONE */
	bool limit_announced;		/* EVT_WB_LIMIT sent for this limit */
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
	/*
	 * A slot holds an object's byte address in an unsigned long, and the
	 * block counts are unsigned int for the bitmap: on 32-bit kernels
	 * the disk tier uses the first 4 GiB.
	 */
	bd->nr_blocks = min_t(u64, rz_bdev_nr_bytes(bd->bdev) >> PAGE_SHIFT,
			      min_t(u64, UINT_MAX,
				    BIT_ULL(BITS_PER_LONG - PAGE_SHIFT) - 1));
	if (!bd->nr_blocks) {
		ret = -ENOSPC;
		goto close;
	}
	ret = -ENOMEM;
	/* kvcalloc: a bitmap of a large disk is more than kmalloc gives. */
	bd->used = kvcalloc(BITS_TO_LONGS(bd->nr_blocks), sizeof(long),
			    GFP_KERNEL);
	bd->live = kvcalloc(bd->nr_blocks, sizeof(*bd->live), GFP_KERNEL);
	if (!bd->used || !bd->live)
		goto close;
	/*
	 * A read under reclaim must not fail for want of memory, nor wait
	 * for a second buffer while holding a first: one allocation of two
	 * pages holds both blocks an object may span.
	 */
	bd->bounce = mempool_create_page_pool(1, 1);
	if (!bd->bounce)
		goto close;
	return bd;
close:
	rz_bdev_close(&bd->handle);
free:
	kvfree(bd->live);
	kvfree(bd->used);
	kfree(bd->path);
	kfree(bd);
	return ERR_PTR(ret);
}

/* Releases the claim; the store has freed every object first. */
void rzs_backing_close(struct rzs_backing *bd)
{
	WARN_ON_ONCE(bd->blocks_used);
	mempool_destroy(bd->bounce);
	rz_bdev_close(&bd->handle);
	kvfree(bd->live);
	kvfree(bd->used);
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

/**
 * rzs_backing_alloc_run - contiguous free blocks for one write
 * @bd: the backing device
 * @max: at most this many
 * @start: the first block
 *
 * The longest run up to @max, halving the length asked for until one is
 * found; each block holds the writer's reference.
 *
 * Return: the run's length, or -ENOSPC if no block is free.
 */
long rzs_backing_alloc_run(struct rzs_backing *bd, unsigned long max,
			   unsigned long *start)
{
	unsigned long n, first = 0, i;

	spin_lock(&bd->lock);
	for (n = min(max, bd->nr_blocks); n; n /= 2) {
		first = bitmap_find_next_zero_area(bd->used, bd->nr_blocks,
						   bd->hint, n, 0);
		if (first >= bd->nr_blocks)
			first = bitmap_find_next_zero_area(bd->used, bd->nr_blocks,
							   0, n, 0);
		if (first < bd->nr_blocks)
			break;
	}
	if (!n) {
		spin_unlock(&bd->lock);
		return -ENOSPC;
	}
	bitmap_set(bd->used, first, n);
	for (i = first; i < first + n; i++)
		bd->live[i] = 1;
	WRITE_ONCE(bd->blocks_used, bd->blocks_used + n);
	bd->hint = first + n;
	spin_unlock(&bd->lock);
	*start = first;
	return n;
}

/* Under the lock: drops a reference to @block, freeing it at zero. */
static void rzs_backing_put_locked(struct rzs_backing *bd, unsigned long block)
{
	if (WARN_ON_ONCE(block >= bd->nr_blocks || !bd->live[block]))
		return;
	if (!--bd->live[block]) {
		__clear_bit(block, bd->used);
		WRITE_ONCE(bd->blocks_used, bd->blocks_used - 1);
	}
}

/* The blocks an object of @size bytes at byte address @addr touches. */
static unsigned long rzs_obj_first(u64 addr)
{
	return addr >> PAGE_SHIFT;
}

static unsigned long rzs_obj_last(u64 addr, size_t size)
{
	return (addr + size - 1) >> PAGE_SHIFT;
}

/* An object now lives at @addr: a reference on each block it touches. */
void rzs_backing_get_obj(struct rzs_backing *bd, u64 addr, size_t size)
{
	unsigned long b;

	spin_lock(&bd->lock);
	for (b = rzs_obj_first(addr); b <= rzs_obj_last(addr, size); b++)
		if (!WARN_ON_ONCE(b >= bd->nr_blocks || !bd->live[b] ||
				  bd->live[b] == RZS_BLOCK_REFS_MAX))
			bd->live[b]++;
	spin_unlock(&bd->lock);
}

/* The object at @addr is gone; may be called in atomic context. */
void rzs_backing_put_obj(struct rzs_backing *bd, u64 addr, size_t size)
{
	unsigned long b;

	spin_lock(&bd->lock);
	for (b = rzs_obj_first(addr); b <= rzs_obj_last(addr, size); b++)
		rzs_backing_put_locked(bd, b);
	spin_unlock(&bd->lock);
}

/* The writer is done with a run: blocks nobody kept are free again. */
void rzs_backing_put_run(struct rzs_backing *bd, unsigned long start,
			 unsigned long n)
{
	unsigned long b;

	spin_lock(&bd->lock);
	for (b = start; b < start + n; b++)
		rzs_backing_put_locked(bd, b);
	spin_unlock(&bd->lock);
}

/* Whether an object of @size at @addr lies in two blocks. */
bool rzs_backing_obj_spans(u64 addr, size_t size)
{
	return rzs_obj_first(addr) != rzs_obj_last(addr, size);
}

/* Two contiguous pages to read an object's blocks into; waits, never fails. */
struct page *rzs_backing_bounce_get(struct rzs_backing *bd)
{
	return mempool_alloc(bd->bounce, GFP_NOIO);
}

void rzs_backing_bounce_put(struct rzs_backing *bd, struct page *page)
{
	mempool_free(page, bd->bounce);
}

/*
 * Reads or writes @n blocks from @block: into or from @pages[0..n-1], or,
 * if @contig, the @n contiguous pages from @pages[0]; @bvec has room for
 * @n entries.
 */
static int rzs_backing_rw(struct rzs_backing *bd, unsigned long block,
			  struct page **pages, unsigned int n, bool contig,
			  struct bio_vec *bvec, blk_opf_t opf)
{
	struct bio bio;
	unsigned int i;
	int ret;

	rz_bio_init(&bio, bd->bdev, bvec, n, opf);
	bio.bi_iter.bi_sector = (sector_t)block << (PAGE_SHIFT - SECTOR_SHIFT);
	for (i = 0; i < n; i++)
		__bio_add_page(&bio, contig ? pages[0] + i : pages[i],
			       PAGE_SIZE, 0);
	ret = submit_bio_wait(&bio);
	bio_uninit(&bio);
	return ret;
}

/* Writes a run of @n blocks from @start, one page each, with @n @bvec. */
int rzs_backing_write_run(struct rzs_backing *bd, unsigned long start,
			  struct page **pages, unsigned int n,
			  struct bio_vec *bvec)
{
	int ret = rzs_backing_rw(bd, start, pages, n, false, bvec,
				 REQ_OP_WRITE | REQ_SYNC);

	if (ret)
		atomic64_inc(&bd->stats->wb_errors);
	else
		atomic64_add(n, &bd->stats->bd_writes);
	return ret;
}

/* An object lies in one block or spans two. */
#define RZS_READ_MAX	2

/**
 * rzs_backing_read - read @n (1 or 2) blocks into one allocation
 * @bd: the backing device
 * @block: the first block
 * @page: a page, or two contiguous pages (rzs_backing_bounce_get())
 * @n: how many blocks
 *
 * Return: 0 or the bio's error.
 */
int rzs_backing_read(struct rzs_backing *bd, unsigned long block,
		     struct page *page, unsigned int n)
{
	struct bio_vec bvec[RZS_READ_MAX];
	struct bio_list *queued = current->bio_list;
	int ret;

	if (WARN_ON_ONCE(!n || n > RZS_READ_MAX))
		return -EINVAL;
	/* Rule 4. */
	current->bio_list = NULL;
	ret = rzs_backing_rw(bd, block, &page, n, true, bvec, REQ_OP_READ);
	current->bio_list = queued;
	if (ret)
		atomic64_inc(&bd->stats->bd_read_errors);
	else
		atomic64_add(n, &bd->stats->bd_reads);
	return ret;
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

/* How many blocks the budget allows now, at most @max. */
unsigned long rzs_backing_budget(struct rzs_backing *bd, unsigned long max)
{
	u64 left = rzs_backing_limit_left(bd);

	if (left == RAMZSWAP_WB_LIMIT_NONE)
		return max;
	return min_t(u64, max, left >> PAGE_SHIFT);
}

/* Takes @n blocks' worth from the budget, all or nothing. */
bool rzs_backing_charge(struct rzs_backing *bd, unsigned int n)
{
	u64 bytes = (u64)n << PAGE_SHIFT;
	bool ok = true;

	spin_lock(&bd->limit_lock);
	if (bd->limit_left != RAMZSWAP_WB_LIMIT_NONE) {
		if (bd->limit_left < bytes)
			ok = false;
		else
			bd->limit_left -= bytes;
	}
	spin_unlock(&bd->limit_lock);
	return ok;
}

/* Gives back what rzs_backing_charge() took for a write that failed. */
void rzs_backing_refund(struct rzs_backing *bd, unsigned int n)
{
	spin_lock(&bd->limit_lock);
	if (bd->limit_left != RAMZSWAP_WB_LIMIT_NONE)
		bd->limit_left += (u64)n << PAGE_SHIFT;
	spin_unlock(&bd->limit_lock);
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
