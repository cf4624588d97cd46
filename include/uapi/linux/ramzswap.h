/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * ramzswap user API: names and limits shared by the module and userspace.
 * The generic-netlink family will be defined here as well.
 */
#ifndef _UAPI_LINUX_RAMZSWAP_H
#define _UAPI_LINUX_RAMZSWAP_H

/* Device numbers run from 0 to RAMZSWAP_MAX_DEVICES - 1. */
#define RAMZSWAP_MAX_DEVICES		1024

/* Longest compression algorithm name, with its terminating NUL. */
#define RAMZSWAP_ALGORITHM_NAME_MAX	16

#endif /* _UAPI_LINUX_RAMZSWAP_H */
