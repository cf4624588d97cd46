// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Encoding and decoding of ramzswap messages.
 *
 * Decoding is liberal where the family may grow and strict where a reply
 * cannot be trusted: attributes this version does not know are ignored
 * (the kernel only ever appends), attributes it knows must have their
 * declared type and size (libnl's policy check), and a device without an
 * INDEX is malformed.  Every other attribute may be missing; rzs_dev.valid
 * says which arrived.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <linux/ramzswap.h>

#include "codec.h"

#ifndef NLM_F_ACK_TLVS
#define NLM_F_CAPPED	0x100
#define NLM_F_ACK_TLVS	0x200
#endif

/* ---- requests ---------------------------------------------------------- */

static int new_msg(struct nl_msg **msgp, int family, uint8_t cmd, int flags,
		   uint8_t version)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags,
			 cmd, version)) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	*msgp = msg;
	return 0;
}

/* Wraps a put: a full message can only mean we built it wrong. */
static int done_msg(struct nl_msg **msgp, struct nl_msg *msg, int err)
{
	if (err < 0) {
		nlmsg_free(msg);
		*msgp = NULL;
		return -EMSGSIZE;
	}
	*msgp = msg;
	return 0;
}

int rzs_enc_getfamily(struct nl_msg **msgp, const char *name)
{
	struct nl_msg *msg;
	int err;

	err = new_msg(&msg, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, 1);
	if (err)
		return err;
	return done_msg(msgp, msg, nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name));
}

int rzs_enc_dev_get(struct nl_msg **msgp, int family, uint32_t index)
{
	return rzs_enc_dev_cmd(msgp, family, RAMZSWAP_CMD_DEV_GET, index);
}

int rzs_enc_dev_dump(struct nl_msg **msgp, int family)
{
	struct nl_msg *msg;
	int err;

	err = new_msg(&msg, family, RAMZSWAP_CMD_DEV_GET, NLM_F_DUMP,
		      RAMZSWAP_GENL_VERSION);
	if (err)
		return err;
	*msgp = msg;
	return 0;
}

int rzs_enc_dev_add(struct nl_msg **msgp, int family, int index)
{
	struct nl_msg *msg;
	int err;

	if (index < -1 || index >= RAMZSWAP_MAX_DEVICES)
		return -EINVAL;
	err = new_msg(&msg, family, RAMZSWAP_CMD_DEV_ADD, 0,
		      RAMZSWAP_GENL_VERSION);
	if (err)
		return err;
	/* No INDEX asks the kernel for the lowest free number. */
	if (index >= 0)
		err = nla_put_u32(msg, RAMZSWAP_A_INDEX, (uint32_t)index);
	return done_msg(msgp, msg, err);
}

int rzs_enc_dev_cmd(struct nl_msg **msgp, int family, uint8_t cmd,
		    uint32_t index)
{
	struct nl_msg *msg;
	int err;

	err = new_msg(&msg, family, cmd, 0, RAMZSWAP_GENL_VERSION);
	if (err)
		return err;
	return done_msg(msgp, msg, nla_put_u32(msg, RAMZSWAP_A_INDEX, index));
}

int rzs_enc_dev_init(struct nl_msg **msgp, int family, uint32_t index,
		     const struct rzs_init_params *p)
{
	struct nl_msg *msg;
	int err;

	if (!p)
		return -EINVAL;
	if (p->flags & RZS_INIT_ALGORITHM) {
		/* The kernel would refuse it too, but with a vaguer reason. */
		if (!p->algorithm || !p->algorithm[0] ||
		    strlen(p->algorithm) >= RAMZSWAP_ALGORITHM_NAME_MAX)
			return -EINVAL;
	}
	if (p->flags & RZS_INIT_BACKING_DEV) {
		if (!p->backing_dev || !p->backing_dev[0] ||
		    strlen(p->backing_dev) >= RAMZSWAP_BACKING_DEV_MAX)
			return -EINVAL;
	}
	err = new_msg(&msg, family, RAMZSWAP_CMD_DEV_INIT, 0,
		      RAMZSWAP_GENL_VERSION);
	if (err)
		return err;
	err = nla_put_u32(msg, RAMZSWAP_A_INDEX, index);
	if (!err)
		err = nla_put_u64(msg, RAMZSWAP_A_DISKSIZE, p->disksize);
	if (!err && (p->flags & RZS_INIT_ALGORITHM))
		err = nla_put_string(msg, RAMZSWAP_A_ALGORITHM, p->algorithm);
	if (!err && (p->flags & RZS_INIT_LEVEL))
		err = nla_put_u32(msg, RAMZSWAP_A_LEVEL, p->level);
	if (!err && (p->flags & RZS_INIT_MEMLIMIT))
		err = nla_put_u64(msg, RAMZSWAP_A_MEMLIMIT, p->memlimit);
	if (!err && (p->flags & RZS_INIT_BACKING_DEV))
		err = nla_put_string(msg, RAMZSWAP_A_BACKING_DEV, p->backing_dev);
	if (!err && (p->flags & RZS_INIT_WB_LIMIT))
		err = nla_put_u64(msg, RAMZSWAP_A_WB_LIMIT, p->wb_limit);
	return done_msg(msgp, msg, err);
}

/* DEV_SET of one u64 attribute: what may change while initialized. */
static int enc_dev_set_u64(struct nl_msg **msgp, int family, uint32_t index,
			   int attr, uint64_t value)
{
	struct nl_msg *msg;
	int err;

	err = new_msg(&msg, family, RAMZSWAP_CMD_DEV_SET, 0,
		      RAMZSWAP_GENL_VERSION);
	if (err)
		return err;
	err = nla_put_u32(msg, RAMZSWAP_A_INDEX, index);
	if (!err)
		err = nla_put_u64(msg, attr, value);
	return done_msg(msgp, msg, err);
}

int rzs_enc_dev_set_memlimit(struct nl_msg **msgp, int family, uint32_t index,
			     uint64_t memlimit)
{
	return enc_dev_set_u64(msgp, family, index, RAMZSWAP_A_MEMLIMIT, memlimit);
}

int rzs_enc_dev_set_wb_limit(struct nl_msg **msgp, int family, uint32_t index,
			     uint64_t wb_limit)
{
	return enc_dev_set_u64(msgp, family, index, RAMZSWAP_A_WB_LIMIT, wb_limit);
}

int rzs_enc_dev_mark_idle(struct nl_msg **msgp, int family, uint32_t index,
			  unsigned int min_age)
{
	struct nl_msg *msg;
	int err;

	/* A u8 on the wire: anything above cannot even be sent. */
	if (min_age > UINT8_MAX)
		return -EINVAL;
	err = new_msg(&msg, family, RAMZSWAP_CMD_DEV_MARK_IDLE, 0,
		      RAMZSWAP_GENL_VERSION);
	if (err)
		return err;
	err = nla_put_u32(msg, RAMZSWAP_A_INDEX, index);
	if (!err)
		err = nla_put_u8(msg, RAMZSWAP_A_IDLE_MIN_AGE, (uint8_t)min_age);
	return done_msg(msgp, msg, err);
}

int rzs_enc_dev_writeback(struct nl_msg **msgp, int family, uint32_t index,
			  uint32_t kinds, unsigned int min_age,
			  uint64_t max_pages)
{
	struct nl_msg *msg;
	int err;

	if (min_age > UINT8_MAX)
		return -EINVAL;
	err = new_msg(&msg, family, RAMZSWAP_CMD_DEV_WRITEBACK, 0,
		      RAMZSWAP_GENL_VERSION);
	if (err)
		return err;
	/* kinds 0 and unknown bits are the kernel's to refuse (or know). */
	err = nla_put_u32(msg, RAMZSWAP_A_INDEX, index);
	if (!err)
		err = nla_put_u32(msg, RAMZSWAP_A_WB_KINDS, kinds);
	if (!err)
		err = nla_put_u8(msg, RAMZSWAP_A_IDLE_MIN_AGE, (uint8_t)min_age);
	if (!err && max_pages)
		err = nla_put_u64(msg, RAMZSWAP_A_WB_MAX_PAGES, max_pages);
	return done_msg(msgp, msg, err);
}

int rzs_enc_info(struct nl_msg **msgp, int family)
{
	return new_msg(msgp, family, RAMZSWAP_CMD_INFO, 0, RAMZSWAP_GENL_VERSION);
}

/* ---- replies ----------------------------------------------------------- */

/*
 * Strings carry their maximum (with the NUL) so a name that would not fit
 * our buffers is refused rather than silently cut.  libnl checks minimum
 * sizes and NUL termination; unknown types above the maximum are skipped.
 */
static struct nla_policy dev_policy[RAMZSWAP_A_MAX + 1] = {
	[RAMZSWAP_A_INDEX]		= { .type = NLA_U32 },
	[RAMZSWAP_A_NAME]		= { .type = NLA_STRING, .maxlen = RZS_NAME_MAX },
	[RAMZSWAP_A_STATE]		= { .type = NLA_U8 },
	[RAMZSWAP_A_DISKSIZE]		= { .type = NLA_U64 },
	[RAMZSWAP_A_ALGORITHM]		= { .type = NLA_STRING,
					    .maxlen = RZS_ALGORITHM_MAX },
	[RAMZSWAP_A_LEVEL]		= { .type = NLA_U32 },
	[RAMZSWAP_A_MEMLIMIT]		= { .type = NLA_U64 },
	[RAMZSWAP_A_OPENERS]		= { .type = NLA_U32 },
	[RAMZSWAP_A_STATS]		= { .type = NLA_NESTED },
	[RAMZSWAP_A_MEM_USED]		= { .type = NLA_U64 },
	[RAMZSWAP_A_PAGES_COMPACTED]	= { .type = NLA_U64 },
	[RAMZSWAP_A_VERSION]		= { .type = NLA_STRING },
	[RAMZSWAP_A_MAX_DEVICES]	= { .type = NLA_U32 },
	[RAMZSWAP_A_PAGE_SIZE]		= { .type = NLA_U32 },
	[RAMZSWAP_A_ALGORITHMS]		= { .type = NLA_NESTED },
	[RAMZSWAP_A_ALGORITHM_ENTRY]	= { .type = NLA_NESTED },
	[RAMZSWAP_A_BACKING_DEV]	= { .type = NLA_STRING,
					    .maxlen = RAMZSWAP_BACKING_DEV_MAX },
	[RAMZSWAP_A_WB_LIMIT]		= { .type = NLA_U64 },
	[RAMZSWAP_A_IDLE_MIN_AGE]	= { .type = NLA_U8 },
	[RAMZSWAP_A_WB_KINDS]		= { .type = NLA_U32 },
	[RAMZSWAP_A_WB_MAX_PAGES]	= { .type = NLA_U64 },
	[RAMZSWAP_A_IDLE_MARKED]	= { .type = NLA_U64 },
	[RAMZSWAP_A_WB_WRITTEN]		= { .type = NLA_U64 },
	[RAMZSWAP_A_BACKING_SIZE]	= { .type = NLA_U64 },
};

static struct nla_policy stat_policy[RAMZSWAP_STAT_MAX + 1];

static struct nla_policy alg_policy[RAMZSWAP_ALG_A_MAX + 1] = {
	[RAMZSWAP_ALG_A_NAME]		= { .type = NLA_STRING,
					    .maxlen = RZS_ALGORITHM_MAX },
	[RAMZSWAP_ALG_A_LEVEL_MIN]	= { .type = NLA_U32 },
	[RAMZSWAP_ALG_A_LEVEL_MAX]	= { .type = NLA_U32 },
	[RAMZSWAP_ALG_A_LEVEL_DEFAULT]	= { .type = NLA_U32 },
};

/* Where each RAMZSWAP_STAT_* lands in struct rzs_stats. */
#define STAT(id, field) [id] = offsetof(struct rzs_stats, field) + 1
static const size_t stat_offset[RAMZSWAP_STAT_MAX + 1] = {
	STAT(RAMZSWAP_STAT_NUM_READS, num_reads),
	STAT(RAMZSWAP_STAT_NUM_WRITES, num_writes),
	STAT(RAMZSWAP_STAT_FAILED_READS, failed_reads),
	STAT(RAMZSWAP_STAT_FAILED_WRITES, failed_writes),
	STAT(RAMZSWAP_STAT_INVALID_IO, invalid_io),
	STAT(RAMZSWAP_STAT_NOTIFY_FREE, notify_free),
	STAT(RAMZSWAP_STAT_MISS_FREE, miss_free),
	STAT(RAMZSWAP_STAT_DISCARDED, discarded),
	STAT(RAMZSWAP_STAT_MEMLIMIT_HITS, memlimit_hits),
	STAT(RAMZSWAP_STAT_PAGES_STORED, pages_stored),
	STAT(RAMZSWAP_STAT_SAME_PAGES, same_pages),
	STAT(RAMZSWAP_STAT_HUGE_PAGES, huge_pages),
	STAT(RAMZSWAP_STAT_GOOD_COMPRESS, good_compress),
	STAT(RAMZSWAP_STAT_ORIG_DATA_SIZE, orig_data_size),
	STAT(RAMZSWAP_STAT_COMPR_DATA_SIZE, compr_data_size),
	STAT(RAMZSWAP_STAT_MEM_USED_TOTAL, mem_used_total),
	STAT(RAMZSWAP_STAT_MEM_USED_MAX, mem_used_max),
	STAT(RAMZSWAP_STAT_PAGES_COMPACTED, pages_compacted),
	STAT(RAMZSWAP_STAT_BD_PAGES, bd_pages),
	STAT(RAMZSWAP_STAT_BD_BYTES, bd_bytes),
	STAT(RAMZSWAP_STAT_BD_BLOCKS, bd_blocks),
	STAT(RAMZSWAP_STAT_BD_READS, bd_reads),
	STAT(RAMZSWAP_STAT_BD_WRITES, bd_writes),
	STAT(RAMZSWAP_STAT_BD_READ_ERRORS, bd_read_errors),
	STAT(RAMZSWAP_STAT_WB_ERRORS, wb_errors),
	STAT(RAMZSWAP_STAT_WB_PAGES, wb_pages),
	STAT(RAMZSWAP_STAT_IDLE_AGE1, idle_age1),
	STAT(RAMZSWAP_STAT_IDLE_AGE2, idle_age2),
	STAT(RAMZSWAP_STAT_IDLE_AGE3, idle_age3),
	STAT(RAMZSWAP_STAT_WB_LIMIT_LEFT, wb_limit_left),
	STAT(RAMZSWAP_STAT_INCOMPRESSIBLE_PAGES, incompressible_pages),
};
#undef STAT

static const char *const attr_names[RAMZSWAP_A_MAX + 1] = {
	[RAMZSWAP_A_PAD] = "PAD",
	[RAMZSWAP_A_INDEX] = "INDEX",
	[RAMZSWAP_A_NAME] = "NAME",
	[RAMZSWAP_A_STATE] = "STATE",
	[RAMZSWAP_A_DISKSIZE] = "DISKSIZE",
	[RAMZSWAP_A_ALGORITHM] = "ALGORITHM",
	[RAMZSWAP_A_LEVEL] = "LEVEL",
	[RAMZSWAP_A_MEMLIMIT] = "MEMLIMIT",
	[RAMZSWAP_A_OPENERS] = "OPENERS",
	[RAMZSWAP_A_STATS] = "STATS",
	[RAMZSWAP_A_MEM_USED] = "MEM_USED",
	[RAMZSWAP_A_PAGES_COMPACTED] = "PAGES_COMPACTED",
	[RAMZSWAP_A_VERSION] = "VERSION",
	[RAMZSWAP_A_MAX_DEVICES] = "MAX_DEVICES",
	[RAMZSWAP_A_PAGE_SIZE] = "PAGE_SIZE",
	[RAMZSWAP_A_ALGORITHMS] = "ALGORITHMS",
	[RAMZSWAP_A_ALGORITHM_ENTRY] = "ALGORITHM_ENTRY",
	[RAMZSWAP_A_BACKING_DEV] = "BACKING_DEV",
	[RAMZSWAP_A_WB_LIMIT] = "WB_LIMIT",
	[RAMZSWAP_A_IDLE_MIN_AGE] = "IDLE_MIN_AGE",
	[RAMZSWAP_A_WB_KINDS] = "WB_KINDS",
	[RAMZSWAP_A_WB_MAX_PAGES] = "WB_MAX_PAGES",
	[RAMZSWAP_A_IDLE_MARKED] = "IDLE_MARKED",
	[RAMZSWAP_A_WB_WRITTEN] = "WB_WRITTEN",
	[RAMZSWAP_A_BACKING_SIZE] = "BACKING_SIZE",
};

const char *rzs_attr_name(int type)
{
	if (type < 0 || type > RAMZSWAP_A_MAX)
		return NULL;
	return attr_names[type];
}

static void init_stat_policy(void)
{
	int i;

	/* Idempotent, so racing threads write the same values. */
	for (i = RAMZSWAP_STAT_NUM_READS; i <= RAMZSWAP_STAT_MAX; i++)
		stat_policy[i].type = NLA_U64;
}

int rzs_genl_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g;

	if (!genlmsg_valid_hdr((struct nlmsghdr *)nlh, 0))
		return -EPROTO;
	g = nlmsg_data(nlh);
	return g->cmd;
}

static int parse(struct nlmsghdr *nlh, struct nlattr **tb)
{
	if (rzs_genl_cmd(nlh) < 0)
		return -EPROTO;
	if (genlmsg_parse(nlh, 0, tb, RAMZSWAP_A_MAX, dev_policy) < 0)
		return -EPROTO;
	return 0;
}

static int expect_cmd(struct nlmsghdr *nlh, int cmd)
{
	int got = rzs_genl_cmd(nlh);

	if (got < 0)
		return got;
	return got == cmd ? 0 : -EBADMSG;
}

int rzs_dec_family(struct nlmsghdr *nlh, const char *group,
		   struct rzs_family *fam)
{
	static struct nla_policy ctrl_policy[CTRL_ATTR_MAX + 1] = {
		[CTRL_ATTR_FAMILY_ID]	 = { .type = NLA_U16 },
		[CTRL_ATTR_MCAST_GROUPS] = { .type = NLA_NESTED },
	};
	static struct nla_policy grp_policy[CTRL_ATTR_MCAST_GRP_MAX + 1] = {
		[CTRL_ATTR_MCAST_GRP_NAME] = { .type = NLA_STRING },
		[CTRL_ATTR_MCAST_GRP_ID]   = { .type = NLA_U32 },
	};
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct nlattr *g;
	int rem;

	if (expect_cmd(nlh, CTRL_CMD_NEWFAMILY))
		return -EBADMSG;
	if (genlmsg_parse(nlh, 0, tb, CTRL_ATTR_MAX, ctrl_policy) < 0)
		return -EPROTO;
	if (!tb[CTRL_ATTR_FAMILY_ID])
		return -EPROTO;
	fam->id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	fam->monitor_group = 0;
	if (!tb[CTRL_ATTR_MCAST_GROUPS] || !group)
		return 0;
	nla_for_each_nested(g, tb[CTRL_ATTR_MCAST_GROUPS], rem) {
		struct nlattr *gb[CTRL_ATTR_MCAST_GRP_MAX + 1];

		if (nla_parse_nested(gb, CTRL_ATTR_MCAST_GRP_MAX, g, grp_policy) < 0)
			return -EPROTO;
		if (!gb[CTRL_ATTR_MCAST_GRP_NAME] || !gb[CTRL_ATTR_MCAST_GRP_ID])
			continue;
		if (!strcmp(nla_get_string(gb[CTRL_ATTR_MCAST_GRP_NAME]), group))
			fam->monitor_group = nla_get_u32(gb[CTRL_ATTR_MCAST_GRP_ID]);
	}
	return 0;
}

static int dec_stats(struct nlattr *nest, struct rzs_stats *st)
{
	struct nlattr *sb[RAMZSWAP_STAT_MAX + 1];
	int i;

	init_stat_policy();
	if (nla_parse_nested(sb, RAMZSWAP_STAT_MAX, nest, stat_policy) < 0)
		return -EPROTO;
	for (i = 0; i <= RAMZSWAP_STAT_MAX; i++) {
		if (!sb[i] || !stat_offset[i])
			continue;
		*(uint64_t *)((char *)st + stat_offset[i] - 1) = nla_get_u64(sb[i]);
	}
	return 0;
}

/* The device attributes of tb, which must hold INDEX. */
static int dec_dev_attrs(struct nlattr **tb, struct rzs_dev *dev)
{
	memset(dev, 0, sizeof(*dev));
	if (!tb[RAMZSWAP_A_INDEX])
		return -EPROTO;
	dev->index = nla_get_u32(tb[RAMZSWAP_A_INDEX]);
	dev->valid |= RZS_DEV_INDEX;
	if (tb[RAMZSWAP_A_NAME]) {
		nla_strlcpy(dev->name, tb[RAMZSWAP_A_NAME], sizeof(dev->name));
		dev->valid |= RZS_DEV_NAME;
	} else {
		/* The kernel's own naming, so callers can always print one. */
		snprintf(dev->name, sizeof(dev->name), "ramzswap%u", dev->index);
	}
	if (tb[RAMZSWAP_A_STATE]) {
		dev->state = nla_get_u8(tb[RAMZSWAP_A_STATE]);
		dev->valid |= RZS_DEV_STATE;
	}
	if (tb[RAMZSWAP_A_DISKSIZE]) {
		dev->disksize = nla_get_u64(tb[RAMZSWAP_A_DISKSIZE]);
		dev->valid |= RZS_DEV_DISKSIZE;
	}
	if (tb[RAMZSWAP_A_ALGORITHM]) {
		nla_strlcpy(dev->algorithm, tb[RAMZSWAP_A_ALGORITHM],
			    sizeof(dev->algorithm));
		dev->valid |= RZS_DEV_ALGORITHM;
	}
	if (tb[RAMZSWAP_A_LEVEL]) {
		dev->level = nla_get_u32(tb[RAMZSWAP_A_LEVEL]);
		dev->valid |= RZS_DEV_LEVEL;
	}
	if (tb[RAMZSWAP_A_MEMLIMIT]) {
		dev->memlimit = nla_get_u64(tb[RAMZSWAP_A_MEMLIMIT]);
		dev->valid |= RZS_DEV_MEMLIMIT;
	}
	if (tb[RAMZSWAP_A_OPENERS]) {
		dev->openers = nla_get_u32(tb[RAMZSWAP_A_OPENERS]);
		dev->valid |= RZS_DEV_OPENERS;
	}
	if (tb[RAMZSWAP_A_STATS]) {
		if (dec_stats(tb[RAMZSWAP_A_STATS], &dev->stats))
			return -EPROTO;
		dev->valid |= RZS_DEV_STATS;
	}
	/*
	 * Points into the message: the caller copies it to storage that
	 * outlives the message (rzs_keep_backing_dev) before the message goes.
	 */
	if (tb[RAMZSWAP_A_BACKING_DEV]) {
		dev->backing_dev = nla_get_string(tb[RAMZSWAP_A_BACKING_DEV]);
		dev->valid |= RZS_DEV_BACKING_DEV;
	}
	if (tb[RAMZSWAP_A_BACKING_SIZE]) {
		dev->backing_size = nla_get_u64(tb[RAMZSWAP_A_BACKING_SIZE]);
		dev->valid |= RZS_DEV_BACKING_SIZE;
	}
	if (tb[RAMZSWAP_A_WB_LIMIT]) {
		dev->wb_limit = nla_get_u64(tb[RAMZSWAP_A_WB_LIMIT]);
		dev->valid |= RZS_DEV_WB_LIMIT;
	}
	return 0;
}

void rzs_keep_backing_dev(struct rzs_dev *dev, char *buf, size_t len)
{
	if (!dev->backing_dev)
		return;
	snprintf(buf, len, "%s", dev->backing_dev);
	dev->backing_dev = buf;
}

/* DEV_GET and DEV_ADD replies share the shape. */
int rzs_dec_dev(struct nlmsghdr *nlh, struct rzs_dev *dev)
{
	struct nlattr *tb[RAMZSWAP_A_MAX + 1];
	int cmd = rzs_genl_cmd(nlh);

	if (cmd < 0)
		return cmd;
	if (cmd != RAMZSWAP_CMD_DEV_GET && cmd != RAMZSWAP_CMD_DEV_ADD)
		return -EBADMSG;
	if (parse(nlh, tb))
		return -EPROTO;
	return dec_dev_attrs(tb, dev);
}

/* A reply of cmd holding one count, attr; a missing count is 0. */
static int dec_count(struct nlmsghdr *nlh, int cmd, int attr, uint64_t *v)
{
	struct nlattr *tb[RAMZSWAP_A_MAX + 1];

	if (expect_cmd(nlh, cmd))
		return -EBADMSG;
	if (parse(nlh, tb))
		return -EPROTO;
	*v = tb[attr] ? nla_get_u64(tb[attr]) : 0;
	return 0;
}

int rzs_dec_compact(struct nlmsghdr *nlh, uint64_t *pages)
{
	return dec_count(nlh, RAMZSWAP_CMD_DEV_COMPACT,
			 RAMZSWAP_A_PAGES_COMPACTED, pages);
}

int rzs_dec_mark_idle(struct nlmsghdr *nlh, uint64_t *marked)
{
	return dec_count(nlh, RAMZSWAP_CMD_DEV_MARK_IDLE,
			 RAMZSWAP_A_IDLE_MARKED, marked);
}

int rzs_dec_writeback(struct nlmsghdr *nlh, uint64_t *written)
{
	return dec_count(nlh, RAMZSWAP_CMD_DEV_WRITEBACK,
			 RAMZSWAP_A_WB_WRITTEN, written);
}

int rzs_dec_info(struct nlmsghdr *nlh, struct rzs_info *info)
{
	struct nlattr *tb[RAMZSWAP_A_MAX + 1];
	struct nlattr *e;
	size_t n = 0;
	int rem;

	memset(info, 0, sizeof(*info));
	if (expect_cmd(nlh, RAMZSWAP_CMD_INFO))
		return -EBADMSG;
	if (parse(nlh, tb))
		return -EPROTO;
	if (tb[RAMZSWAP_A_VERSION])
		nla_strlcpy(info->version, tb[RAMZSWAP_A_VERSION],
			    sizeof(info->version));
	if (tb[RAMZSWAP_A_MAX_DEVICES])
		info->max_devices = nla_get_u32(tb[RAMZSWAP_A_MAX_DEVICES]);
	if (tb[RAMZSWAP_A_PAGE_SIZE])
		info->page_size = nla_get_u32(tb[RAMZSWAP_A_PAGE_SIZE]);
	if (tb[RAMZSWAP_A_ALGORITHM])
		nla_strlcpy(info->default_algorithm, tb[RAMZSWAP_A_ALGORITHM],
			    sizeof(info->default_algorithm));
	if (!tb[RAMZSWAP_A_ALGORITHMS])
		return 0;

	nla_for_each_nested(e, tb[RAMZSWAP_A_ALGORITHMS], rem)
		n++;
	if (!n)
		return 0;
	info->algorithms = calloc(n, sizeof(*info->algorithms));
	if (!info->algorithms)
		return -ENOMEM;

	nla_for_each_nested(e, tb[RAMZSWAP_A_ALGORITHMS], rem) {
		struct nlattr *ab[RAMZSWAP_ALG_A_MAX + 1];
		struct rzs_algorithm *a = &info->algorithms[info->nr_algorithms];

		if (nla_type(e) != RAMZSWAP_A_ALGORITHM_ENTRY)
			continue;
		if (nla_parse_nested(ab, RAMZSWAP_ALG_A_MAX, e, alg_policy) < 0)
			goto proto;
		/* An entry without a name is useless to anyone. */
		if (!ab[RAMZSWAP_ALG_A_NAME])
			continue;
		nla_strlcpy(a->name, ab[RAMZSWAP_ALG_A_NAME], sizeof(a->name));
		if (ab[RAMZSWAP_ALG_A_LEVEL_MIN])
			a->level_min = nla_get_u32(ab[RAMZSWAP_ALG_A_LEVEL_MIN]);
		if (ab[RAMZSWAP_ALG_A_LEVEL_MAX])
			a->level_max = nla_get_u32(ab[RAMZSWAP_ALG_A_LEVEL_MAX]);
		if (ab[RAMZSWAP_ALG_A_LEVEL_DEFAULT])
			a->level_default =
				nla_get_u32(ab[RAMZSWAP_ALG_A_LEVEL_DEFAULT]);
		info->nr_algorithms++;
	}
	return 0;
proto:
	free(info->algorithms);
	info->algorithms = NULL;
	info->nr_algorithms = 0;
	return -EPROTO;
}

int rzs_dec_event(struct nlmsghdr *nlh, struct rzs_event *ev)
{
	struct nlattr *tb[RAMZSWAP_A_MAX + 1];
	int cmd = rzs_genl_cmd(nlh);
	int err;

	memset(ev, 0, sizeof(*ev));
	if (cmd < 0)
		return cmd;
	switch (cmd) {
	case RAMZSWAP_CMD_EVT_ADDED:
		ev->type = RZS_EVENT_ADDED;
		break;
	case RAMZSWAP_CMD_EVT_REMOVED:
		ev->type = RZS_EVENT_REMOVED;
		break;
	case RAMZSWAP_CMD_EVT_INITIALIZED:
		ev->type = RZS_EVENT_INITIALIZED;
		break;
	case RAMZSWAP_CMD_EVT_RESET:
		ev->type = RZS_EVENT_RESET;
		break;
	case RAMZSWAP_CMD_EVT_MEMLIMIT:
		ev->type = RZS_EVENT_MEMLIMIT;
		break;
	case RAMZSWAP_CMD_EVT_WB_LIMIT:
		ev->type = RZS_EVENT_WB_LIMIT;
		break;
	default:
		/* A newer module's notification: not an error. */
		return 0;
	}
	if (parse(nlh, tb))
		return -EPROTO;
	err = dec_dev_attrs(tb, &ev->dev);
	if (err)
		return err;
	if (tb[RAMZSWAP_A_MEM_USED])
		ev->mem_used = nla_get_u64(tb[RAMZSWAP_A_MEM_USED]);
	return 1;
}

/* ---- acks -------------------------------------------------------------- */

static int dec_ack_tlvs(const struct nlmsghdr *nlh, size_t off, struct rzs_ack *ack)
{
	static struct nla_policy pol[RZS_ACK_ATTR_MAX + 1] = {
		[NLMSGERR_ATTR_MSG]	 = { .type = NLA_STRING },
		[NLMSGERR_ATTR_OFFS]	 = { .type = NLA_U32 },
		[RZS_ACK_ATTR_MISS_TYPE] = { .type = NLA_U32 },
	};
	struct nlattr *tb[RZS_ACK_ATTR_MAX + 1];
	const char *base = (const char *)nlmsg_data(nlh);
	size_t len = (size_t)nlmsg_datalen(nlh);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= len)
		return 0;
	/* The TLVs are extra detail: if they are damaged keep the errno. */
	if (nla_parse(tb, RZS_ACK_ATTR_MAX, (struct nlattr *)(base + off),
		      (int)(len - off), pol) < 0)
		return 0;
	if (tb[NLMSGERR_ATTR_MSG])
		ack->msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_OFFS]) {
		ack->has_offs = true;
		ack->offs = nla_get_u32(tb[NLMSGERR_ATTR_OFFS]);
	}
	if (tb[RZS_ACK_ATTR_MISS_TYPE]) {
		ack->has_miss_type = true;
		ack->miss_type = nla_get_u32(tb[RZS_ACK_ATTR_MISS_TYPE]);
	}
	return 0;
}

int rzs_dec_ack(const struct nlmsghdr *nlh, struct rzs_ack *ack)
{
	size_t len = (size_t)nlmsg_datalen(nlh);
	size_t off;

	memset(ack, 0, sizeof(*ack));
	if (nlh->nlmsg_len < NLMSG_HDRLEN)
		return -EPROTO;

	if (nlh->nlmsg_type == NLMSG_DONE) {
		int err;

		/* A dump's end: an int, nonzero if the dump failed midway. */
		if (len < sizeof(int))
			return 0;
		memcpy(&err, nlmsg_data(nlh), sizeof(err));
		ack->error = err > 0 ? -err : err;
		return dec_ack_tlvs(nlh, NLMSG_ALIGN(sizeof(int)), ack);
	}
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = nlmsg_data(nlh);

		if (len < sizeof(*e))
			return -EPROTO;
		ack->error = e->error > 0 ? -e->error : e->error;
		/*
		 * The TLVs follow the echoed request: its header alone when
		 * NETLINK_CAP_ACK capped it, else the whole of it.
		 */
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (e->msg.nlmsg_len < NLMSG_HDRLEN)
				return 0;
			off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
		}
		return dec_ack_tlvs(nlh, off, ack);
	}
	return -EBADMSG;
}

int rzs_attr_at(const struct nlmsghdr *req, uint32_t offs)
{
	const size_t first = NLMSG_HDRLEN + GENL_HDRLEN;
	const struct nlattr *nla;

	if (offs < first || (uint64_t)offs + NLA_HDRLEN > req->nlmsg_len)
		return -1;
	nla = (const struct nlattr *)((const char *)req + offs);
	return nla->nla_type & NLA_TYPE_MASK;
}
