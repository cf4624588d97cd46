// SPDX-License-Identifier: GPL-2.0-or-later
/* Command-line parsing (rzsctl/args.c, columns.c): results and errors. */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <linux/ramzswap.h>

#include "check.h"
#include "../../rzsctl/rzsctl.h"

static char err[256];

/* Parses a NULL-terminated list of words after "rzsctl". */
static int parse(struct cmd *cmd, const char *first, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;
	const char *w;

	argv[argc++] = (char *)"rzsctl";
	va_start(ap, first);
	for (w = first; w; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return rzsctl_parse(argc, argv, cmd, err, sizeof(err));
}

static int parse_compat(struct cmd *cmd, const char *first, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;
	const char *w;

	argv[argc++] = (char *)"rzscontrol";
	va_start(ap, first);
	for (w = first; w; w = va_arg(ap, const char *))
		argv[argc++] = (char *)w;
	va_end(ap);
	argv[argc] = NULL;
	err[0] = '\0';
	return rzsctl_parse_compat(argc, argv, cmd, err, sizeof(err));
}

/* A usage error whose message mentions what. */
#define USAGE(what, ...) do {						\
	struct cmd _c;							\
	CHECK_INT(parse(&_c, __VA_ARGS__, NULL), EXIT_USAGE);		\
	CHECK_HAS(err, what);						\
} while (0)

static void test_list(void)
{
	struct cmd c;

	CHECK_INT(parse(&c, NULL), 0);
	CHECK_INT(c.verb, VERB_LIST);
	CHECK_INT(c.nr_columns, 0);
	CHECK_INT(c.nr_devs, 0);

	CHECK_INT(parse(&c, "--json", "-b", "ramzswap1", "/dev/ramzswap2", "3", NULL), 0);
	CHECK_INT(c.verb, VERB_LIST);
	CHECK_INT(c.out, OUT_JSON | OUT_BYTES);
	CHECK_INT(c.nr_devs, 3);
	CHECK_INT(c.devs[0], 1);
	CHECK_INT(c.devs[2], 3);

	/* The verb spelled out, and its short form. */
	CHECK_INT(parse(&c, "list", "ramzswap1", NULL), 0);
	CHECK_INT(c.verb, VERB_LIST);
	CHECK_INT(c.nr_devs, 1);
	CHECK_INT(parse(&c, "ls", NULL), 0);
	CHECK_INT(c.verb, VERB_LIST);
	CHECK_INT(c.nr_devs, 0);

	CHECK_INT(parse(&c, "-o", "NAME,ratio", "--raw", "-n", NULL), 0);
	CHECK_INT(c.nr_columns, 2);
	CHECK_INT(c.columns[0], column_by_name("NAME", 4));
	CHECK_INT(c.columns[1], column_by_name("RATIO", 5));
	CHECK_INT(c.out, OUT_RAW | OUT_NOHEAD);

	CHECK_INT(parse(&c, "--output", "+LEVEL,OPENERS", NULL), 0);
	CHECK_INT(c.nr_columns, nr_default_columns + 2);
	CHECK_INT(c.columns[0], default_columns[0]);
	CHECK_INT(c.columns[nr_default_columns + 1], column_by_name("OPENERS", 7));

	CHECK_INT(parse(&c, "--output-all", NULL), 0);
	CHECK_INT(c.nr_columns, nr_columns);

	USAGE("unknown column 'BOGUS'", "-o", "NAME,BOGUS");
	USAGE("empty column", "-o", "NAME,");
	USAGE("unknown column ''", "-o", "NAME,,DATA");
	USAGE("no columns", "-o", "+");
	USAGE("exclude", "--output-all", "-o", "NAME");
	USAGE("exclude", "--json", "--raw");
	USAGE("not a ramzswap device: 'zram0'", "zram0");
	USAGE("out of range", "ramzswap5000");
	USAGE("unknown option '--frobnicate'", "--frobnicate");
	USAGE("option '--json' takes no value", "--json=yes");
	USAGE("unknown option '-x'", "-x");
	USAGE("needs a value", "--output");
	USAGE("--disksize only applies to: init", "--disksize", "1G");
}

static void test_init(void)
{
	struct cmd c;

	CHECK_INT(parse(&c, "init", "ramzswap0", "--disksize", "1G", NULL), 0);
	CHECK_INT(c.verb, VERB_INIT);
	CHECK_INT(c.index, 0);
	CHECK_U64(c.init.disksize, 1ull << 30);
	CHECK_INT(c.init.flags, 0);

	CHECK_INT(parse(&c, "init", "/dev/ramzswap4", "-s", "512M", "-a", "zstd",
			"-l", "3", "-m", "256M", NULL), 0);
	CHECK_INT(c.index, 4);
	CHECK_U64(c.init.disksize, 512ull << 20);
	CHECK_STR(c.init.algorithm, "zstd");
	CHECK_INT(c.init.level, 3);
	CHECK_U64(c.init.memlimit, 256ull << 20);
	CHECK_INT(c.init.flags, RZS_INIT_ALGORITHM | RZS_INIT_LEVEL |
				RZS_INIT_MEMLIMIT);

	/* Options before the subcommand work too. */
	CHECK_INT(parse(&c, "--disksize=2G", "init", "1", NULL), 0);
	CHECK_U64(c.init.disksize, 2ull << 30);
	CHECK_INT(c.index, 1);

	/* --memlimit 0 is "no limit" and is still sent. */
	CHECK_INT(parse(&c, "init", "1", "-s", "1G", "-m", "0", NULL), 0);
	CHECK_INT(c.init.flags, RZS_INIT_MEMLIMIT);

	USAGE("--disksize is required", "init", "0");
	USAGE("needs a device", "init", "--disksize", "1G");
	USAGE("exactly one", "init", "0", "1", "--disksize", "1G");
	USAGE("--disksize: bad size 'lots'", "init", "0", "--disksize", "lots");
	USAGE("--disksize: bad size '-1G'", "init", "0", "--disksize", "-1G");
	USAGE("--disksize: size out of range", "init", "0", "--disksize",
	      "99999999999999999999");
	USAGE("--disksize: must not be zero", "init", "0", "--disksize", "0");
	USAGE("--disksize: larger than the maximum", "init", "0", "--disksize", "2P");
	USAGE("--memlimit: bad size '1GB'", "init", "0", "-s", "1G", "-m", "1GB");
	USAGE("--level: not a number: 'high'", "init", "0", "-s", "1G", "-l", "high");
	USAGE("--level: not a number: '-1'", "init", "0", "-s", "1G", "-l", "-1");
	USAGE("--level: out of range", "init", "0", "-s", "1G", "-l", "4294967296");
	USAGE("--algorithm: name too long", "init", "0", "-s", "1G", "-a",
	      "averyveryverylongname");
	USAGE("--algorithm: empty", "init", "0", "-s", "1G", "-a", "");
	USAGE("--json only applies to", "init", "0", "-s", "1G", "--json");
}

static void test_others(void)
{
	struct cmd c;

	CHECK_INT(parse(&c, "add", NULL), 0);
	CHECK_INT(c.verb, VERB_ADD);
	CHECK_INT(c.index, -1);
	CHECK_INT(parse(&c, "add", "7", NULL), 0);
	CHECK_INT(c.index, 7);
	USAGE("too many", "add", "1", "2");

	CHECK_INT(parse(&c, "remove", "ramzswap2", NULL), 0);
	CHECK_INT(c.verb, VERB_REMOVE);
	CHECK_INT(c.index, 2);
	CHECK_INT(parse(&c, "rm", "2", NULL), 0);
	CHECK_INT(c.verb, VERB_REMOVE);
	USAGE("remove: needs a device", "remove");

	CHECK_INT(parse(&c, "set", "0", "--memlimit", "1G", NULL), 0);
	CHECK_INT(c.verb, VERB_SET);
	CHECK_U64(c.init.memlimit, 1ull << 30);
	CHECK(!c.has_wb_limit);
	USAGE("set: give --memlimit or --writeback-limit", "set", "0");
	USAGE("--disksize only applies to: init", "set", "0", "-m", "1G", "-s", "1G");

	CHECK_INT(parse(&c, "reset", "0", NULL), 0);
	CHECK_INT(c.verb, VERB_RESET);
	CHECK_INT(parse(&c, "compact", "/dev/ramzswap9", NULL), 0);
	CHECK_INT(c.verb, VERB_COMPACT);
	CHECK_INT(c.index, 9);

	CHECK_INT(parse(&c, "stats", NULL), 0);
	CHECK_INT(c.verb, VERB_STATS);
	CHECK_INT(c.nr_devs, 0);
	CHECK_INT(parse(&c, "--json", "stats", "ramzswap0", NULL), 0);
	CHECK_INT(c.out, OUT_JSON);
	CHECK_INT(c.nr_devs, 1);
	USAGE("--bytes only applies to", "stats", "--bytes");

	CHECK_INT(parse(&c, "info", "--json", NULL), 0);
	CHECK_INT(c.verb, VERB_INFO);
	USAGE("unexpected argument 'x'", "info", "x");
	CHECK_INT(parse(&c, "monitor", "-J", NULL), 0);
	CHECK_INT(c.verb, VERB_MONITOR);

	CHECK_INT(parse(&c, "--help", NULL), 0);
	CHECK_INT(c.verb, VERB_HELP);
	CHECK_INT(parse(&c, "init", "--bogus-but-help-wins", NULL), EXIT_USAGE);
	CHECK_INT(parse(&c, "help", "init", NULL), 0);
	CHECK_STR(c.help_topic, "init");
	USAGE("no such command", "help", "frob");
	CHECK_INT(parse(&c, "-V", NULL), 0);
	CHECK_INT(c.verb, VERB_VERSION);
}

/* The backing device: init, set, idle, writeback. */
static void test_tier(void)
{
	struct cmd c;
	char longpath[RZS_BACKING_DEV_MAX + 1];

	CHECK_INT(parse(&c, "init", "0", "--disksize", "1G", "--backing-dev",
			"/dev/disk/by-partlabel/tier", NULL), 0);
	CHECK_STR(c.init.backing_dev, "/dev/disk/by-partlabel/tier");
	CHECK_INT(c.init.flags, RZS_INIT_BACKING_DEV);
	CHECK_INT(parse(&c, "init", "0", "--disksize", "1G", "--backing-dev",
			"/dev/vdb", "--writeback-limit", "2G", NULL), 0);
	CHECK_INT(c.init.flags, RZS_INIT_BACKING_DEV | RZS_INIT_WB_LIMIT);
	CHECK_U64(c.init.wb_limit, 2ull << 30);
	CHECK_INT(parse(&c, "init", "0", "--disksize", "1G", "--backing-dev",
			"/dev/vdb", "--writeback-limit", "none", NULL), 0);
	CHECK_U64(c.init.wb_limit, RZS_WB_LIMIT_NONE);
	CHECK_INT(parse(&c, "init", "0", "--disksize", "1G", NULL), 0);
	CHECK_INT(c.init.flags, 0);
	CHECK(c.init.backing_dev == NULL);
	USAGE("--writeback-limit: needs --backing-dev", "init", "0", "-s", "1G",
	      "--writeback-limit", "1G");
	USAGE("--backing-dev: empty path", "init", "0", "-s", "1G",
	      "--backing-dev", "");
	memset(longpath, 'x', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	USAGE("--backing-dev: path too long", "init", "0", "-s", "1G",
	      "--backing-dev", longpath);
	USAGE("--writeback-limit: bad limit 'lots'", "init", "0", "-s", "1G",
	      "--backing-dev", "/dev/vdb", "--writeback-limit", "lots");
	USAGE("option --backing-dev only applies to: init", "set", "0",
	      "--backing-dev", "/dev/vdb");

	CHECK_INT(parse(&c, "set", "0", "--writeback-limit", "500M", NULL), 0);
	CHECK(c.has_wb_limit);
	CHECK(!c.has_memlimit);
	CHECK_U64(c.init.wb_limit, 500ull << 20);
	CHECK_INT(parse(&c, "set", "0", "--writeback-limit", "none",
			"--memlimit", "1G", NULL), 0);
	CHECK(c.has_wb_limit && c.has_memlimit);
	CHECK_U64(c.init.wb_limit, RZS_WB_LIMIT_NONE);
	CHECK_INT(parse(&c, "set", "0", "--writeback-limit", "0", NULL), 0);
	CHECK_U64(c.init.wb_limit, 0);
	USAGE("--writeback-limit: size out of range", "set", "0",
	      "--writeback-limit", "99999999999T");

	CHECK_INT(parse(&c, "idle", "ramzswap1", NULL), 0);
	CHECK_INT(c.verb, VERB_IDLE);
	CHECK_INT(c.index, 1);
	CHECK_INT(c.min_age, 0);
	CHECK_INT(parse(&c, "idle", "1", "--min-age", "3", NULL), 0);
	CHECK_INT(c.min_age, 3);
	USAGE("--min-age: an idle age from 0 to 3, not '4'", "idle", "1",
	      "--min-age", "4");
	USAGE("--min-age: an idle age from 0 to 3, not '-1'", "idle", "1",
	      "--min-age", "-1");
	USAGE("--min-age: an idle age from 0 to 3, not '11'", "idle", "1",
	      "--min-age", "11");
	USAGE("idle: needs a device", "idle");
	USAGE("option --huge only applies to: writeback", "idle", "1", "--huge");

	CHECK_INT(parse(&c, "writeback", "0", "--idle", NULL), 0);
	CHECK_INT(c.verb, VERB_WRITEBACK);
	CHECK_INT(c.wb_kinds, RZS_WB_IDLE);
	CHECK_INT(c.min_age, 1);
	CHECK_U64(c.wb_max_pages, 0);
	CHECK_INT(parse(&c, "writeback", "0", "--idle", "--min-age", "3",
			"--huge", "--incompressible", "--max", "1M", NULL), 0);
	CHECK_INT(c.wb_kinds, RZS_WB_IDLE | RZS_WB_HUGE | RZS_WB_INCOMPRESSIBLE);
	CHECK_INT(c.min_age, 3);
	CHECK_U64(c.wb_max_pages, (1ull << 20) / (uint64_t)sysconf(_SC_PAGESIZE));
	CHECK_INT(parse(&c, "writeback", "0", "--huge", NULL), 0);
	CHECK_INT(c.wb_kinds, RZS_WB_HUGE);
	USAGE("writeback: give --idle, --huge or --incompressible", "writeback",
	      "0");
	USAGE("--min-age: applies to --idle pages only", "writeback", "0",
	      "--huge", "--min-age", "2");
	USAGE("--max: less than a page", "writeback", "0", "--idle", "--max",
	      "100");
	USAGE("--max: must not be zero", "writeback", "0", "--idle", "--max", "0");
	USAGE("--max: bad size 'many'", "writeback", "0", "--idle", "--max",
	      "many");
	USAGE("option --idle only applies to: writeback", "stats", "--idle");
	USAGE("writeback: needs exactly one device", "writeback", "0", "1",
	      "--idle");
}

static void test_compat(void)
{
	struct cmd c;

	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", "--init", NULL), 0);
	CHECK_INT(c.verb, VERB_COMPAT);
	CHECK_INT(c.index, 0);
	CHECK_INT(c.compat, COMPAT_INIT);
	CHECK_U64(c.compat_disksize, 0);

	CHECK_INT(parse_compat(&c, "/dev/ramzswap1", "--disksize_kb=1024", "-i",
			       "-s", NULL), 0);
	CHECK_INT(c.index, 1);
	CHECK_U64(c.compat_disksize, 1024 * 1024);
	CHECK_INT(c.compat, COMPAT_INIT | COMPAT_STATS);

	CHECK_INT(parse_compat(&c, "--reset", "/dev/ramzswap0", NULL), 0);
	CHECK_INT(c.compat, COMPAT_RESET);
	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", "--memlimit_kb=100", NULL), 0);
	CHECK(c.has_memlimit);
	CHECK_U64(c.init.memlimit, 102400);

	/* rzsctl --compat is the same parser. */
	CHECK_INT(parse(&c, "--compat", "/dev/ramzswap0", "--stats", NULL), 0);
	CHECK_INT(c.verb, VERB_COMPAT);
	CHECK_INT(c.compat, COMPAT_STATS);

	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", NULL), EXIT_USAGE);
	CHECK_HAS(err, "nothing to do");
	CHECK_INT(parse_compat(&c, "--init", NULL), EXIT_USAGE);
	CHECK_HAS(err, "no device");
	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", "-d", "100", NULL), EXIT_USAGE);
	CHECK_HAS(err, "needs --init");
	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", "-i", "-d", "1G", NULL),
		  EXIT_USAGE);
	CHECK_HAS(err, "--disksize_kb: not a number of kB: '1G'");
	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", "-i", "-d", "0", NULL),
		  EXIT_USAGE);
	CHECK_HAS(err, "must not be zero");
	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", "-i", "-d",
			       "99999999999999999999", NULL), EXIT_USAGE);
	CHECK_HAS(err, "out of range");
	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", "-b", "/dev/sda2", NULL),
		  EXIT_USAGE);
	CHECK_HAS(err, "not supported");
	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", "/dev/ramzswap1", "-i", NULL),
		  EXIT_USAGE);
	CHECK_HAS(err, "unexpected argument");
	CHECK_INT(parse_compat(&c, "/dev/zram0", "-i", NULL), EXIT_USAGE);
	CHECK_HAS(err, "not a ramzswap device");
	CHECK_INT(parse_compat(&c, "/dev/ramzswap0", "--frob", NULL), EXIT_USAGE);
	CHECK_HAS(err, "unknown option '--frob'");
}

int main(void)
{
	test_list();
	test_init();
	test_others();
	test_tier();
	test_compat();
	return test_done("args");
}
