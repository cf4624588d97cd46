// SPDX-License-Identifier: GPL-2.0-or-later
/* rzsctl add, remove, init, set, reset, compact. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "out.h"

int cmd_add(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	struct rzs_dev dev;
	int err;

	err = rzs_dev_add(ctx, cmd->index, &dev);
	if (err)
		return report(ctx, VERB_ADD,
			      cmd->index >= 0 ? dev_label(cmd->index) : NULL, err);
	/* The node, so "dev=$(rzsctl add)" can be used right away. */
	printf("/dev/%s\n", dev.name);
	return EXIT_OK;
}

int cmd_remove(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	int err = rzs_dev_del(ctx, (uint32_t)cmd->index);

	return err ? report(ctx, VERB_REMOVE, dev_label(cmd->index), err) : EXIT_OK;
}

int cmd_reset(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	int err = rzs_dev_reset(ctx, (uint32_t)cmd->index);

	return err ? report(ctx, VERB_RESET, dev_label(cmd->index), err) : EXIT_OK;
}

int cmd_set(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	int err = rzs_dev_set_memlimit(ctx, (uint32_t)cmd->index,
				       cmd->init.memlimit);

	return err ? report(ctx, VERB_SET, dev_label(cmd->index), err) : EXIT_OK;
}

int cmd_compact(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	uint64_t pages = 0;
	int err = rzs_dev_compact(ctx, (uint32_t)cmd->index, &pages);

	if (err)
		return report(ctx, VERB_COMPACT, dev_label(cmd->index), err);
	printf("%s: %" PRIu64 " pages freed\n", dev_label(cmd->index), pages);
	return EXIT_OK;
}

/*
 * After a refused init naming an algorithm, check it against what the
 * module offers, so "unknown algorithm" comes with the list to pick from.
 */
static bool explain_algorithm(struct rzs_ctx *ctx, const struct cmd *cmd,
			      const char *kernel)
{
	struct rzs_info info;
	size_t i;
	bool known = false;

	if (rzs_info(ctx, &info))
		return false;
	for (i = 0; i < info.nr_algorithms; i++)
		if (!strcmp(info.algorithms[i].name, cmd->algorithm))
			known = true;
	if (!known) {
		fflush(stdout);
		fprintf(stderr, "%s: init %s: unknown algorithm '%s' (available:",
			progname, dev_label(cmd->index), cmd->algorithm);
		for (i = 0; i < info.nr_algorithms; i++)
			fprintf(stderr, " %s", info.algorithms[i].name);
		fprintf(stderr, ")%s%s%s\n", kernel ? " (" : "",
			kernel ? kernel : "", kernel ? ")" : "");
	}
	rzs_info_free(&info);
	return !known;
}

int cmd_init(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	char kernel[512] = "";
	int err;

	err = rzs_dev_init(ctx, (uint32_t)cmd->index, &cmd->init);
	if (!err)
		return EXIT_OK;
	if ((cmd->init.flags & RZS_INIT_ALGORITHM) &&
	    (err == -EINVAL || err == -ENOENT || err == -EOPNOTSUPP)) {
		/* rzs_info() replaces the last error: keep the kernel's. */
		if (rzs_last_error(ctx))
			snprintf(kernel, sizeof(kernel), "%s", rzs_last_error(ctx));
		if (explain_algorithm(ctx, cmd, kernel[0] ? kernel : NULL))
			return EXIT_FAIL;
		/* Known algorithm: the original failure is the story. */
		err = rzs_dev_init(ctx, (uint32_t)cmd->index, &cmd->init);
		if (!err)
			return EXIT_OK;
	}
	return report(ctx, VERB_INIT, dev_label(cmd->index), err);
}
