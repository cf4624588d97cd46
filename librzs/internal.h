/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* librzs internals shared by its files; never installed. */
#ifndef RZS_INTERNAL_H
#define RZS_INTERNAL_H

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <rzs/rzs.h>

#include "codec.h"

#define RZS_EXPORT __attribute__((visibility("default")))

struct rzs_ctx {
	struct nl_sock *sk;
	struct nl_cb *cb;
	struct rzs_family family;
	uint32_t peer;			/* 0: the kernel; tests: a fake one */
	char errbuf[512];
	int has_err;
	/* rzs_dev.backing_dev of the last rzs_dev_get() or rzs_dev_add(). */
	char backing[RZS_BACKING_DEV_MAX];
};

/* Builds the request for the current family id (it may change on retry). */
typedef int (*rzs_build_fn)(struct nl_msg **msgp, int family, void *arg);
/* Called for every reply message of the family; negative errno stops. */
typedef int (*rzs_reply_fn)(struct nlmsghdr *nlh, void *arg);

RZS_HIDDEN int rzs_ctx_connect(struct rzs_ctx *ctx);
/* rzs_open() talking to port peer instead of the kernel: unit tests only. */
RZS_HIDDEN int rzs_open_peer(struct rzs_ctx **ctxp, uint32_t peer);
RZS_HIDDEN void rzs_ctx_release(struct rzs_ctx *ctx);
RZS_HIDDEN int rzs_request(struct rzs_ctx *ctx, rzs_build_fn build,
			   void *build_arg, rzs_reply_fn reply, void *reply_arg);
RZS_HIDDEN void rzs_set_error(struct rzs_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
RZS_HIDDEN int rzs_nlerr_to_errno(int nlerr);

#endif /* RZS_INTERNAL_H */
