// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Command-line parsing.  One option table serves every subcommand, so
 * options may come before or after it ("rzsctl --json stats" and "rzsctl
 * stats --json" are the same); each option then says which subcommands
 * accept it.  Everything is checked here, before any netlink traffic, so
 * a typo never half-applies a change.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/ramzswap.h>

#include "rzsctl.h"

#define V(v)	(1u << (v))
#define V_OUTPUT (V(VERB_LIST))
#define V_JSON	(V(VERB_LIST) | V(VERB_STATS) | V(VERB_INFO) | V(VERB_MONITOR))
#define V_ALL	(~0u)

enum {
	OPT_OUTPUT_ALL = 256,
	OPT_COMPAT,
	OPT_BACKING_DEV,
	OPT_WB_LIMIT,
	OPT_MIN_AGE,
	OPT_IDLE,
	OPT_HUGE,
	OPT_INCOMPRESSIBLE,
	OPT_MAX,
};

static const char *const verbs[] = {
	[VERB_LIST] = "list",
	[VERB_ADD] = "add",
	[VERB_REMOVE] = "remove",
	[VERB_INIT] = "init",
	[VERB_SET] = "set",
	[VERB_RESET] = "reset",
	[VERB_COMPACT] = "compact",
	[VERB_IDLE] = "idle",
	[VERB_WRITEBACK] = "writeback",
	[VERB_STATS] = "stats",
	[VERB_INFO] = "info",
	[VERB_MONITOR] = "monitor",
	[VERB_HELP] = "help",
	[VERB_VERSION] = "version",
	[VERB_COMPAT] = "--compat",
};

static const struct option long_opts[] = {
	{ "json",	no_argument,		NULL, 'J' },
	{ "raw",	no_argument,		NULL, 'r' },
	{ "bytes",	no_argument,		NULL, 'b' },
	{ "noheadings",	no_argument,		NULL, 'n' },
	{ "output",	required_argument,	NULL, 'o' },
	{ "output-all",	no_argument,		NULL, OPT_OUTPUT_ALL },
	{ "disksize",	required_argument,	NULL, 's' },
	{ "size",	required_argument,	NULL, 's' },
	{ "algorithm",	required_argument,	NULL, 'a' },
	{ "level",	required_argument,	NULL, 'l' },
	{ "memlimit",	required_argument,	NULL, 'm' },
	{ "backing-dev", required_argument,	NULL, OPT_BACKING_DEV },
	{ "writeback-limit", required_argument,	NULL, OPT_WB_LIMIT },
	{ "min-age",	required_argument,	NULL, OPT_MIN_AGE },
	{ "idle",	no_argument,		NULL, OPT_IDLE },
	{ "huge",	no_argument,		NULL, OPT_HUGE },
	{ "incompressible", no_argument,	NULL, OPT_INCOMPRESSIBLE },
	{ "max",	required_argument,	NULL, OPT_MAX },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "compat",	no_argument,		NULL, OPT_COMPAT },
	{ NULL, 0, NULL, 0 }
};

static const char short_opts[] = "+:Jrbno:s:a:l:m:hV";

/* Which subcommands take each option. */
static unsigned int opt_verbs(int opt)
{
	switch (opt) {
	case 'J':		return V_JSON;
	case 'r': case 'b': case 'n': case 'o': case OPT_OUTPUT_ALL:
				return V_OUTPUT;
	case 's': case 'a': case 'l':
				return V(VERB_INIT);
	case 'm':		return V(VERB_INIT) | V(VERB_SET);
	case OPT_BACKING_DEV:	return V(VERB_INIT);
	case OPT_WB_LIMIT:	return V(VERB_INIT) | V(VERB_SET);
	case OPT_MIN_AGE:	return V(VERB_IDLE) | V(VERB_WRITEBACK);
	case OPT_IDLE: case OPT_HUGE: case OPT_INCOMPRESSIBLE: case OPT_MAX:
				return V(VERB_WRITEBACK);
	default:		return V_ALL;
	}
}

const char *verb_name(enum verb verb)
{
	return verbs[verb];
}

static int verb_by_name(const char *s)
{
	int v;

	for (v = VERB_LIST; v <= VERB_VERSION; v++)
		if (!strcmp(s, verbs[v]))
			return v;
	/* Short forms people will type anyway. */
	if (!strcmp(s, "rm") || !strcmp(s, "del") || !strcmp(s, "delete"))
		return VERB_REMOVE;
	if (!strcmp(s, "ls"))
		return VERB_LIST;
	return -1;
}

#define usage_err(...) ({ snprintf(err, errlen, __VA_ARGS__); EXIT_USAGE; })

static int size_arg(const char *opt, const char *s, uint64_t *v, char *err,
		    size_t errlen)
{
	int r = parse_size(s, v);

	if (r == -ERANGE)
		return usage_err("%s: size out of range: '%s'", opt, s);
	if (r)
		return usage_err("%s: bad size '%s' (bytes, or a number with "
				 "K, M, G or T: powers of 1024)", opt, s);
	return 0;
}

static int limit_arg(const char *opt, const char *s, uint64_t *v, char *err,
		     size_t errlen)
{
	int r = parse_limit(s, v);

	if (r == -ERANGE)
		return usage_err("%s: size out of range: '%s'", opt, s);
	if (r)
		return usage_err("%s: bad limit '%s' (none, bytes, or a number "
				 "with K, M, G or T: powers of 1024)", opt, s);
	return 0;
}

static int age_arg(const char *s, unsigned int *v, char *err, size_t errlen)
{
	if (s[0] < '0' || s[0] > '0' + RAMZSWAP_IDLE_AGE_MAX || s[1])
		return usage_err("--min-age: an idle age from 0 to %d, not '%s'",
				 RAMZSWAP_IDLE_AGE_MAX, s);
	*v = (unsigned int)(s[0] - '0');
	return 0;
}

static int u32_arg(const char *opt, const char *s, uint32_t *v, char *err,
		   size_t errlen)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return usage_err("%s: not a number: '%s'", opt, s);
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end)
		return usage_err("%s: not a number: '%s'", opt, s);
	if (errno == ERANGE || n > UINT32_MAX)
		return usage_err("%s: out of range: '%s'", opt, s);
	*v = (uint32_t)n;
	return 0;
}

static int device_arg(const char *s, uint32_t *index, char *err, size_t errlen)
{
	int r = parse_device(s, index);

	if (r == -ERANGE)
		return usage_err("device number out of range (0-%d): '%s'",
				 RAMZSWAP_MAX_DEVICES - 1, s);
	if (r)
		return usage_err("not a ramzswap device: '%s' (give ramzswapN, "
				 "/dev/ramzswapN or N)", s);
	return 0;
}

/* getopt leaves the culprit in argv[optind - 1], or optopt for -x. */
static int unknown_opt(const char *arg, const struct option *opts, char *err,
		       size_t errlen)
{
	if (arg[0] == '-' && arg[1] == '-') {
		int len = (int)strcspn(arg, "=");

		for (; arg[len] && opts->name; opts++)
			if ((int)strlen(opts->name) == len - 2 &&
			    !strncmp(opts->name, arg + 2, (size_t)len - 2))
				return usage_err("option '%.*s' takes no value",
						 len, arg);
		return usage_err("unknown option '%.*s'", len, arg);
	}
	if (optopt)
		return usage_err("unknown option '-%c'", optopt);
	return usage_err("unknown option '%s'", arg);
}

/* The option's name as typed, for messages. */
static const char *opt_text(int opt)
{
	const struct option *o;
	static char shortname[3];

	for (o = long_opts; o->name; o++)
		if (o->val == opt)
			return o->name;
	shortname[0] = '-';
	shortname[1] = (char)opt;
	return shortname;
}

/* "--disksize only applies to: init" */
static int not_for_verb(enum verb verb, int opt, char *err, size_t errlen)
{
	unsigned int mask = opt_verbs(opt);
	size_t n = 0;
	int v;

	n += (size_t)snprintf(err, errlen, "option --%s only applies to:",
			      opt_text(opt));
	for (v = VERB_LIST; v <= VERB_MONITOR && n < errlen; v++)
		if (mask & V(v))
			n += (size_t)snprintf(err + n, errlen - n, " %s",
					      v == VERB_LIST ? "the listing" : verbs[v]);
	if (n < errlen)
		snprintf(err + n, errlen - n, " (not %s)", verb == VERB_LIST ?
			 "the listing" : verbs[verb]);
	return EXIT_USAGE;
}

static int check_positionals(struct cmd *cmd, char **pos, size_t npos,
			     char *err, size_t errlen)
{
	const char *v = verbs[cmd->verb];
	size_t i;
	int r;

	switch (cmd->verb) {
	case VERB_LIST:
	case VERB_STATS:
		if (npos > MAX_DEVS)
			return usage_err("%s: at most %d devices", v, MAX_DEVS);
		for (i = 0; i < npos; i++) {
			r = device_arg(pos[i], &cmd->devs[i], err, errlen);
			if (r)
				return r;
		}
		cmd->nr_devs = npos;
		return 0;
	case VERB_ADD:
		if (npos > 1)
			return usage_err("add: too many arguments");
		cmd->index = -1;
		if (npos) {
			uint32_t idx;

			r = device_arg(pos[0], &idx, err, errlen);
			if (r)
				return r;
			cmd->index = (int)idx;
		}
		return 0;
	case VERB_REMOVE:
	case VERB_INIT:
	case VERB_SET:
	case VERB_RESET:
	case VERB_COMPACT:
	case VERB_IDLE:
	case VERB_WRITEBACK: {
		uint32_t idx;

		if (npos != 1)
			return usage_err("%s: needs %s device", v,
					 npos ? "exactly one" : "a");
		r = device_arg(pos[0], &idx, err, errlen);
		if (r)
			return r;
		cmd->index = (int)idx;
		return 0;
	}
	case VERB_HELP:
		if (npos > 1)
			return usage_err("help: too many arguments");
		if (npos) {
			if (verb_by_name(pos[0]) < 0)
				return usage_err("help: no such command: '%s'",
						 pos[0]);
			cmd->help_topic = pos[0];
		}
		return 0;
	default:
		if (npos)
			return usage_err("%s: unexpected argument '%s'", v, pos[0]);
		return 0;
	}
}

static int check_init(struct cmd *cmd, bool has_disksize, char *err,
		      size_t errlen)
{
	if (cmd->verb == VERB_INIT) {
		if (!has_disksize)
			return usage_err("init: --disksize is required");
		if (!cmd->init.disksize)
			return usage_err("--disksize: must not be zero");
		if (cmd->init.disksize > RAMZSWAP_DISKSIZE_MAX)
			return usage_err("--disksize: larger than the maximum "
					 "(1P = %llu bytes)",
					 (unsigned long long)RAMZSWAP_DISKSIZE_MAX);
		if (cmd->has_memlimit)
			cmd->init.flags |= RZS_INIT_MEMLIMIT;
		if (cmd->has_wb_limit && !cmd->backing_dev[0])
			return usage_err("--writeback-limit: needs --backing-dev "
					 "(a limit of writeback to nowhere)");
		if (cmd->backing_dev[0]) {
			cmd->init.backing_dev = cmd->backing_dev;
			cmd->init.flags |= RZS_INIT_BACKING_DEV;
		}
		if (cmd->has_wb_limit)
			cmd->init.flags |= RZS_INIT_WB_LIMIT;
	}
	if (cmd->verb == VERB_SET && !cmd->has_memlimit && !cmd->has_wb_limit)
		return usage_err("set: give --memlimit or --writeback-limit");
	return 0;
}

/* writeback: what to move; --max in bytes becomes whole pages. */
static int check_writeback(struct cmd *cmd, bool has_min_age,
			   uint64_t max_bytes, char *err, size_t errlen)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	if (cmd->verb == VERB_IDLE)
		return 0;
	if (cmd->verb != VERB_WRITEBACK) {
		cmd->min_age = 0;
		return 0;
	}
	if (!cmd->wb_kinds)
		return usage_err("writeback: give --idle, --huge or "
				 "--incompressible (or more than one)");
	if (has_min_age && !(cmd->wb_kinds & RZS_WB_IDLE))
		return usage_err("--min-age: applies to --idle pages only");
	if (!has_min_age)
		cmd->min_age = 1;
	if (max_bytes) {
		cmd->wb_max_pages = max_bytes / page;
		if (!cmd->wb_max_pages)
			return usage_err("--max: less than a page (%llu bytes)",
					 (unsigned long long)page);
	}
	return 0;
}

int rzsctl_parse(int argc, char **argv, struct cmd *cmd, char *err, size_t errlen)
{
	char *pos[MAX_DEVS + 2];
	size_t npos = 0;
	int given[64], ngiven = 0;	/* checked against the verb */
	bool has_disksize = false, output_all = false, has_min_age = false;
	bool has_max = false;
	uint64_t max_bytes = 0;
	const char *output[MAX_COLUMNS];
	size_t noutput = 0;
	int opt, r, i;

	memset(cmd, 0, sizeof(*cmd));
	cmd->verb = VERB_LIST;
	cmd->index = -1;
	if (argc > 1 && !strcmp(argv[1], "--compat"))
		return rzsctl_parse_compat(argc - 1, argv + 1, cmd, err, errlen);

	/*
	 * "+": stop at each non-option so positionals are collected in
	 * order and options may follow them; optind = 0 resets getopt for
	 * repeated calls (the tests parse many command lines).
	 */
	opterr = 0;
	optind = 0;
	for (;;) {
		opt = getopt_long(argc, argv, short_opts, long_opts, NULL);
		if (opt == -1) {
			if (optind >= argc)
				break;
			if (npos == MAX_DEVS + 2)
				return usage_err("too many arguments");
			pos[npos++] = argv[optind++];
			continue;
		}
		switch (opt) {
		case '?':
			return unknown_opt(argv[optind - 1], long_opts, err, errlen);
		case ':':
			return usage_err("option '%s' needs a value",
					 argv[optind - 1]);
		case OPT_COMPAT:
			return usage_err("--compat must come first");
		case 'J':
			cmd->out |= OUT_JSON;
			break;
		case 'r':
			cmd->out |= OUT_RAW;
			break;
		case 'b':
			cmd->out |= OUT_BYTES;
			break;
		case 'n':
			cmd->out |= OUT_NOHEAD;
			break;
		case 'o':
			if (noutput == MAX_COLUMNS)
				return usage_err("--output: given too often");
			output[noutput++] = optarg;
			break;
		case OPT_OUTPUT_ALL:
			output_all = true;
			break;
		case 's':
			r = size_arg("--disksize", optarg, &cmd->init.disksize,
				     err, errlen);
			if (r)
				return r;
			has_disksize = true;
			break;
		case 'a':
			if (!*optarg)
				return usage_err("--algorithm: empty name");
			if (strlen(optarg) >= sizeof(cmd->algorithm))
				return usage_err("--algorithm: name too long: '%s'",
						 optarg);
			strcpy(cmd->algorithm, optarg);
			cmd->init.algorithm = cmd->algorithm;
			cmd->init.flags |= RZS_INIT_ALGORITHM;
			break;
		case 'l':
			r = u32_arg("--level", optarg, &cmd->init.level, err,
				    errlen);
			if (r)
				return r;
			cmd->init.flags |= RZS_INIT_LEVEL;
			break;
		case 'm':
			r = size_arg("--memlimit", optarg, &cmd->init.memlimit,
				     err, errlen);
			if (r)
				return r;
			cmd->has_memlimit = true;
			break;
		case OPT_BACKING_DEV:
			if (!*optarg)
				return usage_err("--backing-dev: empty path");
			if (strlen(optarg) >= sizeof(cmd->backing_dev))
				return usage_err("--backing-dev: path too long (at "
						 "most %d characters)",
						 RAMZSWAP_BACKING_DEV_MAX - 1);
			strcpy(cmd->backing_dev, optarg);
			break;
		case OPT_WB_LIMIT:
			r = limit_arg("--writeback-limit", optarg,
				      &cmd->init.wb_limit, err, errlen);
			if (r)
				return r;
			cmd->has_wb_limit = true;
			break;
		case OPT_MIN_AGE:
			r = age_arg(optarg, &cmd->min_age, err, errlen);
			if (r)
				return r;
			has_min_age = true;
			break;
		case OPT_IDLE:
			cmd->wb_kinds |= RZS_WB_IDLE;
			break;
		case OPT_HUGE:
			cmd->wb_kinds |= RZS_WB_HUGE;
			break;
		case OPT_INCOMPRESSIBLE:
			cmd->wb_kinds |= RZS_WB_INCOMPRESSIBLE;
			break;
		case OPT_MAX:
			r = size_arg("--max", optarg, &max_bytes, err, errlen);
			if (r)
				return r;
			if (!max_bytes)
				return usage_err("--max: must not be zero");
			has_max = true;
			break;
		case 'h':
			cmd->verb = VERB_HELP;
			return 0;
		case 'V':
			cmd->verb = VERB_VERSION;
			return 0;
		}
		if (ngiven == (int)(sizeof(given) / sizeof(given[0])))
			return usage_err("too many options");
		given[ngiven++] = opt;
	}

	if (npos) {
		r = verb_by_name(pos[0]);
		if (r >= 0) {
			cmd->verb = (enum verb)r;
			memmove(pos, pos + 1, --npos * sizeof(pos[0]));
		}
	}
	if (cmd->verb == VERB_HELP || cmd->verb == VERB_VERSION) {
		r = check_positionals(cmd, pos, npos, err, errlen);
		return r;
	}
	for (i = 0; i < ngiven; i++)
		if (!(opt_verbs(given[i]) & V(cmd->verb)))
			return not_for_verb(cmd->verb, given[i], err, errlen);

	r = check_positionals(cmd, pos, npos, err, errlen);
	if (r)
		return r;
	r = check_init(cmd, has_disksize, err, errlen);
	if (r)
		return r;
	r = check_writeback(cmd, has_min_age, has_max ? max_bytes : 0, err,
			    errlen);
	if (r)
		return r;

	if ((cmd->out & OUT_JSON) && (cmd->out & OUT_RAW))
		return usage_err("--json and --raw exclude each other");
	if (output_all && noutput)
		return usage_err("--output and --output-all exclude each other");
	if (output_all) {
		for (i = 0; i < (int)nr_columns; i++)
			cmd->columns[i] = i;
		cmd->nr_columns = nr_columns;
	}
	for (i = 0; i < (int)noutput; i++) {
		r = parse_columns(output[i], cmd, err, errlen);
		if (r)
			return r;
	}
	return 0;
}

/* ---- rzscontrol -------------------------------------------------------- */

static const struct option compat_opts[] = {
	{ "disksize_kb",	required_argument,	NULL, 'd' },
	{ "memlimit_kb",	required_argument,	NULL, 'm' },
	{ "backing_swap",	required_argument,	NULL, 'b' },
	{ "init",		no_argument,		NULL, 'i' },
	{ "reset",		no_argument,		NULL, 'r' },
	{ "stats",		no_argument,		NULL, 's' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* rzscontrol sizes: a plain count of KiB. */
static int kb_arg(const char *opt, const char *s, uint64_t *bytes, char *err,
		  size_t errlen)
{
	unsigned long long kb;
	char *end;

	if (*s < '0' || *s > '9')
		return usage_err("%s: not a number of kB: '%s'", opt, s);
	errno = 0;
	kb = strtoull(s, &end, 10);
	if (*end)
		return usage_err("%s: not a number of kB: '%s'", opt, s);
	if (errno == ERANGE || kb > UINT64_MAX / 1024)
		return usage_err("%s: out of range: '%s'", opt, s);
	*bytes = kb * 1024;
	return 0;
}

int rzsctl_parse_compat(int argc, char **argv, struct cmd *cmd, char *err,
			size_t errlen)
{
	char *dev = NULL;
	int opt, r;

	memset(cmd, 0, sizeof(*cmd));
	cmd->verb = VERB_COMPAT;
	cmd->index = -1;
	opterr = 0;
	optind = 0;
	for (;;) {
		opt = getopt_long(argc, argv, "+:m:d:b:irsvh", compat_opts, NULL);
		if (opt == -1) {
			if (optind >= argc)
				break;
			if (dev)
				return usage_err("unexpected argument '%s'",
						 argv[optind]);
			dev = argv[optind++];
			continue;
		}
		switch (opt) {
		case '?':
			return unknown_opt(argv[optind - 1], compat_opts, err, errlen);
		case ':':
			return usage_err("option '%s' needs a value",
					 argv[optind - 1]);
		case 'd':
			r = kb_arg("--disksize_kb", optarg, &cmd->compat_disksize,
				   err, errlen);
			if (r)
				return r;
			if (!cmd->compat_disksize)
				return usage_err("--disksize_kb: must not be zero");
			break;
		case 'm':
			r = kb_arg("--memlimit_kb", optarg, &cmd->init.memlimit,
				   err, errlen);
			if (r)
				return r;
			cmd->has_memlimit = true;
			break;
		case 'b':
			return usage_err("--backing_swap: not supported by ramzswap");
		case 'i':
			cmd->compat |= COMPAT_INIT;
			break;
		case 'r':
			cmd->compat |= COMPAT_RESET;
			break;
		case 's':
			cmd->compat |= COMPAT_STATS;
			break;
		case 'v':
			cmd->compat |= COMPAT_VERBOSE;
			break;
		case 'h':
			cmd->verb = VERB_HELP;
			cmd->help_topic = "--compat";
			return 0;
		}
	}
	if (!dev)
		return usage_err("no device given (e.g. rzscontrol /dev/ramzswap0 --init)");
	{
		uint32_t idx;

		r = device_arg(dev, &idx, err, errlen);
		if (r)
			return r;
		cmd->index = (int)idx;
	}
	/*
	 * The seed kept a disk size for a later --init; the kernel keeps no
	 * such half state, so both must come in the same call.
	 */
	if (cmd->compat_disksize && !(cmd->compat & COMPAT_INIT))
		return usage_err("--disksize_kb needs --init in the same call");
	if (!(cmd->compat & (COMPAT_INIT | COMPAT_RESET | COMPAT_STATS)) &&
	    !cmd->has_memlimit)
		return usage_err("nothing to do: give --init, --reset or --stats");
	if (cmd->compat_disksize > RAMZSWAP_DISKSIZE_MAX)
		return usage_err("--disksize_kb: larger than the maximum (1P)");
	return 0;
}
