/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What /proc says about memory and swap.  The paths are arguments so the
 * unit tests feed in their own files.
 */
#ifndef RZSD_SYSINFO_H
#define RZSD_SYSINFO_H

#include <stdint.h>

#include "plan.h"

/* MemTotal and MemAvailable in bytes; 0 or -errno. */
int sys_meminfo(const char *path, uint64_t *total, uint64_t *available);

/*
 * Fills the swap fields of obs->devs from a /proc/swaps file (entries
 * named .../ramzswapN) and obs->swap_free from every entry.  Devices of
 * obs not listed are marked not swap.  0 or -errno.
 */
int sys_swaps(const char *path, struct obs *obs);

/* "ramzswap7" or "/dev/ramzswap7" -> 7; -1 otherwise. */
int sys_dev_index(const char *name);

#endif /* RZSD_SYSINFO_H */
