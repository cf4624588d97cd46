// SPDX-License-Identifier: GPL-2.0-or-later
/* rzsctl add, remove, init, set, reset, compact. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	int err = 0;

	if (cmd->has_memlimit)
		err = rzs_dev_set_memlimit(ctx, (uint32_t)cmd->index,
					   cmd->init.memlimit);
	if (!err && cmd->has_wb_limit)
		err = rzs_dev_set_wb_limit(ctx, (uint32_t)cmd->index,
					   cmd->init.wb_limit);
	return err ? report(ctx, VERB_SET, dev_label(cmd->index), err) : EXIT_OK;
}

int cmd_idle(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	uint64_t marked = 0;
	int err;

	err = rzs_dev_mark_idle(ctx, (uint32_t)cmd->index, cmd->min_age, &marked);
	if (err)
		return report(ctx, VERB_IDLE, dev_label(cmd->index), err);
	printf("%s: %" PRIu64 " pages aged (idle age %u or more, now one more)\n",
	       dev_label(cmd->index), marked, cmd->min_age);
	return EXIT_OK;
}

static void kinds_text(uint32_t kinds, unsigned int min_age, char *buf,
		       size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (kinds & RZS_WB_IDLE)
		n += (size_t)snprintf(buf + n, len - n, "idle (age %u or more)",
				      min_age);
	if ((kinds & RZS_WB_HUGE) && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%shuge", n ? ", " : "");
	if ((kinds & RZS_WB_INCOMPRESSIBLE) && n < len)
		snprintf(buf + n, len - n, "%sincompressible", n ? ", " : "");
}

/*
 * What moved: the pages the kernel counted, and what they take on the
 * disk, from the device's statistics before and after (when both could be
 * read: a failed DEV_GET only costs the detail).
 */
int cmd_writeback(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	struct rzs_dev before, after;
	uint64_t written = 0, page = (uint64_t)sysconf(_SC_PAGESIZE);
	bool have_before;
	char kinds[96], a[32], b[32], c[32];
	int err;

	have_before = !rzs_dev_get(ctx, (uint32_t)cmd->index, &before) &&
		      (before.valid & RZS_DEV_STATS);
	err = rzs_dev_writeback(ctx, (uint32_t)cmd->index, cmd->wb_kinds,
				cmd->min_age, cmd->wb_max_pages, &written);
	if (err)
		return report(ctx, VERB_WRITEBACK, dev_label(cmd->index), err);
	kinds_text(cmd->wb_kinds, cmd->min_age, kinds, sizeof(kinds));
	format_size(written * page, a, sizeof(a));
	printf("%s: wrote back %" PRIu64 " pages (%s of data) of: %s",
	       dev_label(cmd->index), written, a, kinds);
	if (have_before && !rzs_dev_get(ctx, (uint32_t)cmd->index, &after) &&
	    (after.valid & RZS_DEV_STATS)) {
		uint64_t bytes = after.stats.bd_bytes - before.stats.bd_bytes;

		if (after.stats.bd_bytes < before.stats.bd_bytes)
			bytes = 0;	/* pages read back meanwhile */
		format_size(bytes, b, sizeof(b));
		format_size(after.stats.bd_blocks * page, c, sizeof(c));
		printf("; %s compressed on the disk, %s of the disk in use now",
		       b, c);
	}
	putchar('\n');
	return EXIT_OK;
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
	struct stat st;
	int err;

	/*
	 * The kernel refuses these too; said here, the message names the
	 * option.  Whether it is mounted or in use only the kernel knows.
	 */
	if (cmd->backing_dev[0]) {
		if (stat(cmd->backing_dev, &st)) {
			warnx("init %s: --backing-dev %s: %s", dev_label(cmd->index),
			      cmd->backing_dev, strerror(errno));
			return EXIT_FAIL;
		}
		if (!S_ISBLK(st.st_mode)) {
			warnx("init %s: --backing-dev %s: not a block device",
			      dev_label(cmd->index), cmd->backing_dev);
			return EXIT_FAIL;
		}
	}

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
