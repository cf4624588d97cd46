// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The seed's interface: "rzscontrol /dev/ramzswap0 --init|--reset|--stats
 * [--disksize_kb=N] [--memlimit_kb=N]", run in rzscontrol's order.  As in
 * the seed, --init without a size takes 25% of RAM.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "out.h"

static uint64_t default_disksize(void)
{
	struct sysinfo si;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t bytes;

	if (sysinfo(&si) || page <= 0)
		return 0;
	bytes = (uint64_t)si.totalram * si.mem_unit / 4;
	return bytes & ~((uint64_t)page - 1);
}

int cmd_compat(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	const char *dev = dev_label(cmd->index);
	uint32_t idx = (uint32_t)cmd->index;
	bool verbose = cmd->compat & COMPAT_VERBOSE;
	int err;

	if (cmd->has_memlimit && !(cmd->compat & COMPAT_INIT)) {
		err = rzs_dev_set_memlimit(ctx, idx, cmd->init.memlimit);
		if (err)
			return report(ctx, VERB_SET, dev, err);
		if (verbose)
			printf("memlimit_kb: %" PRIu64 "\n", cmd->init.memlimit >> 10);
	}
	if (cmd->compat & COMPAT_INIT) {
		struct rzs_init_params p = {
			.disksize = cmd->compat_disksize,
			.memlimit = cmd->init.memlimit,
			.flags = cmd->has_memlimit ? RZS_INIT_MEMLIMIT : 0,
		};

		if (!p.disksize)
			p.disksize = default_disksize();
		if (verbose)
			printf("disksize_kb: %" PRIu64 "\n", p.disksize >> 10);
		err = rzs_dev_init(ctx, idx, &p);
		if (err)
			return report(ctx, VERB_INIT, dev, err);
	}
	if (cmd->compat & COMPAT_RESET) {
		err = rzs_dev_reset(ctx, idx);
		if (err)
			return report(ctx, VERB_RESET, dev, err);
	}
	if (cmd->compat & COMPAT_STATS) {
		struct rzs_dev d;

		err = rzs_dev_get(ctx, idx, &d);
		if (err)
			return report(ctx, VERB_STATS, dev, err);
		print_seed_stats(&d);
	}
	return EXIT_OK;
}
