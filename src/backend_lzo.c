// SPDX-License-Identifier: GPL-2.0-only
/*
 * LZO1X and LZO-RLE backends over lib/lzo.  Neither takes a level.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/lzo.h>

#include "compat.h"
#include "comp.h"

static void *rzs_lzo_create(int level)
{
	return kvzalloc(LZO1X_MEM_COMPRESS, GFP_KERNEL);
}

static void rzs_lzo_destroy(void *ctx)
{
	kvfree(ctx);
}

static int rzs_lzo_compress(void *ctx, const void *src, void *dst,
			    size_t *dst_len)
{
	int ret = rz_lzo1x_compress(src, PAGE_SIZE, dst, dst_len, ctx);

	return ret == LZO_E_OK ? 0 : -EINVAL;
}

static int rzs_lzorle_compress(void *ctx, const void *src, void *dst,
			       size_t *dst_len)
{
	int ret = rz_lzorle1x_compress(src, PAGE_SIZE, dst, dst_len, ctx);

	return ret == LZO_E_OK ? 0 : -EINVAL;
}

/* lzo1x_decompress_safe() also decodes LZO-RLE streams. */
static int rzs_lzo_decompress(void *ctx, const void *src, size_t src_len,
			      void *dst)
{
	size_t dst_len = PAGE_SIZE;
	int ret = lzo1x_decompress_safe(src, src_len, dst, &dst_len);

	return ret == LZO_E_OK && dst_len == PAGE_SIZE ? 0 : -EINVAL;
}

const struct rzs_backend rzs_backend_lzo = {
	.name		= "lzo",
	.create		= rzs_lzo_create,
	.destroy	= rzs_lzo_destroy,
	.compress	= rzs_lzo_compress,
	.decompress	= rzs_lzo_decompress,
};

const struct rzs_backend rzs_backend_lzorle = {
	.name		= "lzo-rle",
	.create		= rzs_lzo_create,
	.destroy	= rzs_lzo_destroy,
	.compress	= rzs_lzorle_compress,
	.decompress	= rzs_lzo_decompress,
};
