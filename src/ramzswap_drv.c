// SPDX-License-Identifier: GPL-2.0-only
/*
 * ramzswap: compressed RAM block devices, /dev/ramzswapN.
 *
 * This file holds the module and the life cycle of devices: add, init,
 * reset, remove.  The control plane (module parameters, the netlink
 * family in genl.c) calls only the rzs_dev_*() functions below.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait_bit.h>
#include <net/genetlink.h>

#include "backing.h"
#include "compat.h"
#include "ramzswap.h"

static unsigned int num_devices = 1;
module_param(num_devices, uint, 0444);
MODULE_PARM_DESC(num_devices, "Number of devices created at load (default 1, at most 1024)");

static unsigned long disksize_kb;
module_param(disksize_kb, ulong, 0444);
MODULE_PARM_DESC(disksize_kb, "Initialize ramzswap0 at load with this disk size in KiB");

static unsigned long memlimit_kb;
module_param(memlimit_kb, ulong, 0444);
MODULE_PARM_DESC(memlimit_kb, "Memory limit of ramzswap0 in KiB when disksize_kb initializes it (0: none)");

static char *algorithm = "lzo-rle";
module_param(algorithm, charp, 0444);
MODULE_PARM_DESC(algorithm, "Default compression algorithm: lzo-rle, lzo, lz4, lz4hc or zstd");

static const struct rzs_backend *rzs_default_backend;
static int rzs_major;
static DEFINE_IDR(rzs_index_idr);
static DEFINE_MUTEX(rzs_ctl_mutex);	/* the control lock; guards the idr */
static bool rzs_exiting;		/* under the control lock: no new devices */

static const struct rz_disk_limits rzs_limits = {
	/* 512: any sector-aligned I/O works; partial pages are merged. */
	.logical_block_size	= SECTOR_SIZE,
	.physical_block_size	= PAGE_SIZE,
	.discard_granularity	= PAGE_SIZE,
	.max_discard_sectors	= UINT_MAX,
	.max_write_zeroes_sectors = UINT_MAX,
};

void rzs_ctl_lock(void)
{
	mutex_lock(&rzs_ctl_mutex);
}

void rzs_ctl_unlock(void)
{
	mutex_unlock(&rzs_ctl_mutex);
}

struct ramzswap *rzs_dev_find(u32 index)
{
	lockdep_assert_held(&rzs_ctl_mutex);
	return idr_find(&rzs_index_idr, index);
}

/* The device with the lowest number >= *index; *index is set to it. */
struct ramzswap *rzs_dev_next(u32 *index)
{
	int id = *index;
	struct ramzswap *rzs;

	lockdep_assert_held(&rzs_ctl_mutex);
	rzs = idr_get_next(&rzs_index_idr, &id);
	*index = id;
	return rzs;
}

const struct rzs_backend *rzs_dev_default_backend(void)
{
	return rzs_default_backend;
}

/*
 * Marks the device busy for reset/remove if nobody has it open; open()
 * fails while the mark is set.
 */
static int rzs_claim(struct ramzswap *rzs)
{
	struct rz_open_lock lock;
	int ret;

	ret = rz_open_lock(&lock, rzs->disk);
	if (ret)
		return ret;
	if (rz_openers(&lock) || rzs->claimed)
		ret = -EBUSY;
	else
		WRITE_ONCE(rzs->claimed, true);
	rz_open_unlock(&lock);
	return ret;
}

static void rzs_unclaim(struct ramzswap *rzs)
{
	struct rz_open_lock lock;
	/*
	 * Without the lock (5.10 out of memory) an open racing this sees
	 * the mark or not, as if it came just before or just after.
	 */
	bool locked = !rz_open_lock(&lock, rzs->disk);

	WRITE_ONCE(rzs->claimed, false);
	if (locked)
		rz_open_unlock(&lock);
}

/* A disk not yet added has nobody to tell of its new size. */
static void rzs_set_capacity(struct ramzswap *rzs, sector_t sectors)
{
	if (rzs->added)
		rz_set_capacity(rzs->disk, sectors);
	else
		set_capacity(rzs->disk, sectors);
}

/* rzs_dev_init() without the backing device's ownership. */
static int rzs_dev_init_store(struct ramzswap *rzs,
			      const struct rzs_config *cfg)
{
	const struct rzs_backend *backend = rzs_default_backend;
	u64 disksize = round_up(cfg->disksize, PAGE_SIZE);
	struct rzs_store *store;
	int level = cfg->level;
	int ret = 0;

	if (cfg->algorithm) {
		backend = rzs_backend_find(cfg->algorithm);
		if (!backend)
			return -EINVAL;
	}
	if (!level)
		level = backend->level_default;
	else if (level < backend->level_min || level > backend->level_max)
		return -EINVAL;
	if (!cfg->disksize || cfg->disksize > RAMZSWAP_DISKSIZE_MAX)
		return -EINVAL;

	down_write(&rzs->init_lock);
	if (rzs->store) {
		ret = -EBUSY;
		goto out;
	}
	store = rzs_store_create(rzs->disk->disk_name, disksize >> PAGE_SHIFT,
				 backend, level, &rzs->stats, cfg->backing);
	if (IS_ERR(store)) {
		ret = PTR_ERR(store);
		goto out;
	}
	if (cfg->backing)
		rzs_backing_set_limit(cfg->backing, cfg->wb_limit);
	rzs_store_set_limit(store, DIV_ROUND_UP_ULL(cfg->memlimit, PAGE_SIZE));
	store->limit_work = &rzs->memlimit_work;
	rzs->disksize = disksize;
	rzs->memlimit = cfg->memlimit;
	rzs->backend = backend;
	rzs->level = level;
	/* The I/O path reads the pointer without the lock. */
	smp_store_release(&rzs->store, store);
	rzs_set_capacity(rzs, disksize >> SECTOR_SHIFT);
out:
	up_write(&rzs->init_lock);
	if (!ret)
		rzs_genl_notify(rzs, RAMZSWAP_CMD_EVT_INITIALIZED);
	return ret;
}

/**
 * rzs_dev_init - give an uninitialized device its disk and store
 * @rzs: the device
 * @cfg: disk size, memory limit, algorithm and level, the backing device
 *
 * The store owns @cfg->backing from here on, and it is closed if this
 * fails.
 *
 * Return: 0; -EBUSY if the device is initialized; -EINVAL for an
 * unknown algorithm, a level the algorithm does not take or a disk size
 * of zero or beyond RAMZSWAP_DISKSIZE_MAX; -ENOMEM.
 */
int rzs_dev_init(struct ramzswap *rzs, const struct rzs_config *cfg)
{
	int ret = rzs_dev_init_store(rzs, cfg);

	if (ret && cfg->backing)
		rzs_backing_close(cfg->backing);
	return ret;
}

/* Changes the memory limit of an initialized device, effective at once. */
int rzs_dev_set_memlimit(struct ramzswap *rzs, u64 memlimit)
{
	int ret = 0;

	down_write(&rzs->init_lock);
	if (rzs->store) {
		rzs_store_set_limit(rzs->store,
				    DIV_ROUND_UP_ULL(memlimit, PAGE_SIZE));
		rzs->memlimit = memlimit;
	} else {
		ret = -ENODEV;
	}
	up_write(&rzs->init_lock);
	return ret;
}

/* Frees the store; the device is claimed, so no I/O can be under way. */
static void rzs_dev_free_store(struct ramzswap *rzs)
{
	/* No write can schedule it any more: wait for a pending one. */
	cancel_work_sync(&rzs->memlimit_work);
	/*
	 * Marking and writeback use the store without the locks: tell them
	 * to stop and wait for them.  No new one begins, it takes the control
	 * lock, which we hold; the pointer cannot change for the same reason.
	 */
	if (rzs->store) {
		WRITE_ONCE(rzs->store->aborted, true);
		wait_var_event(&rzs->tier_users, !atomic_read(&rzs->tier_users));
	}
	down_write(&rzs->init_lock);
	if (rzs->store) {
		rzs_set_capacity(rzs, 0);
		rzs_store_destroy(rzs->store);
		WRITE_ONCE(rzs->store, NULL);
	}
	rzs->disksize = 0;
	rzs->memlimit = 0;
	rzs->backend = NULL;
	rzs->level = 0;
	memset(&rzs->stats, 0, sizeof(rzs->stats));
	up_write(&rzs->init_lock);
}

/**
 * rzs_dev_reset - free everything a device stores, back to uninitialized
 * @rzs: the device
 *
 * Return: 0, -EBUSY if the device is open (swapped on, mounted), or
 * -ENOMEM (5.10) if the disk's block device could not be looked up.
 */
int rzs_dev_reset(struct ramzswap *rzs)
{
	int ret = rzs_claim(rzs);

	if (ret)
		return ret;
	/*
	 * Only the 5.10 lookup can fail: the last close wrote back and
	 * cleared every error of the page cache already.
	 */
	ret = rz_sync_disk(rzs->disk);
	if (!ret)
		rzs_dev_free_store(rzs);
	rzs_unclaim(rzs);
	if (!ret)
		rzs_genl_notify(rzs, RAMZSWAP_CMD_EVT_RESET);
	return ret;
}

/* Changes the writeback budget of a device with a backing device. */
int rzs_dev_set_wb_limit(struct ramzswap *rzs, u64 bytes)
{
	int ret = 0;

	down_read(&rzs->init_lock);
	if (!rzs->store)
		ret = -ENODEV;
	else if (!rzs->store->bd)
		ret = -ENXIO;
	else
		rzs_backing_set_limit(rzs->store->bd, bytes);
	up_read(&rzs->init_lock);
	return ret;
}

/**
 * rzs_dev_tier_begin - keep an initialized device's store for a long task
 * @rzs: the device, found under the control lock, which is still held
 *
 * Marking and writeback take a while and run with neither the control
 * lock nor the init lock, so that every other command and reader goes on.
 * They are counted instead: reset and remove (rzs_dev_free_store()) tell
 * them to stop and wait for the count to drop before the store and the
 * device go.
 *
 * Return: 0, or -ENODEV if the device is not initialized.
 */
int rzs_dev_tier_begin(struct ramzswap *rzs)
{
	int ret = 0;

	lockdep_assert_held(&rzs_ctl_mutex);
	down_read(&rzs->init_lock);
	if (rzs->store)
		atomic_inc(&rzs->tier_users);
	else
		ret = -ENODEV;
	up_read(&rzs->init_lock);
	return ret;
}

/*
 * The last use of @rzs: once the count drops, a waiting remove may free
 * it.  wake_up_var() only hashes the address, it does not dereference it.
 */
void rzs_dev_tier_end(struct ramzswap *rzs)
{
	atomic_t *users = &rzs->tier_users;

	if (atomic_dec_and_test(users))
		wake_up_var(users);
}

/* Between rzs_dev_tier_begin() and _end(). */
unsigned long rzs_dev_mark_idle(struct ramzswap *rzs, unsigned int min_age)
{
	return rzs_store_mark_idle(rzs->store, min_age);
}

/**
 * rzs_dev_writeback - move pages to the backing device
 * @rzs: the device, between rzs_dev_tier_begin() and _end()
 * @kinds: mask of enum ramzswap_wb_kind
 * @min_age: idle age of RAMZSWAP_WB_IDLE, at least 1
 * @max_pages: at most this many
 * @written: how many moved
 * @stop: why it stopped
 *
 * Return: 0; -ENXIO without a backing device; -EINTR if a signal came
 * while another writeback of the device ran.
 */
int rzs_dev_writeback(struct ramzswap *rzs, unsigned int kinds,
		      unsigned int min_age, u64 max_pages, u64 *written,
		      enum rzs_wb_stop *stop)
{
	if (!rzs->store->bd)
		return -ENXIO;
	if (mutex_lock_interruptible(&rzs->wb_lock))
		return -EINTR;
	*stop = rzs_store_writeback(rzs->store, kinds, min_age, max_pages,
				    written);
	mutex_unlock(&rzs->wb_lock);
	return 0;
}

unsigned long rzs_dev_compact(struct ramzswap *rzs)
{
	unsigned long pages = 0;

	down_read(&rzs->init_lock);
	if (rzs->store)
		pages = rzs_store_compact(rzs->store);
	up_read(&rzs->init_lock);
	return pages;
}

bool rzs_dev_initialized(struct ramzswap *rzs)
{
	bool init;

	down_read(&rzs->init_lock);
	init = rzs->store;
	up_read(&rzs->init_lock);
	return init;
}

/* How many have the disk open; 0 if that cannot be told (5.10, no memory). */
unsigned int rzs_dev_openers(struct ramzswap *rzs)
{
	struct rz_open_lock lock;
	unsigned int n;

	if (rz_open_lock(&lock, rzs->disk))
		return 0;
	n = rz_openers(&lock);
	rz_open_unlock(&lock);
	return n;
}

/**
 * rzs_dev_stats - one consistent reading of every statistic
 * @rzs: the device
 * @v: RAMZSWAP_STAT_MAX + 1 values, indexed by enum ramzswap_stat
 *
 * sysfs and netlink both report what this reads.
 */
void rzs_dev_stats(struct ramzswap *rzs, u64 *v)
{
	struct rzs_stats *st = &rzs->stats;

	memset(v, 0, sizeof(*v) * (RAMZSWAP_STAT_MAX + 1));
	down_read(&rzs->init_lock);
	v[RAMZSWAP_STAT_NUM_READS] = atomic64_read(&st->num_reads);
	v[RAMZSWAP_STAT_NUM_WRITES] = atomic64_read(&st->num_writes);
	v[RAMZSWAP_STAT_FAILED_READS] = atomic64_read(&st->failed_reads);
	v[RAMZSWAP_STAT_FAILED_WRITES] = atomic64_read(&st->failed_writes);
	v[RAMZSWAP_STAT_INVALID_IO] = atomic64_read(&st->invalid_io);
	v[RAMZSWAP_STAT_NOTIFY_FREE] = atomic64_read(&st->notify_free);
	v[RAMZSWAP_STAT_MISS_FREE] = atomic64_read(&st->miss_free);
	v[RAMZSWAP_STAT_DISCARDED] = atomic64_read(&st->discarded);
	v[RAMZSWAP_STAT_MEMLIMIT_HITS] = atomic64_read(&st->memlimit_hits);
	v[RAMZSWAP_STAT_PAGES_STORED] = atomic64_read(&st->pages_stored);
	v[RAMZSWAP_STAT_SAME_PAGES] = atomic64_read(&st->same_pages);
	v[RAMZSWAP_STAT_HUGE_PAGES] = atomic64_read(&st->huge_pages);
	v[RAMZSWAP_STAT_GOOD_COMPRESS] = atomic64_read(&st->good_compress);
	v[RAMZSWAP_STAT_ORIG_DATA_SIZE] =
		v[RAMZSWAP_STAT_PAGES_STORED] << PAGE_SHIFT;
	v[RAMZSWAP_STAT_COMPR_DATA_SIZE] = atomic64_read(&st->compr_data_size);
	v[RAMZSWAP_STAT_MEM_USED_MAX] =
		(u64)atomic64_read(&st->max_used_pages) << PAGE_SHIFT;
	v[RAMZSWAP_STAT_INCOMPRESSIBLE_PAGES] = atomic64_read(&st->incompressible);
	v[RAMZSWAP_STAT_IDLE_AGE1] = atomic64_read(&st->idle[0]);
	v[RAMZSWAP_STAT_IDLE_AGE2] = atomic64_read(&st->idle[1]);
	v[RAMZSWAP_STAT_IDLE_AGE3] = atomic64_read(&st->idle[2]);
	v[RAMZSWAP_STAT_BD_PAGES] = atomic64_read(&st->bd_pages);
	v[RAMZSWAP_STAT_BD_BYTES] = atomic64_read(&st->bd_bytes);
	v[RAMZSWAP_STAT_BD_READS] = atomic64_read(&st->bd_reads);
	v[RAMZSWAP_STAT_BD_WRITES] = atomic64_read(&st->bd_writes);
	v[RAMZSWAP_STAT_BD_READ_ERRORS] = atomic64_read(&st->bd_read_errors);
	v[RAMZSWAP_STAT_WB_ERRORS] = atomic64_read(&st->wb_errors);
	v[RAMZSWAP_STAT_WB_PAGES] = atomic64_read(&st->wb_pages);
	if (rzs->store) {
		struct rzs_backing *bd = rzs->store->bd;

		v[RAMZSWAP_STAT_MEM_USED_TOTAL] =
			(u64)rzs_store_mem_used_pages(rzs->store) << PAGE_SHIFT;
		v[RAMZSWAP_STAT_PAGES_COMPACTED] =
			rzs_store_pages_compacted(rzs->store);
		if (bd) {
			v[RAMZSWAP_STAT_BD_BLOCKS] = rzs_backing_blocks_used(bd);
			v[RAMZSWAP_STAT_WB_LIMIT_LEFT] = rzs_backing_limit_left(bd);
		}
	}
	up_read(&rzs->init_lock);
}

static void rzs_memlimit_work(struct work_struct *work)
{
	struct ramzswap *rzs = container_of(work, struct ramzswap,
					    memlimit_work);

	rzs_genl_notify(rzs, RAMZSWAP_CMD_EVT_MEMLIMIT);
}

/**
 * rzs_dev_add - create a device
 * @id: its number, or -1 for the lowest free one
 * @cfg: initialize it with this before the disk appears, or NULL
 *
 * The caller holds the control lock.  Nothing can fail once the disk is
 * added: from then on anyone (udev's blkid first) may have it open, and
 * an open disk cannot be taken back.
 *
 * Return: the device, or an ERR_PTR: -EEXIST if @id is taken, -ENOSPC if
 * all numbers are, -ENODEV while the module unloads, an error of
 * rzs_dev_init(), -ENOMEM.
 */
struct ramzswap *rzs_dev_add(int id, const struct rzs_config *cfg)
{
	struct ramzswap *rzs;
	struct gendisk *disk;
	int ret;

	lockdep_assert_held(&rzs_ctl_mutex);
	if (rzs_exiting)
		return ERR_PTR(-ENODEV);
	rzs = kzalloc(sizeof(*rzs), GFP_KERNEL);
	if (!rzs)
		return ERR_PTR(-ENOMEM);
	init_rwsem(&rzs->init_lock);
	mutex_init(&rzs->wb_lock);
	INIT_WORK(&rzs->memlimit_work, rzs_memlimit_work);

	if (id >= 0)
		ret = idr_alloc(&rzs_index_idr, rzs, id, id + 1, GFP_KERNEL);
	else
		ret = idr_alloc(&rzs_index_idr, rzs, 0, RZS_MAX_DEVICES,
				GFP_KERNEL);
	if (ret < 0) {
		if (ret == -ENOSPC && id >= 0)
			ret = -EEXIST;
		goto out_free;
	}
	rzs->id = ret;

	disk = rz_alloc_disk(&rzs_limits);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto out_idr;
	}
	rzs->disk = disk;
	disk->major = rzs_major;
	disk->first_minor = rzs->id;
	rz_disk_no_partitions(disk);
	disk->fops = &rzs_fops;
	disk->private_data = rzs;
	snprintf(disk->disk_name, DISK_NAME_LEN, "ramzswap%d", rzs->id);
	set_capacity(disk, 0);

	if (cfg) {
		ret = rzs_dev_init(rzs, cfg);
		if (ret)
			goto out_disk;
	}
	ret = rz_add_disk(disk, rzs_attr_groups);
	if (ret)
		goto out_store;
	rzs->added = true;
	rzs_genl_notify(rzs, RAMZSWAP_CMD_EVT_ADDED);
	return rzs;

out_store:
	rzs_dev_free_store(rzs);
out_disk:
	rz_put_disk(disk, false);
out_idr:
	idr_remove(&rzs_index_idr, rzs->id);
out_free:
	kfree(rzs);
	return ERR_PTR(ret);
}

/**
 * rzs_dev_remove - delete a device nobody has open, freeing its store
 * @rzs: the device
 *
 * The caller holds the control lock.
 *
 * Return: 0, or -EBUSY if it is open.
 */
int rzs_dev_remove(struct ramzswap *rzs)
{
	int ret;

	lockdep_assert_held(&rzs_ctl_mutex);
	ret = rzs_claim(rzs);
	if (ret)
		return ret;
	/* A pending memory-limit event must not come after REMOVED. */
	cancel_work_sync(&rzs->memlimit_work);
	rzs_genl_notify(rzs, RAMZSWAP_CMD_EVT_REMOVED);
	del_gendisk(rzs->disk);
	rzs_dev_free_store(rzs);
	idr_remove(&rzs_index_idr, rzs->id);
	rz_put_disk(rzs->disk, true);
	kfree(rzs);
	return 0;
}

/*
 * Removes every device, for good: no new ones come after it.  At unload
 * the module's reference count guarantees that nobody has a disk open.  A
 * failed load may race an opener that found a new disk (udev's blkid
 * opens each one): its open holds a reference on the module, which is
 * freed when the load fails, so wait until it has closed the disk.
 */
static void rzs_remove_all(void)
{
	struct ramzswap *rzs;
	u32 id = 0;

	rzs_ctl_lock();
	rzs_exiting = true;
	/* Not idr_for_each(): its callback may not remove entries. */
	while ((rzs = rzs_dev_next(&id))) {
		while (rzs_dev_remove(rzs)) {
			pr_warn_ratelimited("ramzswap%u: waiting for it to be closed\n",
					    id);
			msleep(20);
		}
	}
	rzs_ctl_unlock();
}

/*
 * A size parameter in KiB against the byte range the netlink policy puts on
 * the same value; the shift cannot overflow once the first test passed.
 */
static int __init rzs_check_kb(const char *name, unsigned long kb,
			       const struct netlink_range_validation *range)
{
	if (kb > range->max >> 10 || ((u64)kb << 10) < range->min) {
		pr_err("%s=%lu: out of range, %llu to %llu KiB\n", name, kb,
		       DIV_ROUND_UP_ULL(range->min, 1024), range->max >> 10);
		return -EINVAL;
	}
	return 0;
}

static int __init rzs_check_params(void)
{
	char names[64];
	int ret;

	if (num_devices > RZS_MAX_DEVICES) {
		pr_err("num_devices=%u: at most %d devices\n", num_devices,
		       RZS_MAX_DEVICES);
		return -EINVAL;
	}
	rzs_default_backend = rzs_backend_find(algorithm);
	if (!rzs_default_backend) {
		rzs_backend_list(names, sizeof(names));
		pr_err("algorithm=%s: unknown; choose one of: %s\n", algorithm,
		       names);
		return -EINVAL;
	}
	if (disksize_kb && !num_devices) {
		pr_err("disksize_kb=%lu: needs num_devices of at least 1\n",
		       disksize_kb);
		return -EINVAL;
	}
	if (memlimit_kb && !disksize_kb) {
		pr_err("memlimit_kb=%lu: only applies together with disksize_kb\n",
		       memlimit_kb);
		return -EINVAL;
	}
	if (disksize_kb) {
		ret = rzs_check_kb("disksize_kb", disksize_kb,
				   &rzs_disksize_range);
		if (ret)
			return ret;
	}
	return rzs_check_kb("memlimit_kb", memlimit_kb, &rzs_memlimit_range);
}

/* Device 0 as disksize_kb and memlimit_kb ask, or NULL. */
static int __init rzs_add_params_device(void)
{
	struct rzs_config cfg = {
		.disksize = (u64)disksize_kb << 10,
		.memlimit = (u64)memlimit_kb << 10,
	};
	struct ramzswap *rzs0;

	rzs0 = rzs_dev_add(0, disksize_kb ? &cfg : NULL);
	if (IS_ERR(rzs0)) {
		if (!disksize_kb)
			pr_err("cannot add ramzswap0: %pe\n", rzs0);
		else if (PTR_ERR(rzs0) == -ENOMEM)
			pr_err("disksize_kb=%lu: cannot initialize ramzswap0: not enough memory (its slot table alone takes %lu MiB)\n",
			       disksize_kb, disksize_kb / (PAGE_SIZE / 1024) *
			       sizeof(struct rzs_slot) >> 20);
		else
			pr_err("disksize_kb=%lu: cannot initialize ramzswap0: %pe\n",
			       disksize_kb, rzs0);
		return PTR_ERR(rzs0);
	}
	if (disksize_kb)
		pr_info("ramzswap0: %lu KiB, %s%s\n", disksize_kb,
			rzs0->backend->name,
			memlimit_kb ? ", memory limit set" : "");
	return 0;
}

static int __init rzs_init(void)
{
	struct ramzswap *rzs;
	unsigned int i;
	int ret;

	ret = rzs_check_params();
	if (ret)
		return ret;

	ret = rzs_comp_init_module();
	if (ret)
		return ret;
	rzs_major = register_blkdev(0, "ramzswap");
	if (rzs_major < 0) {
		ret = rzs_major;
		goto out_comp;
	}

	rzs_ctl_lock();
	if (num_devices)
		ret = rzs_add_params_device();
	for (i = 1; !ret && i < num_devices; i++) {
		rzs = rzs_dev_add(i, NULL);
		if (IS_ERR(rzs)) {
			ret = PTR_ERR(rzs);
			pr_err("cannot add ramzswap%u: %pe\n", i, rzs);
		}
	}
	rzs_ctl_unlock();
	if (ret)
		goto out_devices;

	/* Last: once the family exists, userspace may change devices. */
	ret = rzs_genl_register();
	if (ret)
		goto out_devices;
	return 0;

out_devices:
	rzs_remove_all();
	unregister_blkdev(rzs_major, "ramzswap");
out_comp:
	rzs_comp_exit_module();
	return ret;
}

/*
 * Devices go first, while the family can still announce their removal and
 * refuses new ones; a device's pending memory-limit announcement is
 * cancelled with it, before the family it would multicast on is gone.
 */
static void __exit rzs_exit(void)
{
	rzs_remove_all();
	rzs_genl_unregister();
	idr_destroy(&rzs_index_idr);
	unregister_blkdev(rzs_major, "ramzswap");
	rzs_comp_exit_module();
}

module_init(rzs_init);
module_exit(rzs_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Compressed RAM block device for swap");
MODULE_AUTHOR("The ramzswap developers");
MODULE_VERSION(RAMZSWAP_VERSION);
MODULE_ALIAS_GENL_FAMILY(RAMZSWAP_GENL_NAME);
