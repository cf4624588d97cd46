/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Everything that differs between the kernels ramzswap builds for
 * (Debian's 5.10, 6.1, 6.12 and 7.x lines).
 *
 * Rules:
 *  - APIs that Debian backported into a stable kernel are detected by the
 *    header probes in Kbuild (RZ_HAVE_*), never by version arithmetic.
 *  - LINUX_VERSION_CODE is used only for changes that were never backported.
 *  - Every shim carries an rz_ prefix; kernel names are never redefined.
 */
#ifndef RAMZSWAP_COMPAT_H
#define RAMZSWAP_COMPAT_H

#include "compat_kernels.h"

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/zsmalloc.h>
#include <net/genetlink.h>

/* ---------------------------------------------------------------- bio */

/* The one-segment advance (5.13; a plain advance before). */
#ifdef RZ_HAVE_BIO_ADVANCE_ITER_SINGLE
#define rz_bio_advance_iter_single(bio, iter, bytes) \
	bio_advance_iter_single(bio, iter, bytes)
#else
#define rz_bio_advance_iter_single(bio, iter, bytes) \
	bio_advance_iter(bio, iter, bytes)
#endif

#if RZ_KERNEL_AT_LEAST(5, 12, 0)
#define rz_bio_disk(bio)	((bio)->bi_bdev->bd_disk)
#else
#define rz_bio_disk(bio)	((bio)->bi_disk)
#endif

/* ->submit_bio returned blk_qc_t before 5.16. */
#if RZ_KERNEL_AT_LEAST(5, 16, 0)
typedef void rz_submit_bio_t;
#define RZ_SUBMIT_BIO_RET
#else
typedef blk_qc_t rz_submit_bio_t;
#define RZ_SUBMIT_BIO_RET	BLK_QC_T_NONE
#endif

/* ->open takes a gendisk and blk_mode_t from 6.5. */
#if RZ_KERNEL_AT_LEAST(6, 5, 0)
#define RZ_OPEN_ARGS		struct gendisk *disk, blk_mode_t mode
#define RZ_OPEN_DISK		disk
#else
#define RZ_OPEN_ARGS		struct block_device *bdev, fmode_t mode
#define RZ_OPEN_DISK		(bdev->bd_disk)
#endif

/*
 * Before 6.3 the swap code takes its synchronous fast path
 * (SWP_SYNCHRONOUS_IO) only for devices with ->rw_page.  Later kernels
 * use the queue's synchronous flag instead and have no ->rw_page.
 */
#if !RZ_KERNEL_AT_LEAST(6, 3, 0)
#define RZ_HAVE_RW_PAGE 1
#if RZ_KERNEL_AT_LEAST(6, 0, 0)
#define RZ_RW_PAGE_OP_T		enum req_op
#else
#define RZ_RW_PAGE_OP_T		unsigned int
#endif

/*
 * Block-layer I/O accounting (/sys/block/X/stat, iostat) of an I/O without
 * a bio, as ->rw_page is: the bio path has bio_start_io_acct().
 */
#if RZ_KERNEL_AT_LEAST(6, 0, 0)
#define rz_start_io_acct(bdev, sectors, op) \
	bdev_start_io_acct(bdev, sectors, op, jiffies)
#define rz_end_io_acct(bdev, op, start)	bdev_end_io_acct(bdev, op, start)
#else
#define rz_start_io_acct(bdev, sectors, op) \
	disk_start_io_acct((bdev)->bd_disk, sectors, op)
#define rz_end_io_acct(bdev, op, start) \
	disk_end_io_acct((bdev)->bd_disk, op, start)
#endif
#endif

/* ------------------------------------------------------- kmap of data */

/*
 * 5.10 has no kmap_local_page(); kmap_atomic() disables preemption, so the
 * callers never sleep while a page is mapped on any kernel.
 */
#if RZ_KERNEL_AT_LEAST(5, 11, 0)
#define rz_kmap(page)		kmap_local_page(page)
#define rz_kunmap(addr)		kunmap_local(addr)
#else
#define rz_kmap(page)		kmap_atomic(page)
#define rz_kunmap(addr)		kunmap_atomic(addr)
#endif

/* ------------------------------------------------------ gendisk setup */

struct rz_disk_limits {
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned int max_discard_sectors;
	unsigned int max_write_zeroes_sectors;
	unsigned int discard_granularity;
};

/*
 * Allocate a bio-based gendisk that is non-rotational, synchronous,
 * adds no entropy and wants stable pages.  Returns an ERR_PTR on failure
 * on every kernel.
 */
static inline struct gendisk *rz_alloc_disk(const struct rz_disk_limits *l)
{
	struct gendisk *disk;
#if RZ_KERNEL_AT_LEAST(6, 11, 0)
	struct queue_limits lim = {
		.logical_block_size	= l->logical_block_size,
		.physical_block_size	= l->physical_block_size,
		.io_min			= l->physical_block_size,
		.io_opt			= l->physical_block_size,
		.max_hw_discard_sectors	= l->max_discard_sectors,
		.max_write_zeroes_sectors = l->max_write_zeroes_sectors,
		.discard_granularity	= l->discard_granularity,
		.features		= BLK_FEAT_STABLE_WRITES |
					  BLK_FEAT_SYNCHRONOUS,
	};

	disk = blk_alloc_disk(&lim, NUMA_NO_NODE);
	return disk;
#else
	struct request_queue *q;

#if RZ_KERNEL_AT_LEAST(5, 15, 0)
	disk = blk_alloc_disk(NUMA_NO_NODE);
	if (!disk)
		return ERR_PTR(-ENOMEM);
	q = disk->queue;
#else
	q = blk_alloc_queue(NUMA_NO_NODE);
	if (!q)
		return ERR_PTR(-ENOMEM);
	disk = alloc_disk(1);
	if (!disk) {
		blk_cleanup_queue(q);
		return ERR_PTR(-ENOMEM);
	}
	disk->queue = q;
#endif
	blk_queue_logical_block_size(q, l->logical_block_size);
	blk_queue_physical_block_size(q, l->physical_block_size);
	blk_queue_io_min(q, l->physical_block_size);
	blk_queue_io_opt(q, l->physical_block_size);
	q->limits.discard_granularity = l->discard_granularity;
	blk_queue_max_discard_sectors(q, l->max_discard_sectors);
	blk_queue_max_write_zeroes_sectors(q, l->max_write_zeroes_sectors);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_flag_clear(QUEUE_FLAG_ADD_RANDOM, q);
	blk_queue_flag_set(QUEUE_FLAG_STABLE_WRITES, q);
#if !RZ_KERNEL_AT_LEAST(5, 19, 0)
	blk_queue_flag_set(QUEUE_FLAG_DISCARD, q);
#endif
#if RZ_KERNEL_AT_LEAST(6, 3, 0)
	blk_queue_flag_set(QUEUE_FLAG_SYNCHRONOUS, q);
#endif
	return disk;
#endif
}

/*
 * No partitions, on every kernel: swap_slot_free_notify() passes an offset
 * relative to the partition, and a partition would hide the disk's slots
 * behind an offset the device does not know.  5.10 allows partitions only
 * where minors > 1 (or GENHD_FL_EXT_DEVT); from 5.17 GENHD_FL_NO_PART is
 * an enum, so it cannot be probed with #ifdef.
 */
static inline void rz_disk_no_partitions(struct gendisk *disk)
{
	disk->minors = 1;
#if RZ_KERNEL_AT_LEAST(5, 17, 0)
	disk->flags |= GENHD_FL_NO_PART;
#endif
}

/* add_disk() returns an error from 5.15 on. */
static inline int rz_add_disk(struct gendisk *disk,
			      const struct attribute_group **groups)
{
#if RZ_KERNEL_AT_LEAST(5, 15, 0)
	return device_add_disk(NULL, disk, groups);
#else
	device_add_disk(NULL, disk, groups);
	return 0;
#endif
}

/*
 * The queue belongs to the disk from 6.0 (blk_cleanup_* are gone), and
 * put_disk() frees a disk whether it was added or not.  On 5.10 add_disk()
 * takes the disk's reference on its queue, which disk_release() drops: a
 * disk never added must not drop one (refcount underflow, then the queue
 * is used after it was freed).
 */
static inline void rz_put_disk(struct gendisk *disk, bool added)
{
#if RZ_KERNEL_AT_LEAST(6, 0, 0)
	put_disk(disk);
#else
	struct request_queue *q = disk->queue;

	if (!added)
		disk->queue = NULL;
	put_disk(disk);
	blk_cleanup_queue(q);
#endif
}

static inline void rz_set_capacity(struct gendisk *disk, sector_t sectors)
{
#if RZ_KERNEL_AT_LEAST(5, 11, 0)
	set_capacity_and_notify(disk, sectors);
#else
	set_capacity_revalidate_and_notify(disk, sectors, true);
#endif
}

/*
 * Exclusion between open() and reset/remove: while the open lock is held,
 * rz_openers() says how many opened the whole disk.  rz_open_lock() and
 * rz_sync_disk() fail with -ENOMEM on 5.10 only, where the disk's block
 * device is looked up (bdget_disk() allocates) each time; the result of
 * the sync itself is not theirs to report (see rzs_dev_reset()).
 */
#if RZ_KERNEL_AT_LEAST(6, 0, 0)
struct rz_open_lock { struct gendisk *disk; };

static inline int __must_check rz_open_lock(struct rz_open_lock *l,
					    struct gendisk *disk)
{
	l->disk = disk;
	mutex_lock(&disk->open_mutex);
	return 0;
}

static inline unsigned int rz_openers(struct rz_open_lock *l)
{
	return disk_openers(l->disk);
}

static inline void rz_open_unlock(struct rz_open_lock *l)
{
	mutex_unlock(&l->disk->open_mutex);
}

static inline int rz_sync_disk(struct gendisk *disk)
{
	sync_blockdev(disk->part0);
	return 0;
}
#else
struct rz_open_lock { struct block_device *bdev; };

static inline int __must_check rz_open_lock(struct rz_open_lock *l,
					    struct gendisk *disk)
{
	l->bdev = bdget_disk(disk, 0);
	if (!l->bdev)
		return -ENOMEM;
	mutex_lock(&l->bdev->bd_mutex);
	return 0;
}

static inline unsigned int rz_openers(struct rz_open_lock *l)
{
	return l->bdev->bd_openers;
}

static inline void rz_open_unlock(struct rz_open_lock *l)
{
	mutex_unlock(&l->bdev->bd_mutex);
	bdput(l->bdev);
}

static inline int rz_sync_disk(struct gendisk *disk)
{
	struct block_device *bdev = bdget_disk(disk, 0);

	if (!bdev)
		return -ENOMEM;
	sync_blockdev(bdev);
	bdput(bdev);
	return 0;
}
#endif

/* ----------------------------------------------------------- zsmalloc */

/* Returns 0 on failure: 5.10 returned 0, 6.0+ an ERR_PTR-encoded handle. */
static inline unsigned long rz_zs_malloc(struct zs_pool *pool, size_t size,
					 gfp_t gfp)
{
	unsigned long handle;

#ifdef RZ_ZS_MALLOC_HAS_NID
	handle = zs_malloc(pool, size, gfp, NUMA_NO_NODE);
#else
	handle = zs_malloc(pool, size, gfp);
#endif
	return IS_ERR_VALUE(handle) ? 0 : handle;
}

/*
 * The object API (7.x) shape on every kernel: read_begin/read_end around a
 * read, and one call to write.  On older kernels this is map/unmap, which
 * disables preemption: never sleep between begin and end.  @local_copy is
 * a PAGE_SIZE buffer for objects that straddle two pages.
 */
static inline const void *rz_zs_read_begin(struct zs_pool *pool,
					   unsigned long handle, size_t len,
					   void *local_copy)
{
#if defined(RZ_ZS_READ_HAS_MEMLEN)
	return zs_obj_read_begin(pool, handle, len, local_copy);
#elif defined(RZ_HAVE_ZS_OBJ_API)
	return zs_obj_read_begin(pool, handle, local_copy);
#else
	return zs_map_object(pool, handle, ZS_MM_RO);
#endif
}

static inline void rz_zs_read_end(struct zs_pool *pool, unsigned long handle,
				  size_t len, const void *mem)
{
#if defined(RZ_ZS_READ_HAS_MEMLEN)
	zs_obj_read_end(pool, handle, len, (void *)mem);
#elif defined(RZ_HAVE_ZS_OBJ_API)
	zs_obj_read_end(pool, handle, (void *)mem);
#else
	zs_unmap_object(pool, handle);
#endif
}

/*
 * Whether a read needs a bounce buffer of the caller's: the object API
 * copies an object that straddles two pages into @local_copy, while
 * zs_map_object() has a per-CPU area of its own.
 */
#ifdef RZ_HAVE_ZS_OBJ_API
#define RZ_ZS_READ_NEEDS_BUFFER	true
#else
#define RZ_ZS_READ_NEEDS_BUFFER	false
#endif

static inline void rz_zs_write(struct zs_pool *pool, unsigned long handle,
			       const void *src, size_t len)
{
#ifdef RZ_HAVE_ZS_OBJ_API
	zs_obj_write(pool, handle, (void *)src, len);
#else
	void *dst = zs_map_object(pool, handle, ZS_MM_WO);

	memcpy(dst, src, len);
	zs_unmap_object(pool, handle);
#endif
}

/* ---------------------------------------------------------- genetlink */

/*
 * From 6.1 the genetlink core refuses, for every command of a family
 * without .resv_start_op, a non-zero genlmsghdr.reserved and nlmsg_flags
 * beyond REQUEST, ACK, ECHO and DUMP.  Older kernels pass such messages
 * on; the family's pre_doit and dump start run the same check there, so
 * that bad input gets the same answer on every kernel.
 */
#ifndef RZ_GENL_CHECKS_HEADER
#define RZ_GENL_CHECK_HEADER_HOOKS 1

static inline int rz_genl_check_header(const struct nlmsghdr *nlh,
				       struct netlink_ext_ack *extack)
{
	const struct genlmsghdr *hdr = nlmsg_data(nlh);
	u16 flags = nlh->nlmsg_flags;

	if (hdr->reserved) {
		NL_SET_ERR_MSG(extack, "genlmsghdr.reserved field is not 0");
		return -EINVAL;
	}
	if ((flags & NLM_F_DUMP) == NLM_F_DUMP)
		flags &= ~NLM_F_DUMP;
	if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)) {
		NL_SET_ERR_MSG(extack, "ambiguous or reserved bits set in nlmsg_flags");
		return -EINVAL;
	}
	return 0;
}
#endif

/* The attributes of a dump request (in a genl_info of its own from 6.6). */
#ifdef RZ_HAVE_GENL_INFO_DUMP
#define rz_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define rz_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/* Points the extack at a missing attribute (6.0, and backports). */
#ifdef RZ_HAVE_ERR_ATTR_MISS
#define rz_set_err_attr_missing(extack, type) \
	NL_SET_ERR_ATTR_MISS(extack, NULL, type)
#else
#define rz_set_err_attr_missing(extack, type) do { } while (0)
#endif

/* ------------------------------------------------------ backing device */

/* Block I/O flags got a type of their own in 6.0. */
#ifndef RZ_HAVE_BLK_OPF_T
typedef unsigned int blk_opf_t;
#endif

/* bio_init() takes the device and the flags from 5.18. */
static inline void rz_bio_init(struct bio *bio, struct block_device *bdev,
			       struct bio_vec *table, unsigned short max_vecs,
			       blk_opf_t opf)
{
#ifdef RZ_BIO_INIT_HAS_BDEV
	bio_init(bio, bdev, table, max_vecs, opf);
#else
	bio_init(bio, table, max_vecs);
	bio_set_dev(bio, bdev);
	bio->bi_opf = opf;
#endif
}

#ifdef RZ_HAVE_BDEV_NR_BYTES
#define rz_bdev_nr_bytes(bdev)	bdev_nr_bytes(bdev)
#else
#define rz_bdev_nr_bytes(bdev)	((u64)i_size_read((bdev)->bd_inode))
#endif

/*
 * An exclusive claim of a block device for reading and writing: a file
 * from 6.9 (bdev_fput() gives the claim back before the file's last
 * reference goes, 6.10), an fmode_t claim before 6.5.  The lines between
 * are refused by compat_kernels.h.
 */
#ifdef RZ_HAVE_BDEV_FILE_OPEN
struct rz_bdev_handle {
	struct file *file;
};

static inline int rz_bdev_open(struct rz_bdev_handle *h, const char *path,
			       void *holder)
{
	h->file = bdev_file_open_by_path(path, BLK_OPEN_READ | BLK_OPEN_WRITE,
					 holder, NULL);
	return PTR_ERR_OR_ZERO(h->file);
}

#define rz_bdev(h)		file_bdev((h)->file)
#define rz_bdev_close(h)	bdev_fput((h)->file)
#else
struct rz_bdev_handle {
	struct block_device *bdev;
};

#define RZ_BDEV_MODE	(FMODE_READ | FMODE_WRITE | FMODE_EXCL)

static inline int rz_bdev_open(struct rz_bdev_handle *h, const char *path,
			       void *holder)
{
	h->bdev = blkdev_get_by_path(path, RZ_BDEV_MODE, holder);
	return PTR_ERR_OR_ZERO(h->bdev);
}

#define rz_bdev(h)		((h)->bdev)
#define rz_bdev_close(h)	blkdev_put((h)->bdev, RZ_BDEV_MODE)
#endif

/* ---------------------------------------------------------------- lzo */

/*
 * The _safe compressors respect the output capacity (mainline 6.15,
 * backported by Debian into 6.1 and 6.12).  Without them the destination
 * must hold lzo1x_worst_compress(PAGE_SIZE), which the 2-page stream
 * buffer does.
 */
#ifdef RZ_HAVE_LZO_SAFE
#define rz_lzo1x_compress	lzo1x_1_compress_safe
#define rz_lzorle1x_compress	lzorle1x_1_compress_safe
#else
#define rz_lzo1x_compress	lzo1x_1_compress
#define rz_lzorle1x_compress	lzorle1x_1_compress
#endif

#endif /* RAMZSWAP_COMPAT_H */
