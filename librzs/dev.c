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

static int build_dump(struct nl_msg **msgp, int family, void *arg)
{
	(void)arg;
	return rzs_enc_dev_dump(msgp, family);
}

/* A do-reply: exactly one device. */
struct one_dev {
	struct rzs_dev *dev;
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
	struct one_dev o = { .dev = dev };
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
	l->nr++;
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
		if (err)
			free(l.devs);
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
	struct one_dev o = { .dev = out ? out : &scratch };
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
