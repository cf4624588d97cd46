// SPDX-License-Identifier: GPL-2.0
/*
 * rzsbench - the ceiling for a compressed RAM block device: how long the
 * kernel's compressors alone take per page, on pages read from files.
 *
 *   insmod rzsbench.ko files=/tmp/a,/tmp/b [algs=lzo-rle,lzo,lz4,zstd]
 *                      [pages=4096] [reps=3] [prims=1]
 *
 * For every file and algorithm it compresses and then decompresses up to
 * @pages pages of the file (spread evenly over it), @reps times, and logs
 * the fastest repetition as one line:
 *
 *   rzsbench: file=F alg=A pages=N in=BYTES out=BYTES comp_ns=T decomp_ns=T
 *
 * (T: total nanoseconds for the N pages).  Same-filled pages are
 * included: they are part of the data.  Decompressed pages are compared
 * with the original.  With prims=1 it also times the locking and
 * accounting primitives a block device's page path uses, one line each:
 *
 *   rzsbench: prim=NAME ops=N ns=T
 *
 * Everything runs in module init; the module then stays loaded, doing
 * nothing, until rmmod.  The compressors are called as lib/ exports (the
 * way ramzswap's backends call them; zram goes through the crypto API,
 * which wraps the same functions).  Where the kernel has them (6.1.y
 * backports, 6.17+), lzo-rle-safe and lzo-safe are the bounds-checked
 * compressors that both drivers call there.
 */
#define pr_fmt(fmt) "rzsbench: " fmt

#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/local_lock.h>
#include <linux/lz4.h>
#include <linux/lzo.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/wait_bit.h>
#include <linux/zstd.h>
/* after the others: on 6.12 it does not include what it uses itself */
#include <linux/bit_spinlock.h>

static char *files;
module_param(files, charp, 0444);
MODULE_PARM_DESC(files, "Comma-separated files whose pages are compressed");
static char *algs = "lzo-rle,lzo,lz4,zstd";
module_param(algs, charp, 0444);
MODULE_PARM_DESC(algs, "Comma-separated algorithms: lzo-rle lzo lz4 zstd");
static unsigned int pages = 4096;
module_param(pages, uint, 0444);
MODULE_PARM_DESC(pages, "Pages sampled per file (spread over it)");
static unsigned int reps = 3;
module_param(reps, uint, 0444);
MODULE_PARM_DESC(reps, "Repetitions; the fastest is reported");
static bool prims;
module_param(prims, bool, 0444);
MODULE_PARM_DESC(prims, "Also time locking/accounting primitives");
static int zstd_level = 3;
module_param(zstd_level, int, 0444);
MODULE_PARM_DESC(zstd_level, "zstd level (3: zstd's and zram's default)");

#define OUT_SIZE	(2 * PAGE_SIZE)

enum codec_kind { C_LZORLE, C_LZO, C_LZORLE_SAFE, C_LZO_SAFE, C_LZ4, C_ZSTD };

struct codec {
	const char *name;
	enum codec_kind kind;
	void *cwork, *dwork;
	zstd_cctx *cctx;
	zstd_dctx *dctx;
	zstd_parameters zp;
};

static int codec_init(struct codec *c)
{
	size_t sz;

	static const struct { const char *name; enum codec_kind kind; } lzos[] = {
		{ "lzo-rle", C_LZORLE }, { "lzo", C_LZO },
#ifdef HAVE_LZO_SAFE
		{ "lzo-rle-safe", C_LZORLE_SAFE }, { "lzo-safe", C_LZO_SAFE },
#endif
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lzos); i++) {
		if (strcmp(c->name, lzos[i].name))
			continue;
		c->kind = lzos[i].kind;
		c->cwork = kvzalloc(LZO1X_MEM_COMPRESS, GFP_KERNEL);
		return c->cwork ? 0 : -ENOMEM;
	}
	if (!strcmp(c->name, "lz4")) {
		c->kind = C_LZ4;
		c->cwork = kvzalloc(LZ4_MEM_COMPRESS, GFP_KERNEL);
		return c->cwork ? 0 : -ENOMEM;
	}
	if (!strcmp(c->name, "zstd")) {
		c->kind = C_ZSTD;
		c->zp = zstd_get_params(zstd_level, PAGE_SIZE);
		sz = zstd_cctx_workspace_bound(&c->zp.cParams);
		c->cwork = kvzalloc(sz, GFP_KERNEL);
		if (!c->cwork)
			return -ENOMEM;
		c->cctx = zstd_init_cctx(c->cwork, sz);
		sz = zstd_dctx_workspace_bound();
		c->dwork = kvzalloc(sz, GFP_KERNEL);
		if (!c->dwork)
			return -ENOMEM;
		c->dctx = zstd_init_dctx(c->dwork, sz);
		return c->cctx && c->dctx ? 0 : -EINVAL;
	}
	return -ENOENT;
}

static void codec_fini(struct codec *c)
{
	kvfree(c->cwork);
	kvfree(c->dwork);
}

/* Returns the compressed size, or 0 on error. */
static size_t codec_compress(struct codec *c, const void *src, void *dst)
{
	size_t len = OUT_SIZE;
	int n;

	switch (c->kind) {
	case C_LZORLE:
		return lzorle1x_1_compress(src, PAGE_SIZE, dst, &len, c->cwork) ? 0 : len;
	case C_LZO:
		return lzo1x_1_compress(src, PAGE_SIZE, dst, &len, c->cwork) ? 0 : len;
#ifdef HAVE_LZO_SAFE
	case C_LZORLE_SAFE:
		return lzorle1x_1_compress_safe(src, PAGE_SIZE, dst, &len, c->cwork) ? 0 : len;
	case C_LZO_SAFE:
		return lzo1x_1_compress_safe(src, PAGE_SIZE, dst, &len, c->cwork) ? 0 : len;
#endif
	case C_LZ4:
		n = LZ4_compress_default(src, dst, PAGE_SIZE, OUT_SIZE, c->cwork);
		return n > 0 ? n : 0;
	case C_ZSTD:
		len = zstd_compress_cctx(c->cctx, dst, OUT_SIZE, src, PAGE_SIZE,
					 &c->zp);
		return zstd_is_error(len) ? 0 : len;
	}
	return 0;
}

static int codec_decompress(struct codec *c, const void *src, size_t len,
			    void *dst)
{
	size_t out = PAGE_SIZE;
	int n;

	switch (c->kind) {
	case C_LZ4:
		n = LZ4_decompress_safe(src, dst, len, PAGE_SIZE);
		return n == PAGE_SIZE ? 0 : -EINVAL;
	case C_ZSTD:
		out = zstd_decompress_dctx(c->dctx, dst, PAGE_SIZE, src, len);
		return !zstd_is_error(out) && out == PAGE_SIZE ? 0 : -EINVAL;
	default:	/* every lzo variant */
		return lzo1x_decompress_safe(src, len, dst, &out) == LZO_E_OK &&
		       out == PAGE_SIZE ? 0 : -EINVAL;
	}
}

/* Reads up to @max pages spread over @path; returns how many. */
static unsigned int load_pages(const char *path, void *buf, unsigned int max)
{
	struct file *f;
	loff_t size, pos;
	unsigned long total, step, i;
	unsigned int n = 0;
	ssize_t got;

	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f)) {
		pr_err("file=%s error=%ld\n", path, PTR_ERR(f));
		return 0;
	}
	size = i_size_read(file_inode(f));
	total = size >> PAGE_SHIFT;
	step = total > max ? total / max : 1;
	for (i = 0; i < total && n < max; i += step) {
		pos = (loff_t)i << PAGE_SHIFT;
		got = kernel_read(f, buf + ((size_t)n << PAGE_SHIFT), PAGE_SIZE,
				  &pos);
		if (got != PAGE_SIZE)
			break;
		n++;
	}
	filp_close(f, NULL);
	return n;
}

static void bench_file(const char *path, void *in, unsigned int n, void *out,
		       u32 *lens, void *check)
{
	char list[128], *p = list, *name;
	unsigned int i, r;

	strscpy(list, algs, sizeof(list));
	while ((name = strsep(&p, ",")) != NULL) {
		struct codec c = { .name = name };
		u64 best_c = U64_MAX, best_d = U64_MAX, t, bytes = 0;
		bool bad = false;

		if (!*name)
			continue;
		if (codec_init(&c)) {
			pr_err("file=%s alg=%s unavailable\n", path, name);
			codec_fini(&c);
			continue;
		}
		for (r = 0; r < reps && !bad; r++) {
			bytes = 0;
			t = ktime_get_ns();
			for (i = 0; i < n; i++) {
				size_t len = codec_compress(&c, in + ((size_t)i << PAGE_SHIFT),
							    out + (size_t)i * OUT_SIZE);
				if (!len) {
					bad = true;
					break;
				}
				lens[i] = len;
				bytes += len;
				cond_resched();
			}
			t = ktime_get_ns() - t;
			best_c = min(best_c, t);
			if (bad)
				break;
			t = ktime_get_ns();
			for (i = 0; i < n; i++) {
				if (codec_decompress(&c, out + (size_t)i * OUT_SIZE,
						     lens[i], check)) {
					bad = true;
					break;
				}
				cond_resched();
			}
			t = ktime_get_ns() - t;
			best_d = min(best_d, t);
		}
		/* Round trip check, outside the timed loops. */
		for (i = 0; i < n && !bad; i++) {
			if (codec_decompress(&c, out + (size_t)i * OUT_SIZE, lens[i],
					     check) ||
			    memcmp(check, in + ((size_t)i << PAGE_SHIFT), PAGE_SIZE))
				bad = true;
		}
		if (bad)
			pr_err("file=%s alg=%s error\n", path, name);
		else
			pr_info("file=%s alg=%s pages=%u in=%llu out=%llu comp_ns=%llu decomp_ns=%llu\n",
				path, name, n, (u64)n << PAGE_SHIFT, bytes,
				best_c, best_d);
		codec_fini(&c);
	}
}

/* ---------------------------------------------------- primitives */

struct pcpu_ll {
	local_lock_t lock;
	unsigned long v;
};
static DEFINE_PER_CPU(struct pcpu_ll, bench_ll) = {
	.lock = INIT_LOCAL_LOCK(lock),
};

#define PRIM_OPS	200000

#define TIME_PRIM(label, body) do {					\
	u64 __t = ktime_get_ns();					\
	unsigned int __i;						\
	for (__i = 0; __i < PRIM_OPS; __i++) { body; }			\
	pr_info("prim=%s ops=%u ns=%llu\n", label, PRIM_OPS,		\
		ktime_get_ns() - __t);					\
} while (0)

static void bench_prims(void)
{
	static DEFINE_MUTEX(m);
	static unsigned long word;
	static atomic64_t a64;
	static u64 plain;
	u8 *pages;

	TIME_PRIM("empty", barrier());
	TIME_PRIM("mutex_lock+unlock", mutex_lock(&m); mutex_unlock(&m));
	TIME_PRIM("local_lock+unlock",
		  local_lock(&bench_ll.lock); this_cpu_inc(bench_ll.v);
		  local_unlock(&bench_ll.lock));
	TIME_PRIM("wait_on_bit_lock+clear_and_wake_up_bit",
		  wait_on_bit_lock(&word, 20, TASK_UNINTERRUPTIBLE);
		  clear_and_wake_up_bit(20, &word));
	TIME_PRIM("bit_spin_lock+unlock",
		  bit_spin_lock(20, &word); bit_spin_unlock(20, &word));
	TIME_PRIM("test_and_set_bit_lock+clear_bit_unlock",
		  test_and_set_bit_lock(20, &word); clear_bit_unlock(20, &word));
	TIME_PRIM("atomic64_inc", atomic64_inc(&a64));
	TIME_PRIM("atomic64_cmpxchg", atomic64_cmpxchg(&a64, 0, 1));
	TIME_PRIM("this_cpu_inc", this_cpu_inc(bench_ll.v));
	TIME_PRIM("plain_inc", WRITE_ONCE(plain, plain + 1));
	TIME_PRIM("smp_mb", smp_mb());

	/* What brd, the floor in the table, does per page beyond its path. */
	pages = (void *)__get_free_pages(GFP_KERNEL, 1);
	if (pages) {
		TIME_PRIM("memcpy_page",
			  memcpy(pages, pages + PAGE_SIZE, PAGE_SIZE); barrier());
		free_pages((unsigned long)pages, 1);
	}
}

static int __init rzsbench_init(void)
{
	void *in, *out, *check;
	char *list, *p, *path;
	u32 *lens;
	unsigned int n;

	if (prims)
		bench_prims();
	if (!files)
		return 0;
	if (!pages)
		pages = 1;
	in = vmalloc(array_size(pages, PAGE_SIZE));
	out = vmalloc(array_size(pages, OUT_SIZE));
	lens = kvmalloc_array(pages, sizeof(*lens), GFP_KERNEL);
	check = kmalloc(PAGE_SIZE, GFP_KERNEL);
	list = kstrdup(files, GFP_KERNEL);
	if (!in || !out || !lens || !check || !list)
		goto out;
	p = list;
	while ((path = strsep(&p, ",")) != NULL) {
		if (!*path)
			continue;
		n = load_pages(path, in, pages);
		if (n)
			bench_file(path, in, n, out, lens, check);
	}
out:
	kfree(list);
	kfree(check);
	kvfree(lens);
	vfree(out);
	vfree(in);
	return 0;
}

static void __exit rzsbench_exit(void)
{
}

module_init(rzsbench_init);
module_exit(rzsbench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Bare compressor timing for the ramzswap benchmark");
