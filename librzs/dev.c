// SPDX-License-Identifier: LGPL-2.1-or-later
/* One function per device command, on the request engine of ctx.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ramzswap.h>

#include "internal.h"

struct dev_req {
	uint8_t cmd;
	uint32_t index;
	int add_index;
	uint64_t value;
	const struct rzs_init_params *params;
	uint32_t kinds;			/* writeback */
	unsigned int min_age;		/* mark idle, writeback */
};

static int build_get(struct nl_msg **msgp, int family, void *arg)
{
	struct dev_req *r = arg;

	return rzs_enc_dev_get(msgp, family, r->index);
}

static int build_cmd(struct nl_msg **msgp, int family, void *arg)
{
	struct dev_req *r = arg;

	return rzs_enc_dev_cmd(msgp, family, r->cmd, r->index);
}

static int build_add(struct nl_msg **msgp, int family, void *arg)
{
	struct dev_req *r = arg;

	return rzs_enc_dev_add(msgp, family, r->add_index);
}

static int build_init(struct nl_msg **msgp, int family, void *arg)
{
	struct dev_req *r = arg;

	return rzs_enc_dev_init(msgp, family, r->index, r->params);
}

static int build_set_memlimit(struct nl_msg **msgp, int family, void *arg)
{
	struct dev_req *r = arg;

	return rzs_enc_dev_set_memlimit(msgp, family, r->index, r->value);
}

static int build_set_wb_limit(struct nl_msg **msgp, int family, void *arg)
{
	struct dev_req *r = arg;

	return rzs_enc_dev_set_wb_limit(msgp, family, r->index, r->value);
}

static int build_mark_idle(struct nl_msg **msgp, int family, void *arg)
{
	struct dev_req *r = arg;

	return rzs_enc_dev_mark_idle(msgp, family, r->index, r->min_age);
}

static int build_writeback(struct nl_msg **msgp, int family, void *arg)
{
	struct dev_req *r = arg;

	return rzs_enc_dev_writeback(msgp, family, r->index, r->kinds,
				     r->min_age, r->value);
}

static int build_dump(struct nl_msg **msgp, int family, void *arg)
{
	(void)arg;
	return rzs_enc_dev_dump(msgp, family);
}

/* A do-reply: exactly one device; its backing path is kept in the ctx. */
struct one_dev {
	struct rzs_dev *dev;
	struct rzs_ctx *ctx;
	int seen;
};

static int reply_one(struct nlmsghdr *nlh, void *arg)
{
	struct one_dev *o = arg;
	int err;

	if (o->seen)
		return 0;
	err = rzs_dec_dev(nlh, o->dev);
	if (err)
		return err;
	rzs_keep_backing_dev(o->dev, o->ctx->backing, sizeof(o->ctx->backing));
	o->seen = 1;
	return 0;
}

static int no_reply(struct rzs_ctx *ctx, int err, int seen)
{
	if (!err && !seen) {
		rzs_set_error(ctx, "the kernel sent no reply");
		return -EPROTO;
	}
	if (err == -EPROTO && !rzs_last_error(ctx))
		rzs_set_error(ctx, "malformed reply from the kernel");
	return err;
}

RZS_EXPORT int rzs_dev_get(struct rzs_ctx *ctx, uint32_t index,
			   struct rzs_dev *dev)
{
	struct dev_req r = { .index = index };
	struct one_dev o = { .dev = dev, .ctx = ctx };
	int err;

	err = rzs_request(ctx, build_get, &r, reply_one, &o);
	return no_reply(ctx, err, o.seen);
}

struct dev_list {
	struct rzs_dev *devs;
	size_t nr, cap;
};

static int reply_list(struct nlmsghdr *nlh, void *arg)
{
	struct dev_list *l = arg;
	struct rzs_dev *d;

	if (l->nr == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;

		d = realloc(l->devs, cap * sizeof(*d));
		if (!d)
			return -ENOMEM;
		l->devs = d;
		l->cap = cap;
	}
	d = &l->devs[l->nr];
	if (rzs_dec_dev(nlh, d))
		return -EPROTO;
	/* On the heap until the list is done, then packed behind it. */
	if (d->backing_dev) {
		d->backing_dev = strdup(d->backing_dev);
		if (!d->backing_dev)
			return -ENOMEM;
	}
	l->nr++;
	return 0;
}

static void free_paths(struct dev_list *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free((char *)l->devs[i].backing_dev);
}

/*
 * The backing paths move into the array's own allocation, after the
 * devices, so that rzs_dev_list_free() (a plain free(), which callers of
 * LIBRZS_1 already call) frees them too.
 */
static int pack_paths(struct dev_list *l)
{
	size_t i, total = 0, off;
	struct rzs_dev *d;
	char *pool;

	for (i = 0; i < l->nr; i++)
		if (l->devs[i].backing_dev)
			total += strlen(l->devs[i].backing_dev) + 1;
	if (!total)
		return 0;
	d = malloc(l->nr * sizeof(*d) + total);
	if (!d)
		return -ENOMEM;
	memcpy(d, l->devs, l->nr * sizeof(*d));
	pool = (char *)(d + l->nr);
	for (i = 0, off = 0; i < l->nr; i++) {
		const char *p = d[i].backing_dev;
		size_t n;

		if (!p)
			continue;
		n = strlen(p) + 1;
		memcpy(pool + off, p, n);
		d[i].backing_dev = pool + off;
		off += n;
	}
	free_paths(l);
	free(l->devs);
	l->devs = d;
	return 0;
}

static int cmp_index(const void *a, const void *b)
{
	const struct rzs_dev *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

RZS_EXPORT int rzs_dev_list(struct rzs_ctx *ctx, struct rzs_dev **devs,
			    size_t *nr)
{
	struct dev_list l;
	int err, tries = 0;

	*devs = NULL;
	*nr = 0;
	do {
		memset(&l, 0, sizeof(l));
		err = rzs_request(ctx, build_dump, NULL, reply_list, &l);
		if (!err)
			err = pack_paths(&l);
		if (err) {
			free_paths(&l);
			free(l.devs);
		}
		/* A dump that raced with add/remove is simply repeated. */
	} while (err == -EAGAIN && ++tries < 5);
	if (err)
		return no_reply(ctx, err, 1);
	if (l.nr)
		qsort(l.devs, l.nr, sizeof(*l.devs), cmp_index);
	*devs = l.devs;
	*nr = l.nr;
	return 0;
}

RZS_EXPORT void rzs_dev_list_free(struct rzs_dev *devs)
{
	free(devs);
}

RZS_EXPORT int rzs_dev_add(struct rzs_ctx *ctx, int index, struct rzs_dev *out)
{
	struct dev_req r = { .add_index = index };
	struct rzs_dev scratch;
	struct one_dev o = { .dev = out ? out : &scratch, .ctx = ctx };
	int err;

	if (index < -1 || index >= RAMZSWAP_MAX_DEVICES) {
		rzs_set_error(ctx, "device number out of range (0-%d)",
			      RAMZSWAP_MAX_DEVICES - 1);
		return -EINVAL;
	}
	err = rzs_request(ctx, build_add, &r, reply_one, &o);
	return no_reply(ctx, err, o.seen);
}

static int simple(struct rzs_ctx *ctx, uint8_t cmd, uint32_t index)
{
	struct dev_req r = { .cmd = cmd, .index = index };

	return rzs_request(ctx, build_cmd, &r, NULL, NULL);
}

RZS_EXPORT int rzs_dev_del(struct rzs_ctx *ctx, uint32_t index)
{
	return simple(ctx, RAMZSWAP_CMD_DEV_DEL, index);
}

RZS_EXPORT int rzs_dev_reset(struct rzs_ctx *ctx, uint32_t index)
{
	return simple(ctx, RAMZSWAP_CMD_DEV_RESET, index);
}

RZS_EXPORT int rzs_dev_init(struct rzs_ctx *ctx, uint32_t index,
			    const struct rzs_init_params *params)
{
	struct dev_req r = { .index = index, .params = params };
	int err;

	err = rzs_request(ctx, build_init, &r, NULL, NULL);
	if (err == -EINVAL && !rzs_last_error(ctx))
		rzs_set_error(ctx, "invalid parameters");
	return err;
}

RZS_EXPORT int rzs_dev_set_memlimit(struct rzs_ctx *ctx, uint32_t index,
				    uint64_t memlimit)
{
	struct dev_req r = { .index = index, .value = memlimit };

	return rzs_request(ctx, build_set_memlimit, &r, NULL, NULL);
}

static int reply_compact(struct nlmsghdr *nlh, void *arg)
{
	return rzs_dec_compact(nlh, arg);
}

RZS_EXPORT int rzs_dev_compact(struct rzs_ctx *ctx, uint32_t index,
			       uint64_t *pages)
{
	struct dev_req r = { .cmd = RAMZSWAP_CMD_DEV_COMPACT, .index = index };
	uint64_t scratch = 0;

	if (pages)
		*pages = 0;
	return rzs_request(ctx, build_cmd, &r, reply_compact,
			   pages ? pages : &scratch);
}

RZS_EXPORT int rzs_dev_set_wb_limit(struct rzs_ctx *ctx, uint32_t index,
				    uint64_t wb_limit)
{
	struct dev_req r = { .index = index, .value = wb_limit };

	return rzs_request(ctx, build_set_wb_limit, &r, NULL, NULL);
}

static int reply_mark_idle(struct nlmsghdr *nlh, void *arg)
{
	return rzs_dec_mark_idle(nlh, arg);
}

static int reply_writeback(struct nlmsghdr *nlh, void *arg)
{
	return rzs_dec_writeback(nlh, arg);
}

/* An age the wire cannot carry: refused here, with the range. */
static int check_age(struct rzs_ctx *ctx, unsigned int min_age)
{
	if (min_age <= UINT8_MAX)
		return 0;
	rzs_set_error(ctx, "idle age %u out of range (0-%d)", min_age,
		      RAMZSWAP_IDLE_AGE_MAX);
	return -EINVAL;
}

RZS_EXPORT int rzs_dev_mark_idle(struct rzs_ctx *ctx, uint32_t index,
				 unsigned int min_age, uint64_t *marked)
{
	struct dev_req r = { .index = index, .min_age = min_age };
	uint64_t scratch = 0;
	int err;

	if (marked)
		*marked = 0;
	err = check_age(ctx, min_age);
	if (err)
		return err;
	return rzs_request(ctx, build_mark_idle, &r, reply_mark_idle,
			   marked ? marked : &scratch);
}

RZS_EXPORT int rzs_dev_writeback(struct rzs_ctx *ctx, uint32_t index,
				 uint32_t kinds, unsigned int min_age,
				 uint64_t max_pages, uint64_t *written)
{
	struct dev_req r = { .index = index, .kinds = kinds,
			     .min_age = min_age, .value = max_pages };
	uint64_t scratch = 0;
	int err;

	if (written)
		*written = 0;
	err = check_age(ctx, min_age);
	if (err)
		return err;
	return rzs_request(ctx, build_writeback, &r, reply_writeback,
			   written ? written : &scratch);
}
