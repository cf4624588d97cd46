// SPDX-License-Identifier: GPL-2.0-or-later
/* rzsctl monitor: one line per event, as they come; JSON lines with --json. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "out.h"

static void print_text(const struct rzs_event *ev)
{
	const struct rzs_dev *d = &ev->dev;
	char a[32], b[32];

	printf("%s %s", rzs_event_name(ev->type), d->name);
	switch (ev->type) {
	case RZS_EVENT_INITIALIZED:
		if (d->valid & RZS_DEV_DISKSIZE) {
			format_size(d->disksize, a, sizeof(a));
			printf(" disksize=%s", a);
		}
		if (d->valid & RZS_DEV_ALGORITHM)
			printf(" algorithm=%s", d->algorithm);
		if (d->valid & RZS_DEV_LEVEL)
			printf(" level=%" PRIu32, d->level);
		if (d->valid & RZS_DEV_MEMLIMIT) {
			format_size(d->memlimit, a, sizeof(a));
			printf(" memlimit=%s", a);
		}
		if (d->backing_dev)
			printf(" backing=%s", d->backing_dev);
		if (d->valid & RZS_DEV_WB_LIMIT) {
			if (d->wb_limit == RZS_WB_LIMIT_NONE)
				snprintf(a, sizeof(a), "none");
			else
				format_size(d->wb_limit, a, sizeof(a));
			printf(" writeback-limit=%s", a);
		}
		break;
	case RZS_EVENT_WB_LIMIT:
		printf(" writeback limit spent: writeback stops until it is raised");
		break;
	case RZS_EVENT_MEMLIMIT:
		format_size(d->memlimit, a, sizeof(a));
		format_size(ev->mem_used, b, sizeof(b));
		printf(" memlimit=%s used=%s", a, b);
		break;
	}
	putchar('\n');
}

static void print_json(const struct rzs_event *ev)
{
	const struct rzs_dev *d = &ev->dev;
	struct json j;

	json_begin(&j, stdout, false);
	json_str(&j, "event", rzs_event_name(ev->type));
	json_u64(&j, "index", d->index);
	json_str(&j, "name", d->name);
	if (d->valid & RZS_DEV_STATE)
		json_str(&j, "state", rzs_state_name(d->state));
	if (d->valid & RZS_DEV_DISKSIZE)
		json_u64(&j, "disksize", d->disksize);
	if (d->valid & RZS_DEV_ALGORITHM)
		json_str(&j, "algorithm", d->algorithm);
	if (d->valid & RZS_DEV_LEVEL)
		json_u64(&j, "level", d->level);
	if (d->valid & RZS_DEV_MEMLIMIT)
		json_u64(&j, "memlimit", d->memlimit);
	if (ev->type == RZS_EVENT_MEMLIMIT)
		json_u64(&j, "mem_used", ev->mem_used);
	if (d->backing_dev)
		json_str(&j, "backing_dev", d->backing_dev);
	if (d->valid & RZS_DEV_BACKING_SIZE)
		json_u64(&j, "backing_size", d->backing_size);
	if (d->valid & RZS_DEV_WB_LIMIT) {
		if (d->wb_limit == RZS_WB_LIMIT_NONE)
			json_null(&j, "wb_limit");
		else
			json_u64(&j, "wb_limit", d->wb_limit);
	}
	json_end(&j);
}

int cmd_monitor(const struct cmd *cmd)
{
	struct rzs_monitor *mon;
	struct rzs_event ev;
	int err;

	err = rzs_monitor_open(&mon, 0);
	if (err) {
		if (err == -ENOENT)
			warnx("monitor: the ramzswap module is not loaded "
			      "(modprobe ramzswap)");
		else
			warnx("monitor: %s", strerror(-err));
		return EXIT_FAIL;
	}
	for (;;) {
		err = rzs_monitor_read(mon, &ev);
		if (err == -EINTR)
			continue;
		if (err == -ENOBUFS) {
			warnx("monitor: events were lost (not read fast enough)");
			continue;
		}
		if (err == -EPROTO) {
			warnx("monitor: ignored a malformed event");
			continue;
		}
		if (err < 0) {
			warnx("monitor: %s", strerror(-err));
			break;
		}
		if (cmd->out & OUT_JSON)
			print_json(&ev);
		else
			print_text(&ev);
		/* Someone is watching, maybe through a pipe: no buffering. */
		if (fflush(stdout))
			break;
	}
	rzs_monitor_close(mon);
	return EXIT_FAIL;
}
