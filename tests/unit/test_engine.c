// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * librzs's request engine (librzs/ctx.c, dev.c, info.c) against a fake
 * kernel: a second netlink socket in a thread, which the library is
 * pointed at instead of the kernel (rzs_open_peer).  It answers the
 * controller's family lookup and each command with scripted replies, so
 * the real libnl receive path runs: acks, extended-ack errors, dumps,
 * stale messages, a module reload that changes the family id.
 *
 * Unicast between user sockets of NETLINK_GENERIC needs CAP_NET_ADMIN;
 * without it the test reports itself skipped (exit 77).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/ramzswap.h>

#include "check.h"
#include "../../librzs/internal.h"

struct fake {
	int fd;
	uint32_t port;
	pthread_t thread;
	volatile int stop;
	int family;		/* the id the controller gives out */
	int next_family;	/* after a "module reload": answered from now on */
	int stale_reply;	/* send a reply with an old seq before the real one */
	int requests;		/* to the family, not the controller */
	int ctrl_requests;
	uint32_t last_cmd;
	uint32_t last_flags;
};

static struct fake fk;

static void send_to(struct fake *f, uint32_t port, struct nl_msg *msg)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = port };
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	nlh->nlmsg_pid = port;
	if (sendto(f->fd, nlh, nlh->nlmsg_len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		perror("fake: sendto");
	nlmsg_free(msg);
}

/* NLMSG_ERROR, capped, with extended-ack TLVs as a 6.x kernel sends. */
static void ack(struct fake *f, uint32_t port, struct nlmsghdr *req, int error,
		const char *text, int offs_type)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	int flags = NLM_F_CAPPED;

	if (text || offs_type >= 0)
		flags |= NLM_F_ACK_TLVS;
	nlh = nlmsg_put(msg, 0, req->nlmsg_seq, NLMSG_ERROR, sizeof(*e), flags);
	e = nlmsg_data(nlh);
	e->error = error;
	e->msg = *req;
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	if (offs_type >= 0) {
		struct nlattr *a;
		int rem;

		nlmsg_for_each_attr(a, req, GENL_HDRLEN, rem)
			if (nla_type(a) == offs_type)
				nla_put_u32(msg, NLMSGERR_ATTR_OFFS,
					    (uint32_t)((char *)a - (char *)req));
	}
	send_to(f, port, msg);
}

static struct nl_msg *reply(struct nlmsghdr *req, int family, uint8_t cmd,
			    int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, req->nlmsg_seq, family, 0, flags, cmd, 1);
	return msg;
}

static void put_dev(struct nl_msg *msg, uint32_t index)
{
	char name[32];
	struct nlattr *st;

	snprintf(name, sizeof(name), "ramzswap%u", index);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, index);
	nla_put_string(msg, RAMZSWAP_A_NAME, name);
	nla_put_u8(msg, RAMZSWAP_A_STATE, RAMZSWAP_STATE_INITIALIZED);
	nla_put_u64(msg, RAMZSWAP_A_DISKSIZE, (uint64_t)(index + 1) << 20);
	nla_put_string(msg, RAMZSWAP_A_ALGORITHM, "lz4");
	st = nla_nest_start(msg, RAMZSWAP_A_STATS);
	nla_put_u64(msg, RAMZSWAP_STAT_NUM_WRITES, 10 + index);
	nla_nest_end(msg, st);
	/* Even devices have a backing device, of a length that varies. */
	if (!(index % 2) && index < 10) {
		char path[64];

		snprintf(path, sizeof(path), "/dev/disk/by-partlabel/t%0*u",
			 (int)index + 1, index);
		nla_put_string(msg, RAMZSWAP_A_BACKING_DEV, path);
		nla_put_u64(msg, RAMZSWAP_A_BACKING_SIZE, 64ull << 20);
	}
}

static void on_ctrl(struct fake *f, uint32_t port, struct nlmsghdr *req)
{
	struct nl_msg *msg = reply(req, GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 0);
	struct nlattr *grps, *g;

	f->ctrl_requests++;
	if (f->next_family)
		f->family = f->next_family;
	if (f->family < 0) {
		nlmsg_free(msg);
		ack(f, port, req, -ENOENT, NULL, -1);
		return;
	}
	nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, (uint16_t)f->family);
	grps = nla_nest_start(msg, CTRL_ATTR_MCAST_GROUPS);
	g = nla_nest_start(msg, 1);
	nla_put_string(msg, CTRL_ATTR_MCAST_GRP_NAME, "monitor");
	nla_put_u32(msg, CTRL_ATTR_MCAST_GRP_ID, 77);
	nla_nest_end(msg, g);
	nla_nest_end(msg, grps);
	send_to(f, port, msg);
	ack(f, port, req, 0, NULL, -1);
}

static void on_family(struct fake *f, uint32_t port, struct nlmsghdr *req)
{
	struct genlmsghdr *g = nlmsg_data(req);
	struct nlattr *tb[RAMZSWAP_A_MAX + 1];
	uint32_t index = 0;
	struct nl_msg *msg;

	f->requests++;
	f->last_cmd = g->cmd;
	f->last_flags = req->nlmsg_flags;
	genlmsg_parse(req, 0, tb, RAMZSWAP_A_MAX, NULL);
	if (tb[RAMZSWAP_A_INDEX])
		index = nla_get_u32(tb[RAMZSWAP_A_INDEX]);

	if (f->stale_reply) {
		/* An answer to some earlier request nobody waited for. */
		msg = reply(req, f->family, RAMZSWAP_CMD_DEV_GET, 0);
		nlmsg_hdr(msg)->nlmsg_seq -= 1;
		put_dev(msg, 999 % RAMZSWAP_MAX_DEVICES);
		send_to(f, port, msg);
		f->stale_reply = 0;
	}

	switch (g->cmd) {
	case RAMZSWAP_CMD_DEV_GET:
		if (req->nlmsg_flags & NLM_F_DUMP) {
			/* Out of order, so the library's sort shows. */
			static const uint32_t order[] = { 2, 0, 5 };
			struct nl_msg *done;
			int err = 0;
			size_t i;

			for (i = 0; i < 3; i++) {
				msg = reply(req, f->family, RAMZSWAP_CMD_DEV_GET,
					    NLM_F_MULTI);
				put_dev(msg, order[i]);
				send_to(f, port, msg);
			}
			done = nlmsg_alloc();
			nlmsg_put(done, 0, req->nlmsg_seq, NLMSG_DONE,
				  sizeof(err), NLM_F_MULTI);
			memcpy(nlmsg_data(nlmsg_hdr(done)), &err, sizeof(err));
			send_to(f, port, done);
			return;
		}
		if (index >= 100) {
			ack(f, port, req, -ENODEV, "no such ramzswap device",
			    RAMZSWAP_A_INDEX);
			return;
		}
		msg = reply(req, f->family, RAMZSWAP_CMD_DEV_GET, 0);
		put_dev(msg, index);
		send_to(f, port, msg);
		ack(f, port, req, 0, NULL, -1);
		return;
	case RAMZSWAP_CMD_DEV_ADD:
		msg = reply(req, f->family, RAMZSWAP_CMD_DEV_ADD, 0);
		put_dev(msg, tb[RAMZSWAP_A_INDEX] ? index : 4);
		send_to(f, port, msg);
		ack(f, port, req, 0, NULL, -1);
		return;
	case RAMZSWAP_CMD_DEV_RESET:
		ack(f, port, req, -EBUSY, "device is open", RAMZSWAP_A_INDEX);
		return;
	case RAMZSWAP_CMD_DEV_DEL:
		ack(f, port, req, -EPERM, NULL, -1);
		return;
	case RAMZSWAP_CMD_DEV_INIT:
		if (tb[RAMZSWAP_A_ALGORITHM] &&
		    strcmp(nla_get_string(tb[RAMZSWAP_A_ALGORITHM]), "lz4")) {
			ack(f, port, req, -EINVAL, "unknown algorithm",
			    RAMZSWAP_A_ALGORITHM);
			return;
		}
		ack(f, port, req, 0, NULL, -1);
		return;
	case RAMZSWAP_CMD_DEV_SET:
		ack(f, port, req, 0, NULL, -1);
		return;
	case RAMZSWAP_CMD_DEV_MARK_IDLE:
		msg = reply(req, f->family, RAMZSWAP_CMD_DEV_MARK_IDLE, 0);
		nla_put_u64(msg, RAMZSWAP_A_IDLE_MARKED,
			    tb[RAMZSWAP_A_IDLE_MIN_AGE] ?
			    50 + nla_get_u8(tb[RAMZSWAP_A_IDLE_MIN_AGE]) : 0);
		send_to(f, port, msg);
		ack(f, port, req, 0, NULL, -1);
		return;
	case RAMZSWAP_CMD_DEV_WRITEBACK:
		if (index == 1) {
			ack(f, port, req, -EINVAL, "device has no backing device",
			    RAMZSWAP_A_INDEX);
			return;
		}
		if (index == 9) {
			ack(f, port, req, -ENOSPC, "writeback limit spent", -1);
			return;
		}
		msg = reply(req, f->family, RAMZSWAP_CMD_DEV_WRITEBACK, 0);
		nla_put_u64(msg, RAMZSWAP_A_WB_WRITTEN,
			    100 * nla_get_u32(tb[RAMZSWAP_A_WB_KINDS]) +
			    (tb[RAMZSWAP_A_WB_MAX_PAGES] ?
			     nla_get_u64(tb[RAMZSWAP_A_WB_MAX_PAGES]) : 0));
		send_to(f, port, msg);
		ack(f, port, req, 0, NULL, -1);
		return;
	case RAMZSWAP_CMD_DEV_COMPACT:
		msg = reply(req, f->family, RAMZSWAP_CMD_DEV_COMPACT, 0);
		nla_put_u64(msg, RAMZSWAP_A_PAGES_COMPACTED, 321);
		send_to(f, port, msg);
		ack(f, port, req, 0, NULL, -1);
		return;
	case RAMZSWAP_CMD_INFO: {
		struct nlattr *list, *e;

		msg = reply(req, f->family, RAMZSWAP_CMD_INFO, 0);
		nla_put_string(msg, RAMZSWAP_A_VERSION, "9.9");
		list = nla_nest_start(msg, RAMZSWAP_A_ALGORITHMS);
		e = nla_nest_start(msg, RAMZSWAP_A_ALGORITHM_ENTRY);
		nla_put_string(msg, RAMZSWAP_ALG_A_NAME, "lz4");
		nla_nest_end(msg, e);
		nla_nest_end(msg, list);
		send_to(f, port, msg);
		ack(f, port, req, 0, NULL, -1);
		return;
	}
	}
	ack(f, port, req, -EOPNOTSUPP, NULL, -1);
}

static void *fake_main(void *arg)
{
	struct fake *f = arg;
	char buf[8192] __attribute__((aligned(4)));

	while (!f->stop) {
		struct sockaddr_nl from;
		socklen_t fl = sizeof(from);
		struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
		ssize_t n = recvfrom(f->fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0)
			continue;	/* the receive timeout: check stop */
		if (!nlmsg_ok(nlh, (int)n))
			continue;
		if (nlh->nlmsg_type == GENL_ID_CTRL)
			on_ctrl(f, from.nl_pid, nlh);
		else if (nlh->nlmsg_type == f->family)
			on_family(f, from.nl_pid, nlh);
		else	/* what genetlink answers for an unknown family id */
			ack(f, from.nl_pid, nlh, -ENOENT, NULL, -1);
	}
	return NULL;
}

static int fake_start(struct fake *f)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct timeval tv = { .tv_usec = 50000 };
	socklen_t len = sizeof(sa);

	f->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (f->fd < 0)
		return -errno;
	if (bind(f->fd, (struct sockaddr *)&sa, sizeof(sa)) ||
	    getsockname(f->fd, (struct sockaddr *)&sa, &len))
		return -errno;
	setsockopt(f->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	f->port = sa.nl_pid;
	return -pthread_create(&f->thread, NULL, fake_main, f);
}

static void fake_stop(struct fake *f)
{
	f->stop = 1;
	pthread_join(f->thread, NULL);
	close(f->fd);
}

/* Can a user socket send to another one here? */
static bool unicast_allowed(void)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK, .nl_pid = fk.port };
	struct nlmsghdr h = {
		.nlmsg_len = sizeof(h), .nlmsg_type = NLMSG_NOOP,
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	bool ok;

	if (fd < 0)
		return false;
	ok = sendto(fd, &h, sizeof(h), 0, (struct sockaddr *)&to, sizeof(to)) >= 0;
	close(fd);
	return ok;
}

int main(void)
{
	struct rzs_ctx *ctx;
	struct rzs_dev dev, *devs;
	struct rzs_info info;
	struct rzs_init_params p = { .disksize = 1 << 20 };
	size_t nr;
	uint64_t pages;

	fk.family = 0x30;
	if (fake_start(&fk)) {
		printf("engine: SKIP (no netlink socket)\n");
		return 77;
	}
	if (!unicast_allowed()) {
		fake_stop(&fk);
		printf("engine: SKIP (netlink unicast between sockets not permitted)\n");
		return 77;
	}

	CHECK_INT(rzs_open_peer(&ctx, fk.port), 0);
	CHECK_INT(fk.ctrl_requests, 1);
	CHECK(rzs_last_error(ctx) == NULL);

	/* A do-request: reply, then ack. */
	CHECK_INT(rzs_dev_get(ctx, 7, &dev), 0);
	CHECK_INT(dev.index, 7);
	CHECK_STR(dev.name, "ramzswap7");
	CHECK_U64(dev.stats.num_writes, 17);
	CHECK_INT(fk.last_cmd, RAMZSWAP_CMD_DEV_GET);
	CHECK(fk.last_flags & NLM_F_ACK);

	/* The kernel's errno and text, with the attribute it points at. */
	CHECK_INT(rzs_dev_get(ctx, 100, &dev), -ENODEV);
	CHECK_STR(rzs_last_error(ctx), "no such ramzswap device [attribute INDEX]");
	CHECK_INT(rzs_dev_reset(ctx, 1), -EBUSY);
	CHECK_STR(rzs_last_error(ctx), "device is open [attribute INDEX]");
	/* An errno without text, and the text of before is gone. */
	CHECK_INT(rzs_dev_del(ctx, 1), -EPERM);
	CHECK(rzs_last_error(ctx) == NULL);

	/* A dump, sorted by index. */
	CHECK_INT(rzs_dev_list(ctx, &devs, &nr), 0);
	CHECK_INT(nr, 3);
	if (nr == 3) {
		CHECK_INT(devs[0].index, 0);
		CHECK_INT(devs[1].index, 2);
		CHECK_INT(devs[2].index, 5);
		CHECK_U64(devs[2].disksize, 6 << 20);
		/* The paths live in the array's block, after the devices. */
		CHECK_STR(devs[0].backing_dev, "/dev/disk/by-partlabel/t0");
		CHECK_STR(devs[1].backing_dev, "/dev/disk/by-partlabel/t002");
		CHECK(devs[2].backing_dev == NULL);
		CHECK(!(devs[2].valid & RZS_DEV_BACKING_DEV));
		CHECK(devs[1].valid & RZS_DEV_BACKING_SIZE);
		CHECK((const char *)devs[0].backing_dev > (const char *)&devs[2]);
	}
	rzs_dev_list_free(devs);
	CHECK(fk.last_flags & NLM_F_DUMP);

	/* One device's path is kept by the context. */
	CHECK_INT(rzs_dev_get(ctx, 4, &dev), 0);
	CHECK_STR(dev.backing_dev, "/dev/disk/by-partlabel/t00004");
	CHECK_U64(dev.backing_size, 64ull << 20);

	/* Idle marking and writeback, their counts and their refusals. */
	CHECK_INT(rzs_dev_mark_idle(ctx, 0, 2, &pages), 0);
	CHECK_U64(pages, 52);
	CHECK_INT(fk.last_cmd, RAMZSWAP_CMD_DEV_MARK_IDLE);
	CHECK_INT(rzs_dev_mark_idle(ctx, 0, 0, NULL), 0);
	CHECK_INT(rzs_dev_mark_idle(ctx, 0, 300, &pages), -EINVAL);
	CHECK_HAS(rzs_last_error(ctx), "out of range");
	CHECK_INT(rzs_dev_writeback(ctx, 0, RZS_WB_IDLE | RZS_WB_HUGE, 3, 7,
				    &pages), 0);
	CHECK_U64(pages, 307);
	CHECK_INT(fk.last_cmd, RAMZSWAP_CMD_DEV_WRITEBACK);
	pages = 5;
	CHECK_INT(rzs_dev_writeback(ctx, 1, RZS_WB_IDLE, 1, 0, &pages), -EINVAL);
	CHECK_U64(pages, 0);
	CHECK_STR(rzs_last_error(ctx),
		  "device has no backing device [attribute INDEX]");
	CHECK_INT(rzs_dev_writeback(ctx, 9, RZS_WB_IDLE, 1, 0, NULL), -ENOSPC);
	CHECK_STR(rzs_last_error(ctx), "writeback limit spent");
	CHECK_INT(rzs_dev_set_wb_limit(ctx, 0, RZS_WB_LIMIT_NONE), 0);
	CHECK_INT(fk.last_cmd, RAMZSWAP_CMD_DEV_SET);

	CHECK_INT(rzs_dev_add(ctx, -1, &dev), 0);
	CHECK_INT(dev.index, 4);
	CHECK_INT(rzs_dev_add(ctx, 8, &dev), 0);
	CHECK_INT(dev.index, 8);
	CHECK_INT(rzs_dev_add(ctx, 8, NULL), 0);
	CHECK_INT(rzs_dev_add(ctx, RAMZSWAP_MAX_DEVICES, NULL), -EINVAL);

	CHECK_INT(rzs_dev_init(ctx, 0, &p), 0);
	p.flags = RZS_INIT_ALGORITHM;
	p.algorithm = "snappy";
	CHECK_INT(rzs_dev_init(ctx, 0, &p), -EINVAL);
	CHECK_STR(rzs_last_error(ctx), "unknown algorithm [attribute ALGORITHM]");
	CHECK_INT(rzs_dev_set_memlimit(ctx, 0, 1 << 30), 0);
	CHECK_INT(fk.last_cmd, RAMZSWAP_CMD_DEV_SET);
	CHECK_INT(rzs_dev_compact(ctx, 0, &pages), 0);
	CHECK_U64(pages, 321);
	CHECK_INT(rzs_dev_compact(ctx, 0, NULL), 0);

	CHECK_INT(rzs_info(ctx, &info), 0);
	CHECK_STR(info.version, "9.9");
	CHECK_INT(info.nr_algorithms, 1);
	rzs_info_free(&info);

	/* A leftover reply with an old sequence number is passed over. */
	fk.stale_reply = 1;
	CHECK_INT(rzs_dev_get(ctx, 3, &dev), 0);
	CHECK_INT(dev.index, 3);

	/*
	 * Module reload: the family comes back under another id.  The
	 * request to the old id gets ENOENT; the library looks the family
	 * up again and sends it once more, to the new id.
	 */
	fk.family = 0x31;
	fk.next_family = 0x31;
	fk.requests = 0;
	CHECK_INT(rzs_dev_get(ctx, 2, &dev), 0);
	CHECK_INT(dev.index, 2);
	CHECK_INT(fk.ctrl_requests, 2);
	CHECK_INT(fk.requests, 1);

	/* Module gone: ENOENT and the reason. */
	fk.family = -1;
	fk.next_family = -1;
	CHECK_INT(rzs_dev_get(ctx, 2, &dev), -ENOENT);
	CHECK_HAS(rzs_last_error(ctx), "not loaded");
	rzs_close(ctx);

	/* Opening without the family: ENOENT, with the reason kept. */
	CHECK_INT(rzs_open_peer(&ctx, fk.port), -ENOENT);
	CHECK_HAS(rzs_last_error(ctx), "not loaded");
	CHECK_INT(rzs_dev_get(ctx, 0, &dev), -ENOTCONN);
	rzs_close(ctx);
	rzs_close(NULL);

	fake_stop(&fk);
	return test_done("engine");
}
