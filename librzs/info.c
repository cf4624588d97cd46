// SPDX-License-Identifier: LGPL-2.1-or-later
/* INFO: module version, limits and algorithms; and names for enums. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/ramzswap.h>

#include "internal.h"

static int build_info(struct nl_msg **msgp, int family, void *arg)
{
	(void)arg;
	return rzs_enc_info(msgp, family);
}

struct info_reply {
	struct rzs_info *info;
	int seen;
};

static int reply_info(struct nlmsghdr *nlh, void *arg)
{
	struct info_reply *r = arg;
	int err;

	if (r->seen)
		return 0;
	err = rzs_dec_info(nlh, r->info);
	if (!err)
		r->seen = 1;
	return err;
}

RZS_EXPORT int rzs_info(struct rzs_ctx *ctx, struct rzs_info *info)
{
	struct info_reply r = { .info = info };
	int err;

	memset(info, 0, sizeof(*info));
	err = rzs_request(ctx, build_info, NULL, reply_info, &r);
	if (!err && !r.seen) {
		rzs_set_error(ctx, "the kernel sent no reply");
		err = -EPROTO;
	}
	if (err)
		rzs_info_free(info);
	return err;
}

RZS_EXPORT void rzs_info_free(struct rzs_info *info)
{
	if (!info)
		return;
	free(info->algorithms);
	info->algorithms = NULL;
	info->nr_algorithms = 0;
}

RZS_EXPORT const char *rzs_event_name(uint32_t type)
{
	switch (type) {
	case RZS_EVENT_ADDED:		return "added";
	case RZS_EVENT_REMOVED:		return "removed";
	case RZS_EVENT_INITIALIZED:	return "initialized";
	case RZS_EVENT_RESET:		return "reset";
	case RZS_EVENT_MEMLIMIT:	return "memlimit";
	case RZS_EVENT_WB_LIMIT:	return "wb-limit";
	default:			return "unknown";
	}
}

RZS_EXPORT const char *rzs_state_name(uint32_t state)
{
	switch (state) {
	case RZS_STATE_UNINITIALIZED:	return "uninitialized";
	case RZS_STATE_INITIALIZED:	return "initialized";
	default:			return "unknown";
	}
}
