// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rzsd: applies /etc/ramzswap.conf to the ramzswap devices and keeps
 * watching them.  See rzsd(8) and ramzswap.conf(5).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "module.h"
#include "rzsd.h"

#ifndef RZSD_VERSION
#define RZSD_VERSION "unknown"
#endif

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: rzsd [OPTIONS]\n"
		"       rzsd --check [FILE]\n"
		"\n"
		"Sets up the ramzswap swap devices of " RZSD_CONF_PATH " and its\n"
		"drop-ins, reloads on SIGHUP, tears down on SIGTERM.\n"
		"\n"
		"  -c, --config FILE      read FILE and FILE.d/*.conf (default " RZSD_CONF_PATH ")\n"
		"      --check            validate the configuration, change nothing;\n"
		"                         exit 0 if it is valid, 1 if not\n"
		"      --log-prefix=yes|no  sd-daemon <N> priority prefixes on stderr\n"
		"                         (default: yes unless stderr is a terminal)\n"
		"  -h, --help             this text\n"
		"  -V, --version          the version\n");
}

static char *dropin_of(const char *path)
{
	char *d;

	if (asprintf(&d, "%s.d", path) < 0)
		return NULL;
	return d;
}

/*
 * --check: parse and resolve only.  The module's algorithm list is used
 * when the module is already loaded; rzsd does not load it for a check
 * (the family lookup would autoload it), so the check changes nothing.
 */
static int check(struct rzsd *d)
{
	struct conf_errors errs;
	struct conf_env env;
	struct conf conf;
	size_t i;
	int ret;

	if (module_loaded() && rzs_open(&d->ctx))
		d->ctx = NULL;
	ret = rzsd_env(d, &env);
	if (ret) {
		fprintf(stderr, "rzsd: cannot read /proc/meminfo\n");
		return 1;
	}
	ret = conf_load(d->conf_path, d->dropin_dir, &env, &conf, &errs);
	rzsd_env_free(&env);
	if (d->ctx)
		rzs_close(d->ctx);
	if (ret) {
		for (i = 0; i < errs.nr; i++)
			fprintf(stderr, "%s\n", errs.msgs[i]);
		conf_errors_free(&errs);
		return 1;
	}
	printf("%s: valid, %zu file%s, %zu device%s\n", d->conf_path,
	       conf.nr_files, conf.nr_files == 1 ? "" : "s", conf.nr,
	       conf.nr == 1 ? "" : "s");
	conf_dump(&conf, stdout);
	conf_free(&conf);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config",	required_argument, NULL, 'c' },
		{ "check",	no_argument,	   NULL, 'k' },
		{ "log-prefix",	required_argument, NULL, 'p' },
		{ "help",	no_argument,	   NULL, 'h' },
		{ "version",	no_argument,	   NULL, 'V' },
		{ 0 }
	};
	static struct rzsd d;	/* large: not on the stack */
	int c, do_check = 0, prefix = -1, ret;
	char *dropin;

	d.conf_path = RZSD_CONF_PATH;
	while ((c = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			d.conf_path = optarg;
			break;
		case 'k':
			do_check = 1;
			break;
		case 'p':
			if (!strcmp(optarg, "yes"))
				prefix = 1;
			else if (!strcmp(optarg, "no"))
				prefix = 0;
			else {
				fprintf(stderr, "rzsd: --log-prefix takes yes or no\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("rzsd %s\n", RZSD_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (do_check && optind < argc)
		d.conf_path = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "rzsd: unexpected argument \"%s\"\n", argv[optind]);
		usage(stderr);
		return 2;
	}
	dropin = dropin_of(d.conf_path);
	if (!dropin)
		return 1;
	d.dropin_dir = dropin;

	if (do_check) {
		ret = check(&d);
		free(dropin);
		return ret;
	}

	log_init(prefix);
	ret = module_open_ctx(&d.ctx);
	if (ret) {
		log_err("cannot reach the ramzswap module: %s", strerror(-ret));
		free(dropin);
		return 1;
	}
	ret = rzsd_run(&d);
	if (d.mon)
		rzs_monitor_close(d.mon);
	rzs_close(d.ctx);
	conf_free(&d.cur);
	free(dropin);
	return ret;
}
