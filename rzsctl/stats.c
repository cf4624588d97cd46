// SPDX-License-Identifier: GPL-2.0-or-later
/* rzsctl stats: every statistic of every (or the given) device. */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "out.h"

struct stat_desc {
	const char *name;
	size_t off;
	bool bytes;
};

#define S(f, b) { #f, offsetof(struct rzs_stats, f), b }
static const struct stat_desc stat_descs[] = {
	S(num_reads, false),
	S(num_writes, false),
	S(failed_reads, false),
	S(failed_writes, false),
	S(invalid_io, false),
	S(notify_free, false),
	S(miss_free, false),
	S(discarded, false),
	S(memlimit_hits, false),
	S(pages_stored, false),
	S(same_pages, false),
	S(huge_pages, false),
	S(good_compress, false),
	S(orig_data_size, true),
	S(compr_data_size, true),
	S(mem_used_total, true),
	S(mem_used_max, true),
	S(pages_compacted, false),
	S(bd_pages, false),
	S(bd_bytes, true),
	S(bd_blocks, false),
	S(bd_reads, false),
	S(bd_writes, false),
	S(bd_read_errors, false),
	S(wb_errors, false),
	S(wb_pages, false),
	S(idle_age1, false),
	S(idle_age2, false),
	S(idle_age3, false),
	S(wb_limit_left, true),
	S(incompressible_pages, false),
};
#undef S

static uint64_t stat_val(const struct rzs_stats *st, const struct stat_desc *s)
{
	return *(const uint64_t *)((const char *)st + s->off);
}

static void text_line(const char *name, uint64_t v, bool bytes)
{
	char human[32];

	/* wb_limit, wb_limit_left: all ones is no limit. */
	if (!strncmp(name, "wb_limit", 8) && v == RZS_WB_LIMIT_NONE) {
		printf("  %-18s none\n", name);
		return;
	}
	if (bytes && v >= 1024) {
		format_size(v, human, sizeof(human));
		printf("  %-18s %" PRIu64 " (%s)\n", name, v, human);
	} else {
		printf("  %-18s %" PRIu64 "\n", name, v);
	}
}

static void print_text(const struct rzs_dev *d)
{
	size_t i;

	printf("%s:\n", d->name);
	if (d->valid & RZS_DEV_STATE)
		printf("  %-18s %s\n", "state", rzs_state_name(d->state));
	if (d->valid & RZS_DEV_DISKSIZE)
		text_line("disksize", d->disksize, true);
	if (d->valid & RZS_DEV_ALGORITHM)
		printf("  %-18s %s\n", "algorithm", d->algorithm);
	if (d->valid & RZS_DEV_LEVEL)
		text_line("level", d->level, false);
	if (d->valid & RZS_DEV_MEMLIMIT)
		text_line("memlimit", d->memlimit, true);
	if (d->valid & RZS_DEV_OPENERS)
		text_line("openers", d->openers, false);
	if (d->backing_dev)
		printf("  %-18s %s\n", "backing_dev", d->backing_dev);
	if (d->valid & RZS_DEV_BACKING_SIZE)
		text_line("backing_size", d->backing_size, true);
	if (d->valid & RZS_DEV_WB_LIMIT)
		text_line("wb_limit", d->wb_limit, true);
	if (!(d->valid & RZS_DEV_STATS))
		return;
	for (i = 0; i < sizeof(stat_descs) / sizeof(stat_descs[0]); i++)
		text_line(stat_descs[i].name, stat_val(&d->stats, &stat_descs[i]),
			  stat_descs[i].bytes);
}

/* A byte count where all ones means "no limit": null in JSON. */
static void json_limit(struct json *j, const char *k, uint64_t v)
{
	if (v == RZS_WB_LIMIT_NONE)
		json_null(j, k);
	else
		json_u64(j, k, v);
}

static void print_json(struct json *j, const struct rzs_dev *d)
{
	size_t i;

	json_obj(j, NULL);
	json_str(j, "name", d->name);
	json_u64(j, "index", d->index);
	if (d->valid & RZS_DEV_STATE)
		json_str(j, "state", rzs_state_name(d->state));
	if (d->valid & RZS_DEV_DISKSIZE)
		json_u64(j, "disksize", d->disksize);
	if (d->valid & RZS_DEV_ALGORITHM)
		json_str(j, "algorithm", d->algorithm);
	if (d->valid & RZS_DEV_LEVEL)
		json_u64(j, "level", d->level);
	if (d->valid & RZS_DEV_MEMLIMIT)
		json_u64(j, "memlimit", d->memlimit);
	if (d->valid & RZS_DEV_OPENERS)
		json_u64(j, "openers", d->openers);
	if (d->backing_dev)
		json_str(j, "backing_dev", d->backing_dev);
	if (d->valid & RZS_DEV_BACKING_SIZE)
		json_u64(j, "backing_size", d->backing_size);
	if (d->valid & RZS_DEV_WB_LIMIT)
		json_limit(j, "wb_limit", d->wb_limit);
	if (d->valid & RZS_DEV_STATS) {
		json_obj(j, "stats");
		for (i = 0; i < sizeof(stat_descs) / sizeof(stat_descs[0]); i++) {
			uint64_t v = stat_val(&d->stats, &stat_descs[i]);

			if (!strcmp(stat_descs[i].name, "wb_limit_left"))
				json_limit(j, stat_descs[i].name, v);
			else
				json_u64(j, stat_descs[i].name, v);
		}
		json_close_obj(j);
	}
	json_close_obj(j);
}

int cmd_stats(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	struct rzs_dev *devs;
	size_t nr, i;
	int ret;

	ret = fetch_devices(ctx, cmd, VERB_STATS, &devs, &nr);
	if (ret < 0)
		return EXIT_FAIL;
	if (cmd->out & OUT_JSON) {
		struct json j;

		json_begin(&j, stdout, true);
		json_arr(&j, "devices");
		for (i = 0; i < nr; i++)
			print_json(&j, &devs[i]);
		json_close_arr(&j);
		json_end(&j);
	} else {
		for (i = 0; i < nr; i++) {
			if (i)
				putchar('\n');
			print_text(&devs[i]);
		}
	}
	rzs_dev_list_free(devs);
	return ret;
}

/* rzscontrol --stats, label for label as the seed printed it. */
void print_seed_stats(const struct rzs_dev *d)
{
	const struct rzs_stats *s = &d->stats;
	long page = sysconf(_SC_PAGESIZE);
	uint64_t stored = s->pages_stored;

#define K(x)	((x) >> 10)
#define PCT(x)	(stored ? (unsigned int)((x) * 100 / stored) : 0u)
	printf("DiskSize:\t%8" PRIu64 " kB\n", K(d->disksize));
	printf("NumReads:\t%8" PRIu64 "\n"
	       "NumWrites:\t%8" PRIu64 "\n"
	       "FailedReads:\t%8" PRIu64 "\n"
	       "FailedWrites:\t%8" PRIu64 "\n"
	       "InvalidIO:\t%8" PRIu64 "\n"
	       "NotifyFree:\t%8" PRIu64 "\n"
	       "ZeroPages:\t%8" PRIu64 "\n"
	       "GoodCompress:\t%8u %%\n"
	       "NoCompress:\t%8u %%\n"
	       "PagesStored:\t%8" PRIu64 "\n"
	       "PagesUsed:\t%8" PRIu64 "\n"
	       "OrigDataSize:\t%8" PRIu64 " kB\n"
	       "ComprDataSize:\t%8" PRIu64 " kB\n"
	       "MemUsedTotal:\t%8" PRIu64 " kB\n",
	       s->num_reads, s->num_writes, s->failed_reads, s->failed_writes,
	       s->invalid_io, s->notify_free, s->same_pages,
	       PCT(s->good_compress), PCT(s->huge_pages), stored,
	       page > 0 ? s->mem_used_total / (uint64_t)page : 0,
	       K(s->orig_data_size), K(s->compr_data_size),
	       K(s->mem_used_total));
#undef PCT
#undef K
}
