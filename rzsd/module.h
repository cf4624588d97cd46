/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Getting the ramzswap module loaded. */
#ifndef RZSD_MODULE_H
#define RZSD_MODULE_H

#include <stdbool.h>

struct rzs_ctx;

/* Whether /sys/module/ramzswap exists: the family is (or is being) there. */
bool module_loaded(void);
/* modprobe ramzswap through libkmod; 0 or -errno. */
int module_load(void);
/*
 * rzs_open(), loading the module first if the family is missing.  The
 * kernel may already autoload it on the family lookup (the module has a
 * genl family alias), but not in every sandbox: ask libkmod then.
 */
int module_open_ctx(struct rzs_ctx **ctxp);

#endif /* RZSD_MODULE_H */
