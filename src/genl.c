// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "ramzswap" generic-netlink family: the control plane of devices.
 *
 * Every attribute has a policy, validation is strict (no .validate flags,
 * so unknown attributes are refused) and every refusal carries an extack
 * message naming the attribute.  Reading (DEV_GET, INFO, the monitor
 * group) is open to all users, as zram's sysfs is; changing devices needs
 * CAP_SYS_ADMIN, checked in each handler: GENL_ADMIN_PERM would check
 * CAP_NET_ADMIN, the wrong capability for a block device.
 *
 * All commands run under the control lock (parallel_ops with our own
 * mutex, so a long reset does not hold up every other genetlink family).
 */
#include <linux/capability.h>
#include <linux/module.h>
#include <net/genetlink.h>

#include "backing.h"
#include "compat.h"
#include "ramzswap.h"

static struct genl_family rzs_genl_family;
static bool rzs_genl_registered;

struct netlink_range_validation rzs_disksize_range = {
	.min = 1,
	.max = RAMZSWAP_DISKSIZE_MAX,
};

struct netlink_range_validation rzs_memlimit_range = {
	.min = 0,
	.max = RAMZSWAP_DISKSIZE_MAX,
};

static struct netlink_range_validation rzs_level_range = {
	.min = 0,
	.max = INT_MAX,
};

#define RZS_POLICY_INDEX \
	NLA_POLICY_MAX(NLA_U32, RAMZSWAP_MAX_DEVICES - 1)

/* Everything a request may carry; output-only attributes stay NLA_UNSPEC
 * and are refused by strict validation.
 */
static const struct nla_policy rzs_genl_policy[RAMZSWAP_A_MAX + 1] = {
	[RAMZSWAP_A_INDEX]	= RZS_POLICY_INDEX,
	[RAMZSWAP_A_DISKSIZE]	= NLA_POLICY_FULL_RANGE(NLA_U64, &rzs_disksize_range),
	[RAMZSWAP_A_ALGORITHM]	= { .type = NLA_NUL_STRING,
				    .len = RAMZSWAP_ALGORITHM_NAME_MAX - 1 },
	[RAMZSWAP_A_LEVEL]	= NLA_POLICY_FULL_RANGE(NLA_U32, &rzs_level_range),
	[RAMZSWAP_A_MEMLIMIT]	= NLA_POLICY_FULL_RANGE(NLA_U64, &rzs_memlimit_range),
	[RAMZSWAP_A_BACKING_DEV] = { .type = NLA_NUL_STRING,
				     .len = RAMZSWAP_BACKING_DEV_MAX - 1 },
	[RAMZSWAP_A_WB_LIMIT]	= { .type = NLA_U64 },
};

/* Commands that name a device and nothing else. */
static const struct nla_policy rzs_index_policy[RAMZSWAP_A_MAX + 1] = {
	[RAMZSWAP_A_INDEX]	= RZS_POLICY_INDEX,
};

static const struct nla_policy rzs_set_policy[RAMZSWAP_A_MAX + 1] = {
	[RAMZSWAP_A_INDEX]	= RZS_POLICY_INDEX,
	[RAMZSWAP_A_MEMLIMIT]	= NLA_POLICY_FULL_RANGE(NLA_U64, &rzs_memlimit_range),
	[RAMZSWAP_A_WB_LIMIT]	= { .type = NLA_U64 },
};

#define RZS_POLICY_MIN_AGE	NLA_POLICY_MAX(NLA_U8, RAMZSWAP_IDLE_AGE_MAX)
#define RZS_WB_KINDS_ALL	(RAMZSWAP_WB_IDLE | RAMZSWAP_WB_HUGE | \
				 RAMZSWAP_WB_INCOMPRESSIBLE)

static const struct nla_policy rzs_idle_policy[RAMZSWAP_A_MAX + 1] = {
	[RAMZSWAP_A_INDEX]	= RZS_POLICY_INDEX,
	[RAMZSWAP_A_IDLE_MIN_AGE] = RZS_POLICY_MIN_AGE,
};

/* A mask of three bits as a maximum: NLA_POLICY_MASK came in 5.15. */
static const struct nla_policy rzs_wb_policy[RAMZSWAP_A_MAX + 1] = {
	[RAMZSWAP_A_INDEX]	= RZS_POLICY_INDEX,
	[RAMZSWAP_A_WB_KINDS]	= NLA_POLICY_MAX(NLA_U32, RZS_WB_KINDS_ALL),
	[RAMZSWAP_A_IDLE_MIN_AGE] = RZS_POLICY_MIN_AGE,
	[RAMZSWAP_A_WB_MAX_PAGES] = NLA_POLICY_MIN(NLA_U64, 1),
};

/* INFO takes no attributes. */
static const struct nla_policy rzs_none_policy[RAMZSWAP_A_MAX + 1] = {};

static const struct genl_multicast_group rzs_genl_mcgrps[] = {
	{ .name = RAMZSWAP_GENL_MCGRP_MONITOR },
};

static int rzs_genl_admin(struct sk_buff *skb, struct genl_info *info)
{
	/* Checks the opener of the socket as well as the sender. */
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	GENL_SET_ERR_MSG(info, "changing ramzswap devices needs CAP_SYS_ADMIN");
	return -EPERM;
}

/*
 * Whether a required attribute is missing; says so in the extack.  A macro
 * because extack messages must be string literals.
 */
#define rzs_genl_missing(info, type, msg) ({				\
	struct genl_info *__info = (info);				\
	bool __missing = !__info->attrs[type];				\
									\
	if (__missing) {						\
		rz_set_err_attr_missing(__info->extack, type);		\
		GENL_SET_ERR_MSG(__info, msg);				\
	}								\
	__missing;							\
})

/* The device named by RAMZSWAP_A_INDEX; the control lock is held. */
static struct ramzswap *rzs_genl_device(struct genl_info *info)
{
	struct nlattr *attr = info->attrs[RAMZSWAP_A_INDEX];
	struct ramzswap *rzs;

	if (rzs_genl_missing(info, RAMZSWAP_A_INDEX,
			     "RAMZSWAP_A_INDEX (the device) is required"))
		return ERR_PTR(-EINVAL);
	rzs = rzs_dev_find(nla_get_u32(attr));
	if (!rzs) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no such ramzswap device");
		return ERR_PTR(-ENODEV);
	}
	return rzs;
}

static int rzs_genl_put_stats(struct sk_buff *skb, struct ramzswap *rzs)
{
	u64 v[RAMZSWAP_STAT_MAX + 1];
	struct nlattr *nest;
	int i;

	rzs_dev_stats(rzs, v);
	nest = nla_nest_start(skb, RAMZSWAP_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = RAMZSWAP_STAT_PAD + 1; i <= RAMZSWAP_STAT_MAX; i++)
		if (nla_put_u64_64bit(skb, i, v[i], RAMZSWAP_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Configuration of a device, read under its init lock. */
static int rzs_genl_put_config(struct sk_buff *skb, struct ramzswap *rzs)
{
	int ret = 0;

	down_read(&rzs->init_lock);
	if (nla_put_u8(skb, RAMZSWAP_A_STATE, rzs->store ?
		       RAMZSWAP_STATE_INITIALIZED :
		       RAMZSWAP_STATE_UNINITIALIZED) ||
	    nla_put_u64_64bit(skb, RAMZSWAP_A_DISKSIZE, rzs->disksize,
			      RAMZSWAP_A_PAD) ||
	    nla_put_u64_64bit(skb, RAMZSWAP_A_MEMLIMIT, rzs->memlimit,
			      RAMZSWAP_A_PAD))
		ret = -EMSGSIZE;
	else if (rzs->backend &&
		 (nla_put_string(skb, RAMZSWAP_A_ALGORITHM, rzs->backend->name) ||
		  nla_put_u32(skb, RAMZSWAP_A_LEVEL, rzs->level)))
		ret = -EMSGSIZE;
	else if (rzs->store && rzs->store->bd &&
		 (nla_put_string(skb, RAMZSWAP_A_BACKING_DEV,
				 rzs_backing_path(rzs->store->bd)) ||
		  nla_put_u64_64bit(skb, RAMZSWAP_A_BACKING_SIZE,
				    rzs_backing_size(rzs->store->bd),
				    RAMZSWAP_A_PAD) ||
		  nla_put_u64_64bit(skb, RAMZSWAP_A_WB_LIMIT,
				    rzs_backing_limit_left(rzs->store->bd),
				    RAMZSWAP_A_PAD)))
		ret = -EMSGSIZE;
	up_read(&rzs->init_lock);
	return ret;
}

enum rzs_fill {
	RZS_FILL_ID = 0,		/* index and name */
	RZS_FILL_CONFIG = BIT(0),	/* state, sizes, algorithm, openers */
	RZS_FILL_STATS = BIT(1),
	RZS_FILL_LIMIT = BIT(2),	/* memory limit and memory used */
};

static int rzs_genl_put_limit(struct sk_buff *skb, struct ramzswap *rzs)
{
	u64 v[RAMZSWAP_STAT_MAX + 1];

	rzs_dev_stats(rzs, v);
	if (nla_put_u64_64bit(skb, RAMZSWAP_A_MEMLIMIT, READ_ONCE(rzs->memlimit),
			      RAMZSWAP_A_PAD) ||
	    nla_put_u64_64bit(skb, RAMZSWAP_A_MEM_USED,
			      v[RAMZSWAP_STAT_MEM_USED_TOTAL], RAMZSWAP_A_PAD))
		return -EMSGSIZE;
	return 0;
}

static int rzs_genl_fill(struct sk_buff *skb, struct ramzswap *rzs, u8 cmd,
			 u32 portid, u32 seq, int flags, unsigned int what)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &rzs_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, RAMZSWAP_A_INDEX, rzs->id) ||
	    nla_put_string(skb, RAMZSWAP_A_NAME, rzs->disk->disk_name))
		goto cancel;
	if ((what & RZS_FILL_CONFIG) &&
	    (rzs_genl_put_config(skb, rzs) ||
	     nla_put_u32(skb, RAMZSWAP_A_OPENERS, rzs_dev_openers(rzs))))
		goto cancel;
	if ((what & RZS_FILL_STATS) && rzs_genl_put_stats(skb, rzs))
		goto cancel;
	if ((what & RZS_FILL_LIMIT) && rzs_genl_put_limit(skb, rzs))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;
cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/* Fills @skb, which the caller allocated, with @rzs and sends it. */
static int rzs_genl_send_dev(struct sk_buff *skb, struct genl_info *info,
			     struct ramzswap *rzs, u8 cmd)
{
	int ret;

	ret = rzs_genl_fill(skb, rzs, cmd, info->snd_portid, info->snd_seq, 0,
			    RZS_FILL_CONFIG | RZS_FILL_STATS);
	if (ret) {
		nlmsg_free(skb);
		return ret;
	}
	return genlmsg_reply(skb, info);
}

static int rzs_genl_reply_dev(struct genl_info *info, struct ramzswap *rzs,
			      u8 cmd)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!skb)
		return -ENOMEM;
	return rzs_genl_send_dev(skb, info, rzs, cmd);
}

/**
 * rzs_genl_notify - announce a device event on the "monitor" group
 * @rzs: the device
 * @cmd: RAMZSWAP_CMD_EVT_*
 *
 * Best effort, like every netlink notification: a listener that cannot
 * keep up sees ENOBUFS on its socket.
 */
void rzs_genl_notify(struct ramzswap *rzs, u8 cmd)
{
	unsigned int what = RZS_FILL_ID;
	struct sk_buff *skb;

	if (!READ_ONCE(rzs_genl_registered))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (cmd == RAMZSWAP_CMD_EVT_INITIALIZED)
		what = RZS_FILL_CONFIG;
	else if (cmd == RAMZSWAP_CMD_EVT_MEMLIMIT)
		what = RZS_FILL_LIMIT;
	if (rzs_genl_fill(skb, rzs, cmd, 0, 0, 0, what)) {
		nlmsg_free(skb);
		return;
	}
	/* -ESRCH, nobody listens, is the common case and no error. */
	genlmsg_multicast(&rzs_genl_family, skb, 0, 0, GFP_KERNEL);
}

/* An extack message on the INDEX attribute: the device is the problem. */
#define rzs_genl_index_err(info, msg) \
	NL_SET_ERR_MSG_ATTR((info)->extack, (info)->attrs[RAMZSWAP_A_INDEX], msg)

/*
 * The frame of every command on one device: CAP_SYS_ADMIN if it changes
 * something, the control lock, the device RAMZSWAP_A_INDEX names, @op.
 */
static int rzs_genl_on_device(struct sk_buff *skb, struct genl_info *info,
			      bool admin,
			      int (*op)(struct ramzswap *rzs,
					struct genl_info *info))
{
	struct ramzswap *rzs;
	int ret;

	if (admin) {
		ret = rzs_genl_admin(skb, info);
		if (ret)
			return ret;
	}
	rzs_ctl_lock();
	rzs = rzs_genl_device(info);
	ret = IS_ERR(rzs) ? PTR_ERR(rzs) : op(rzs, info);
	rzs_ctl_unlock();
	return ret;
}

static int rzs_genl_do_get(struct ramzswap *rzs, struct genl_info *info)
{
	return rzs_genl_reply_dev(info, rzs, RAMZSWAP_CMD_DEV_GET);
}

static int rzs_genl_dev_get(struct sk_buff *skb, struct genl_info *info)
{
	return rzs_genl_on_device(skb, info, false, rzs_genl_do_get);
}

/*
 * cb->args[0]: the next device number to report.  A dump with INDEX
 * reports that device alone (none if it does not exist), as a filter.
 */
static int rzs_genl_dev_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr *only = rz_genl_dump_attrs(cb)[RAMZSWAP_A_INDEX];
	struct ramzswap *rzs;
	u32 index = cb->args[0];
	int ret = 0;

	if (only && index < nla_get_u32(only))
		index = nla_get_u32(only);
	rzs_ctl_lock();
	while ((rzs = rzs_dev_next(&index))) {
		if (only && index != nla_get_u32(only))
			break;
		ret = rzs_genl_fill(skb, rzs, RAMZSWAP_CMD_DEV_GET,
				    NETLINK_CB(cb->skb).portid,
				    cb->nlh->nlmsg_seq, NLM_F_MULTI,
				    RZS_FILL_CONFIG | RZS_FILL_STATS);
		if (ret)
			break;
		index++;
	}
	rzs_ctl_unlock();
	cb->args[0] = index;
	/* A full skb ends this part of the dump; the rest comes next call. */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ? ret : skb->len;
}

/*
 * The reply is allocated first: once the device exists (and its ADDED event
 * is out) the command has succeeded, and says so even if the reply cannot
 * be delivered to a socket that is full.
 */
static int rzs_genl_dev_add(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *attr = info->attrs[RAMZSWAP_A_INDEX];
	struct ramzswap *rzs;
	struct sk_buff *reply;
	int ret;

	ret = rzs_genl_admin(skb, info);
	if (ret)
		return ret;
	reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!reply) {
		GENL_SET_ERR_MSG(info, "not enough memory for a new device");
		return -ENOMEM;
	}
	rzs_ctl_lock();
	rzs = rzs_dev_add(attr ? nla_get_u32(attr) : -1, NULL);
	if (IS_ERR(rzs)) {
		ret = PTR_ERR(rzs);
		nlmsg_free(reply);
		if (ret == -EEXIST)
			NL_SET_ERR_MSG_ATTR(info->extack, attr,
					    "a device with this index exists");
		else if (ret == -ENOSPC)
			GENL_SET_ERR_MSG(info, "all device numbers are taken");
		else if (ret == -ENODEV)
			GENL_SET_ERR_MSG(info, "the ramzswap module is being unloaded");
		else if (ret == -ENOMEM)
			GENL_SET_ERR_MSG(info, "not enough memory for a new device");
		else
			GENL_SET_ERR_MSG(info, "cannot create the device");
	} else {
		ret = 0;
		WARN_ON_ONCE(rzs_genl_send_dev(reply, info, rzs,
					       RAMZSWAP_CMD_DEV_ADD) == -EMSGSIZE);
	}
	rzs_ctl_unlock();
	return ret;
}

static int rzs_genl_do_del(struct ramzswap *rzs, struct genl_info *info)
{
	int ret;

	if (rzs_dev_initialized(rzs)) {
		rzs_genl_index_err(info, "device is initialized: reset it first");
		return -EBUSY;
	}
	ret = rzs_dev_remove(rzs);
	if (ret == -EBUSY)
		rzs_genl_index_err(info, "device is open");
	else if (ret == -ENOMEM)
		GENL_SET_ERR_MSG(info, "out of memory");
	return ret;
}

static int rzs_genl_dev_del(struct sk_buff *skb, struct genl_info *info)
{
	return rzs_genl_on_device(skb, info, true, rzs_genl_do_del);
}

static int rzs_genl_init_config(struct genl_info *info, struct rzs_config *cfg)
{
	struct nlattr **attrs = info->attrs;
	const struct rzs_backend *backend = rzs_dev_default_backend();

	cfg->wb_limit = RAMZSWAP_WB_LIMIT_NONE;
	if (attrs[RAMZSWAP_A_WB_LIMIT]) {
		if (!attrs[RAMZSWAP_A_BACKING_DEV]) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[RAMZSWAP_A_WB_LIMIT],
					    "a writeback limit needs a backing device (RAMZSWAP_A_BACKING_DEV)");
			return -EINVAL;
		}
		cfg->wb_limit = nla_get_u64(attrs[RAMZSWAP_A_WB_LIMIT]);
	}
	if (attrs[RAMZSWAP_A_BACKING_DEV] &&
	    *(char *)nla_data(attrs[RAMZSWAP_A_BACKING_DEV]) != '/') {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[RAMZSWAP_A_BACKING_DEV],
				    "the backing device must be an absolute path");
		return -EINVAL;
	}

	if (rzs_genl_missing(info, RAMZSWAP_A_DISKSIZE,
			     "RAMZSWAP_A_DISKSIZE is required"))
		return -EINVAL;
	cfg->disksize = nla_get_u64(attrs[RAMZSWAP_A_DISKSIZE]);
	if (attrs[RAMZSWAP_A_MEMLIMIT])
		cfg->memlimit = nla_get_u64(attrs[RAMZSWAP_A_MEMLIMIT]);
	if (attrs[RAMZSWAP_A_ALGORITHM]) {
		cfg->algorithm = nla_data(attrs[RAMZSWAP_A_ALGORITHM]);
		backend = rzs_backend_find(cfg->algorithm);
		if (!backend) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    attrs[RAMZSWAP_A_ALGORITHM],
					    "unknown algorithm; INFO lists those offered");
			return -EINVAL;
		}
	}
	if (attrs[RAMZSWAP_A_LEVEL]) {
		cfg->level = nla_get_u32(attrs[RAMZSWAP_A_LEVEL]);
		if (cfg->level && !backend->level_max) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[RAMZSWAP_A_LEVEL],
					    "this algorithm takes no level");
			return -EINVAL;
		}
		if (cfg->level && (cfg->level < backend->level_min ||
				   cfg->level > backend->level_max)) {
			NL_SET_ERR_MSG_ATTR(info->extack, attrs[RAMZSWAP_A_LEVEL],
					    "level out of range for this algorithm; INFO lists the range");
			return -ERANGE;
		}
	}
	return 0;
}

/* Claims the backing device DEV_INIT names; says why it cannot. */
static int rzs_genl_open_backing(struct ramzswap *rzs, struct genl_info *info,
				 struct rzs_config *cfg)
{
	struct nlattr *attr = info->attrs[RAMZSWAP_A_BACKING_DEV];
	struct rzs_backing *bd;
	int ret;

	if (!attr)
		return 0;
	bd = rzs_backing_open(nla_data(attr), rzs, &rzs_fops, &rzs->stats);
	if (!IS_ERR(bd)) {
		cfg->backing = bd;
		return 0;
	}
	ret = PTR_ERR(bd);
	switch (ret) {
	case -ENOENT:
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "backing device: no such file");
		break;
	case -ENOTBLK:
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "backing device: not a block device");
		break;
	case -EBUSY:
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "backing device is in use (mounted, swapped on, or claimed by another device)");
		break;
	case -EROFS:
	case -EACCES:
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "backing device is read-only");
		break;
	case -ELOOP:
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "backing device is a ramzswap device: it needs a disk");
		ret = -EINVAL;
		break;
	case -ENOSPC:
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "backing device is smaller than a page");
		ret = -EINVAL;
		break;
	case -ENOMEM:
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "not enough memory for the backing device's block map");
		break;
	default:
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "cannot open the backing device");
	}
	return ret;
}

static int rzs_genl_do_init(struct ramzswap *rzs, struct genl_info *info)
{
	struct rzs_config cfg = {};
	int ret;

	ret = rzs_genl_init_config(info, &cfg);
	if (ret)
		return ret;
	/* Before the backing device: an initialized device keeps its own. */
	if (rzs_dev_initialized(rzs)) {
		rzs_genl_index_err(info, "device is already initialized: reset it first");
		return -EBUSY;
	}
	ret = rzs_genl_open_backing(rzs, info, &cfg);
	if (ret)
		return ret;
	ret = rzs_dev_init(rzs, &cfg);
	if (ret == -EBUSY)
		rzs_genl_index_err(info, "device is already initialized: reset it first");
	else if (ret == -ENOMEM)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RAMZSWAP_A_DISKSIZE],
				    "not enough memory for a disk of this size");
	else if (ret)
		GENL_SET_ERR_MSG(info, "cannot initialize the device");
	return ret;
}

static int rzs_genl_dev_init(struct sk_buff *skb, struct genl_info *info)
{
	return rzs_genl_on_device(skb, info, true, rzs_genl_do_init);
}

static int rzs_genl_do_set(struct ramzswap *rzs, struct genl_info *info)
{
	struct nlattr *memlimit = info->attrs[RAMZSWAP_A_MEMLIMIT];
	struct nlattr *wb_limit = info->attrs[RAMZSWAP_A_WB_LIMIT];
	int ret = 0;

	if (!memlimit && !wb_limit) {
		GENL_SET_ERR_MSG(info, "nothing to set: MEMLIMIT and WB_LIMIT are what may change");
		return -EINVAL;
	}
	/* The one that can fail alone first: nothing is half applied. */
	if (wb_limit) {
		ret = rzs_dev_set_wb_limit(rzs, nla_get_u64(wb_limit));
		if (ret == -ENXIO) {
			NL_SET_ERR_MSG_ATTR(info->extack, wb_limit,
					    "device has no backing device");
			return -EINVAL;
		}
	}
	if (!ret && memlimit)
		ret = rzs_dev_set_memlimit(rzs, nla_get_u64(memlimit));
	if (ret == -ENODEV) {
		rzs_genl_index_err(info, "device is not initialized");
		ret = -EINVAL;
	}
	return ret;
}

static int rzs_genl_dev_set(struct sk_buff *skb, struct genl_info *info)
{
	return rzs_genl_on_device(skb, info, true, rzs_genl_do_set);
}

static int rzs_genl_do_reset(struct ramzswap *rzs, struct genl_info *info)
{
	int ret = rzs_dev_reset(rzs);

	if (ret == -EBUSY)
		rzs_genl_index_err(info, "device is open (swapped on or mounted)");
	else if (ret == -ENOMEM)
		GENL_SET_ERR_MSG(info, "out of memory");
	return ret;
}

static int rzs_genl_dev_reset(struct sk_buff *skb, struct genl_info *info)
{
	return rzs_genl_on_device(skb, info, true, rzs_genl_do_reset);
}

static int rzs_genl_do_compact(struct ramzswap *rzs, struct genl_info *info)
{
	u64 pages = rzs_dev_compact(rzs);
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rzs_genl_family, 0,
				RAMZSWAP_CMD_DEV_COMPACT);
	if (!hdr || nla_put_u64_64bit(msg, RAMZSWAP_A_PAGES_COMPACTED, pages,
				      RAMZSWAP_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int rzs_genl_dev_compact(struct sk_buff *skb, struct genl_info *info)
{
	return rzs_genl_on_device(skb, info, true, rzs_genl_do_compact);
}

/* A reply of one u64 attribute. */
static int rzs_genl_reply_u64(struct genl_info *info, u8 cmd, int attr, u64 v)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rzs_genl_family, 0, cmd);
	if (!hdr || nla_put_u64_64bit(msg, attr, v, RAMZSWAP_A_PAD)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Marking and writeback run long: they keep the device's store (see
 * rzs_dev_tier_begin()) but hold no lock, so that other commands, DEV_GET
 * above all, go on meanwhile.
 */
static struct ramzswap *rzs_genl_tier_begin(struct sk_buff *skb,
					    struct genl_info *info)
{
	struct ramzswap *rzs;
	int ret;

	ret = rzs_genl_admin(skb, info);
	if (ret)
		return ERR_PTR(ret);
	rzs_ctl_lock();
	rzs = rzs_genl_device(info);
	if (!IS_ERR(rzs) && rzs_dev_tier_begin(rzs)) {
		rzs_genl_index_err(info, "device is not initialized");
		rzs = ERR_PTR(-EINVAL);
	}
	rzs_ctl_unlock();
	return rzs;
}

static int rzs_genl_dev_mark_idle(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *age = info->attrs[RAMZSWAP_A_IDLE_MIN_AGE];
	struct ramzswap *rzs;
	unsigned long marked;

	rzs = rzs_genl_tier_begin(skb, info);
	if (IS_ERR(rzs))
		return PTR_ERR(rzs);
	marked = rzs_dev_mark_idle(rzs, age ? nla_get_u8(age) : 0);
	rzs_dev_tier_end(rzs);
	return rzs_genl_reply_u64(info, RAMZSWAP_CMD_DEV_MARK_IDLE,
				  RAMZSWAP_A_IDLE_MARKED, marked);
}

/* Why a writeback that moved nothing failed; 0 if it did not. */
static int rzs_genl_wb_error(struct genl_info *info, enum rzs_wb_stop stop)
{
	switch (stop) {
	case RZS_WB_LIMIT:
		GENL_SET_ERR_MSG(info, "the writeback limit is spent (DEV_SET WB_LIMIT raises it)");
		return -ENOSPC;
	case RZS_WB_FULL:
		GENL_SET_ERR_MSG(info, "the backing device is full");
		return -ENOSPC;
	case RZS_WB_IO_ERROR:
		GENL_SET_ERR_MSG(info, "the backing device failed a write: the pages stay in RAM");
		return -EIO;
	case RZS_WB_ABORTED:
		rzs_genl_index_err(info, "device is being reset");
		return -EBUSY;
	case RZS_WB_NOMEM:
		GENL_SET_ERR_MSG(info, "out of memory");
		return -ENOMEM;
	default:
		return 0;
	}
}

static int rzs_genl_dev_writeback(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **attrs = info->attrs;
	struct nlattr *age = attrs[RAMZSWAP_A_IDLE_MIN_AGE];
	unsigned int kinds, min_age = age ? nla_get_u8(age) : 1;
	u64 max_pages = U64_MAX, written = 0;
	enum rzs_wb_stop stop = RZS_WB_DONE;
	struct ramzswap *rzs;
	int ret;

	if (rzs_genl_missing(info, RAMZSWAP_A_WB_KINDS,
			     "RAMZSWAP_A_WB_KINDS (what to write back) is required"))
		return -EINVAL;
	kinds = nla_get_u32(attrs[RAMZSWAP_A_WB_KINDS]);
	if (!kinds) {
		NL_SET_ERR_MSG_ATTR(info->extack, attrs[RAMZSWAP_A_WB_KINDS],
				    "no kind of page to write back");
		return -EINVAL;
	}
	if ((kinds & RAMZSWAP_WB_IDLE) && !min_age) {
		NL_SET_ERR_MSG_ATTR(info->extack, age,
				    "idle writeback takes pages of age 1 or more");
		return -EINVAL;
	}
	if (attrs[RAMZSWAP_A_WB_MAX_PAGES])
		max_pages = nla_get_u64(attrs[RAMZSWAP_A_WB_MAX_PAGES]);

	rzs = rzs_genl_tier_begin(skb, info);
	if (IS_ERR(rzs))
		return PTR_ERR(rzs);
	ret = rzs_dev_writeback(rzs, kinds, min_age, max_pages, &written, &stop);
	if (ret == -ENXIO) {
		rzs_genl_index_err(info,
				   "device has no backing device (DEV_INIT's RAMZSWAP_A_BACKING_DEV)");
		ret = -EINVAL;
	} else if (ret == -EINTR) {
		GENL_SET_ERR_MSG(info, "interrupted while another writeback of the device ran");
	} else if (!ret && !written) {
		ret = rzs_genl_wb_error(info, stop);
	}
	/* Not after REMOVED: a reset or remove stops writeback first. */
	if (stop == RZS_WB_LIMIT && !READ_ONCE(rzs->store->aborted) &&
	    rzs_backing_limit_announce(rzs->store->bd))
		rzs_genl_notify(rzs, RAMZSWAP_CMD_EVT_WB_LIMIT);
	rzs_dev_tier_end(rzs);
	if (ret)
		return ret;
	return rzs_genl_reply_u64(info, RAMZSWAP_CMD_DEV_WRITEBACK,
				  RAMZSWAP_A_WB_WRITTEN, written);
}

static int rzs_genl_put_algorithms(struct sk_buff *msg)
{
	const struct rzs_backend *be;
	struct nlattr *list, *entry;
	int i;

	list = nla_nest_start(msg, RAMZSWAP_A_ALGORITHMS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; (be = rzs_backend_at(i)); i++) {
		entry = nla_nest_start(msg, RAMZSWAP_A_ALGORITHM_ENTRY);
		if (!entry ||
		    nla_put_string(msg, RAMZSWAP_ALG_A_NAME, be->name) ||
		    nla_put_u32(msg, RAMZSWAP_ALG_A_LEVEL_MIN, be->level_min) ||
		    nla_put_u32(msg, RAMZSWAP_ALG_A_LEVEL_MAX, be->level_max) ||
		    nla_put_u32(msg, RAMZSWAP_ALG_A_LEVEL_DEFAULT,
				be->level_default))
			return -EMSGSIZE;
		nla_nest_end(msg, entry);
	}
	nla_nest_end(msg, list);
	return 0;
}

static int rzs_genl_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &rzs_genl_family, 0,
				RAMZSWAP_CMD_INFO);
	if (!hdr ||
	    nla_put_string(msg, RAMZSWAP_A_VERSION, RAMZSWAP_VERSION) ||
	    nla_put_u32(msg, RAMZSWAP_A_MAX_DEVICES, RAMZSWAP_MAX_DEVICES) ||
	    nla_put_u32(msg, RAMZSWAP_A_PAGE_SIZE, PAGE_SIZE) ||
	    nla_put_string(msg, RAMZSWAP_A_ALGORITHM,
			   rzs_dev_default_backend()->name) ||
	    rzs_genl_put_algorithms(msg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

#ifdef RZ_GENL_CHECK_HEADER_HOOKS
/* Kernels before 6.1 only: see rz_genl_check_header(). */
static int rzs_genl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			     struct genl_info *info)
{
	return rz_genl_check_header(info->nlhdr, info->extack);
}

static int rzs_genl_dump_start(struct netlink_callback *cb)
{
	return rz_genl_check_header(cb->nlh, cb->extack);
}

#define RZS_GENL_DUMP_START	rzs_genl_dump_start
#else
#define RZS_GENL_DUMP_START	NULL
#endif

/*
 * struct genl_ops with per-op policies: the one form that works from 5.10
 * to 7.x.  No .validate: every command validates strictly.
 */
static const struct genl_ops rzs_genl_ops[] = {
	{
		.cmd	= RAMZSWAP_CMD_DEV_GET,
		.doit	= rzs_genl_dev_get,
		.start	= RZS_GENL_DUMP_START,
		.dumpit	= rzs_genl_dev_dump,
		.policy	= rzs_index_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
	{
		.cmd	= RAMZSWAP_CMD_DEV_ADD,
		.doit	= rzs_genl_dev_add,
		.policy	= rzs_index_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
	{
		.cmd	= RAMZSWAP_CMD_DEV_DEL,
		.doit	= rzs_genl_dev_del,
		.policy	= rzs_index_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
	{
		.cmd	= RAMZSWAP_CMD_DEV_INIT,
		.doit	= rzs_genl_dev_init,
		.policy	= rzs_genl_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
	{
		.cmd	= RAMZSWAP_CMD_DEV_SET,
		.doit	= rzs_genl_dev_set,
		.policy	= rzs_set_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
	{
		.cmd	= RAMZSWAP_CMD_DEV_RESET,
		.doit	= rzs_genl_dev_reset,
		.policy	= rzs_index_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
	{
		.cmd	= RAMZSWAP_CMD_DEV_COMPACT,
		.doit	= rzs_genl_dev_compact,
		.policy	= rzs_index_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
	{
		.cmd	= RAMZSWAP_CMD_INFO,
		.doit	= rzs_genl_info,
		.policy	= rzs_none_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
	{
		.cmd	= RAMZSWAP_CMD_DEV_MARK_IDLE,
		.doit	= rzs_genl_dev_mark_idle,
		.policy	= rzs_idle_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
	{
		.cmd	= RAMZSWAP_CMD_DEV_WRITEBACK,
		.doit	= rzs_genl_dev_writeback,
		.policy	= rzs_wb_policy,
		.maxattr = RAMZSWAP_A_MAX,
	},
};

static struct genl_family rzs_genl_family __ro_after_init = {
	.name		= RAMZSWAP_GENL_NAME,
	.version	= RAMZSWAP_GENL_VERSION,
	.maxattr	= RAMZSWAP_A_MAX,
	.policy		= rzs_genl_policy,
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
#ifdef RZ_GENL_CHECK_HEADER_HOOKS
	.pre_doit	= rzs_genl_pre_doit,
#endif
	.ops		= rzs_genl_ops,
	.n_ops		= ARRAY_SIZE(rzs_genl_ops),
	.mcgrps		= rzs_genl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(rzs_genl_mcgrps),
};

int rzs_genl_register(void)
{
	int ret = genl_register_family(&rzs_genl_family);

	if (!ret)
		WRITE_ONCE(rzs_genl_registered, true);
	return ret;
}

void rzs_genl_unregister(void)
{
	WRITE_ONCE(rzs_genl_registered, false);
	genl_unregister_family(&rzs_genl_family);
}
