// SPDX-License-Identifier: GPL-2.0
/*
 * swapbench - a swap-heavy workload of realistic pages, timed.
 *
 *   swapbench -c CORPUS [-z ZERO%] [-s SEED] [-p PASSES] [-H HOOK] MIB
 *
 * Maps MIB of anonymous memory and fills it, in a random page order, with
 * pages of CORPUS (a file of real data: page i gets the corpus page
 * i mod the corpus size) and ZERO% zero-filled pages (default 10).  Then
 * PASSES times (default 2) touches every page in a new random order: reads
 * a word and writes one, so that a page that was swapped out is swapped in
 * and dirtied and has to be written out again.  Run it where only part of
 * MIB fits (a cgroup's memory.max) and the swap device is the only swap.
 *
 * Prints one line of key=value: fill_s, touch_s (all passes), majflt and
 * minflt, cpu_s (user and system time of fill and passes) and nvcsw (the
 * times it slept, e.g. throttled in reclaim) from getrusage, and the
 * pages.  HOOK, if given, runs (system(3)) after the passes while the
 * memory is still held, e.g. to read the swap device's statistics.  Times
 * are measured, never judged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void shuffle(size_t *order, size_t n, uint64_t st)
{
	size_t i;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		size_t j = splitmix64(&st) % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
}

static double tv_s(const struct timeval *tv)
{
	return tv->tv_sec + tv->tv_usec / 1e6;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr, "usage: swapbench -c CORPUS [-z ZERO%%] [-s SEED] [-p PASSES] [-H HOOK] MIB\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *corpus = NULL, *hook = NULL;
	unsigned int zero_pct = 10, passes = 2, pass;
	uint64_t seed = 1, sum = 0;
	size_t npages, ncorpus, i, zeros = 0;
	struct rusage ru0, ru1;
	double t0, fill_s, touch_s;
	unsigned char *mem;
	struct stat st;
	size_t *order;
	int opt, fd;

	while ((opt = getopt(argc, argv, "c:z:s:p:H:")) != -1) {
		switch (opt) {
		case 'c': corpus = optarg; break;
		case 'z': zero_pct = atoi(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'p': passes = atoi(optarg); break;
		case 'H': hook = optarg; break;
		default: usage();
		}
	}
	if (optind != argc - 1 || !corpus || zero_pct > 100)
		usage();
	npages = strtoull(argv[optind], NULL, 0) * (1UL << 20) / PAGE;
	fd = open(corpus, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < (off_t)PAGE) {
		fprintf(stderr, "swapbench: %s: %s\n", corpus,
			fd < 0 ? strerror(errno) : "too small");
		return 2;
	}
	ncorpus = st.st_size / PAGE;
	order = malloc(npages * sizeof(*order));
	mem = mmap(NULL, npages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!npages || !order || mem == MAP_FAILED) {
		fprintf(stderr, "swapbench: allocation failed\n");
		return 2;
	}
	madvise(mem, npages * PAGE, MADV_NOHUGEPAGE);

	getrusage(RUSAGE_SELF, &ru0);
	t0 = now();
	shuffle(order, npages, seed);
	for (i = 0; i < npages; i++) {
		size_t idx = order[i];
		uint64_t h = seed ^ (idx * 0x100000001b3ULL);
		unsigned char *p = mem + idx * PAGE;

		if (splitmix64(&h) % 100 < zero_pct) {
			memset(p, 0, PAGE);
			zeros++;
		} else if (pread(fd, p, PAGE, (off_t)(idx % ncorpus) * PAGE) !=
			   (ssize_t)PAGE) {
			fprintf(stderr, "swapbench: short read of %s\n", corpus);
			return 2;
		}
	}
	fill_s = now() - t0;

	t0 = now();
	for (pass = 1; pass <= passes; pass++) {
		shuffle(order, npages, seed ^ (0x1234567ULL * pass));
		for (i = 0; i < npages; i++) {
			volatile uint64_t *w = (uint64_t *)(mem + order[i] * PAGE);
			uint64_t v = w[1];

			sum += v;
			w[1] = v;	/* dirty it, same content */
		}
	}
	touch_s = now() - t0;
	getrusage(RUSAGE_SELF, &ru1);

	printf("swapbench pages=%zu zero_pages=%zu corpus_pages=%zu passes=%u fill_s=%.3f touch_s=%.3f majflt=%ld minflt=%ld cpu_s=%.3f nvcsw=%ld sum=%llu\n",
	       npages, zeros, ncorpus, passes, fill_s, touch_s,
	       ru1.ru_majflt - ru0.ru_majflt, ru1.ru_minflt - ru0.ru_minflt,
	       tv_s(&ru1.ru_utime) + tv_s(&ru1.ru_stime) -
	       tv_s(&ru0.ru_utime) - tv_s(&ru0.ru_stime),
	       ru1.ru_nvcsw - ru0.ru_nvcsw, (unsigned long long)(sum & 0xff));
	fflush(stdout);
	if (hook && system(hook) != 0)
		fprintf(stderr, "swapbench: hook failed\n");
	return 0;
}
