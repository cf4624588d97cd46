// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The message codec (librzs/codec.c), without a socket: every request is
 * encoded and read back the way the kernel's strict policy would; replies,
 * events and acks are built by hand the way the kernel builds them (64-bit
 * values after PAD attributes, nests, extended-ack TLVs) and decoded,
 * including unknown, missing, oversized and truncated attributes.
 * Messages under test are copied to buffers of their exact length, so
 * AddressSanitizer catches any read past their end.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/ramzswap.h>

#include "check.h"
#include "../../librzs/codec.h"

#define FAM	0x2a

/* ---- helpers ------------------------------------------------------------ */

static struct nl_msg *kmsg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	genlmsg_put(msg, 0, 1, FAM, 0, 0, cmd, RAMZSWAP_GENL_VERSION);
	return msg;
}

/* As the kernel's nla_put_u64_64bit: a PAD attribute first when needed. */
static void put_u64(struct nl_msg *msg, int type, uint64_t v, int pad)
{
	if ((nlmsg_hdr(msg)->nlmsg_len + NLA_HDRLEN) % 8)
		nla_put(msg, pad, 0, NULL);
	nla_put_u64(msg, type, v);
}

/* An exact-size heap copy of the first len bytes (all if len is 0). */
static struct nlmsghdr *exact(struct nl_msg *msg, size_t len)
{
	struct nlmsghdr *src = nlmsg_hdr(msg);
	struct nlmsghdr *nlh;

	if (!len)
		len = src->nlmsg_len;
	nlh = malloc(len);
	memcpy(nlh, src, len);
	nlh->nlmsg_len = (uint32_t)len;
	nlmsg_free(msg);
	return nlh;
}

static void put_dev(struct nl_msg *msg, uint32_t index, bool stats)
{
	char name[32];

	snprintf(name, sizeof(name), "ramzswap%u", index);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, index);
	nla_put_string(msg, RAMZSWAP_A_NAME, name);
	nla_put_u8(msg, RAMZSWAP_A_STATE, RAMZSWAP_STATE_INITIALIZED);
	put_u64(msg, RAMZSWAP_A_DISKSIZE, 1ull << 30, RAMZSWAP_A_PAD);
	put_u64(msg, RAMZSWAP_A_MEMLIMIT, 256ull << 20, RAMZSWAP_A_PAD);
	nla_put_string(msg, RAMZSWAP_A_ALGORITHM, "lz4");
	nla_put_u32(msg, RAMZSWAP_A_LEVEL, 0);
	nla_put_u32(msg, RAMZSWAP_A_OPENERS, 1);
	if (stats) {
		struct nlattr *nest = nla_nest_start(msg, RAMZSWAP_A_STATS);
		int i;

		/* Each statistic i holds 1000 + i, so any mix-up shows. */
		for (i = RAMZSWAP_STAT_PAD + 1; i <= RAMZSWAP_STAT_MAX; i++)
			put_u64(msg, i, 1000 + (uint64_t)i, RAMZSWAP_STAT_PAD);
		/* A statistic from a newer module. */
		put_u64(msg, RAMZSWAP_STAT_MAX + 3, 77, RAMZSWAP_STAT_PAD);
		nla_nest_end(msg, nest);
	}
}

/*
 * Reads a request as the kernel's strict policy would: known types only,
 * each exactly its size, strings NUL-terminated.  Returns a bitmask of the
 * attribute types present, or 1u << 31 if anything is off.
 */
static unsigned int request_attrs(struct nl_msg *msg, int cmd, int flags)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *a;
	unsigned int seen = 0;
	int rem;

	if (nlh->nlmsg_type != FAM || g->cmd != cmd ||
	    g->version != RAMZSWAP_GENL_VERSION ||
	    (nlh->nlmsg_flags & NLM_F_DUMP) != flags)
		return 1u << 31;
	nlmsg_for_each_attr(a, nlh, GENL_HDRLEN, rem) {
		int t = nla_type(a), len = nla_len(a);

		switch (t) {
		case RAMZSWAP_A_INDEX:
		case RAMZSWAP_A_LEVEL:
		case RAMZSWAP_A_WB_KINDS:
			if (len != 4)
				return 1u << 31;
			break;
		case RAMZSWAP_A_DISKSIZE:
		case RAMZSWAP_A_MEMLIMIT:
		case RAMZSWAP_A_WB_LIMIT:
		case RAMZSWAP_A_WB_MAX_PAGES:
			if (len != 8)
				return 1u << 31;
			break;
		case RAMZSWAP_A_IDLE_MIN_AGE:
			if (len != 1)
				return 1u << 31;
			break;
		case RAMZSWAP_A_BACKING_DEV:
			if (len < 1 || len > RAMZSWAP_BACKING_DEV_MAX ||
			    ((char *)nla_data(a))[len - 1])
				return 1u << 31;
			break;
		case RAMZSWAP_A_ALGORITHM:
			if (len < 1 || len > RAMZSWAP_ALGORITHM_NAME_MAX ||
			    ((char *)nla_data(a))[len - 1])
				return 1u << 31;
			break;
		default:
			return 1u << 31;
		}
		if (seen & (1u << t))
			return 1u << 31;
		seen |= 1u << t;
	}
	if (rem)
		return 1u << 31;
	return seen;
}

#define BIT(t) (1u << (t))

/* ---- requests ----------------------------------------------------------- */

static void test_requests(void)
{
	struct rzs_init_params p = { .disksize = 1ull << 30 };
	struct nl_msg *msg;
	struct nlattr *tb[RAMZSWAP_A_MAX + 1];

	CHECK_INT(rzs_enc_dev_get(&msg, FAM, 3), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_GET, 0), BIT(RAMZSWAP_A_INDEX));
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, RAMZSWAP_A_MAX, NULL), 0);
	CHECK_INT(nla_get_u32(tb[RAMZSWAP_A_INDEX]), 3);
	nlmsg_free(msg);

	CHECK_INT(rzs_enc_dev_dump(&msg, FAM), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_GET, NLM_F_DUMP), 0);
	nlmsg_free(msg);

	CHECK_INT(rzs_enc_dev_add(&msg, FAM, -1), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_ADD, 0), 0);
	nlmsg_free(msg);
	CHECK_INT(rzs_enc_dev_add(&msg, FAM, 5), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_ADD, 0), BIT(RAMZSWAP_A_INDEX));
	nlmsg_free(msg);
	CHECK_INT(rzs_enc_dev_add(&msg, FAM, RAMZSWAP_MAX_DEVICES), -EINVAL);
	CHECK_INT(rzs_enc_dev_add(&msg, FAM, -2), -EINVAL);

	CHECK_INT(rzs_enc_dev_cmd(&msg, FAM, RAMZSWAP_CMD_DEV_DEL, 1), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_DEL, 0), BIT(RAMZSWAP_A_INDEX));
	nlmsg_free(msg);
	CHECK_INT(rzs_enc_dev_cmd(&msg, FAM, RAMZSWAP_CMD_DEV_RESET, 1), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_RESET, 0), BIT(RAMZSWAP_A_INDEX));
	nlmsg_free(msg);
	CHECK_INT(rzs_enc_dev_cmd(&msg, FAM, RAMZSWAP_CMD_DEV_COMPACT, 1), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_COMPACT, 0),
		  BIT(RAMZSWAP_A_INDEX));
	nlmsg_free(msg);

	/* init: only what was asked for, and DISKSIZE always. */
	CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_INIT, 0),
		  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_DISKSIZE));
	nlmsg_free(msg);

	p.flags = RZS_INIT_ALGORITHM | RZS_INIT_LEVEL | RZS_INIT_MEMLIMIT;
	p.algorithm = "zstd";
	p.level = 7;
	p.memlimit = 123456789;
	CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_INIT, 0),
		  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_DISKSIZE) |
		  BIT(RAMZSWAP_A_ALGORITHM) | BIT(RAMZSWAP_A_LEVEL) |
		  BIT(RAMZSWAP_A_MEMLIMIT));
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, RAMZSWAP_A_MAX, NULL), 0);
	CHECK_U64(nla_get_u64(tb[RAMZSWAP_A_DISKSIZE]), 1ull << 30);
	CHECK_U64(nla_get_u64(tb[RAMZSWAP_A_MEMLIMIT]), 123456789);
	CHECK_INT(nla_get_u32(tb[RAMZSWAP_A_LEVEL]), 7);
	CHECK_STR(nla_get_string(tb[RAMZSWAP_A_ALGORITHM]), "zstd");
	nlmsg_free(msg);

	p.algorithm = "a-name-too-long!";	/* 16 characters + NUL */
	CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), -EINVAL);
	p.algorithm = "";
	CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), -EINVAL);
	p.algorithm = NULL;
	CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), -EINVAL);
	CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, NULL), -EINVAL);

	/* The backing device and its writeback limit, with their flags only. */
	{
		char longpath[RAMZSWAP_BACKING_DEV_MAX + 1];

		p.flags = RZS_INIT_BACKING_DEV | RZS_INIT_WB_LIMIT;
		p.backing_dev = "/dev/disk/by-partlabel/swap-tier";
		p.wb_limit = 5ull << 30;
		CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), 0);
		CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_INIT, 0),
			  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_DISKSIZE) |
			  BIT(RAMZSWAP_A_BACKING_DEV) | BIT(RAMZSWAP_A_WB_LIMIT));
		CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, RAMZSWAP_A_MAX,
					NULL), 0);
		CHECK_STR(nla_get_string(tb[RAMZSWAP_A_BACKING_DEV]),
			  "/dev/disk/by-partlabel/swap-tier");
		CHECK_U64(nla_get_u64(tb[RAMZSWAP_A_WB_LIMIT]), 5ull << 30);
		nlmsg_free(msg);

		/* The path's flag alone; a set path without its flag is unsent. */
		p.flags = RZS_INIT_BACKING_DEV;
		CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), 0);
		CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_INIT, 0),
			  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_DISKSIZE) |
			  BIT(RAMZSWAP_A_BACKING_DEV));
		nlmsg_free(msg);
		p.flags = 0;
		CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), 0);
		CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_INIT, 0),
			  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_DISKSIZE));
		nlmsg_free(msg);

		/* 255 characters fit, 256 do not; empty and NULL never. */
		p.flags = RZS_INIT_BACKING_DEV;
		memset(longpath, 'a', sizeof(longpath));
		longpath[RAMZSWAP_BACKING_DEV_MAX - 1] = '\0';
		p.backing_dev = longpath;
		CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), 0);
		CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_INIT, 0),
			  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_DISKSIZE) |
			  BIT(RAMZSWAP_A_BACKING_DEV));
		nlmsg_free(msg);
		longpath[RAMZSWAP_BACKING_DEV_MAX - 1] = 'a';
		longpath[RAMZSWAP_BACKING_DEV_MAX] = '\0';
		CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), -EINVAL);
		p.backing_dev = "";
		CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), -EINVAL);
		p.backing_dev = NULL;
		CHECK_INT(rzs_enc_dev_init(&msg, FAM, 2, &p), -EINVAL);
	}

	/* set: the writeback limit alone, all ones for none. */
	CHECK_INT(rzs_enc_dev_set_wb_limit(&msg, FAM, 4, RZS_WB_LIMIT_NONE), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_SET, 0),
		  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_WB_LIMIT));
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, RAMZSWAP_A_MAX, NULL), 0);
	CHECK_U64(nla_get_u64(tb[RAMZSWAP_A_WB_LIMIT]), RAMZSWAP_WB_LIMIT_NONE);
	nlmsg_free(msg);

	/* mark idle: INDEX and the age as a u8. */
	CHECK_INT(rzs_enc_dev_mark_idle(&msg, FAM, 1, 2), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_MARK_IDLE, 0),
		  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_IDLE_MIN_AGE));
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, RAMZSWAP_A_MAX, NULL), 0);
	CHECK_INT(nla_get_u8(tb[RAMZSWAP_A_IDLE_MIN_AGE]), 2);
	nlmsg_free(msg);
	/* 4 is the kernel's to refuse; 256 cannot be encoded. */
	CHECK_INT(rzs_enc_dev_mark_idle(&msg, FAM, 1, 4), 0);
	nlmsg_free(msg);
	CHECK_INT(rzs_enc_dev_mark_idle(&msg, FAM, 1, 256), -EINVAL);

	/* writeback: kinds and age always, WB_MAX_PAGES only when bounded. */
	CHECK_INT(rzs_enc_dev_writeback(&msg, FAM, 1, RZS_WB_IDLE | RZS_WB_HUGE,
					3, 0), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_WRITEBACK, 0),
		  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_WB_KINDS) |
		  BIT(RAMZSWAP_A_IDLE_MIN_AGE));
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, RAMZSWAP_A_MAX, NULL), 0);
	CHECK_INT(nla_get_u32(tb[RAMZSWAP_A_WB_KINDS]),
		  RAMZSWAP_WB_IDLE | RAMZSWAP_WB_HUGE);
	CHECK_INT(nla_get_u8(tb[RAMZSWAP_A_IDLE_MIN_AGE]), 3);
	nlmsg_free(msg);
	CHECK_INT(rzs_enc_dev_writeback(&msg, FAM, 1, RZS_WB_INCOMPRESSIBLE, 1,
					1000), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_WRITEBACK, 0),
		  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_WB_KINDS) |
		  BIT(RAMZSWAP_A_IDLE_MIN_AGE) | BIT(RAMZSWAP_A_WB_MAX_PAGES));
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, RAMZSWAP_A_MAX, NULL), 0);
	CHECK_U64(nla_get_u64(tb[RAMZSWAP_A_WB_MAX_PAGES]), 1000);
	CHECK_INT(nla_get_u32(tb[RAMZSWAP_A_WB_KINDS]), RAMZSWAP_WB_INCOMPRESSIBLE);
	nlmsg_free(msg);
	CHECK_INT(rzs_enc_dev_writeback(&msg, FAM, 1, RZS_WB_IDLE, 300, 0), -EINVAL);

	/*
	 * The structs the library fills keep their LIBRZS_1 size and
	 * layout: the new fields went into reserved space.
	 */
	CHECK_INT(sizeof(struct rzs_stats), 256);
	CHECK_INT(sizeof(struct rzs_dev), 408);
	CHECK_INT(offsetof(struct rzs_dev, stats), 152);
	CHECK_INT(sizeof(struct rzs_event), 456);
	CHECK_INT(offsetof(struct rzs_stats, bd_pages), 18 * 8);

	/* librzs's bits are the kernel's. */
	CHECK_INT(RZS_WB_IDLE, RAMZSWAP_WB_IDLE);
	CHECK_INT(RZS_WB_HUGE, RAMZSWAP_WB_HUGE);
	CHECK_INT(RZS_WB_INCOMPRESSIBLE, RAMZSWAP_WB_INCOMPRESSIBLE);
	CHECK_U64(RZS_WB_LIMIT_NONE, RAMZSWAP_WB_LIMIT_NONE);
	CHECK_INT(RZS_IDLE_AGE_MAX, RAMZSWAP_IDLE_AGE_MAX);
	CHECK_INT(RZS_BACKING_DEV_MAX, RAMZSWAP_BACKING_DEV_MAX);

	CHECK_INT(rzs_enc_dev_set_memlimit(&msg, FAM, 4, 1ull << 40), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_DEV_SET, 0),
		  BIT(RAMZSWAP_A_INDEX) | BIT(RAMZSWAP_A_MEMLIMIT));
	nlmsg_free(msg);

	CHECK_INT(rzs_enc_info(&msg, FAM), 0);
	CHECK_INT(request_attrs(msg, RAMZSWAP_CMD_INFO, 0), 0);
	nlmsg_free(msg);

	CHECK_INT(rzs_enc_getfamily(&msg, "ramzswap"), 0);
	CHECK_INT(nlmsg_hdr(msg)->nlmsg_type, GENL_ID_CTRL);
	CHECK_INT(genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL), 0);
	CHECK_STR(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), "ramzswap");
	nlmsg_free(msg);
}

/* ---- replies ------------------------------------------------------------ */

static void test_dev(void)
{
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	struct rzs_dev d;
	const uint64_t *s;
	size_t i;

	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	put_dev(msg, 3, true);
	nla_put_u32(msg, RAMZSWAP_A_MAX + 7, 99);	/* a newer attribute */
	nlh = exact(msg, 0);
	memset(&d, 0xff, sizeof(d));
	CHECK_INT(rzs_dec_dev(nlh, &d), 0);
	CHECK_INT(d.index, 3);
	CHECK_STR(d.name, "ramzswap3");
	CHECK_INT(d.state, RZS_STATE_INITIALIZED);
	CHECK_U64(d.disksize, 1ull << 30);
	CHECK_U64(d.memlimit, 256ull << 20);
	CHECK_STR(d.algorithm, "lz4");
	CHECK_INT(d.level, 0);
	CHECK_INT(d.openers, 1);
	CHECK_INT(d.valid, RZS_DEV_INDEX | RZS_DEV_NAME | RZS_DEV_STATE |
			   RZS_DEV_DISKSIZE | RZS_DEV_ALGORITHM | RZS_DEV_LEVEL |
			   RZS_DEV_MEMLIMIT | RZS_DEV_OPENERS | RZS_DEV_STATS);
	/* struct rzs_stats follows enum ramzswap_stat, field for field. */
	s = &d.stats.num_reads;
	for (i = 0; i < RAMZSWAP_STAT_MAX - RAMZSWAP_STAT_PAD; i++)
		CHECK_U64(s[i], 1000 + RAMZSWAP_STAT_PAD + 1 + i);
	CHECK_U64(d.stats.pages_compacted, 1000 + RAMZSWAP_STAT_PAGES_COMPACTED);
	CHECK_U64(d.stats.mem_used_max, 1000 + RAMZSWAP_STAT_MEM_USED_MAX);
	CHECK_U64(d.stats.bd_pages, 1000 + RAMZSWAP_STAT_BD_PAGES);
	CHECK_U64(d.stats.idle_age3, 1000 + RAMZSWAP_STAT_IDLE_AGE3);
	CHECK_U64(d.stats.incompressible_pages,
		  1000 + RAMZSWAP_STAT_INCOMPRESSIBLE_PAGES);
	CHECK_U64(d.stats.reserved[0], 0);
	CHECK(d.backing_dev == NULL);
	free(nlh);

	/* A device with a backing device: path, its size, the limit left. */
	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	put_dev(msg, 4, false);
	nla_put_string(msg, RAMZSWAP_A_BACKING_DEV, "/dev/vdb");
	put_u64(msg, RAMZSWAP_A_BACKING_SIZE, 256ull << 20, RAMZSWAP_A_PAD);
	put_u64(msg, RAMZSWAP_A_WB_LIMIT, RAMZSWAP_WB_LIMIT_NONE, RAMZSWAP_A_PAD);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_dev(nlh, &d), 0);
	CHECK(d.valid & RZS_DEV_BACKING_DEV);
	CHECK(d.valid & RZS_DEV_BACKING_SIZE);
	CHECK(d.valid & RZS_DEV_WB_LIMIT);
	CHECK_STR(d.backing_dev, "/dev/vdb");
	CHECK_U64(d.backing_size, 256ull << 20);
	CHECK_U64(d.wb_limit, RZS_WB_LIMIT_NONE);
	{
		char keep[RZS_BACKING_DEV_MAX];

		rzs_keep_backing_dev(&d, keep, sizeof(keep));
		free(nlh);
		CHECK(d.backing_dev == keep);
		CHECK_STR(d.backing_dev, "/dev/vdb");
	}

	/* A backing path longer than the uapi allows is malformed. */
	{
		char longpath[RAMZSWAP_BACKING_DEV_MAX + 1];

		memset(longpath, 'b', sizeof(longpath) - 1);
		longpath[RAMZSWAP_BACKING_DEV_MAX] = '\0';
		msg = kmsg(RAMZSWAP_CMD_DEV_GET);
		nla_put_u32(msg, RAMZSWAP_A_INDEX, 1);
		nla_put_string(msg, RAMZSWAP_A_BACKING_DEV, longpath);
		nlh = exact(msg, 0);
		CHECK_INT(rzs_dec_dev(nlh, &d), -EPROTO);
		free(nlh);
	}

	/* DEV_ADD's reply has the same shape. */
	msg = kmsg(RAMZSWAP_CMD_DEV_ADD);
	put_dev(msg, 9, false);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_dev(nlh, &d), 0);
	CHECK_INT(d.index, 9);
	CHECK(!(d.valid & RZS_DEV_STATS));
	CHECK_U64(d.stats.num_reads, 0);
	free(nlh);

	/* Only INDEX: everything else is optional, the name is made up. */
	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 12);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_dev(nlh, &d), 0);
	CHECK_INT(d.valid, RZS_DEV_INDEX);
	CHECK_STR(d.name, "ramzswap12");
	CHECK_STR(d.algorithm, "");
	free(nlh);

	/* No INDEX: not a device. */
	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	nla_put_string(msg, RAMZSWAP_A_NAME, "ramzswap1");
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_dev(nlh, &d), -EPROTO);
	free(nlh);

	/* A u64 attribute of 4 bytes. */
	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 1);
	nla_put_u32(msg, RAMZSWAP_A_DISKSIZE, 5);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_dev(nlh, &d), -EPROTO);
	free(nlh);

	/* A string without its NUL, and one too long for our buffer. */
	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 1);
	nla_put(msg, RAMZSWAP_A_ALGORITHM, 3, "lz4");
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_dev(nlh, &d), -EPROTO);
	free(nlh);
	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 1);
	nla_put_string(msg, RAMZSWAP_A_ALGORITHM, "a-name-too-long!");
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_dev(nlh, &d), -EPROTO);
	free(nlh);

	/* A truncated statistic inside the nest. */
	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 1);
	{
		struct nlattr *nest = nla_nest_start(msg, RAMZSWAP_A_STATS);

		nla_put_u32(msg, RAMZSWAP_STAT_NUM_READS, 1);
		nla_nest_end(msg, nest);
	}
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_dev(nlh, &d), -EPROTO);
	free(nlh);

	/*
	 * A message cut in the middle of its last attribute: what came
	 * whole is decoded, the cut attribute is absent, nothing is read
	 * past the end.
	 */
	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 4);
	nla_put_u64(msg, RAMZSWAP_A_DISKSIZE, 4096);
	nlh = exact(msg, nlmsg_hdr(msg)->nlmsg_len - 3);
	CHECK_INT(rzs_dec_dev(nlh, &d), 0);
	CHECK_INT(d.index, 4);
	CHECK(!(d.valid & RZS_DEV_DISKSIZE));
	free(nlh);

	/* Cut inside the generic-netlink header. */
	msg = kmsg(RAMZSWAP_CMD_DEV_GET);
	nlh = exact(msg, NLMSG_HDRLEN + 2);
	CHECK_INT(rzs_dec_dev(nlh, &d), -EPROTO);
	free(nlh);

	/* Another command's reply. */
	msg = kmsg(RAMZSWAP_CMD_INFO);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 1);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_dev(nlh, &d), -EBADMSG);
	free(nlh);
}

static void test_compact(void)
{
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	uint64_t pages = 1;

	msg = kmsg(RAMZSWAP_CMD_DEV_COMPACT);
	put_u64(msg, RAMZSWAP_A_PAGES_COMPACTED, 4242, RAMZSWAP_A_PAD);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_compact(nlh, &pages), 0);
	CHECK_U64(pages, 4242);
	free(nlh);

	msg = kmsg(RAMZSWAP_CMD_DEV_COMPACT);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_compact(nlh, &pages), 0);
	CHECK_U64(pages, 0);
	free(nlh);

	/* The counts of mark idle and writeback, each from its own reply. */
	msg = kmsg(RAMZSWAP_CMD_DEV_MARK_IDLE);
	put_u64(msg, RAMZSWAP_A_IDLE_MARKED, 777, RAMZSWAP_A_PAD);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_mark_idle(nlh, &pages), 0);
	CHECK_U64(pages, 777);
	CHECK_INT(rzs_dec_writeback(nlh, &pages), -EBADMSG);
	free(nlh);

	msg = kmsg(RAMZSWAP_CMD_DEV_WRITEBACK);
	put_u64(msg, RAMZSWAP_A_WB_WRITTEN, 1ull << 33, RAMZSWAP_A_PAD);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_writeback(nlh, &pages), 0);
	CHECK_U64(pages, 1ull << 33);
	CHECK_INT(rzs_dec_mark_idle(nlh, &pages), -EBADMSG);
	free(nlh);

	/* A count of the wrong width. */
	msg = kmsg(RAMZSWAP_CMD_DEV_WRITEBACK);
	nla_put_u32(msg, RAMZSWAP_A_WB_WRITTEN, 5);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_writeback(nlh, &pages), -EPROTO);
	free(nlh);

	CHECK_STR(rzs_attr_name(RAMZSWAP_A_BACKING_DEV), "BACKING_DEV");
	CHECK_STR(rzs_attr_name(RAMZSWAP_A_WB_KINDS), "WB_KINDS");
	CHECK_STR(rzs_attr_name(RAMZSWAP_A_IDLE_MIN_AGE), "IDLE_MIN_AGE");
	CHECK_STR(rzs_attr_name(RAMZSWAP_A_BACKING_SIZE), "BACKING_SIZE");
}

static void put_alg(struct nl_msg *msg, const char *name, uint32_t lo,
		    uint32_t hi, uint32_t def)
{
	struct nlattr *e = nla_nest_start(msg, RAMZSWAP_A_ALGORITHM_ENTRY);

	if (name)
		nla_put_string(msg, RAMZSWAP_ALG_A_NAME, name);
	nla_put_u32(msg, RAMZSWAP_ALG_A_LEVEL_MIN, lo);
	nla_put_u32(msg, RAMZSWAP_ALG_A_LEVEL_MAX, hi);
	nla_put_u32(msg, RAMZSWAP_ALG_A_LEVEL_DEFAULT, def);
	nla_put_u32(msg, RAMZSWAP_ALG_A_MAX + 4, 1);	/* newer */
	nla_nest_end(msg, e);
}

static void test_info(void)
{
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	struct rzs_info info;
	struct nlattr *list;

	msg = kmsg(RAMZSWAP_CMD_INFO);
	nla_put_string(msg, RAMZSWAP_A_VERSION, "0.1.0");
	nla_put_u32(msg, RAMZSWAP_A_MAX_DEVICES, 1024);
	nla_put_u32(msg, RAMZSWAP_A_PAGE_SIZE, 4096);
	nla_put_string(msg, RAMZSWAP_A_ALGORITHM, "lzo-rle");
	list = nla_nest_start(msg, RAMZSWAP_A_ALGORITHMS);
	put_alg(msg, "lzo-rle", 0, 0, 0);
	put_alg(msg, NULL, 1, 2, 1);		/* nameless: skipped */
	put_alg(msg, "zstd", 1, 22, 3);
	nla_nest_end(msg, list);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_info(nlh, &info), 0);
	CHECK_STR(info.version, "0.1.0");
	CHECK_INT(info.max_devices, 1024);
	CHECK_INT(info.page_size, 4096);
	CHECK_STR(info.default_algorithm, "lzo-rle");
	CHECK_INT(info.nr_algorithms, 2);
	if (info.nr_algorithms == 2) {
		CHECK_STR(info.algorithms[0].name, "lzo-rle");
		CHECK_INT(info.algorithms[0].level_max, 0);
		CHECK_STR(info.algorithms[1].name, "zstd");
		CHECK_INT(info.algorithms[1].level_min, 1);
		CHECK_INT(info.algorithms[1].level_max, 22);
		CHECK_INT(info.algorithms[1].level_default, 3);
	}
	rzs_info_free(&info);
	CHECK(info.algorithms == NULL);
	free(nlh);

	/* Nothing but the header: zeros, no list. */
	msg = kmsg(RAMZSWAP_CMD_INFO);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_info(nlh, &info), 0);
	CHECK_INT(info.nr_algorithms, 0);
	CHECK(info.algorithms == NULL);
	CHECK_STR(info.version, "");
	free(nlh);

	/* A damaged entry fails the whole reply, and frees what it took. */
	msg = kmsg(RAMZSWAP_CMD_INFO);
	list = nla_nest_start(msg, RAMZSWAP_A_ALGORITHMS);
	put_alg(msg, "lz4", 0, 0, 0);
	{
		struct nlattr *e = nla_nest_start(msg, RAMZSWAP_A_ALGORITHM_ENTRY);

		nla_put_string(msg, RAMZSWAP_ALG_A_NAME, "zstd");
		nla_put_u8(msg, RAMZSWAP_ALG_A_LEVEL_MAX, 22);
		nla_nest_end(msg, e);
	}
	nla_nest_end(msg, list);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_info(nlh, &info), -EPROTO);
	CHECK(info.algorithms == NULL);
	free(nlh);
}

static void test_events(void)
{
	static const struct { int cmd; uint32_t type; } map[] = {
		{ RAMZSWAP_CMD_EVT_ADDED, RZS_EVENT_ADDED },
		{ RAMZSWAP_CMD_EVT_REMOVED, RZS_EVENT_REMOVED },
		{ RAMZSWAP_CMD_EVT_RESET, RZS_EVENT_RESET },
	};
	struct nl_msg *msg;
	struct nlmsghdr *nlh;
	struct rzs_event ev;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		msg = kmsg((uint8_t)map[i].cmd);
		nla_put_u32(msg, RAMZSWAP_A_INDEX, 2);
		nla_put_string(msg, RAMZSWAP_A_NAME, "ramzswap2");
		nlh = exact(msg, 0);
		CHECK_INT(rzs_dec_event(nlh, &ev), 1);
		CHECK_INT(ev.type, map[i].type);
		CHECK_INT(ev.dev.index, 2);
		CHECK_STR(ev.dev.name, "ramzswap2");
		CHECK_INT(ev.dev.valid, RZS_DEV_INDEX | RZS_DEV_NAME);
		free(nlh);
	}

	msg = kmsg(RAMZSWAP_CMD_EVT_INITIALIZED);
	put_dev(msg, 1, false);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_event(nlh, &ev), 1);
	CHECK_INT(ev.type, RZS_EVENT_INITIALIZED);
	CHECK_U64(ev.dev.disksize, 1ull << 30);
	CHECK_STR(ev.dev.algorithm, "lz4");
	CHECK_STR(rzs_event_name(ev.type), "initialized");
	free(nlh);

	msg = kmsg(RAMZSWAP_CMD_EVT_MEMLIMIT);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 0);
	nla_put_string(msg, RAMZSWAP_A_NAME, "ramzswap0");
	put_u64(msg, RAMZSWAP_A_MEMLIMIT, 1ull << 20, RAMZSWAP_A_PAD);
	put_u64(msg, RAMZSWAP_A_MEM_USED, (1ull << 20) + 4096, RAMZSWAP_A_PAD);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_event(nlh, &ev), 1);
	CHECK_INT(ev.type, RZS_EVENT_MEMLIMIT);
	CHECK_U64(ev.dev.memlimit, 1ull << 20);
	CHECK_U64(ev.mem_used, (1ull << 20) + 4096);
	free(nlh);

	msg = kmsg(RAMZSWAP_CMD_EVT_WB_LIMIT);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 3);
	nla_put_string(msg, RAMZSWAP_A_NAME, "ramzswap3");
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_event(nlh, &ev), 1);
	CHECK_INT(ev.type, RZS_EVENT_WB_LIMIT);
	CHECK_INT(ev.dev.index, 3);
	CHECK_STR(rzs_event_name(ev.type), "wb-limit");
	free(nlh);

	/* An initialized event names the backing device (as DEV_GET does). */
	msg = kmsg(RAMZSWAP_CMD_EVT_INITIALIZED);
	put_dev(msg, 1, false);
	nla_put_string(msg, RAMZSWAP_A_BACKING_DEV, "/dev/vdb");
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_event(nlh, &ev), 1);
	CHECK_STR(ev.dev.backing_dev, "/dev/vdb");
	free(nlh);

	/* A notification from a newer module: not an error, not an event. */
	msg = kmsg(RAMZSWAP_CMD_MAX + 1);
	nla_put_u32(msg, RAMZSWAP_A_INDEX, 0);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_event(nlh, &ev), 0);
	free(nlh);

	/* An event without INDEX is malformed. */
	msg = kmsg(RAMZSWAP_CMD_EVT_ADDED);
	nla_put_string(msg, RAMZSWAP_A_NAME, "ramzswap0");
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_event(nlh, &ev), -EPROTO);
	free(nlh);
}

static void test_family(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;
	struct nlattr *grps, *g;
	struct rzs_family fam;

	genlmsg_put(msg, 0, 1, GENL_ID_CTRL, 0, 0, CTRL_CMD_NEWFAMILY, 2);
	nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, "ramzswap");
	nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, 0x31);
	nla_put_u32(msg, CTRL_ATTR_VERSION, 1);
	grps = nla_nest_start(msg, CTRL_ATTR_MCAST_GROUPS);
	g = nla_nest_start(msg, 1);
	nla_put_string(msg, CTRL_ATTR_MCAST_GRP_NAME, "other");
	nla_put_u32(msg, CTRL_ATTR_MCAST_GRP_ID, 11);
	nla_nest_end(msg, g);
	g = nla_nest_start(msg, 2);
	nla_put_string(msg, CTRL_ATTR_MCAST_GRP_NAME, "monitor");
	nla_put_u32(msg, CTRL_ATTR_MCAST_GRP_ID, 12);
	nla_nest_end(msg, g);
	nla_nest_end(msg, grps);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_family(nlh, "monitor", &fam), 0);
	CHECK_INT(fam.id, 0x31);
	CHECK_INT(fam.monitor_group, 12);
	CHECK_INT(rzs_dec_family(nlh, "absent", &fam), 0);
	CHECK_INT(fam.monitor_group, 0);
	free(nlh);

	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 1, GENL_ID_CTRL, 0, 0, CTRL_CMD_NEWFAMILY, 2);
	nlh = exact(msg, 0);
	CHECK_INT(rzs_dec_family(nlh, "monitor", &fam), -EPROTO);
	free(nlh);
}

/* ---- acks --------------------------------------------------------------- */

/*
 * An NLMSG_ERROR for req, as netlink_ack() builds it: the request's
 * header (capped) or all of it, then the TLVs.
 */
static struct nlmsghdr *error_msg(struct nl_msg *req, int error, bool capped,
				  const char *text, int offs, int miss)
{
	struct nlmsghdr *r = nlmsg_hdr(req);
	size_t echo = capped ? sizeof(*r) : r->nlmsg_len;
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	int flags = capped ? NLM_F_CAPPED : 0;

	if (text || offs >= 0 || miss >= 0)
		flags |= NLM_F_ACK_TLVS;
	nlh = nlmsg_put(msg, 0, r->nlmsg_seq, NLMSG_ERROR,
			(int)(sizeof(int) + echo), flags);
	e = nlmsg_data(nlh);
	e->error = error;
	memcpy(&e->msg, r, echo);
	if (text)
		nla_put_string(msg, NLMSGERR_ATTR_MSG, text);
	if (offs >= 0)
		nla_put_u32(msg, NLMSGERR_ATTR_OFFS, (uint32_t)offs);
	if (miss >= 0)
		nla_put_u32(msg, RZS_ACK_ATTR_MISS_TYPE, (uint32_t)miss);
	return exact(msg, 0);
}

static void test_acks(void)
{
	struct rzs_init_params p = {
		.disksize = 4096,
		.flags = RZS_INIT_ALGORITHM,
		.algorithm = "nope",
	};
	struct nl_msg *req;
	struct nlmsghdr *nlh;
	struct rzs_ack ack;
	struct nlattr *a;
	int offs = -1, rem;

	CHECK_INT(rzs_enc_dev_init(&req, FAM, 0, &p), 0);
	nlmsg_for_each_attr(a, nlmsg_hdr(req), GENL_HDRLEN, rem)
		if (nla_type(a) == RAMZSWAP_A_ALGORITHM)
			offs = (int)((char *)a - (char *)nlmsg_hdr(req));
	CHECK(offs > 0);
	CHECK_INT(rzs_attr_at(nlmsg_hdr(req), (uint32_t)offs), RAMZSWAP_A_ALGORITHM);
	CHECK_STR(rzs_attr_name(rzs_attr_at(nlmsg_hdr(req), (uint32_t)offs)),
		  "ALGORITHM");
	CHECK_INT(rzs_attr_at(nlmsg_hdr(req), 2), -1);
	CHECK_INT(rzs_attr_at(nlmsg_hdr(req), nlmsg_hdr(req)->nlmsg_len), -1);
	CHECK(rzs_attr_name(RAMZSWAP_A_MAX + 1) == NULL);

	/* Capped, as with NETLINK_CAP_ACK. */
	nlh = error_msg(req, -EINVAL, true, "unknown algorithm", offs, -1);
	CHECK_INT(rzs_dec_ack(nlh, &ack), 0);
	CHECK_INT(ack.error, -EINVAL);
	CHECK_STR(ack.msg, "unknown algorithm");
	CHECK(ack.has_offs);
	CHECK_INT(ack.offs, offs);
	CHECK(!ack.has_miss_type);
	free(nlh);

	/* The whole request echoed: the TLVs come after it. */
	nlh = error_msg(req, -EBUSY, false, "device is open", -1,
			RAMZSWAP_A_DISKSIZE);
	CHECK_INT(rzs_dec_ack(nlh, &ack), 0);
	CHECK_INT(ack.error, -EBUSY);
	CHECK_STR(ack.msg, "device is open");
	CHECK(!ack.has_offs);
	CHECK(ack.has_miss_type);
	CHECK_INT(ack.miss_type, RAMZSWAP_A_DISKSIZE);
	free(nlh);

	/* No TLVs (kernel < 4.12, or no message): the errno alone. */
	nlh = error_msg(req, -EPERM, true, NULL, -1, -1);
	CHECK_INT(rzs_dec_ack(nlh, &ack), 0);
	CHECK_INT(ack.error, -EPERM);
	CHECK(ack.msg == NULL);
	free(nlh);

	/* A plain ack. */
	nlh = error_msg(req, 0, true, NULL, -1, -1);
	CHECK_INT(rzs_dec_ack(nlh, &ack), 0);
	CHECK_INT(ack.error, 0);
	free(nlh);

	/* TLVs claimed but damaged: the errno survives. */
	nlh = error_msg(req, -ENODEV, true, "x", -1, -1);
	nlh->nlmsg_len -= 4;
	CHECK_INT(rzs_dec_ack(nlh, &ack), 0);
	CHECK_INT(ack.error, -ENODEV);
	CHECK(ack.msg == NULL);
	free(nlh);

	/* Too short to hold an nlmsgerr. */
	nlh = error_msg(req, -ENODEV, true, NULL, -1, -1);
	nlh->nlmsg_len = NLMSG_HDRLEN + 2;
	CHECK_INT(rzs_dec_ack(nlh, &ack), -EPROTO);
	free(nlh);
	nlmsg_free(req);

	/* NLMSG_DONE of a dump that failed midway, with its text. */
	{
		struct nl_msg *msg = nlmsg_alloc();
		struct nlmsghdr *h;
		int e = -ENOMEM;

		h = nlmsg_put(msg, 0, 5, NLMSG_DONE, sizeof(int),
			      NLM_F_MULTI | NLM_F_ACK_TLVS);
		memcpy(nlmsg_data(h), &e, sizeof(e));
		nla_put_string(msg, NLMSGERR_ATTR_MSG, "out of memory");
		nlh = exact(msg, 0);
		CHECK_INT(rzs_dec_ack(nlh, &ack), 0);
		CHECK_INT(ack.error, -ENOMEM);
		CHECK_STR(ack.msg, "out of memory");
		free(nlh);

		msg = nlmsg_alloc();
		nlmsg_put(msg, 0, 5, NLMSG_DONE, 0, NLM_F_MULTI);
		nlh = exact(msg, 0);
		CHECK_INT(rzs_dec_ack(nlh, &ack), 0);
		CHECK_INT(ack.error, 0);
		free(nlh);
	}
}

int main(void)
{
	test_requests();
	test_dev();
	test_compact();
	test_info();
	test_events();
	test_family();
	test_acks();
	return test_done("codec");
}
