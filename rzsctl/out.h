/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rzsctl: the commands that talk to the kernel, and their output helpers. */
#ifndef RZSCTL_OUT_H
#define RZSCTL_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "rzsctl.h"

/* errors.c: prints why op on dev failed; returns EXIT_FAIL. */
int report(struct rzs_ctx *ctx, enum verb verb, const char *dev, int err);
void warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern const char *progname;

/* json.c: a small streaming writer; compact, or indented when pretty. */
struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool need_comma;
};

void json_begin(struct json *j, FILE *f, bool pretty);
void json_end(struct json *j);
void json_obj(struct json *j, const char *key);	/* key NULL in arrays */
void json_arr(struct json *j, const char *key);
void json_close_obj(struct json *j);
void json_close_arr(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_double(struct json *j, const char *key, double val);
void json_null(struct json *j, const char *key);

/* The commands; each returns an exit code. */
int fetch_devices(struct rzs_ctx *ctx, const struct cmd *cmd, enum verb verb,
		  struct rzs_dev **devsp, size_t *nrp);
int cmd_list(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_stats(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_info(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_monitor(const struct cmd *cmd);
int cmd_add(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_remove(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_init(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_set(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_reset(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_compact(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_idle(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_writeback(struct rzs_ctx *ctx, const struct cmd *cmd);
int cmd_compat(struct rzs_ctx *ctx, const struct cmd *cmd);

/* stats.c */
void print_seed_stats(const struct rzs_dev *dev);
/* "ramzswap3" for messages about a device number. */
const char *dev_label(int index);

#endif /* RZSCTL_OUT_H */
