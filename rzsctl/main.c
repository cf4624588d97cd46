// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rzsctl: list and control ramzswap devices.  Exit codes: 0 success,
 * 1 failure, 2 usage error.  Invoked as "rzscontrol" it speaks the seed's
 * command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"

#ifndef RZSCTL_VERSION
#define RZSCTL_VERSION "unknown"
#endif

static const char usage_text[] =
"Usage:\n"
" rzsctl [options] [DEVICE...]             list devices\n"
" rzsctl add [INDEX]                       create a device, print its node\n"
" rzsctl remove DEVICE                     remove an uninitialized device\n"
" rzsctl init DEVICE --disksize SIZE [--algorithm ALG] [--level N]\n"
"                    [--memlimit SIZE]\n"
"                    [--backing-dev PATH [--writeback-limit SIZE|none]]\n"
"                                          give a device its disk\n"
" rzsctl set DEVICE [--memlimit SIZE] [--writeback-limit SIZE|none]\n"
"                                          change the limits\n"
" rzsctl reset DEVICE                      free everything, uninitialize\n"
" rzsctl compact DEVICE                    compact the allocator\n"
" rzsctl idle DEVICE [--min-age N]         age the pages in RAM by one\n"
" rzsctl writeback DEVICE [--idle [--min-age N]] [--huge] [--incompressible]\n"
"                  [--max SIZE]            move pages to the backing device\n"
" rzsctl stats [DEVICE...] [--json]        every statistic\n"
" rzsctl info [--json]                     module version and algorithms\n"
" rzsctl monitor [--json]                  print events as they happen\n"
" rzsctl --compat DEVICE --init|--reset|--stats [--disksize_kb=N]\n"
"\n"
"DEVICE is ramzswapN, /dev/ramzswapN or N.  SIZE is bytes, or a number with\n"
"K, M, G or T (KiB, MiB, ... also accepted; powers of 1024): 512M, 1.5G.\n"
"\n"
"Listing options:\n"
" -o, --output COLS      columns to show; +COLS adds to the default\n"
"     --output-all       every column\n"
" -b, --bytes            sizes in bytes\n"
" -J, --json             JSON output (also stats, info, monitor)\n"
" -r, --raw              raw output\n"
" -n, --noheadings       no header line\n"
"\n"
"Init options:\n"
" -s, --disksize SIZE    disk size (required)\n"
" -a, --algorithm ALG    compression algorithm (see 'rzsctl info')\n"
" -l, --level N          compression level, 0: the algorithm's default\n"
 " -m, --memlimit SIZE    memory the device may use, 0: no limit\n"
"     --backing-dev PATH a block device to write idle or huge pages back to\n"
"     --writeback-limit SIZE|none  bytes writeback may write (also set)\n"
"\n"
"Idle and writeback options:\n"
"     --min-age N        pages of idle age N (0-3) or more; idle: 0 (every\n"
"                        page), writeback --idle: 1\n"
"     --idle             writeback: idle pages\n"
"     --huge             writeback: pages stored uncompressed\n"
"     --incompressible   writeback: pages that did not compress at all\n"
"     --max SIZE         writeback: at most SIZE of pages (whole pages)\n"
"\n"
" -h, --help             this text\n"
" -V, --version          version\n"
"\n"
"Exit status: 0 success, 1 failure, 2 usage error.  See rzsctl(8).\n";

static const char compat_text[] =
"Usage: rzscontrol DEVICE [options]\n"
"Example: rzscontrol /dev/ramzswap0 --init\n"
" -d, --disksize_kb=N   disk size in kB (with --init; default 25% of RAM)\n"
" -m, --memlimit_kb=N   memory limit in kB\n"
" -i, --init            initialize the device\n"
" -r, --reset           reset the device\n"
" -s, --stats           print its statistics\n"
" -v, --verbose         say what is done\n"
" -h, --help            this text\n";

static void help(const struct cmd *cmd)
{
	size_t i;

	if (cmd->help_topic && !strcmp(cmd->help_topic, "--compat")) {
		fputs(compat_text, stdout);
		return;
	}
	fputs(usage_text, stdout);
	fputs("\nColumns:\n", stdout);
	for (i = 0; i < nr_columns; i++)
		printf(" %12s  %s\n", columns[i].name, columns[i].help);
}

static int run(const struct cmd *cmd)
{
	struct rzs_ctx *ctx;
	int err, ret;

	if (cmd->verb == VERB_MONITOR)
		return cmd_monitor(cmd);

	err = rzs_open(&ctx);
	if (err) {
		if (err == -ENOENT)
			warnx("the ramzswap module is not loaded (modprobe ramzswap)");
		else
			warnx("cannot talk to the kernel: %s%s%s", strerror(-err),
			      rzs_last_error(ctx) ? ": " : "",
			      rzs_last_error(ctx) ? rzs_last_error(ctx) : "");
		rzs_close(ctx);
		return EXIT_FAIL;
	}
	switch (cmd->verb) {
	case VERB_LIST:		ret = cmd_list(ctx, cmd); break;
	case VERB_ADD:		ret = cmd_add(ctx, cmd); break;
	case VERB_REMOVE:	ret = cmd_remove(ctx, cmd); break;
	case VERB_INIT:		ret = cmd_init(ctx, cmd); break;
	case VERB_SET:		ret = cmd_set(ctx, cmd); break;
	case VERB_RESET:	ret = cmd_reset(ctx, cmd); break;
	case VERB_COMPACT:	ret = cmd_compact(ctx, cmd); break;
	case VERB_IDLE:		ret = cmd_idle(ctx, cmd); break;
	case VERB_WRITEBACK:	ret = cmd_writeback(ctx, cmd); break;
	case VERB_STATS:	ret = cmd_stats(ctx, cmd); break;
	case VERB_INFO:		ret = cmd_info(ctx, cmd); break;
	case VERB_COMPAT:	ret = cmd_compat(ctx, cmd); break;
	default:		ret = EXIT_USAGE; break;
	}
	rzs_close(ctx);
	return ret;
}

/* A full disk or closed pipe must not pass for success. */
static int close_stdout(int ret)
{
	if (fflush(stdout) || ferror(stdout) || fclose(stdout)) {
		if (errno != EPIPE)
			warnx("write error: %s", strerror(errno));
		return EXIT_FAIL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const char *base = argv[0] ? strrchr(argv[0], '/') : NULL;
	struct cmd cmd;
	char err[256];
	int r;

	base = base ? base + 1 : (argv[0] ? argv[0] : "rzsctl");
	if (!strcmp(base, "rzscontrol")) {
		progname = "rzscontrol";
		r = rzsctl_parse_compat(argc, argv, &cmd, err, sizeof(err));
	} else {
		r = rzsctl_parse(argc, argv, &cmd, err, sizeof(err));
	}
	if (r) {
		warnx("%s", err);
		fprintf(stderr, "Try '%s --help' for more information.\n",
			progname);
		return EXIT_USAGE;
	}
	if (cmd.verb == VERB_HELP) {
		help(&cmd);
		return close_stdout(EXIT_OK);
	}
	if (cmd.verb == VERB_VERSION) {
		printf("%s %s\n", progname, RZSCTL_VERSION);
		return close_stdout(EXIT_OK);
	}
	return close_stdout(run(&cmd));
}
