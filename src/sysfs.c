// SPDX-License-Identifier: GPL-2.0-only
/*
 * Read-only statistics in /sys/block/ramzswapN/ramzswap/, one value per
 * file.  Sizes are in bytes, counts in pages (PAGE_SIZE) or events.
 */
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/sysfs.h>

#include "backing.h"
#include "ramzswap.h"

static struct ramzswap *dev_to_rzs(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

/* A statistic: its attribute and its number in enum ramzswap_stat. */
struct rzs_stat_attr {
	struct device_attribute attr;
	enum ramzswap_stat stat;
};

static ssize_t rzs_stat_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	enum ramzswap_stat stat = container_of(attr, struct rzs_stat_attr,
					       attr)->stat;
	u64 v[RAMZSWAP_STAT_MAX + 1];

	rzs_dev_stats(dev_to_rzs(dev), v);
	return sysfs_emit(buf, "%llu\n", v[stat]);
}

#define RZS_STAT_ATTR(_name, _stat)					\
static struct rzs_stat_attr rzs_stat_##_name = {			\
	.attr = __ATTR(_name, 0444, rzs_stat_show, NULL),		\
	.stat = _stat,							\
}

RZS_STAT_ATTR(num_reads, RAMZSWAP_STAT_NUM_READS);
RZS_STAT_ATTR(num_writes, RAMZSWAP_STAT_NUM_WRITES);
RZS_STAT_ATTR(failed_reads, RAMZSWAP_STAT_FAILED_READS);
RZS_STAT_ATTR(failed_writes, RAMZSWAP_STAT_FAILED_WRITES);
RZS_STAT_ATTR(invalid_io, RAMZSWAP_STAT_INVALID_IO);
RZS_STAT_ATTR(notify_free, RAMZSWAP_STAT_NOTIFY_FREE);
RZS_STAT_ATTR(miss_free, RAMZSWAP_STAT_MISS_FREE);
RZS_STAT_ATTR(discarded, RAMZSWAP_STAT_DISCARDED);
RZS_STAT_ATTR(memlimit_hits, RAMZSWAP_STAT_MEMLIMIT_HITS);
RZS_STAT_ATTR(pages_stored, RAMZSWAP_STAT_PAGES_STORED);
RZS_STAT_ATTR(same_pages, RAMZSWAP_STAT_SAME_PAGES);
RZS_STAT_ATTR(huge_pages, RAMZSWAP_STAT_HUGE_PAGES);
RZS_STAT_ATTR(good_compress, RAMZSWAP_STAT_GOOD_COMPRESS);
RZS_STAT_ATTR(orig_data_size, RAMZSWAP_STAT_ORIG_DATA_SIZE);
RZS_STAT_ATTR(compr_data_size, RAMZSWAP_STAT_COMPR_DATA_SIZE);
RZS_STAT_ATTR(mem_used_total, RAMZSWAP_STAT_MEM_USED_TOTAL);
RZS_STAT_ATTR(mem_used_max, RAMZSWAP_STAT_MEM_USED_MAX);
RZS_STAT_ATTR(pages_compacted, RAMZSWAP_STAT_PAGES_COMPACTED);
RZS_STAT_ATTR(bd_pages, RAMZSWAP_STAT_BD_PAGES);
RZS_STAT_ATTR(bd_bytes, RAMZSWAP_STAT_BD_BYTES);
RZS_STAT_ATTR(bd_blocks, RAMZSWAP_STAT_BD_BLOCKS);
RZS_STAT_ATTR(bd_reads, RAMZSWAP_STAT_BD_READS);
RZS_STAT_ATTR(bd_writes, RAMZSWAP_STAT_BD_WRITES);
RZS_STAT_ATTR(bd_read_errors, RAMZSWAP_STAT_BD_READ_ERRORS);
RZS_STAT_ATTR(wb_errors, RAMZSWAP_STAT_WB_ERRORS);
RZS_STAT_ATTR(wb_pages, RAMZSWAP_STAT_WB_PAGES);
RZS_STAT_ATTR(idle_age1, RAMZSWAP_STAT_IDLE_AGE1);
RZS_STAT_ATTR(idle_age2, RAMZSWAP_STAT_IDLE_AGE2);
RZS_STAT_ATTR(idle_age3, RAMZSWAP_STAT_IDLE_AGE3);
RZS_STAT_ATTR(wb_limit_left, RAMZSWAP_STAT_WB_LIMIT_LEFT);
RZS_STAT_ATTR(incompressible_pages, RAMZSWAP_STAT_INCOMPRESSIBLE_PAGES);

static ssize_t initstate_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", rzs_dev_initialized(dev_to_rzs(dev)));
}
static DEVICE_ATTR_RO(initstate);

static ssize_t disksize_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct ramzswap *rzs = dev_to_rzs(dev);
	u64 v;

	down_read(&rzs->init_lock);
	v = rzs->disksize;
	up_read(&rzs->init_lock);
	return sysfs_emit(buf, "%llu\n", v);
}
static DEVICE_ATTR_RO(disksize);

static ssize_t memlimit_show(struct device *dev,
			     struct device_attribute *attr, char *buf)
{
	struct ramzswap *rzs = dev_to_rzs(dev);
	u64 v;

	down_read(&rzs->init_lock);
	v = rzs->memlimit;
	up_read(&rzs->init_lock);
	return sysfs_emit(buf, "%llu\n", v);
}
static DEVICE_ATTR_RO(memlimit);

static ssize_t algorithm_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct ramzswap *rzs = dev_to_rzs(dev);
	ssize_t n;

	down_read(&rzs->init_lock);
	n = sysfs_emit(buf, "%s\n", rzs->backend ? rzs->backend->name : "");
	up_read(&rzs->init_lock);
	return n;
}
static DEVICE_ATTR_RO(algorithm);

static ssize_t level_show(struct device *dev,
			  struct device_attribute *attr, char *buf)
{
	struct ramzswap *rzs = dev_to_rzs(dev);
	int v;

	down_read(&rzs->init_lock);
	v = rzs->level;
	up_read(&rzs->init_lock);
	return sysfs_emit(buf, "%d\n", v);
}
static DEVICE_ATTR_RO(level);

/* The backing device's path as given at init; empty without one. */
static ssize_t backing_dev_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct ramzswap *rzs = dev_to_rzs(dev);
	ssize_t n;

	down_read(&rzs->init_lock);
	n = sysfs_emit(buf, "%s\n", rzs->store && rzs->store->bd ?
		       rzs_backing_path(rzs->store->bd) : "");
	up_read(&rzs->init_lock);
	return n;
}
static DEVICE_ATTR_RO(backing_dev);

static struct attribute *rzs_attrs[] = {
	&dev_attr_initstate.attr,
	&dev_attr_disksize.attr,
	&dev_attr_memlimit.attr,
	&dev_attr_algorithm.attr,
	&dev_attr_level.attr,
	&dev_attr_backing_dev.attr,
	&rzs_stat_num_reads.attr.attr,
	&rzs_stat_num_writes.attr.attr,
	&rzs_stat_failed_reads.attr.attr,
	&rzs_stat_failed_writes.attr.attr,
	&rzs_stat_invalid_io.attr.attr,
	&rzs_stat_notify_free.attr.attr,
	&rzs_stat_miss_free.attr.attr,
	&rzs_stat_discarded.attr.attr,
	&rzs_stat_memlimit_hits.attr.attr,
	&rzs_stat_pages_stored.attr.attr,
	&rzs_stat_same_pages.attr.attr,
	&rzs_stat_huge_pages.attr.attr,
	&rzs_stat_good_compress.attr.attr,
	&rzs_stat_orig_data_size.attr.attr,
	&rzs_stat_compr_data_size.attr.attr,
	&rzs_stat_mem_used_total.attr.attr,
	&rzs_stat_mem_used_max.attr.attr,
	&rzs_stat_pages_compacted.attr.attr,
	&rzs_stat_bd_pages.attr.attr,
	&rzs_stat_bd_bytes.attr.attr,
	&rzs_stat_bd_blocks.attr.attr,
	&rzs_stat_bd_reads.attr.attr,
	&rzs_stat_bd_writes.attr.attr,
	&rzs_stat_bd_read_errors.attr.attr,
	&rzs_stat_wb_errors.attr.attr,
	&rzs_stat_wb_pages.attr.attr,
	&rzs_stat_idle_age1.attr.attr,
	&rzs_stat_idle_age2.attr.attr,
	&rzs_stat_idle_age3.attr.attr,
	&rzs_stat_wb_limit_left.attr.attr,
	&rzs_stat_incompressible_pages.attr.attr,
	NULL,
};

static const struct attribute_group rzs_attr_group = {
	.name	= "ramzswap",
	.attrs	= rzs_attrs,
};

const struct attribute_group *rzs_attr_groups[] = {
	&rzs_attr_group,
	NULL,
};
