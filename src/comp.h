/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Compression backends and per-CPU compression streams.
 */
#ifndef RAMZSWAP_COMP_H
#define RAMZSWAP_COMP_H

#include <linux/types.h>
#include <linux/mutex.h>
#include <linux/list.h>

/* Compressed output of a page may exceed PAGE_SIZE: streams have two. */
#define RZS_COMP_BUF_SIZE	(2 * PAGE_SIZE)

/*
 * One compressor of the kernel's lib/.  A backend keeps per-stream state
 * (work memory, zstd contexts) in an opaque context made by create().
 */
struct rzs_backend {
	const char *name;
	/* Levels it accepts; min == max == 0 when it has no level. */
	int level_min;
	int level_max;
	int level_default;
	/* Whether decompress() uses the context: if not, it may get NULL. */
	bool decompress_uses_ctx;
	void *(*create)(int level);
	void (*destroy)(void *ctx);
	/* *dst_len is the capacity of dst on entry, the output size on exit. */
	int (*compress)(void *ctx, const void *src, void *dst, size_t *dst_len);
	/* Decompresses exactly one page into dst. */
	int (*decompress)(void *ctx, const void *src, size_t src_len,
			  void *dst);
};

extern const struct rzs_backend rzs_backend_lzo;
extern const struct rzs_backend rzs_backend_lzorle;
extern const struct rzs_backend rzs_backend_lz4;
extern const struct rzs_backend rzs_backend_lz4hc;
extern const struct rzs_backend rzs_backend_zstd;

/* The per-CPU state one compression or decompression needs. */
struct rzs_stream {
	struct mutex lock;	/* owns the stream; held across (de)compression */
	void *ctx;
	u8 *buffer;		/* RZS_COMP_BUF_SIZE bytes */
	u8 *local_copy;		/* PAGE_SIZE bounce for split zsmalloc objects */
};

struct rzs_comp {
	const struct rzs_backend *backend;
	int level;
	struct rzs_stream __percpu *streams;
	struct hlist_node node;	/* CPU hotplug instance */
};

const struct rzs_backend *rzs_backend_find(const char *name);
const struct rzs_backend *rzs_backend_at(unsigned int i);
int rzs_backend_list(char *buf, size_t size);

int rzs_comp_init_module(void);
void rzs_comp_exit_module(void);

struct rzs_comp *rzs_comp_create(const struct rzs_backend *backend,
				 int level);
void rzs_comp_destroy(struct rzs_comp *comp);

struct rzs_stream *rzs_stream_get(struct rzs_comp *comp);
void rzs_stream_put(struct rzs_stream *stream);

int rzs_compress(struct rzs_comp *comp, struct rzs_stream *stream,
		 const void *src, size_t *len);
int rzs_decompress(struct rzs_comp *comp, struct rzs_stream *stream,
		   const void *src, size_t len, void *dst);

#endif /* RAMZSWAP_COMP_H */
