// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rzsd's configuration (rzsd/conf.c) against two corpora:
 *   conf-bad/NAME.conf  (+ NAME.conf.d/)  -> NAME.expected: the exact
 *                                           "file:line: message" lines
 *   conf-good/NAME.conf (+ NAME.conf.d/)  -> NAME.expected: conf_dump()
 * each read with 8 GiB of RAM, 4 KiB pages and the built-in algorithms,
 * from inside the corpus directory so the messages name "NAME.conf".
 * RZSD_TEST_REGOLD=1 rewrites the .expected files from what is produced
 * (then read the diff: that is the review).
 */
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "../../rzsd/conf.h"

static const struct conf_env env8g = {
	.ram = 8ULL << 30,
	.page_size = 4096,
};

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	if (getdelim(&buf, &len, '\0', f) < 0) {
		free(buf);
		buf = strdup("");
	}
	fclose(f);
	return buf;
}

static int run_case(const char *name, bool good)
{
	char conf_path[256], dropin[256], exp_path[256], *want, *got = NULL;
	struct conf_errors errs;
	struct conf conf;
	size_t len = 0, i;
	FILE *out;
	int r, fails = check_failures;

	snprintf(conf_path, sizeof(conf_path), "%s.conf", name);
	snprintf(dropin, sizeof(dropin), "%s.conf.d", name);
	snprintf(exp_path, sizeof(exp_path), "%s.expected", name);
	want = slurp(exp_path);
	if (!want && getenv("RZSD_TEST_REGOLD"))
		want = strdup("");
	if (!want) {
		fprintf(stderr, "%s: no %s\n", name, exp_path);
		check_failures++;
		return 1;
	}
	out = open_memstream(&got, &len);
	r = conf_load(conf_path, dropin, &env8g, &conf, &errs);
	if (good) {
		CHECK_INT(r, 0);
		if (!r) {
			conf_dump(&conf, out);
			conf_free(&conf);
		}
	} else {
		CHECK_INT(r, -1);
		CHECK_INT(conf.nr, 0);	/* nothing half-loaded */
	}
	for (i = 0; i < errs.nr; i++)
		fprintf(out, "%s\n", errs.msgs[i]);
	conf_errors_free(&errs);
	fclose(out);
	if (strcmp(got, want) && getenv("RZSD_TEST_REGOLD")) {
		out = fopen(exp_path, "w");
		fputs(got, out);
		fclose(out);
	} else if (strcmp(got, want)) {
		fprintf(stderr, "%s: got:\n%s--- expected:\n%s---\n", conf_path,
			got, want);
		check_failures++;
	}
	check_count++;
	free(got);
	free(want);
	return check_failures != fails;
}

static int run_corpus(const char *top, const char *sub, bool good)
{
	char dir[512], *names[512], *dot;
	struct dirent *de;
	int nr = 0, i, n = 0;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/%s", top, sub);
	if (chdir(dir)) {
		perror(dir);
		check_failures++;
		return 0;
	}
	d = opendir(".");
	while (d && (de = readdir(d)) && nr < 512) {
		dot = strrchr(de->d_name, '.');
		if (dot && !strcmp(dot, ".conf"))
			names[nr++] = strndup(de->d_name, (size_t)(dot - de->d_name));
	}
	if (d)
		closedir(d);
	for (i = 0; i < nr; i++) {
		if (run_case(names[i], good))
			fprintf(stderr, "FAIL %s/%s\n", sub, names[i]);
		free(names[i]);
		n++;
	}
	return n;
}

/* What the loaded module offers decides, not the built-in list. */
static void module_algorithms(const char *top)
{
	static const struct conf_alg algs[] = {
		{ "lz4", 1, 65537, 1 },
		{ "newalg", 1, 5, 2 },
	};
	struct conf_env env = env8g;
	struct conf_errors errs;
	struct conf conf;
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/rzsd-module-algs.%d.conf", top, (int)getpid());
	env.algs = algs;
	env.nr_algs = 2;
	env.default_alg = "lz4";
	f = fopen(path, "w");
	fputs("[ramzswap0]\nalgorithm = newalg\n[ramzswap1]\n", f);
	fclose(f);
	CHECK_INT(conf_load(path, NULL, &env, &conf, &errs), 0);
	CHECK_INT(conf.nr, 2);
	if (conf.nr == 2) {
		CHECK_STR(conf.devs[0].algorithm, "newalg");
		CHECK_INT(conf.devs[0].level, 2);
		CHECK_STR(conf.devs[1].algorithm, "lz4");	/* the default */
		CHECK_INT(conf.devs[1].level, 1);
	}
	conf_free(&conf);
	f = fopen(path, "w");
	fputs("[ramzswap0]\nalgorithm = zstd\n", f);
	fclose(f);
	CHECK_INT(conf_load(path, NULL, &env, &conf, &errs), -1);
	CHECK_INT(errs.nr, 1);
	if (errs.nr)
		CHECK_HAS(errs.msgs[0],
			  ":2: algorithm = zstd: unknown algorithm \"zstd\": the module offers lz4, newalg");
	conf_errors_free(&errs);
	unlink(path);

	/* No file at all: valid, nothing to do. */
	snprintf(path, sizeof(path), "%s/does-not-exist.conf", top);
	CHECK_INT(conf_load(path, NULL, &env, &conf, &errs), 0);
	CHECK_INT(conf.nr, 0);
	conf_free(&conf);
}

int main(int argc, char **argv)
{
	char top[512];
	int bad, good;

	if (argc < 2) {
		fprintf(stderr, "usage: %s TESTS_UNIT_DIR\n", argv[0]);
		return 2;
	}
	snprintf(top, sizeof(top), "%s", argv[1]);
	bad = run_corpus(top, "conf-bad", false);
	good = run_corpus(top, "conf-good", true);
	printf("%d bad and %d good configurations\n", bad, good);
	CHECK(bad >= 20);
	CHECK(good >= 5);
	module_algorithms("/tmp");
	return test_done("rzsd_conf");
}
