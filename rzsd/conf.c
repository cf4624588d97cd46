// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading ramzswap.conf.  inih does the INI syntax; this file decides what
 * the sections and keys mean.
 *
 * Precedence: a key in a device's own section beats the same key in
 * [default], wherever the two appear; between two settings of the same
 * key in the same kind of section, the later file wins (drop-ins are read
 * after the main file, in strcmp order of their names).  Within one file a
 * section or a key may appear only once: a repeat is almost always a
 * copy-and-paste mistake, and refusing it costs nothing.
 *
 * Any error refuses the whole configuration; every error found is
 * reported as "file:line: message".
 */
#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf.h"
#include "expr.h"

#define RAMZSWAP_DISKSIZE_MAX	(1ULL << 50)	/* uapi: the module's limit */

enum key_id {
	K_DISKSIZE,
	K_ALGORITHM,
	K_LEVEL,
	K_MEMLIMIT,
	K_PRIORITY,
	K_DISCARD,
	K_HOST_MEMORY_LIMIT,
	K_TEARDOWN,
	K_BACKING_DEVICE,
	K_WRITEBACK,
	K_WRITEBACK_AFTER,
	K_WRITEBACK_LIMIT,
	NR_KEYS
};

static const char *const key_names[NR_KEYS] = {
	[K_DISKSIZE]		= "disksize",
	[K_ALGORITHM]		= "algorithm",
	[K_LEVEL]		= "level",
	[K_MEMLIMIT]		= "memlimit",
	[K_PRIORITY]		= "swap-priority",
	[K_DISCARD]		= "discard",
	[K_HOST_MEMORY_LIMIT]	= "host-memory-limit",
	[K_TEARDOWN]		= "teardown-on-stop",
	[K_BACKING_DEVICE]	= "backing-device",
	[K_WRITEBACK]		= "writeback",
	[K_WRITEBACK_AFTER]	= "writeback-after",
	[K_WRITEBACK_LIMIT]	= "writeback-limit",
};

/* zram-generator's names: say what ours are instead of "unknown key". */
static const struct {
	const char *theirs, *ours;
} key_hints[] = {
	{ "zram-size", "disksize" },
	{ "compression-algorithm", "algorithm" },
	{ "zram-resident-limit", "memlimit" },
	{ "memory-limit", "host-memory-limit" },
	{ "priority", "swap-priority" },
	{ "size", "disksize" },
	{ "writeback_device", "backing-device" },	/* zram's sysfs name */
	{ "backing_dev", "backing-device" },
	{ "backing-dev", "backing-device" },
	{ "writeback-device", "backing-device" },
	{ "writeback_limit", "writeback-limit" },
	{ "idle-after", "writeback-after" },
};

/* One key's setting, already parsed: the value that goes with its type. */
struct setting {
	bool set;
	const char *file;	/* interned in struct load */
	unsigned int line;
	uint64_t bytes;		/* sizes; UINT64_MAX: "none" */
	long num;		/* level, priority, discard, teardown, kinds */
	char alg[RZS_ALGORITHM_MAX];
	char path[RZS_BACKING_DEV_MAX];	/* backing-device; "": none */
	uint64_t ms;		/* writeback-after */
	struct tier_limit limit;	/* writeback-limit */
};

/* Section 0 is [default], section i + 1 is [ramzswap<i>]. */
#define NR_SECTIONS	(RZSD_MAX_DEVICES + 1)
#define SEC_NONE	(-2)	/* before the first section header */
#define SEC_BAD		(-1)	/* inside a refused section: ignore keys */

struct section {
	bool seen;
	char where[64];		/* first header: "file:line" */
	struct setting keys[NR_KEYS];
};

struct load {
	const struct conf_env *env;
	struct conf_errors *errs;
	struct section *secs;
	FILE *f;
	const char *file;
	unsigned int line;
	bool line_open;		/* the last chunk read did not end a line */
	int cur;		/* section index, SEC_NONE or SEC_BAD */
	unsigned int *first_line;	/* per section: header line in file */
	char **files;		/* every file name read, freed at the end */
	size_t nr_files;
};

static const struct conf_alg builtin_algs[] = {
	{ "lzo-rle",	0,  0,     0 },
	{ "lzo",	0,  0,     0 },
	{ "lz4",	1,  65537, 1 },
	{ "lz4hc",	3,  12,    9 },
	{ "zstd",	1,  19,    3 },
};

const struct conf_alg *conf_builtin_algs(size_t *nr)
{
	*nr = sizeof(builtin_algs) / sizeof(builtin_algs[0]);
	return builtin_algs;
}

static void add_error(struct conf_errors *errs, const char *file,
		      unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void add_error(struct conf_errors *errs, const char *file,
		      unsigned int line, const char *fmt, ...)
{
	char msg[512], *full, **msgs;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line)
		n = asprintf(&full, "%s:%u: %s", file, line, msg);
	else
		n = asprintf(&full, "%s: %s", file, msg);
	msgs = realloc(errs->msgs, (errs->nr + 1) * sizeof(*msgs));
	if (n < 0 || !msgs) {
		/* Out of memory: still refuse, with what we can say. */
		if (n >= 0)
			free(full);
		if (msgs)
			errs->msgs = msgs;
		if (!msgs)
			return;
		full = strdup("out of memory");
		if (!full)
			return;
	}
	errs->msgs = msgs;
	errs->msgs[errs->nr++] = full;
}

static const char *section_name(int sec, char *buf, size_t len)
{
	if (sec == 0)
		return "[default]";
	snprintf(buf, len, "[ramzswap%d]", sec - 1);
	return buf;
}

/* "default" -> 0, "ramzswapN" -> N + 1, else -1.  No leading zeros. */
static int section_id(const char *name)
{
	const char *d;
	unsigned long n;
	char *end;

	if (!strcmp(name, "default"))
		return 0;
	if (strncmp(name, "ramzswap", 8))
		return -1;
	d = name + 8;
	if (*d < '0' || *d > '9' || (d[0] == '0' && d[1]))
		return -1;
	errno = 0;
	n = strtoul(d, &end, 10);
	if (errno || *end || n >= RZSD_MAX_DEVICES)
		return -1;
	return (int)n + 1;
}

/* A "[name]" line, seen by the reader before inih parses it. */
static void section_start(struct load *ld, const char *line)
{
	const char *close = strchr(line, ']');
	char name[128], buf[32];
	size_t n;
	int id;

	if (!close)
		return;		/* inih reports the syntax error */
	line++;
	while (*line == ' ' || *line == '\t')
		line++;
	n = (size_t)(close - line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, line, n);
	name[n] = '\0';

	id = section_id(name);
	if (id < 0) {
		add_error(ld->errs, ld->file, ld->line,
			  "unknown section [%s]: expected [default] or [ramzswapN] with N from 0 to %d",
			  name, RZSD_MAX_DEVICES - 1);
		ld->cur = SEC_BAD;
		return;
	}
	if (ld->first_line[id]) {
		add_error(ld->errs, ld->file, ld->line,
			  "section %s appears twice in this file (first at line %u)",
			  section_name(id, buf, sizeof(buf)), ld->first_line[id]);
		ld->cur = SEC_BAD;
		return;
	}
	ld->first_line[id] = ld->line;
	if (!ld->secs[id].seen) {
		ld->secs[id].seen = true;
		snprintf(ld->secs[id].where, sizeof(ld->secs[id].where),
			 "%s:%u", ld->file, ld->line);
	}
	ld->cur = id;
}

/*
 * inih's line source.  It counts lines (inih does not hand them to the
 * handler), strips leading blanks so that an indented key is a key and
 * never an inih continuation line, and sees section headers, which inih
 * does not report when a section is empty.
 */
static char *reader(char *buf, int size, void *stream)
{
	struct load *ld = stream;
	size_t len, skip;
	int c;

	if (!fgets(buf, size, ld->f))
		return NULL;
	ld->line++;
	len = strlen(buf);
	if (len && buf[len - 1] != '\n' && !feof(ld->f)) {
		add_error(ld->errs, ld->file, ld->line,
			  "line too long (at most %d characters)", size - 2);
		do
			c = fgetc(ld->f);
		while (c != EOF && c != '\n');
		strcpy(buf, "\n");
		return buf;
	}
	skip = 0;
	if (ld->line == 1 && !strncmp(buf, "\xEF\xBB\xBF", 3))
		skip = 3;
	skip += strspn(buf + skip, " \t\r");
	memmove(buf, buf + skip, len - skip + 1);
	if (buf[0] == '[')
		section_start(ld, buf);
	return buf;
}

static int parse_long(const char *v, long min, long max, long *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

static int parse_bool(const char *v)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < 4; i++) {
		if (!strcmp(v, yes[i]))
			return 1;
		if (!strcmp(v, no[i]))
			return 0;
	}
	return -1;
}

static const struct conf_alg *find_alg(const struct conf_env *env,
				       const char *name)
{
	const struct conf_alg *algs = env->algs;
	size_t i, nr = env->nr_algs;

	if (!algs)
		algs = conf_builtin_algs(&nr);
	for (i = 0; i < nr; i++)
		if (!strcmp(algs[i].name, name))
			return &algs[i];
	return NULL;
}

static void alg_list(const struct conf_env *env, char *buf, size_t len)
{
	const struct conf_alg *algs = env->algs;
	size_t i, nr = env->nr_algs, off = 0;

	if (!algs)
		algs = conf_builtin_algs(&nr);
	buf[0] = '\0';
	for (i = 0; i < nr && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
					i ? ", " : "", algs[i].name);
}

/* Parses value into st; 0, or -1 with the reason in err. */
static int parse_value(struct load *ld, enum key_id k, const char *v,
		       struct setting *st, char *err, size_t errlen)
{
	char list[128];
	int b;

	switch (k) {
	case K_MEMLIMIT:
	case K_HOST_MEMORY_LIMIT:
		if (!strcmp(v, "none")) {
			st->bytes = UINT64_MAX;
			return 0;
		}
		/* fall through */
	case K_DISKSIZE:
		return expr_eval_size(v, ld->env->ram, &st->bytes, err, errlen);
	case K_ALGORITHM:
		if (strlen(v) >= sizeof(st->alg) || !find_alg(ld->env, v)) {
			alg_list(ld->env, list, sizeof(list));
			snprintf(err, errlen,
				 "unknown algorithm \"%s\": the module offers %s",
				 v, list);
			return -1;
		}
		strcpy(st->alg, v);
		return 0;
	case K_LEVEL:
		if (!strcmp(v, "default")) {
			st->num = 0;
			return 0;
		}
		if (parse_long(v, 1, UINT32_MAX, &st->num)) {
			snprintf(err, errlen,
				 "\"%s\" is not a level: a positive whole number or \"default\"",
				 v);
			return -1;
		}
		return 0;
	case K_PRIORITY:
		if (parse_long(v, -1, 32767, &st->num)) {
			snprintf(err, errlen,
				 "\"%s\" is not a swap priority: a whole number from -1 to 32767",
				 v);
			return -1;
		}
		return 0;
	case K_DISCARD:
		if (!strcmp(v, "no"))
			st->num = DISCARD_NO;
		else if (!strcmp(v, "yes"))
			st->num = DISCARD_YES;
		else if (!strcmp(v, "once"))
			st->num = DISCARD_ONCE;
		else if (!strcmp(v, "pages"))
			st->num = DISCARD_PAGES;
		else {
			snprintf(err, errlen,
				 "\"%s\" is not a discard policy: yes, no, once or pages",
				 v);
			return -1;
		}
		return 0;
	case K_TEARDOWN:
		b = parse_bool(v);
		if (b < 0) {
			snprintf(err, errlen, "\"%s\" is not yes or no", v);
			return -1;
		}
		st->num = b;
		return 0;
	case K_BACKING_DEVICE:
		if (!strcmp(v, "none")) {
			st->path[0] = '\0';
			return 0;
		}
		if (v[0] != '/') {
			snprintf(err, errlen,
				 "\"%s\" is not an absolute path: a block device such as /dev/disk/by-partlabel/NAME, or none",
				 v);
			return -1;
		}
		if (strlen(v) >= sizeof(st->path)) {
			snprintf(err, errlen, "path too long (at most %zu characters)",
				 sizeof(st->path) - 1);
			return -1;
		}
		strcpy(st->path, v);
		return 0;
	case K_WRITEBACK: {
		uint32_t kinds;

		if (tier_parse_kinds(v, &kinds, err, errlen))
			return -1;
		st->num = kinds;
		return 0;
	}
	case K_WRITEBACK_AFTER:
		return tier_parse_duration(v, &st->ms, err, errlen);
	case K_WRITEBACK_LIMIT:
		return tier_parse_limit(v, ld->env->ram, &st->limit, err, errlen);
	case NR_KEYS:
		break;
	}
	return -1;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct load *ld = user;
	struct setting *st, tmp = { 0 };
	char err[384], buf[32];
	size_t i;
	int k;

	if (ld->cur == SEC_BAD)
		return 1;
	if (ld->cur == SEC_NONE) {
		add_error(ld->errs, ld->file, ld->line,
			  "\"%s\" is outside any section: put it under [default] or [ramzswapN]",
			  name);
		return 1;
	}
	for (k = 0; k < NR_KEYS; k++)
		if (!strcmp(name, key_names[k]))
			break;
	if (k == NR_KEYS) {
		for (i = 0; i < sizeof(key_hints) / sizeof(key_hints[0]); i++) {
			if (!strcmp(name, key_hints[i].theirs)) {
				add_error(ld->errs, ld->file, ld->line,
					  "unknown key \"%s\": did you mean \"%s\"?",
					  name, key_hints[i].ours);
				return 1;
			}
		}
		add_error(ld->errs, ld->file, ld->line,
			  "unknown key \"%s\" in %s", name,
			  section_name(ld->cur, buf, sizeof(buf)));
		return 1;
	}
	st = &ld->secs[ld->cur].keys[k];
	if (st->set && st->file == ld->file) {
		add_error(ld->errs, ld->file, ld->line,
			  "%s is set twice in %s (first at line %u)", name,
			  section_name(ld->cur, buf, sizeof(buf)), st->line);
		return 1;
	}
	if (!*value) {
		add_error(ld->errs, ld->file, ld->line, "%s: empty value", name);
		return 1;
	}
	if (parse_value(ld, (enum key_id)k, value, &tmp, err, sizeof(err))) {
		add_error(ld->errs, ld->file, ld->line, "%s = %s: %s", name,
			  value, err);
		return 1;
	}
	tmp.set = true;
	tmp.file = ld->file;
	tmp.line = ld->line;
	*st = tmp;
	/* inih's own return value is then only ever a syntax error. */
	return 1;
}

/*
 * inih tells of a syntax error only at the end: move its message (the
 * last) up among the file's others, which are in line order already.
 */
static void sort_by_line(struct conf_errors *errs, size_t first,
			 size_t prefix)
{
	size_t i = errs->nr - 1;
	char *last = errs->msgs[i];
	unsigned long line = strtoul(last + prefix + 1, NULL, 10);

	while (i > first &&
	       strtoul(errs->msgs[i - 1] + prefix + 1, NULL, 10) > line) {
		errs->msgs[i] = errs->msgs[i - 1];
		i--;
	}
	errs->msgs[i] = last;
}

static int load_file(struct load *ld, const char *path, bool must_exist)
{
	unsigned int first_line[NR_SECTIONS] = { 0 };
	size_t first_err;
	char **files;
	int r;

	ld->f = fopen(path, "re");
	if (!ld->f) {
		if (errno == ENOENT && !must_exist)
			return 0;
		add_error(ld->errs, path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	files = realloc(ld->files, (ld->nr_files + 1) * sizeof(*files));
	if (files) {
		ld->files = files;
		files[ld->nr_files] = strdup(path);
	}
	if (!files || !files[ld->nr_files]) {
		fclose(ld->f);
		add_error(ld->errs, path, 0, "out of memory");
		return -1;
	}
	ld->files = files;
	ld->file = files[ld->nr_files++];
	ld->line = 0;
	ld->cur = SEC_NONE;
	ld->first_line = first_line;
	first_err = ld->errs->nr;
	r = ini_parse_stream(reader, ld, handler, ld);
	if (r > 0) {
		add_error(ld->errs, ld->file, (unsigned int)r,
			  "syntax error: expected \"key = value\", \"[section]\" or a comment");
		sort_by_line(ld->errs, first_err, strlen(ld->file));
	} else if (r < 0) {
		add_error(ld->errs, ld->file, 0, "out of memory");
	}
	if (ferror(ld->f))
		add_error(ld->errs, ld->file, 0, "read error");
	fclose(ld->f);
	ld->f = NULL;
	ld->first_line = NULL;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Drop-ins: regular files named *.conf; a link to /dev/null masks one. */
static int load_dropins(struct load *ld, const char *dir)
{
	struct dirent *de;
	char **names = NULL, **tmp, *path;
	size_t nr = 0, i, len;
	struct stat stb;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		add_error(ld->errs, dir, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 6 ||
		    strcmp(de->d_name + len - 5, ".conf"))
			continue;
		tmp = realloc(names, (nr + 1) * sizeof(*names));
		if (!tmp)
			break;
		names = tmp;
		names[nr] = strdup(de->d_name);
		if (names[nr])
			nr++;
	}
	closedir(d);
	qsort(names, nr, sizeof(*names), cmp_str);
	for (i = 0; i < nr; i++) {
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0)
			continue;
		if (!stat(path, &stb) && S_ISREG(stb.st_mode))
			load_file(ld, path, true);
		free(path);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* The device's setting of k if it has one, else [default]'s, else NULL. */
static const struct setting *pick(const struct load *ld, int sec,
				  enum key_id k)
{
	if (ld->secs[sec].keys[k].set)
		return &ld->secs[sec].keys[k];
	if (ld->secs[0].keys[k].set)
		return &ld->secs[0].keys[k];
	return NULL;
}

static int add_skip(struct conf *conf, uint32_t index, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int add_skip(struct conf *conf, uint32_t index, const char *fmt, ...)
{
	struct conf_skip *s;
	va_list ap;

	s = realloc(conf->skipped, (conf->nr_skipped + 1) * sizeof(*s));
	if (!s)
		return -1;
	conf->skipped = s;
	s += conf->nr_skipped++;
	s->index = index;
	va_start(ap, fmt);
	vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	return 0;
}

/*
 * The tier keys.  writeback, writeback-after and writeback-limit mean
 * something only with a backing device: in [default] they wait for a
 * device that has one; in a device's own section without one they are an
 * error (the admin expects writeback that would never happen).  Two
 * devices cannot claim one disk.
 */
static int resolve_tier(struct load *ld, const struct conf *conf, int sec,
			struct conf_dev *d)
{
	static const enum key_id needs_disk[] = {
		K_WRITEBACK, K_WRITEBACK_AFTER, K_WRITEBACK_LIMIT,
	};
	const struct setting *st, *bd;
	size_t i;

	bd = pick(ld, sec, K_BACKING_DEVICE);
	if (!bd || !bd->path[0]) {
		for (i = 0; i < sizeof(needs_disk) / sizeof(needs_disk[0]); i++) {
			st = &ld->secs[sec].keys[needs_disk[i]];
			if (st->set) {
				add_error(ld->errs, st->file, st->line,
					  "%s for ramzswap%u: it has no backing-device to write back to",
					  key_names[needs_disk[i]], d->index);
				return -1;
			}
		}
		d->wb_limit.bytes = TIER_LIMIT_NONE;
		return 0;
	}
	for (i = 0; i < conf->nr; i++) {
		if (!strcmp(conf->devs[i].backing_dev, bd->path)) {
			add_error(ld->errs, bd->file, bd->line,
				  "backing-device %s for ramzswap%u is already ramzswap%u's",
				  bd->path, d->index, conf->devs[i].index);
			return -1;
		}
	}
	snprintf(d->backing_dev, sizeof(d->backing_dev), "%s", bd->path);
	st = pick(ld, sec, K_WRITEBACK);
	d->wb_kinds = st ? (uint32_t)st->num : RZS_WB_IDLE;
	st = pick(ld, sec, K_WRITEBACK_AFTER);
	d->wb_after_ms = st ? st->ms : TIER_AFTER_DEFAULT_MS;
	st = pick(ld, sec, K_WRITEBACK_LIMIT);
	if (st) {
		d->wb_limit = st->limit;
	} else {
		d->wb_limit.bytes = TIER_LIMIT_NONE;
		d->wb_limit.period_ms = 0;
	}
	return 0;
}

/* Turns the sections into the list of devices; errors name the key. */
static void resolve(struct load *ld, struct conf *conf)
{
	const struct conf_env *env = ld->env;
	const struct setting *st;
	const struct conf_alg *alg;
	char a[32], b[32];
	struct conf_dev *d;
	uint64_t size;
	char err[256];
	int sec;

	for (sec = 1; sec < NR_SECTIONS; sec++) {
		if (!ld->secs[sec].seen)
			continue;
		d = &conf->devs[conf->nr];
		memset(d, 0, sizeof(*d));
		d->index = (uint32_t)(sec - 1);
		snprintf(d->where, sizeof(d->where), "%s", ld->secs[sec].where);

		st = pick(ld, sec, K_HOST_MEMORY_LIMIT);
		if (st && st->bytes != UINT64_MAX && env->ram > st->bytes) {
			expr_format_size(env->ram, a, sizeof(a));
			expr_format_size(st->bytes, b, sizeof(b));
			add_skip(conf, d->index,
				 "this machine has %s of RAM, more than host-memory-limit %s (%s:%u)",
				 a, b, st->file, st->line);
			continue;
		}

		st = pick(ld, sec, K_DISKSIZE);
		if (st) {
			size = st->bytes;
		} else if (expr_eval_size(RZSD_DEFAULT_DISKSIZE, env->ram,
					  &size, err, sizeof(err))) {
			size = 0;	/* cannot happen: the text is ours */
		}
		if (!size) {
			add_skip(conf, d->index, "disksize is 0 (%s:%u)",
				 st ? st->file : "built-in", st ? st->line : 0);
			continue;
		}
		if (size > RAMZSWAP_DISKSIZE_MAX) {
			expr_format_size(size, a, sizeof(a));
			if (st)
				add_error(ld->errs, st->file, st->line,
					  "disksize %s for ramzswap%u is more than the module's maximum of 1.0P",
					  a, d->index);
			continue;
		}
		d->disksize = (size + env->page_size - 1) / env->page_size *
			      env->page_size;

		st = pick(ld, sec, K_MEMLIMIT);
		d->memlimit = st && st->bytes != UINT64_MAX ? st->bytes : 0;
		if (d->memlimit > RAMZSWAP_DISKSIZE_MAX) {
			expr_format_size(d->memlimit, a, sizeof(a));
			add_error(ld->errs, st->file, st->line,
				  "memlimit %s for ramzswap%u is more than the module's maximum of 1.0P",
				  a, d->index);
			continue;
		}

		st = pick(ld, sec, K_ALGORITHM);
		snprintf(d->algorithm, sizeof(d->algorithm), "%s",
			 st ? st->alg : env->default_alg ? env->default_alg :
			 "lzo-rle");
		alg = find_alg(env, d->algorithm);

		st = pick(ld, sec, K_LEVEL);
		if (st && st->num && alg && !alg->level_max) {
			add_error(ld->errs, st->file, st->line,
				  "level %ld for ramzswap%u: algorithm %s takes no level",
				  st->num, d->index, d->algorithm);
			continue;
		}
		if (st && st->num && alg &&
		    (st->num < alg->level_min || st->num > alg->level_max)) {
			add_error(ld->errs, st->file, st->line,
				  "level %ld for ramzswap%u: %s takes %u to %u",
				  st->num, d->index, d->algorithm,
				  alg->level_min, alg->level_max);
			continue;
		}
		d->level = st && st->num ? (uint32_t)st->num :
			   alg ? alg->level_default : 0;

		st = pick(ld, sec, K_PRIORITY);
		d->priority = st ? (int)st->num : RZSD_DEFAULT_PRIORITY;
		st = pick(ld, sec, K_DISCARD);
		d->discard = st ? (enum discard)st->num : DISCARD_YES;
		st = pick(ld, sec, K_TEARDOWN);
		d->teardown = st ? st->num : true;
		if (resolve_tier(ld, conf, sec, d))
			continue;
		conf->nr++;
	}
}

int conf_load(const char *path, const char *dropin_dir,
	      const struct conf_env *env, struct conf *conf,
	      struct conf_errors *errs)
{
	struct load ld = { .env = env, .errs = errs };
	size_t i;

	memset(conf, 0, sizeof(*conf));
	memset(errs, 0, sizeof(*errs));
	ld.secs = calloc(NR_SECTIONS, sizeof(*ld.secs));
	conf->devs = calloc(RZSD_MAX_DEVICES, sizeof(*conf->devs));
	if (!ld.secs || !conf->devs) {
		add_error(errs, path, 0, "out of memory");
		goto out;
	}
	load_file(&ld, path, false);
	if (dropin_dir)
		load_dropins(&ld, dropin_dir);
	conf->nr_files = ld.nr_files;
	if (!errs->nr)
		resolve(&ld, conf);
out:
	/* Messages hold copies of the names; the settings die here. */
	for (i = 0; i < ld.nr_files; i++)
		free(ld.files[i]);
	free(ld.files);
	free(ld.secs);
	if (errs->nr) {
		conf_free(conf);
		return -1;
	}
	return 0;
}

void conf_free(struct conf *conf)
{
	free(conf->devs);
	free(conf->skipped);
	memset(conf, 0, sizeof(*conf));
}

void conf_errors_free(struct conf_errors *errs)
{
	size_t i;

	for (i = 0; i < errs->nr; i++)
		free(errs->msgs[i]);
	free(errs->msgs);
	memset(errs, 0, sizeof(*errs));
}

const struct conf_dev *conf_find(const struct conf *conf, uint32_t index)
{
	size_t i;

	for (i = 0; i < conf->nr; i++)
		if (conf->devs[i].index == index)
			return &conf->devs[i];
	return NULL;
}

void conf_dump(const struct conf *conf, FILE *f)
{
	char size[32];
	size_t i;

	for (i = 0; i < conf->nr; i++) {
		const struct conf_dev *c = &conf->devs[i];

		expr_format_size(c->disksize, size, sizeof(size));
		fprintf(f, "ramzswap%u: disksize %s (%llu) algorithm %s level %u",
			c->index, size, (unsigned long long)c->disksize,
			c->algorithm, c->level);
		if (c->memlimit) {
			expr_format_size(c->memlimit, size, sizeof(size));
			fprintf(f, " memlimit %s (%llu)", size,
				(unsigned long long)c->memlimit);
		}
		fprintf(f, " swap-priority %d discard %s teardown-on-stop %s",
			c->priority, discard_name(c->discard),
			c->teardown ? "yes" : "no");
		if (c->backing_dev[0]) {
			char kinds[64], after[32], limit[64];

			tier_format_kinds(c->wb_kinds, kinds, sizeof(kinds));
			tier_format_duration(c->wb_after_ms, after, sizeof(after));
			tier_format_limit(&c->wb_limit, limit, sizeof(limit));
			fprintf(f, " backing-device %s writeback %s writeback-after %s writeback-limit %s",
				c->backing_dev, kinds, after, limit);
		}
		fputc('\n', f);
	}
	for (i = 0; i < conf->nr_skipped; i++)
		fprintf(f, "ramzswap%u: skipped: %s\n", conf->skipped[i].index,
			conf->skipped[i].why);
}

const char *discard_name(enum discard d)
{
	switch (d) {
	case DISCARD_NO:	return "no";
	case DISCARD_YES:	return "yes";
	case DISCARD_ONCE:	return "once";
	case DISCARD_PAGES:	return "pages";
	}
	return "?";
}
