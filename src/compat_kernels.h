/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel lines ramzswap is built and tested for: Debian's 5.10
 * (bullseye), 6.1 (bookworm), 6.12 (trixie) and the 6.12+ line that
 * unstable follows (7.x).  compat.h describes these and nothing between
 * them: there the block and genetlink APIs were in states it has no shim
 * for (5.15-5.19 put the disk before the queue differently, 5.11-5.14
 * look up the whole-disk bdev differently, 6.9-6.10 take queue_limits but
 * not the 6.11 feature flags), so such kernels are refused here instead
 * of building a module that is wrong.
 */
#ifndef RAMZSWAP_COMPAT_KERNELS_H
#define RAMZSWAP_COMPAT_KERNELS_H

#include <linux/version.h>

/* For changes that were never backported only. */
#define RZ_KERNEL_AT_LEAST(a, b, c) (LINUX_VERSION_CODE >= KERNEL_VERSION(a, b, c))
#if !((RZ_KERNEL_AT_LEAST(5, 10, 0) && !RZ_KERNEL_AT_LEAST(5, 11, 0)) || \
	(RZ_KERNEL_AT_LEAST(6, 1, 0) && !RZ_KERNEL_AT_LEAST(6, 2, 0)) || \
	RZ_KERNEL_AT_LEAST(6, 12, 0))
#error "ramzswap supports Linux 5.10, 6.1 and 6.12 or later (Debian 11, 12, 13, unstable)"
#endif

#endif /* RAMZSWAP_COMPAT_KERNELS_H */
