// SPDX-License-Identifier: GPL-2.0
/*
 * swaptest - push checksummed, realistic anonymous memory through swap.
 *
 * Allocates N MiB of anonymous memory and fills every page with content
 * generated deterministically from (seed, page index): zero pages,
 * text-like pages, binary-like pages (slices of a real ELF file) and
 * random pages, in a configurable mix.  Pages are written in random order,
 * then read back twice in (different) random orders and compared against
 * freshly regenerated content.  Every non-zero page carries its own index
 * and the seed in its first 16 bytes, so a page returned from the wrong
 * slot is detected even when two slices have the same content.
 *
 * Exit status: 0 all pages verified, 1 mismatch, 2 usage/setup error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PAGE		4096UL
#define MAX_REPORT	10

enum kind { K_ZERO, K_TEXT, K_BIN, K_RAND, K_NR };

static const char * const kind_name[K_NR] = { "zero", "text", "bin", "rand" };

/* default mix in percent: mostly compressible, like a real workload */
static unsigned int mix[K_NR] = { 25, 40, 20, 15 };

static uint64_t seed = 1;
static unsigned char *elf;
static size_t elf_len;

static const char * const words[] = {
	"the", "of", "and", "to", "in", "is", "that", "for", "it", "as",
	"was", "with", "be", "by", "on", "not", "he", "this", "are", "or",
	"his", "from", "at", "which", "but", "have", "an", "had", "they",
	"you", "were", "their", "one", "all", "we", "can", "her", "has",
	"there", "been", "if", "more", "when", "will", "would", "who", "so",
	"memory", "page", "swap", "kernel", "device", "compressed", "block",
	"struct", "return", "static", "unsigned", "long", "error", "value",
	"function", "buffer", "allocation", "pressure", "reclaim", "slot",
	"{", "}", "(", ")", ";", "=", "->", "0x", "NULL", "int", "char",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t page_hash(size_t idx)
{
	uint64_t s = seed * 0x100000001b3ULL ^ (uint64_t)idx;

	return splitmix64(&s);
}

static enum kind page_kind(size_t idx)
{
	unsigned int r = page_hash(idx) % 100, acc = 0;
	int k;

	for (k = 0; k < K_NR; k++) {
		acc += mix[k];
		if (r < acc)
			return k;
	}
	return K_RAND;
}

static void gen_text(unsigned char *p, uint64_t st)
{
	size_t off = 0;

	while (off < PAGE) {
		uint64_t r = splitmix64(&st);
		const char *w = words[r % ARRAY_SIZE(words)];
		size_t len = strlen(w);

		if (off + len > PAGE)
			len = PAGE - off;
		memcpy(p + off, w, len);
		off += len;
		if (off < PAGE)
			p[off++] = (r >> 32) % 13 == 0 ? '\n' : ' ';
	}
}

static void gen_bin(unsigned char *p, uint64_t st)
{
	uint64_t r = splitmix64(&st);
	size_t i;

	if (elf_len >= 2 * PAGE) {
		size_t off = (r % (elf_len - PAGE)) & ~15UL;

		memcpy(p, elf + off, PAGE);
		return;
	}
	/* no ELF file: synthesize table-like binary data */
	for (i = 0; i < PAGE; i += 8) {
		uint32_t v = (uint32_t)(i / 8 + (r & 0xff));

		memcpy(p + i, &v, 4);
		v = (uint32_t)(r >> 32) & 0x00ff00ffU;
		memcpy(p + i + 4, &v, 4);
	}
}

static void gen_rand(unsigned char *p, uint64_t st)
{
	size_t i;

	for (i = 0; i < PAGE; i += 8) {
		uint64_t r = splitmix64(&st);

		memcpy(p + i, &r, 8);
	}
}

static enum kind gen_page(unsigned char *p, size_t idx)
{
	enum kind k = page_kind(idx);
	uint64_t st = page_hash(idx) ^ 0x5bd1e995ULL;
	uint64_t tag[2];

	switch (k) {
	case K_ZERO:
		memset(p, 0, PAGE);
		return k;
	case K_TEXT:
		gen_text(p, st);
		break;
	case K_BIN:
		gen_bin(p, st);
		break;
	default:
		gen_rand(p, st);
		break;
	}
	tag[0] = (uint64_t)idx;
	tag[1] = seed;
	memcpy(p, tag, sizeof(tag));
	return k;
}

static void shuffle(size_t *order, size_t n, uint64_t st)
{
	size_t i;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		size_t j = splitmix64(&st) % (i + 1);
		size_t t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}

static int load_elf(const char *path)
{
	struct stat stbuf;
	ssize_t got;
	size_t want;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &stbuf) < 0) {
		fprintf(stderr, "swaptest: %s: %s\n", path, strerror(errno));
		return -1;
	}
	want = stbuf.st_size;
	if (want > (1UL << 20))
		want = 1UL << 20;	/* 1 MiB of an ELF file is plenty */
	elf = malloc(want);
	if (!elf) {
		close(fd);
		return -1;
	}
	while (elf_len < want) {
		got = read(fd, elf + elf_len, want - elf_len);
		if (got <= 0)
			break;
		elf_len += got;
	}
	close(fd);
	return 0;
}

static int parse_mix(const char *s)
{
	unsigned int v[K_NR], sum = 0;
	int k;

	if (sscanf(s, "%u,%u,%u,%u", &v[0], &v[1], &v[2], &v[3]) != 4)
		return -1;
	for (k = 0; k < K_NR; k++)
		sum += v[k];
	if (sum != 100)
		return -1;
	memcpy(mix, v, sizeof(mix));
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: swaptest [-s SEED] [-m ZERO,TEXT,BIN,RAND] [-e ELF] [-p PAUSEFILE] [-w HOLDFILE] MIB\n"
		"  -m  page mix in percent, must sum to 100 (default 25,40,20,15)\n"
		"  -e  file whose bytes seed binary pages (default /proc/self/exe)\n"
		"  -p  after filling, block reading PAUSEFILE (a fifo) before verifying\n"
		"  -w  after verifying, block reading HOLDFILE (a fifo) before exit\n");
	exit(2);
}

/* Says what it waits for, then blocks until someone writes @path. */
static void wait_fifo(const char *path, const char *what)
{
	char c;
	int fd;

	printf("swaptest: %s until %s is written\n", what, path);
	fflush(stdout);
	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		if (read(fd, &c, 1) < 0)
			perror("swaptest: read fifo");
		close(fd);
	}
}

int main(int argc, char **argv)
{
	const char *elf_path = "/proc/self/exe", *hold = NULL, *pause = NULL;
	size_t npages, i, pass, bad = 0, count[K_NR] = { 0 };
	unsigned char *mem, *exp;
	size_t *order;
	double t0;
	int opt;

	while ((opt = getopt(argc, argv, "s:m:e:p:w:")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'm':
			if (parse_mix(optarg))
				usage();
			break;
		case 'e':
			elf_path = optarg;
			break;
		case 'p':
			pause = optarg;
			break;
		case 'w':
			hold = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1)
		usage();
	npages = strtoull(argv[optind], NULL, 0) * (1UL << 20) / PAGE;
	if (!npages)
		usage();
	if (load_elf(elf_path))
		return 2;

	order = malloc(npages * sizeof(*order));
	exp = malloc(PAGE);
	mem = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!order || !exp || mem == MAP_FAILED) {
		fprintf(stderr, "swaptest: allocation failed\n");
		return 2;
	}
	madvise(mem, npages * PAGE, MADV_NOHUGEPAGE);

	printf("swaptest: %zu pages (%zu MiB), seed %llu, mix zero=%u text=%u bin=%u rand=%u\n",
	       npages, npages * PAGE >> 20, (unsigned long long)seed,
	       mix[0], mix[1], mix[2], mix[3]);
	fflush(stdout);

	t0 = now();
	shuffle(order, npages, seed ^ 0xabcdefULL);
	for (i = 0; i < npages; i++)
		count[gen_page(mem + order[i] * PAGE, order[i])]++;
	printf("swaptest: filled in %.1fs: zero=%zu text=%zu bin=%zu rand=%zu\n",
	       now() - t0, count[K_ZERO], count[K_TEXT], count[K_BIN],
	       count[K_RAND]);
	fflush(stdout);

	/* Someone moves the swapped-out pages meanwhile (writeback). */
	if (pause)
		wait_fifo(pause, "pausing before the verification");

	for (pass = 1; pass <= 2; pass++) {
		size_t pass_bad = 0;

		t0 = now();
		shuffle(order, npages, seed ^ (0x1234567ULL * pass));
		for (i = 0; i < npages; i++) {
			size_t idx = order[i], off;
			enum kind k = gen_page(exp, idx);

			if (!memcmp(mem + idx * PAGE, exp, PAGE))
				continue;
			pass_bad++;
			if (bad + pass_bad > MAX_REPORT)
				continue;
			for (off = 0; off < PAGE; off++)
				if (mem[idx * PAGE + off] != exp[off])
					break;
			printf("swaptest: MISMATCH pass %zu page %zu (%s) first bad byte %zu: got 0x%02x want 0x%02x\n",
			       pass, idx, kind_name[k], off,
			       mem[idx * PAGE + off], exp[off]);
		}
		bad += pass_bad;
		printf("swaptest: verify pass %zu: %zu pages, %zu mismatches, %.1fs\n",
		       pass, npages, pass_bad, now() - t0);
		fflush(stdout);
	}

	printf("swaptest: %s: %zu pages checked twice, %zu mismatches\n",
	       bad ? "FAILED" : "OK", npages, bad);
	fflush(stdout);

	if (hold)
		wait_fifo(hold, "holding memory");
	return bad ? 1 : 0;
}
