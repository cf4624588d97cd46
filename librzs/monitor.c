// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The monitor: a socket of its own joined to the "monitor" multicast
 * group.  Notifications carry no sequence number we asked for, so libnl's
 * check is off, and the socket is read directly rather than through
 * libnl's receive loop: that keeps the real errno (ENOBUFS: events were
 * lost, which libnl reports as NLE_NOMEM) and lets one datagram's
 * messages be handed out one call at a time.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/socket.h>
#include <linux/ramzswap.h>

#include "internal.h"

#define MON_BUF		16384

struct rzs_monitor {
	struct rzs_ctx ctx;
	char backing[RZS_BACKING_DEV_MAX];	/* of the last event */
	size_t len, off;		/* unread part of buf */
	char buf[MON_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
};

RZS_EXPORT int rzs_monitor_open(struct rzs_monitor **monp, unsigned int flags)
{
	struct rzs_monitor *mon;
	int err;

	*monp = NULL;
	if (flags & ~RZS_MONITOR_NONBLOCK)
		return -EINVAL;
	mon = calloc(1, sizeof(*mon));
	if (!mon)
		return -ENOMEM;
	err = rzs_ctx_connect(&mon->ctx);
	if (err)
		goto fail;
	if (!mon->ctx.family.monitor_group) {
		err = -ENOENT;
		goto fail;
	}
	nl_socket_disable_seq_check(mon->ctx.sk);
	err = nl_socket_add_membership(mon->ctx.sk,
				       (int)mon->ctx.family.monitor_group);
	if (err < 0) {
		err = rzs_nlerr_to_errno(err);
		goto fail;
	}
	if (flags & RZS_MONITOR_NONBLOCK) {
		err = nl_socket_set_nonblocking(mon->ctx.sk);
		if (err < 0) {
			err = rzs_nlerr_to_errno(err);
			goto fail;
		}
	}
	*monp = mon;
	return 0;
fail:
	rzs_ctx_release(&mon->ctx);
	free(mon);
	return err;
}

RZS_EXPORT void rzs_monitor_close(struct rzs_monitor *mon)
{
	if (!mon)
		return;
	rzs_ctx_release(&mon->ctx);
	free(mon);
}

RZS_EXPORT int rzs_monitor_fd(const struct rzs_monitor *mon)
{
	return nl_socket_get_fd(mon->ctx.sk);
}

/* The next event of the datagram in buf: 1, or 0 when it has none left. */
static int next_in_buf(struct rzs_monitor *mon, struct rzs_event *ev)
{
	while (mon->off < mon->len) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(mon->buf + mon->off);
		int rem = (int)(mon->len - mon->off);
		int err;

		if (!nlmsg_ok(nlh, rem)) {
			mon->off = mon->len;
			break;
		}
		mon->off += NLMSG_ALIGN(nlh->nlmsg_len);
		if (nlh->nlmsg_type != mon->ctx.family.id)
			continue;
		err = rzs_dec_event(nlh, ev);
		if (err == 1)
			rzs_keep_backing_dev(&ev->dev, mon->backing,
					     sizeof(mon->backing));
		if (err)
			return err;	/* 1, or -EPROTO for this message only */
	}
	return 0;
}

RZS_EXPORT int rzs_monitor_read(struct rzs_monitor *mon, struct rzs_event *ev)
{
	for (;;) {
		struct sockaddr_nl from;
		socklen_t fromlen = sizeof(from);
		ssize_t n;
		int err;

		err = next_in_buf(mon, ev);
		if (err)
			return err;
		mon->len = mon->off = 0;
		n = recvfrom(rzs_monitor_fd(mon), mon->buf, sizeof(mon->buf),
			     MSG_TRUNC, (struct sockaddr *)&from, &fromlen);
		if (n < 0)
			return -errno;
		/* Only the kernel speaks for ramzswap; drop anything else. */
		if (from.nl_pid != 0 || (size_t)n > sizeof(mon->buf))
			continue;
		mon->len = (size_t)n;
	}
}
