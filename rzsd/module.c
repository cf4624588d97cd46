// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <libkmod.h>
#include <rzs/rzs.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "module.h"

#define MODULE_NAME	"ramzswap"

bool module_loaded(void)
{
	return !access("/sys/module/" MODULE_NAME, F_OK);
}

int module_load(void)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *kctx;
	int ret;

	kctx = kmod_new(NULL, NULL);
	if (!kctx)
		return -ENOMEM;
	ret = kmod_module_new_from_name(kctx, MODULE_NAME, &mod);
	if (!ret)
		ret = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL,
						      NULL);
	/* > 0: a blacklist or install command stopped it; say ENOENT. */
	if (ret > 0)
		ret = -ENOENT;
	if (mod)
		kmod_module_unref(mod);
	kmod_unref(kctx);
	return ret;
}

int module_open_ctx(struct rzs_ctx **ctxp)
{
	int ret;

	ret = rzs_open(ctxp);
	if (ret != -ENOENT)
		return ret;
	log_info("the ramzswap family is missing: loading the module");
	ret = module_load();
	if (ret) {
		log_err("cannot load module %s: %s", MODULE_NAME, strerror(-ret));
		return ret;
	}
	log_info("module %s loaded", MODULE_NAME);
	return rzs_open(ctxp);
}
