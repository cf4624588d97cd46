/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The wire format of the ramzswap family: builds requests and decodes
 * replies, events, acks and the controller's family lookup.  Nothing here
 * touches a socket, so the host unit tests drive every function directly.
 */
#ifndef RZS_CODEC_H
#define RZS_CODEC_H

#include <stdbool.h>
#include <stdint.h>
#include <netlink/msg.h>
#include <rzs/rzs.h>

#define RZS_HIDDEN __attribute__((visibility("hidden")))

/*
 * The extended-ack TLVs of NLMSG_ERROR that Linux 5.19 added
 * (NLMSGERR_ATTR_MISS_TYPE, _MISS_NEST).  Older uapi headers (bullseye's
 * 5.10) lack them, and as enum constants they cannot be tested with #ifdef:
 * the kernel's numbers, named here.
 */
enum {
	RZS_ACK_ATTR_MISS_TYPE = 5,
	RZS_ACK_ATTR_MISS_NEST = 6,
	RZS_ACK_ATTR_MAX = RZS_ACK_ATTR_MISS_NEST,
};

/* What the controller told us about the family. */
struct rzs_family {
	int id;
	uint32_t monitor_group;		/* 0: no "monitor" group */
};

/* An NLMSG_ERROR or NLMSG_DONE, with its extended-ack TLVs. */
struct rzs_ack {
	int error;			/* 0 or a negative errno */
	const char *msg;		/* points into the message, or NULL */
	bool has_offs;
	uint32_t offs;			/* of the bad attribute in the request */
	bool has_miss_type;
	uint32_t miss_type;		/* a required attribute that was missing */
};

/* Requests.  Each returns 0 with *msgp set, or a negative errno. */
RZS_HIDDEN int rzs_enc_getfamily(struct nl_msg **msgp, const char *name);
RZS_HIDDEN int rzs_enc_dev_get(struct nl_msg **msgp, int family, uint32_t index);
RZS_HIDDEN int rzs_enc_dev_dump(struct nl_msg **msgp, int family);
RZS_HIDDEN int rzs_enc_dev_add(struct nl_msg **msgp, int family, int index);
RZS_HIDDEN int rzs_enc_dev_cmd(struct nl_msg **msgp, int family, uint8_t cmd,
			       uint32_t index);
RZS_HIDDEN int rzs_enc_dev_init(struct nl_msg **msgp, int family, uint32_t index,
				const struct rzs_init_params *params);
RZS_HIDDEN int rzs_enc_dev_set_memlimit(struct nl_msg **msgp, int family,
					uint32_t index, uint64_t memlimit);
RZS_HIDDEN int rzs_enc_dev_set_wb_limit(struct nl_msg **msgp, int family,
					uint32_t index, uint64_t wb_limit);
RZS_HIDDEN int rzs_enc_dev_mark_idle(struct nl_msg **msgp, int family,
				     uint32_t index, unsigned int min_age);
/* max_pages 0: no WB_MAX_PAGES. */
RZS_HIDDEN int rzs_enc_dev_writeback(struct nl_msg **msgp, int family,
				     uint32_t index, uint32_t kinds,
				     unsigned int min_age, uint64_t max_pages);
RZS_HIDDEN int rzs_enc_info(struct nl_msg **msgp, int family);

/* Replies.  -EPROTO: malformed; -EBADMSG: not the expected command. */
RZS_HIDDEN int rzs_genl_cmd(const struct nlmsghdr *nlh);
RZS_HIDDEN int rzs_dec_family(struct nlmsghdr *nlh, const char *group,
			      struct rzs_family *fam);
/*
 * dev->backing_dev, when set, points into nlh: rzs_keep_backing_dev()
 * copies it into buf and points there instead.
 */
RZS_HIDDEN int rzs_dec_dev(struct nlmsghdr *nlh, struct rzs_dev *dev);
RZS_HIDDEN void rzs_keep_backing_dev(struct rzs_dev *dev, char *buf, size_t len);
RZS_HIDDEN int rzs_dec_compact(struct nlmsghdr *nlh, uint64_t *pages);
RZS_HIDDEN int rzs_dec_mark_idle(struct nlmsghdr *nlh, uint64_t *marked);
RZS_HIDDEN int rzs_dec_writeback(struct nlmsghdr *nlh, uint64_t *written);
RZS_HIDDEN int rzs_dec_info(struct nlmsghdr *nlh, struct rzs_info *info);
/* 1: *ev filled; 0: a notification this version does not know. */
RZS_HIDDEN int rzs_dec_event(struct nlmsghdr *nlh, struct rzs_event *ev);
RZS_HIDDEN int rzs_dec_ack(const struct nlmsghdr *nlh, struct rzs_ack *ack);

/* The attribute at offset offs of request req, or -1. */
RZS_HIDDEN int rzs_attr_at(const struct nlmsghdr *req, uint32_t offs);
/* "DISKSIZE" for RAMZSWAP_A_DISKSIZE; NULL if unknown. */
RZS_HIDDEN const char *rzs_attr_name(int type);

#endif /* RZS_CODEC_H */
