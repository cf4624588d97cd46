// SPDX-License-Identifier: GPL-2.0-only
/*
 * The block I/O path: bios of any size and 512-byte alignment, the
 * ->rw_page fast path of older kernels, and swap free notification.
 *
 * All I/O completes before submit returns (the device is synchronous).
 * A bio segment that covers part of a device page is done by
 * read-modify-write of that page under its slot lock, so concurrent
 * partial writes to one page do not lose each other's data.
 */
#include <linux/bio.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/pagemap.h>

#include "compat.h"
#include "ramzswap.h"

/* The store if the device is initialized and the range lies inside it. */
static struct rzs_store *rzs_io_store(struct ramzswap *rzs, sector_t sector,
				      unsigned int bytes)
{
	/* Pairs with the release in rzs_dev_init(): the store is complete. */
	struct rzs_store *store = smp_load_acquire(&rzs->store);

	if (unlikely(!store))
		return NULL;
	if (unlikely(bytes & (SECTOR_SIZE - 1)))
		return NULL;
	if (unlikely(sector + (bytes >> SECTOR_SHIFT) >
		     (sector_t)store->nr_pages << RZS_SECTORS_PER_PAGE_SHIFT))
		return NULL;
	return store;
}

/*
 * Rewrites part of a device page: @len bytes at @offset from @bv, or
 * zeroes if @bv is NULL.
 */
static int rzs_write_partial(struct rzs_store *store, unsigned long index,
			     unsigned int offset, unsigned int len,
			     const struct bio_vec *bv)
{
	struct page *bounce;
	void *dst, *src;
	int ret;

	bounce = alloc_page(GFP_NOIO);
	if (!bounce)
		return -ENOMEM;

	rzs_slot_lock(store, index);
	ret = rzs_store_read_locked(store, index, bounce);
	if (!ret) {
		dst = rz_kmap(bounce);
		if (bv) {
			src = rz_kmap(bv->bv_page);
			memcpy(dst + offset, src + bv->bv_offset, len);
			rz_kunmap(src);
		} else {
			memset(dst + offset, 0, len);
		}
		rz_kunmap(dst);
		ret = rzs_store_write(store, index, bounce, true);
	}
	rzs_slot_unlock(store, index);

	__free_page(bounce);
	return ret;
}

static int rzs_read_partial(struct rzs_store *store, unsigned long index,
			    unsigned int offset, const struct bio_vec *bv)
{
	struct page *bounce;
	void *dst, *src;
	int ret;

	bounce = alloc_page(GFP_NOIO);
	if (!bounce)
		return -ENOMEM;

	ret = rzs_store_read(store, index, bounce);
	if (!ret) {
		src = rz_kmap(bounce);
		dst = rz_kmap(bv->bv_page);
		memcpy(dst + bv->bv_offset, src + offset, bv->bv_len);
		rz_kunmap(dst);
		rz_kunmap(src);
	}

	__free_page(bounce);
	return ret;
}

/* A write failed; -ENOSPC means the memory limit refused it. */
static void rzs_count_failed_write(struct ramzswap *rzs, int err)
{
	atomic64_inc(&rzs->stats.failed_writes);
	if (err == -ENOSPC)
		atomic64_inc(&rzs->stats.memlimit_hits);
}

/* One segment that lies within one device page. */
static int rzs_bvec_rw(struct ramzswap *rzs, struct rzs_store *store,
		       const struct bio_vec *bv, unsigned long index,
		       unsigned int offset, bool write)
{
	bool full = bv->bv_len == PAGE_SIZE;
	int ret;

	if (write) {
		atomic64_inc(&rzs->stats.num_writes);
		ret = full ? rzs_store_write(store, index, bv->bv_page, false) :
			rzs_write_partial(store, index, offset, bv->bv_len, bv);
		if (unlikely(ret))
			rzs_count_failed_write(rzs, ret);
	} else {
		atomic64_inc(&rzs->stats.num_reads);
		ret = full ? rzs_store_read(store, index, bv->bv_page) :
			rzs_read_partial(store, index, offset, bv);
		if (unlikely(ret))
			atomic64_inc(&rzs->stats.failed_reads);
		else
			flush_dcache_page(bv->bv_page);
	}
	return ret;
}

static void rzs_bio_rw(struct ramzswap *rzs, struct rzs_store *store,
		       struct bio *bio)
{
	bool write = op_is_write(bio_op(bio));
	struct bvec_iter iter = bio->bi_iter;
	unsigned long start = bio_start_io_acct(bio);

	do {
		unsigned long index = iter.bi_sector >> RZS_SECTORS_PER_PAGE_SHIFT;
		unsigned int offset = (iter.bi_sector &
				       (RZS_SECTORS_PER_PAGE - 1)) << SECTOR_SHIFT;
		struct bio_vec bv = bio_iter_iovec(bio, iter);

		/* A segment may straddle two device pages: split it. */
		bv.bv_len = min_t(u32, bv.bv_len, PAGE_SIZE - offset);
		if (rzs_bvec_rw(rzs, store, &bv, index, offset, write)) {
			bio->bi_status = BLK_STS_IOERR;
			break;
		}
		rz_bio_advance_iter_single(bio, &iter, bv.bv_len);
	} while (iter.bi_size);

	bio_end_io_acct(bio, start);
	bio_endio(bio);
}

/*
 * Discard frees every slot the range covers whole and ignores partial
 * pages at its ends.  Write-zeroes must zero those too.
 */
static void rzs_bio_discard(struct ramzswap *rzs, struct rzs_store *store,
			    struct bio *bio)
{
	bool zeroes = bio_op(bio) == REQ_OP_WRITE_ZEROES;
	unsigned long index = bio->bi_iter.bi_sector >> RZS_SECTORS_PER_PAGE_SHIFT;
	unsigned int offset = (bio->bi_iter.bi_sector &
			       (RZS_SECTORS_PER_PAGE - 1)) << SECTOR_SHIFT;
	unsigned int size = bio->bi_iter.bi_size;
	int ret = 0;

	if (offset) {
		unsigned int len = min_t(unsigned int, size, PAGE_SIZE - offset);

		if (zeroes)
			ret = rzs_write_partial(store, index, offset, len, NULL);
		index++;
		size -= len;
	}
	while (!ret && size >= PAGE_SIZE) {
		rzs_store_discard(store, index);
		index++;
		size -= PAGE_SIZE;
		cond_resched();
	}
	if (!ret && size && zeroes)
		ret = rzs_write_partial(store, index, 0, size, NULL);

	if (ret) {
		rzs_count_failed_write(rzs, ret);
		bio->bi_status = BLK_STS_IOERR;
	}
	bio_endio(bio);
}

static void rzs_handle_bio(struct bio *bio)
{
	struct ramzswap *rzs = rz_bio_disk(bio)->private_data;
	struct rzs_store *store;

	store = rzs_io_store(rzs, bio->bi_iter.bi_sector, bio->bi_iter.bi_size);
	if (unlikely(!store)) {
		atomic64_inc(&rzs->stats.invalid_io);
		bio_io_error(bio);
		return;
	}

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		rzs_bio_rw(rzs, store, bio);
		break;
	case REQ_OP_DISCARD:
	case REQ_OP_WRITE_ZEROES:
		rzs_bio_discard(rzs, store, bio);
		break;
	default:
		/* Flushes never get here: the device has no write cache. */
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
	}
}

static rz_submit_bio_t rzs_submit_bio(struct bio *bio)
{
	rzs_handle_bio(bio);
	return RZ_SUBMIT_BIO_RET;
}

#ifdef RZ_HAVE_RW_PAGE
/*
 * Whole-page I/O without a bio; swap on kernels before 6.3 takes its
 * synchronous fast path only for devices that have this.  On failure the
 * page is left alone and the caller resubmits it as a bio, whose
 * completion does the error handling: the bio path also does the device's
 * counting, so that a refused write counts once there.  The block layer's
 * statistics see both attempts, as they do for zram on these kernels.
 */
static int rzs_rw_page(struct block_device *bdev, sector_t sector,
		       struct page *page, RZ_RW_PAGE_OP_T op)
{
	struct ramzswap *rzs = bdev->bd_disk->private_data;
	bool write = op_is_write(op);
	struct rzs_store *store;
	unsigned long index, start;
	int ret;

	if (PageTransHuge(page) || (sector & (RZS_SECTORS_PER_PAGE - 1)))
		return -EOPNOTSUPP;
	store = rzs_io_store(rzs, sector, PAGE_SIZE);
	if (!store)
		return -EIO;

	index = sector >> RZS_SECTORS_PER_PAGE_SHIFT;
	start = rz_start_io_acct(bdev, RZS_SECTORS_PER_PAGE, op);
	if (write) {
		ret = rzs_store_write(store, index, page, false);
	} else {
		ret = rzs_store_read(store, index, page);
		if (!ret)
			flush_dcache_page(page);
	}
	rz_end_io_acct(bdev, op, start);
	if (ret)
		return ret;

	atomic64_inc(write ? &rzs->stats.num_writes : &rzs->stats.num_reads);
	page_endio(page, write, 0);
	return 0;
}
#endif

/*
 * Swap calls this with its locks held: no sleeping.  @index counts pages
 * from the start of @bdev, which is a page of the device only on the whole
 * disk: the device refuses partitions, and a notification for anything
 * else is ignored rather than freeing some other slot.
 */
static void rzs_swap_slot_free_notify(struct block_device *bdev,
				      unsigned long index)
{
	struct ramzswap *rzs = bdev->bd_disk->private_data;
	/* Pairs with the release in rzs_dev_init(). */
	struct rzs_store *store = smp_load_acquire(&rzs->store);

	if (WARN_ON_ONCE(bdev_is_partition(bdev)))
		return;
	if (store && index < store->nr_pages)
		rzs_store_notify_free(store, index);
}

/* The caller holds the disk's open lock, which reset/remove take too. */
static int rzs_open(RZ_OPEN_ARGS)
{
	struct ramzswap *rzs = RZ_OPEN_DISK->private_data;

	return READ_ONCE(rzs->claimed) ? -EBUSY : 0;
}

const struct block_device_operations rzs_fops = {
	.owner			= THIS_MODULE,
	.open			= rzs_open,
	.submit_bio		= rzs_submit_bio,
#ifdef RZ_HAVE_RW_PAGE
	.rw_page		= rzs_rw_page,
#endif
	.swap_slot_free_notify	= rzs_swap_slot_free_notify,
};
