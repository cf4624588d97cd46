// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * librzs example: list the ramzswap devices with their compression ratio.
 *
 *   cc example.c $(pkg-config --cflags --libs rzs) -o rzs-example
 */
#include <stdio.h>
#include <string.h>
#include <rzs/rzs.h>

int main(void)
{
	struct rzs_ctx *ctx;
	struct rzs_dev *devs;
	size_t nr, i;
	int err;

	err = rzs_open(&ctx);
	if (err) {
		fprintf(stderr, "rzs_open: %s: %s\n", strerror(-err),
			rzs_last_error(ctx) ? rzs_last_error(ctx) : "");
		rzs_close(ctx);
		return 1;
	}
	err = rzs_dev_list(ctx, &devs, &nr);
	if (err) {
		fprintf(stderr, "rzs_dev_list: %s\n", strerror(-err));
		rzs_close(ctx);
		return 1;
	}
	for (i = 0; i < nr; i++) {
		const struct rzs_stats *st = &devs[i].stats;

		printf("%s %s %llu bytes", devs[i].name,
		       rzs_state_name(devs[i].state),
		       (unsigned long long)devs[i].disksize);
		if (st->mem_used_total)
			printf(", ratio %.2f", (double)st->orig_data_size /
			       (double)st->mem_used_total);
		putchar('\n');
	}
	rzs_dev_list_free(devs);
	rzs_close(ctx);
	return 0;
}
