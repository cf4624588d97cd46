/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The zstd API of the kernels ramzswap builds for: 5.10 has the old
 * upper-case zstd 1.3 API, 5.16+ (and Debian's backports) the lower-case
 * wrappers.  Apart from compat.h because only the zstd backend may include
 * <linux/zstd.h>: 5.10's defines constants that W=1 reports as unused in
 * every file that includes it.
 */
#ifndef RAMZSWAP_COMPAT_ZSTD_H
#define RAMZSWAP_COMPAT_ZSTD_H

#include <linux/zstd.h>

#ifdef RZ_HAVE_ZSTD_LC_API
typedef zstd_parameters rz_zstd_params;

static inline rz_zstd_params rz_zstd_get_params(int level)
{
	return zstd_get_params(level, PAGE_SIZE);
}

static inline size_t rz_zstd_cctx_size(const rz_zstd_params *p)
{
	return zstd_cctx_workspace_bound(&p->cParams);
}

static inline void *rz_zstd_init_cctx(void *ws, size_t size)
{
	return zstd_init_cctx(ws, size);
}

static inline size_t rz_zstd_compress(void *cctx, void *dst, size_t cap,
				      const void *src, size_t len,
				      const rz_zstd_params *p)
{
	return zstd_compress_cctx(cctx, dst, cap, src, len, p);
}

static inline size_t rz_zstd_dctx_size(void)
{
	return zstd_dctx_workspace_bound();
}

static inline void *rz_zstd_init_dctx(void *ws, size_t size)
{
	return zstd_init_dctx(ws, size);
}

static inline size_t rz_zstd_decompress(void *dctx, void *dst, size_t cap,
					const void *src, size_t len)
{
	return zstd_decompress_dctx(dctx, dst, cap, src, len);
}

static inline bool rz_zstd_is_error(size_t ret)
{
	return zstd_is_error(ret);
}

#else
typedef ZSTD_parameters rz_zstd_params;

static inline rz_zstd_params rz_zstd_get_params(int level)
{
	return ZSTD_getParams(level, PAGE_SIZE, 0);
}

static inline size_t rz_zstd_cctx_size(const rz_zstd_params *p)
{
	return ZSTD_CCtxWorkspaceBound(p->cParams);
}

static inline void *rz_zstd_init_cctx(void *ws, size_t size)
{
	return ZSTD_initCCtx(ws, size);
}

static inline size_t rz_zstd_compress(void *cctx, void *dst, size_t cap,
				      const void *src, size_t len,
				      const rz_zstd_params *p)
{
	return ZSTD_compressCCtx(cctx, dst, cap, src, len, *p);
}

static inline size_t rz_zstd_dctx_size(void)
{
	return ZSTD_DCtxWorkspaceBound();
}

static inline void *rz_zstd_init_dctx(void *ws, size_t size)
{
	return ZSTD_initDCtx(ws, size);
}

static inline size_t rz_zstd_decompress(void *dctx, void *dst, size_t cap,
					const void *src, size_t len)
{
	return ZSTD_decompressDCtx(dctx, dst, cap, src, len);
}

static inline bool rz_zstd_is_error(size_t ret)
{
	return ZSTD_isError(ret);
}

#endif

#endif /* RAMZSWAP_COMPAT_ZSTD_H */
