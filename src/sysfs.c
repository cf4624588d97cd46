// SPDX-License-Identifier: GPL-2.0-only
/*
 * Read-only statistics in /sys/block/ramzswapN/ramzswap/, one value per
 * file.  Sizes are in bytes, counts in pages (PAGE_SIZE) or events.
 */
#include <linux/blkdev.h>
#include <linux/device.h>
#include <linux/sysfs.h>

#include "ramzswap.h"

static struct ramzswap *dev_to_rzs(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

static ssize_t rzs_show_stat(struct device *dev, char *buf, size_t offset)
{
	struct ramzswap *rzs = dev_to_rzs(dev);
	atomic64_t *v = (atomic64_t *)((char *)&rzs->stats + offset);

	return sysfs_emit(buf, "%lld\n", (long long)atomic64_read(v));
}

#define RZS_STAT_ATTR(name)						\
static ssize_t name##_show(struct device *dev,				\
			   struct device_attribute *attr, char *buf)	\
{									\
	return rzs_show_stat(dev, buf, offsetof(struct rzs_stats, name)); \
}									\
static DEVICE_ATTR_RO(name)

RZS_STAT_ATTR(num_reads);
RZS_STAT_ATTR(num_writes);
RZS_STAT_ATTR(failed_reads);
RZS_STAT_ATTR(failed_writes);
RZS_STAT_ATTR(invalid_io);
RZS_STAT_ATTR(notify_free);
RZS_STAT_ATTR(miss_free);
RZS_STAT_ATTR(discarded);
RZS_STAT_ATTR(memlimit_hits);
RZS_STAT_ATTR(pages_stored);
RZS_STAT_ATTR(same_pages);
RZS_STAT_ATTR(huge_pages);
RZS_STAT_ATTR(good_compress);
RZS_STAT_ATTR(compr_data_size);

static ssize_t initstate_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	struct ramzswap *rzs = dev_to_rzs(dev);
	bool init;

	down_read(&rzs->init_lock);
	init = rzs->store;
	up_read(&rzs->init_lock);
	return sysfs_emit(buf, "%d\n", init);
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

static ssize_t orig_data_size_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct ramzswap *rzs = dev_to_rzs(dev);

	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&rzs->stats.pages_stored)
			  << PAGE_SHIFT);
}
static DEVICE_ATTR_RO(orig_data_size);

static ssize_t mem_used_total_show(struct device *dev,
				   struct device_attribute *attr, char *buf)
{
	struct ramzswap *rzs = dev_to_rzs(dev);
	u64 pages = 0;

	down_read(&rzs->init_lock);
	if (rzs->store)
		pages = rzs_store_mem_used_pages(rzs->store);
	up_read(&rzs->init_lock);
	return sysfs_emit(buf, "%llu\n", pages << PAGE_SHIFT);
}
static DEVICE_ATTR_RO(mem_used_total);

static ssize_t mem_used_max_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	struct ramzswap *rzs = dev_to_rzs(dev);

	return sysfs_emit(buf, "%lld\n",
			  (long long)atomic64_read(&rzs->stats.max_used_pages)
			  << PAGE_SHIFT);
}
static DEVICE_ATTR_RO(mem_used_max);

static struct attribute *rzs_attrs[] = {
	&dev_attr_initstate.attr,
	&dev_attr_disksize.attr,
	&dev_attr_memlimit.attr,
	&dev_attr_algorithm.attr,
	&dev_attr_level.attr,
	&dev_attr_num_reads.attr,
	&dev_attr_num_writes.attr,
	&dev_attr_failed_reads.attr,
	&dev_attr_failed_writes.attr,
	&dev_attr_invalid_io.attr,
	&dev_attr_notify_free.attr,
	&dev_attr_miss_free.attr,
	&dev_attr_discarded.attr,
	&dev_attr_memlimit_hits.attr,
	&dev_attr_pages_stored.attr,
	&dev_attr_same_pages.attr,
	&dev_attr_huge_pages.attr,
	&dev_attr_good_compress.attr,
	&dev_attr_orig_data_size.attr,
	&dev_attr_compr_data_size.attr,
	&dev_attr_mem_used_total.attr,
	&dev_attr_mem_used_max.attr,
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
