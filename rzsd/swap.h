/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The swap side of a device: its node, the signature, swapon, swapoff. */
#ifndef RZSD_SWAP_H
#define RZSD_SWAP_H

#include <stddef.h>
#include <stdint.h>

#include "conf.h"

void swap_node(uint32_t index, char *buf, size_t len);
/* Waits up to timeout_ms for /dev/ramzswapN to be a block device. */
int swap_wait_node(uint32_t index, int timeout_ms);
/* Runs mkswap(8) on the device; 0 or -errno (its stderr is logged). */
int swap_mkswap(uint32_t index);
/* swapon(2) flags for a priority (-1: none) and a discard policy. */
int swap_flags(int priority, enum discard discard);
int swap_on(uint32_t index, int priority, enum discard discard);
int swap_off(uint32_t index);

#endif /* RZSD_SWAP_H */
