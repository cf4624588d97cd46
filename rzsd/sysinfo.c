// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * /proc/meminfo and /proc/swaps.  The kernel reports swap through its
 * file name only, so a ramzswap device is recognised by the last path
 * component: swapon resolves the path it was given, and udev names the
 * nodes /dev/ramzswapN.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysinfo.h"

int sys_meminfo(const char *path, uint64_t *total, uint64_t *available)
{
	unsigned long long kb;
	char line[256];
	int found = 0;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %llu kB", &kb) == 1) {
			*total = (uint64_t)kb << 10;
			found |= 1;
		} else if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
			*available = (uint64_t)kb << 10;
			found |= 2;
		}
	}
	fclose(f);
	return found == 3 ? 0 : -ENODATA;
}

int sys_dev_index(const char *name)
{
	const char *base = strrchr(name, '/');
	unsigned long n;
	char *end;

	base = base ? base + 1 : name;
	if (strncmp(base, "ramzswap", 8) || base[8] < '0' || base[8] > '9')
		return -1;
	n = strtoul(base + 8, &end, 10);
	if (*end || n > INT32_MAX)
		return -1;
	return (int)n;
}

int sys_swaps(const char *path, struct obs *obs)
{
	unsigned long long size, used;
	char line[512], name[256];
	struct obs_dev *d;
	size_t i;
	int prio, idx;
	FILE *f;

	f = fopen(path, "re");
	if (!f)
		return -errno;
	obs->swap_free = 0;
	for (i = 0; i < obs->nr; i++) {
		obs->devs[i].swap_on = false;
		obs->devs[i].swap_prio = 0;
		obs->devs[i].swap_used = 0;
		obs->devs[i].swap_size = 0;
	}
	/* Filename Type Size Used Priority; sizes in KiB. */
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%255s %*s %llu %llu %d", name, &size, &used,
			   &prio) != 4)
			continue;	/* the header */
		if (used <= size)
			obs->swap_free += (uint64_t)(size - used) << 10;
		idx = sys_dev_index(name);
		if (idx < 0)
			continue;
		for (i = 0; i < obs->nr; i++) {
			d = &obs->devs[i];
			if (d->index != (uint32_t)idx)
				continue;
			d->swap_on = true;
			d->swap_prio = prio;
			d->swap_size = (uint64_t)size << 10;
			d->swap_used = (uint64_t)used << 10;
		}
	}
	fclose(f);
	return 0;
}
