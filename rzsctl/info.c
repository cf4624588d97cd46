// SPDX-License-Identifier: GPL-2.0-or-later
/* rzsctl info: the module's version, limits and algorithms. */
#include <inttypes.h>
#include <stdio.h>

#include "out.h"

static void levels(const struct rzs_algorithm *a, char *buf, size_t len)
{
	if (!a->level_min && !a->level_max)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%" PRIu32 "-%" PRIu32 " (default %" PRIu32 ")",
			 a->level_min, a->level_max, a->level_default);
}

int cmd_info(struct rzs_ctx *ctx, const struct cmd *cmd)
{
	struct rzs_info info;
	size_t i;
	int err;

	err = rzs_info(ctx, &info);
	if (err)
		return report(ctx, VERB_INFO, NULL, err);

	if (cmd->out & OUT_JSON) {
		struct json j;

		json_begin(&j, stdout, true);
		json_str(&j, "version", info.version);
		json_u64(&j, "max_devices", info.max_devices);
		json_u64(&j, "page_size", info.page_size);
		if (info.default_algorithm[0])
			json_str(&j, "default_algorithm", info.default_algorithm);
		json_arr(&j, "algorithms");
		for (i = 0; i < info.nr_algorithms; i++) {
			const struct rzs_algorithm *a = &info.algorithms[i];

			json_obj(&j, NULL);
			json_str(&j, "name", a->name);
			json_u64(&j, "level_min", a->level_min);
			json_u64(&j, "level_max", a->level_max);
			json_u64(&j, "level_default", a->level_default);
			json_close_obj(&j);
		}
		json_close_arr(&j);
		json_end(&j);
	} else {
		printf("version:     %s\n", info.version[0] ? info.version : "-");
		printf("max devices: %" PRIu32 "\n", info.max_devices);
		printf("page size:   %" PRIu32 "\n", info.page_size);
		if (info.default_algorithm[0])
			printf("default:     %s\n", info.default_algorithm);
		printf("algorithms:\n");
		for (i = 0; i < info.nr_algorithms; i++) {
			char lv[64];

			levels(&info.algorithms[i], lv, sizeof(lv));
			printf("  %-16s levels %s\n", info.algorithms[i].name, lv);
		}
	}
	rzs_info_free(&info);
	return EXIT_OK;
}
