// SPDX-License-Identifier: GPL-2.0-or-later
/* The device table: rzsctl with no subcommand, like zramctl. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libsmartcols.h>

#include "out.h"

const char *dev_label(int index)
{
	static char buf[32];

	snprintf(buf, sizeof(buf), "ramzswap%d", index);
	return buf;
}

static uint64_t page_size(void)
{
	long p = sysconf(_SC_PAGESIZE);

	return p > 0 ? (uint64_t)p : 4096;
}

static void size_cell(const struct cmd *cmd, uint64_t v, char *buf, size_t len)
{
	if (cmd->out & OUT_BYTES)
		snprintf(buf, len, "%" PRIu64, v);
	else
		format_size(v, buf, len);
}

/* One cell; an empty string when the kernel did not send the value. */
static void cell(const struct cmd *cmd, const struct rzs_dev *d, int col,
		 char *buf, size_t len)
{
	const struct rzs_stats *st = &d->stats;
	bool stats = d->valid & RZS_DEV_STATS;

	buf[0] = '\0';
	switch (col) {
	case 0:		/* NAME */
		snprintf(buf, len, "/dev/%s", d->name);
		break;
	case 1:		/* DISKSIZE */
		if (d->valid & RZS_DEV_DISKSIZE)
			size_cell(cmd, d->disksize, buf, len);
		break;
	case 2:		/* DATA */
		if (stats)
			size_cell(cmd, st->orig_data_size, buf, len);
		break;
	case 3:		/* COMPR */
		if (stats)
			size_cell(cmd, st->compr_data_size, buf, len);
		break;
	case 4:		/* ALGORITHM */
		if (d->valid & RZS_DEV_ALGORITHM)
			snprintf(buf, len, "%s", d->algorithm);
		break;
	case 5:		/* LEVEL */
		if (d->valid & RZS_DEV_LEVEL)
			snprintf(buf, len, "%" PRIu32, d->level);
		break;
	case 6:		/* TOTAL */
		if (stats)
			size_cell(cmd, st->mem_used_total, buf, len);
		break;
	case 7:		/* MEM-LIMIT */
		if (d->valid & RZS_DEV_MEMLIMIT)
			size_cell(cmd, d->memlimit, buf, len);
		break;
	case 8:		/* MEM-USED */
		if (stats)
			size_cell(cmd, st->mem_used_max, buf, len);
		break;
	case 9:		/* RATIO: nothing stored, no ratio */
		if (stats && st->mem_used_total)
			snprintf(buf, len, "%.2f", (double)st->orig_data_size /
				 (double)st->mem_used_total);
		break;
	case 10:	/* SAME */
		if (stats)
			snprintf(buf, len, "%" PRIu64, st->same_pages);
		break;
	case 11:	/* HUGE */
		if (stats)
			snprintf(buf, len, "%" PRIu64, st->huge_pages);
		break;
	case 12:	/* STATE */
		if (d->valid & RZS_DEV_STATE)
			snprintf(buf, len, "%s", rzs_state_name(d->state));
		break;
	case 13:	/* OPENERS */
		if (d->valid & RZS_DEV_OPENERS)
			snprintf(buf, len, "%" PRIu32, d->openers);
		break;
	case 14:	/* BACKING */
		if (d->backing_dev)
			snprintf(buf, len, "%s", d->backing_dev);
		break;
	case 15:	/* BACKING-SIZE */
		if (d->valid & RZS_DEV_BACKING_SIZE)
			size_cell(cmd, d->backing_size, buf, len);
		break;
	case 16:	/* DISK: blocks of the page size in use */
		if (stats && d->backing_dev)
			size_cell(cmd, st->bd_blocks * page_size(), buf, len);
		break;
	case 17:	/* DISK-PAGES */
		if (stats && d->backing_dev)
			snprintf(buf, len, "%" PRIu64, st->bd_pages);
		break;
	case 18:	/* IDLE */
		if (stats)
			snprintf(buf, len, "%" PRIu64,
				 st->idle_age1 + st->idle_age2 + st->idle_age3);
		break;
	case 19:	/* WB-LIMIT: "none" in text, null in JSON */
		if (!(d->valid & RZS_DEV_WB_LIMIT))
			break;
		if (d->wb_limit != RZS_WB_LIMIT_NONE)
			size_cell(cmd, d->wb_limit, buf, len);
		else if (!(cmd->out & OUT_JSON))
			snprintf(buf, len, "none");
		break;
	}
}

static int print_table(const struct cmd *cmd, const struct rzs_dev *devs,
		       size_t nr)
{
	const int *cols = cmd->nr_columns ? cmd->columns : default_columns;
	size_t ncols = cmd->nr_columns ? cmd->nr_columns : nr_default_columns;
	struct libscols_table *tb;
	size_t i, c;
	int ret = EXIT_FAIL;

	tb = scols_new_table();
	if (!tb)
		return EXIT_FAIL;
	scols_table_set_name(tb, "ramzswap");
	scols_table_enable_json(tb, !!(cmd->out & OUT_JSON));
	scols_table_enable_raw(tb, !!(cmd->out & OUT_RAW));
	scols_table_enable_noheadings(tb, !!(cmd->out & OUT_NOHEAD));

	for (c = 0; c < ncols; c++) {
		const struct column *col = &columns[cols[c]];
		struct libscols_column *cl;
		bool num = col->type == COL_NUM || col->type == COL_RATIO ||
			   (col->type == COL_SIZE && (cmd->out & OUT_BYTES));

		cl = scols_table_new_column(tb, col->name, col->whint,
					    col->type == COL_STR ? 0 : SCOLS_FL_RIGHT);
		if (!cl)
			goto out;
		if (num)
			scols_column_set_json_type(cl, SCOLS_JSON_NUMBER);
	}
	for (i = 0; i < nr; i++) {
		struct libscols_line *ln = scols_table_new_line(tb, NULL);
		char buf[64];

		if (!ln)
			goto out;
		for (c = 0; c < ncols; c++) {
			cell(cmd, &devs[i], cols[c], buf, sizeof(buf));
			if (scols_line_set_data(ln, c, buf))
				goto out;
		}
	}
	if (!scols_print_table(tb))
		ret = EXIT_OK;
out:
	scols_unref_table(tb);
	return ret;
}

/*
 * The devices a listing command names, or every device: *devsp (free it
 * with rzs_dev_list_free(); NULL when there are none) and *nrp.  A device
 * that cannot be read is reported and left out: EXIT_FAIL, the others are
 * still there.  If the devices could not be read at all, that is reported
 * and the return is -1.
 */
int fetch_devices(struct rzs_ctx *ctx, const struct cmd *cmd, enum verb verb,
		  struct rzs_dev **devsp, size_t *nrp)
{
	struct rzs_dev *devs;
	size_t nr = 0, i;
	int err, ret = EXIT_OK;

	*devsp = NULL;
	*nrp = 0;
	if (!cmd->nr_devs) {
		err = rzs_dev_list(ctx, &devs, &nr);
		if (err) {
			report(ctx, verb, NULL, err);
			return -1;
		}
	} else {
		devs = calloc(cmd->nr_devs, sizeof(*devs));
		if (!devs) {
			report(ctx, verb, NULL, -ENOMEM);
			return -1;
		}
		for (i = 0; i < cmd->nr_devs; i++) {
			err = rzs_dev_get(ctx, cmd->devs[i], &devs[nr]);
			if (err)
				ret = report(ctx, verb,
					     dev_label((int)cmd->devs[i]), err);
			else
				nr++;
		}
	}
	*devsp = devs;
	*nrp = nr;
	return ret;
}

int cmd_list(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	struct rzs_dev *devs;
	size_t nr;
	int ret;

	ret = fetch_devices(ctx, cmd, VERB_LIST, &devs, &nr);
	if (ret < 0)
		return EXIT_FAIL;
	if (print_table(cmd, devs, nr))
		ret = EXIT_FAIL;
	rzs_dev_list_free(devs);
	return ret;
}
