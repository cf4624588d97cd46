// SPDX-License-Identifier: GPL-2.0-only
/*
 * LZ4 and LZ4HC backends over lib/lz4.  For LZ4 the level is the
 * acceleration factor of LZ4_compress_fast() (1 = LZ4_compress_default);
 * for LZ4HC it is the HC compression level.
 */
#include <linux/lz4.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "comp.h"

#define RZS_LZ4_ACCEL_MAX	65537	/* LZ4_ACCELERATION_MAX */

struct rzs_lz4_ctx {
	int level;
	/* LZ4_compress_HC() refuses work memory that is not pointer-aligned. */
	u8 wrkmem[] __aligned(sizeof(void *));
};

static void *rzs_lz4_alloc(int level, size_t wrkmem)
{
	struct rzs_lz4_ctx *ctx;

	ctx = kvzalloc(sizeof(*ctx) + wrkmem, GFP_KERNEL);
	if (ctx)
		ctx->level = level;
	return ctx;
}

static void *rzs_lz4_create(int level)
{
	return rzs_lz4_alloc(level, LZ4_MEM_COMPRESS);
}

static void *rzs_lz4hc_create(int level)
{
	return rzs_lz4_alloc(level, LZ4HC_MEM_COMPRESS);
}

static void rzs_lz4_destroy(void *ctx)
{
	kvfree(ctx);
}

static int rzs_lz4_compress(void *ctx, const void *src, void *dst,
			    size_t *dst_len)
{
	struct rzs_lz4_ctx *c = ctx;
	int ret;

	ret = LZ4_compress_fast(src, dst, PAGE_SIZE, *dst_len, c->level,
				c->wrkmem);
	if (!ret)
		return -EINVAL;
	*dst_len = ret;
	return 0;
}

static int rzs_lz4hc_compress(void *ctx, const void *src, void *dst,
			      size_t *dst_len)
{
	struct rzs_lz4_ctx *c = ctx;
	int ret;

	ret = LZ4_compress_HC(src, dst, PAGE_SIZE, *dst_len, c->level,
			      c->wrkmem);
	if (!ret)
		return -EINVAL;
	*dst_len = ret;
	return 0;
}

static int rzs_lz4_decompress(void *ctx, const void *src, size_t src_len,
			      void *dst)
{
	int ret = LZ4_decompress_safe(src, dst, src_len, PAGE_SIZE);

	return ret == PAGE_SIZE ? 0 : -EINVAL;
}

const struct rzs_backend rzs_backend_lz4 = {
	.name		= "lz4",
	.level_min	= 1,
	.level_max	= RZS_LZ4_ACCEL_MAX,
	.level_default	= 1,
	.create		= rzs_lz4_create,
	.destroy	= rzs_lz4_destroy,
	.compress	= rzs_lz4_compress,
	.decompress	= rzs_lz4_decompress,
};

const struct rzs_backend rzs_backend_lz4hc = {
	.name		= "lz4hc",
	.level_min	= LZ4HC_MIN_CLEVEL,
	.level_max	= LZ4HC_MAX_CLEVEL,
	.level_default	= LZ4HC_DEFAULT_CLEVEL,
	.create		= rzs_lz4hc_create,
	.destroy	= rzs_lz4_destroy,
	.compress	= rzs_lz4hc_compress,
	.decompress	= rzs_lz4_decompress,
};
