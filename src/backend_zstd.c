// SPDX-License-Identifier: GPL-2.0-only
/*
 * zstd backend over lib/zstd.  Each stream owns a compression and a
 * decompression context in one workspace allocation.
 */
#include <linux/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "compat_zstd.h"
#include "comp.h"

#define RZS_ZSTD_LEVEL_DEFAULT	3	/* zstd's own default */

struct rzs_zstd_ctx {
	rz_zstd_params params;
	void *cctx;
	void *dctx;
	void *cwork;
	void *dwork;
};

static void rzs_zstd_destroy(void *ctx)
{
	struct rzs_zstd_ctx *c = ctx;

	kvfree(c->cwork);
	kvfree(c->dwork);
	kfree(c);
}

static void *rzs_zstd_create(int level)
{
	struct rzs_zstd_ctx *c;
	size_t csize, dsize;

	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (!c)
		return NULL;
	c->params = rz_zstd_get_params(level);
	csize = rz_zstd_cctx_size(&c->params);
	dsize = rz_zstd_dctx_size();
	c->cwork = kvzalloc(csize, GFP_KERNEL);
	c->dwork = kvzalloc(dsize, GFP_KERNEL);
	if (!c->cwork || !c->dwork)
		goto fail;
	c->cctx = rz_zstd_init_cctx(c->cwork, csize);
	c->dctx = rz_zstd_init_dctx(c->dwork, dsize);
	if (!c->cctx || !c->dctx)
		goto fail;
	return c;
fail:
	rzs_zstd_destroy(c);
	return NULL;
}

static int rzs_zstd_compress(void *ctx, const void *src, void *dst,
			     size_t *dst_len)
{
	struct rzs_zstd_ctx *c = ctx;
	size_t ret;

	ret = rz_zstd_compress(c->cctx, dst, *dst_len, src, PAGE_SIZE,
			       &c->params);
	if (rz_zstd_is_error(ret))
		return -EINVAL;
	*dst_len = ret;
	return 0;
}

static int rzs_zstd_decompress(void *ctx, const void *src, size_t src_len,
			       void *dst)
{
	struct rzs_zstd_ctx *c = ctx;
	size_t ret;

	ret = rz_zstd_decompress(c->dctx, dst, PAGE_SIZE, src, src_len);
	return !rz_zstd_is_error(ret) && ret == PAGE_SIZE ? 0 : -EINVAL;
}

const struct rzs_backend rzs_backend_zstd = {
	.name		= "zstd",
	.level_min	= 1,
	.level_max	= 19,	/* zstd_max_clevel() is 22; >19 needs huge work memory */
	.level_default	= RZS_ZSTD_LEVEL_DEFAULT,
	.create		= rzs_zstd_create,
	.destroy	= rzs_zstd_destroy,
	.compress	= rzs_zstd_compress,
	.decompress	= rzs_zstd_decompress,
	.decompress_uses_ctx = true,
};
