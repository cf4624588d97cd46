// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The context: one netlink socket and the request/reply engine.
 *
 * libnl's return codes are lossy (many errnos become NLE_FAILURE), and it
 * has no extended-ack API, so the engine takes the errno from the kernel's
 * nlmsgerr itself and decodes the ack TLVs with the codec.  Sequence
 * numbers are checked against the request in flight; leftovers of an
 * earlier, abandoned request are dropped instead of failing the next one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include <linux/ramzswap.h>

#include "internal.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct txn {
	struct rzs_ctx *ctx;
	struct nlmsghdr *req;		/* the request, to name a bad attribute */
	uint32_t seq;
	int family;
	rzs_reply_fn reply;
	void *reply_arg;
	int error;			/* the kernel's, or the reply handler's */
	int done;
	int interrupted;		/* dump changed under us: repeat it */
};

void rzs_set_error(struct rzs_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->errbuf, sizeof(ctx->errbuf), fmt, ap);
	va_end(ap);
	ctx->has_err = 1;
}

RZS_EXPORT const char *rzs_last_error(const struct rzs_ctx *ctx)
{
	return ctx && ctx->has_err ? ctx->errbuf : NULL;
}

int rzs_nlerr_to_errno(int nlerr)
{
	/* Only local failures get here; the kernel's errnos never do. */
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:				return 0;
	case NLE_NOMEM:			return -ENOMEM;
	case NLE_AGAIN:			return -EAGAIN;
	case NLE_INTR:			return -EINTR;
	case NLE_BAD_SOCK:		return -EBADF;
	case NLE_PERM:			return -EPERM;
	case NLE_MSG_TRUNC:		return -EMSGSIZE;
	case NLE_MSGSIZE:		return -EMSGSIZE;
	case NLE_OBJ_NOTFOUND:		return -ENOENT;
	case NLE_PROTO_MISMATCH:	return -EPROTONOSUPPORT;
	case NLE_NOACCESS:		return -EACCES;
	case NLE_DUMP_INTR:		return -EAGAIN;
	default:			return -EIO;
	}
}

/* The ack's explanation in ctx->errbuf: text, and the attribute it names. */
static void record_ack(struct txn *t, const struct rzs_ack *ack)
{
	const char *attr = NULL;
	const char *what = NULL;

	if (ack->has_offs && t->req) {
		attr = rzs_attr_name(rzs_attr_at(t->req, ack->offs));
		what = "attribute";
	} else if (ack->has_miss_type) {
		attr = rzs_attr_name((int)ack->miss_type);
		what = "missing attribute";
	}
	if (ack->msg && attr)
		rzs_set_error(t->ctx, "%s [%s %s]", ack->msg, what, attr);
	else if (ack->msg)
		rzs_set_error(t->ctx, "%s", ack->msg);
	else if (attr)
		rzs_set_error(t->ctx, "%s %s", what, attr);
}

static int on_seq(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;

	return nlmsg_hdr(msg)->nlmsg_seq == t->seq ? NL_OK : NL_SKIP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err;

	if (nlh->nlmsg_type != t->family || !t->reply || t->error)
		return NL_SKIP;
	err = t->reply(nlh, t->reply_arg);
	/* Keep reading to the ack so the socket is clean for the next call. */
	if (err < 0)
		t->error = err;
	return NL_SKIP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;
	struct rzs_ack ack;

	/* A success ack may carry a warning; success is what counts. */
	(void)rzs_dec_ack(nlmsg_hdr(msg), &ack);
	t->done = 1;
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;
	struct rzs_ack ack;

	if (!rzs_dec_ack(nlmsg_hdr(msg), &ack) && ack.error) {
		if (!t->error)
			t->error = ack.error;
		record_ack(t, &ack);
	}
	t->done = 1;
	return NL_STOP;
}

static int on_err(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct txn *t = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct rzs_ack ack;

	(void)nla;
	if (rzs_dec_ack(nlh, &ack))
		ack.error = e->error ? -abs(e->error) : -EPROTO;
	else
		record_ack(t, &ack);
	t->error = ack.error;
	t->done = 1;
	return NL_STOP;
}

static int on_intr(struct nl_msg *msg, void *arg)
{
	struct txn *t = arg;

	(void)msg;
	t->interrupted = 1;
	return NL_SKIP;
}

static int setup_cb(struct rzs_ctx *ctx, struct txn *t)
{
	struct nl_cb *cb = ctx->cb;

	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq, t);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, t);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_intr, t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_err, t);
	return 0;
}

/* One request, all its replies, and its ack.  No retries. */
static int transact(struct rzs_ctx *ctx, int family, struct nl_msg *msg,
		    rzs_reply_fn reply, void *reply_arg)
{
	struct txn t = {
		.ctx = ctx,
		.family = family,
		.reply = reply,
		.reply_arg = reply_arg,
	};
	int err;

	setup_cb(ctx, &t);
	err = nl_send_auto(ctx->sk, msg);
	if (err < 0) {
		rzs_set_error(ctx, "sending to the kernel: %s", nl_geterror(err));
		return rzs_nlerr_to_errno(err);
	}
	t.req = nlmsg_hdr(msg);
	t.seq = t.req->nlmsg_seq;

	while (!t.done) {
		err = nl_recvmsgs(ctx->sk, ctx->cb);
		if (err < 0 && !t.done) {
			rzs_set_error(ctx, "reading from the kernel: %s",
				      nl_geterror(err));
			return rzs_nlerr_to_errno(err);
		}
	}
	if (!t.error && t.interrupted) {
		rzs_set_error(ctx, "the devices changed during the listing");
		return -EAGAIN;
	}
	return t.error;
}

static int family_reply(struct nlmsghdr *nlh, void *arg)
{
	return rzs_dec_family(nlh, RAMZSWAP_GENL_MCGRP_MONITOR, arg);
}

/* Asks the controller for the family: its id and the monitor group. */
static int resolve(struct rzs_ctx *ctx)
{
	struct rzs_family fam = { .id = -1 };
	struct nl_msg *msg;
	int err;

	err = rzs_enc_getfamily(&msg, RAMZSWAP_GENL_NAME);
	if (err)
		return err;
	err = transact(ctx, GENL_ID_CTRL, msg, family_reply, &fam);
	nlmsg_free(msg);
	if (err == -ENOENT) {
		rzs_set_error(ctx, "the ramzswap module is not loaded "
			      "(modprobe ramzswap)");
		return err;
	}
	if (err)
		return err;
	if (fam.id < 0) {
		rzs_set_error(ctx, "the controller did not answer for ramzswap");
		return -EPROTO;
	}
	ctx->family = fam;
	return 0;
}

int rzs_request(struct rzs_ctx *ctx, rzs_build_fn build, void *build_arg,
		rzs_reply_fn reply, void *reply_arg)
{
	struct nl_msg *msg;
	int old, err, tries;

	if (!ctx->sk) {
		rzs_set_error(ctx, "this context failed to open");
		return -ENOTCONN;
	}
	for (tries = 0; ; tries++) {
		ctx->has_err = 0;
		err = build(&msg, ctx->family.id, build_arg);
		if (err)
			return err;
		err = transact(ctx, ctx->family.id, msg, reply, reply_arg);
		nlmsg_free(msg);
		if (err != -ENOENT || tries)
			return err;
		/*
		 * ENOENT also answers a message to a family id that no longer
		 * exists: the module was reloaded and got a new id.  The
		 * request never reached ramzswap, so sending it again is
		 * safe.  Same id: the ENOENT was the command's own answer.
		 */
		old = ctx->family.id;
		if (ctx->has_err)
			return err;
		if (resolve(ctx))
			return -ENOENT;
		if (ctx->family.id == old)
			return err;
	}
}

int rzs_ctx_connect(struct rzs_ctx *ctx)
{
	int one = 1, fd, err;

	ctx->family.id = -1;
	ctx->sk = nl_socket_alloc();
	ctx->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!ctx->sk || !ctx->cb)
		return -ENOMEM;
	err = nl_connect(ctx->sk, NETLINK_GENERIC);
	if (err < 0) {
		rzs_set_error(ctx, "netlink socket: %s", nl_geterror(err));
		return rzs_nlerr_to_errno(err);
	}
	if (ctx->peer)
		nl_socket_set_peer_port(ctx->sk, ctx->peer);
	/* Dump messages may exceed a page: let libnl size its buffer. */
	nl_socket_enable_msg_peek(ctx->sk);
	fd = nl_socket_get_fd(ctx->sk);
	/*
	 * Error messages with the kernel's text (4.12+), without an echo of
	 * our request (4.3+).  Older kernels just give bare errnos.
	 */
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return resolve(ctx);
}

void rzs_ctx_release(struct rzs_ctx *ctx)
{
	if (ctx->cb)
		nl_cb_put(ctx->cb);
	if (ctx->sk)
		nl_socket_free(ctx->sk);
	ctx->cb = NULL;
	ctx->sk = NULL;
}

int rzs_open_peer(struct rzs_ctx **ctxp, uint32_t peer)
{
	struct rzs_ctx *ctx;
	int err;

	*ctxp = NULL;
	ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return -ENOMEM;
	ctx->peer = peer;
	err = rzs_ctx_connect(ctx);
	if (err) {
		/*
		 * Keep the context so rzs_last_error() can say why; every
		 * call on it fails until it is closed.
		 */
		rzs_ctx_release(ctx);
		*ctxp = ctx;
		return err;
	}
	*ctxp = ctx;
	return 0;
}

RZS_EXPORT int rzs_open(struct rzs_ctx **ctxp)
{
	return rzs_open_peer(ctxp, 0);
}

RZS_EXPORT void rzs_close(struct rzs_ctx *ctx)
{
	if (!ctx)
		return;
	rzs_ctx_release(ctx);
	free(ctx);
}
