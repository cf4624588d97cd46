/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Size expressions of ramzswap.conf: "2G", "25%", "min(ram / 2, 8G)".
 * Every value is either a size in bytes or a plain number; the type is
 * checked, so "4096" alone (zram-generator's megabytes) is an error and
 * not silently 4096 bytes or 4 GiB.
 */
#ifndef RZSD_EXPR_H
#define RZSD_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Evaluates text with "ram" bound to ram bytes.  0 with *bytes set, or -1
 * with the reason in err (no position prefix: the caller adds file:line).
 * A plain-number result is refused except 0, which means "nothing" in
 * every unit.
 */
int expr_eval_size(const char *text, uint64_t ram, uint64_t *bytes,
		   char *err, size_t errlen);

/* "512.0M", "2.0G", "4096B": one decimal, powers of 1024. */
void expr_format_size(uint64_t bytes, char *buf, size_t len);

#endif /* RZSD_EXPR_H */
