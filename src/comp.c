// SPDX-License-Identifier: GPL-2.0-only
/*
 * Per-CPU compression streams.
 *
 * Every device has one stream per possible CPU.  A stream is a mutex plus
 * the backend's context and an output buffer; its memory exists only while
 * the CPU is online (CPU hotplug multi-instance callbacks), its mutex for
 * the stream's whole life.  A task takes the stream of the CPU it runs on;
 * if it migrates meanwhile it simply shares that stream under the mutex,
 * and if the CPU went offline (buffer gone) it retries on its new CPU.
 * The mutex, unlike a local_lock, lets the write path allocate with
 * GFP_NOIO while it holds the compressed output.
 */
#include <linux/cpuhotplug.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "comp.h"

static const struct rzs_backend *const rzs_backends[] = {
	&rzs_backend_lzorle,
	&rzs_backend_lzo,
	&rzs_backend_lz4,
	&rzs_backend_lz4hc,
	&rzs_backend_zstd,
};

static enum cpuhp_state rzs_cpuhp_state;

const struct rzs_backend *rzs_backend_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(rzs_backends); i++)
		if (sysfs_streq(name, rzs_backends[i]->name))
			return rzs_backends[i];
	return NULL;
}

/* The backends in order of preference; NULL past the last. */
const struct rzs_backend *rzs_backend_at(unsigned int i)
{
	return i < ARRAY_SIZE(rzs_backends) ? rzs_backends[i] : NULL;
}

/* Space-separated names of all backends, for messages and sysfs. */
int rzs_backend_list(char *buf, size_t size)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(rzs_backends); i++)
		n += scnprintf(buf + n, size - n, "%s%s", i ? " " : "",
			       rzs_backends[i]->name);
	return n;
}

static void rzs_stream_free(struct rzs_comp *comp, struct rzs_stream *s)
{
	if (s->ctx)
		comp->backend->destroy(s->ctx);
	s->ctx = NULL;
	kvfree(s->buffer);
	s->buffer = NULL;
	kfree(s->local_copy);
	s->local_copy = NULL;
}

/*
 * Allocates outside the stream mutex: swap-out under reclaim takes that
 * mutex, so holding it across a GFP_KERNEL allocation would be a lock
 * order inversion against reclaim that lockdep reports, even though nobody
 * uses the stream of a CPU that is coming up.
 */
static int rzs_comp_cpu_up(unsigned int cpu, struct hlist_node *node)
{
	struct rzs_comp *comp = hlist_entry(node, struct rzs_comp, node);
	struct rzs_stream *s = per_cpu_ptr(comp->streams, cpu);
	void *ctx = comp->backend->create(comp->level);
	u8 *buffer = kvmalloc(RZS_COMP_BUF_SIZE, GFP_KERNEL);
	u8 *local_copy = kmalloc(PAGE_SIZE, GFP_KERNEL);

	if (!ctx || !buffer || !local_copy) {
		if (ctx)
			comp->backend->destroy(ctx);
		kvfree(buffer);
		kfree(local_copy);
		return -ENOMEM;
	}
	mutex_lock(&s->lock);
	s->ctx = ctx;
	s->buffer = buffer;
	s->local_copy = local_copy;
	mutex_unlock(&s->lock);
	return 0;
}

static int rzs_comp_cpu_dead(unsigned int cpu, struct hlist_node *node)
{
	struct rzs_comp *comp = hlist_entry(node, struct rzs_comp, node);
	struct rzs_stream *s = per_cpu_ptr(comp->streams, cpu);

	mutex_lock(&s->lock);
	rzs_stream_free(comp, s);
	mutex_unlock(&s->lock);
	return 0;
}

int rzs_comp_init_module(void)
{
	int ret;

	ret = cpuhp_setup_state_multi(CPUHP_BP_PREPARE_DYN, "block/ramzswap:prepare",
				      rzs_comp_cpu_up, rzs_comp_cpu_dead);
	if (ret < 0)
		return ret;
	rzs_cpuhp_state = ret;
	return 0;
}

void rzs_comp_exit_module(void)
{
	cpuhp_remove_multi_state(rzs_cpuhp_state);
}

struct rzs_comp *rzs_comp_create(const struct rzs_backend *backend, int level)
{
	struct rzs_comp *comp;
	int cpu, ret;

	comp = kzalloc(sizeof(*comp), GFP_KERNEL);
	if (!comp)
		return ERR_PTR(-ENOMEM);
	comp->backend = backend;
	comp->level = level;
	comp->streams = alloc_percpu(struct rzs_stream);
	if (!comp->streams) {
		kfree(comp);
		return ERR_PTR(-ENOMEM);
	}
	for_each_possible_cpu(cpu)
		mutex_init(&per_cpu_ptr(comp->streams, cpu)->lock);

	ret = cpuhp_state_add_instance(rzs_cpuhp_state, &comp->node);
	if (ret) {
		free_percpu(comp->streams);
		kfree(comp);
		return ERR_PTR(ret);
	}
	return comp;
}

void rzs_comp_destroy(struct rzs_comp *comp)
{
	cpuhp_state_remove_instance(rzs_cpuhp_state, &comp->node);
	free_percpu(comp->streams);
	kfree(comp);
}

struct rzs_stream *rzs_stream_get(struct rzs_comp *comp)
{
	for (;;) {
		struct rzs_stream *s = raw_cpu_ptr(comp->streams);

		mutex_lock(&s->lock);
		if (likely(s->buffer))
			return s;
		/* That CPU went offline between the lookup and the lock. */
		mutex_unlock(&s->lock);
	}
}

void rzs_stream_put(struct rzs_stream *stream)
{
	mutex_unlock(&stream->lock);
}

/*
 * Compresses one page from @src into the stream's buffer; *len is set to
 * the compressed size.
 */
int rzs_compress(struct rzs_comp *comp, struct rzs_stream *stream,
		 const void *src, size_t *len)
{
	*len = RZS_COMP_BUF_SIZE;
	return comp->backend->compress(stream->ctx, src, stream->buffer, len);
}

/* @stream may be NULL for a backend whose decompression has no context. */
int rzs_decompress(struct rzs_comp *comp, struct rzs_stream *stream,
		   const void *src, size_t len, void *dst)
{
	return comp->backend->decompress(stream ? stream->ctx : NULL, src, len,
					 dst);
}
