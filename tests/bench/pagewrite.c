// SPDX-License-Identifier: GPL-2.0
/*
 * pagewrite - writes the pages of a file to a block device, 4 KiB at a
 * time with O_DIRECT, in a random order, and reports the time.
 *
 *   pagewrite [-s SEED] SRC DEV
 *
 * Page i of SRC goes to page i of DEV (so DEV then holds SRC), but the
 * order of the writes is a random permutation, as fio's randwrite would
 * do, only with real data instead of fio's generated buffers.  Prints
 * "pagewrite pages=N secs=S iops=I".
 */
#define _GNU_SOURCE
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

#define PAGE 4096UL

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	size_t n, i, *order;
	unsigned char *src;
	struct stat st;
	int opt, sfd, dfd;
	double t0, secs;

	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's') {
			fprintf(stderr, "usage: pagewrite [-s SEED] SRC DEV\n");
			return 2;
		}
		seed = strtoull(optarg, NULL, 0);
	}
	if (optind != argc - 2) {
		fprintf(stderr, "usage: pagewrite [-s SEED] SRC DEV\n");
		return 2;
	}
	sfd = open(argv[optind], O_RDONLY);
	dfd = open(argv[optind + 1], O_WRONLY | O_DIRECT);
	if (sfd < 0 || dfd < 0 || fstat(sfd, &st) < 0) {
		fprintf(stderr, "pagewrite: %s\n", strerror(errno));
		return 2;
	}
	n = st.st_size / PAGE;
	/* mmap of the source: O_DIRECT wants aligned buffers, pages are. */
	src = mmap(NULL, n * PAGE, PROT_READ, MAP_PRIVATE | MAP_POPULATE, sfd, 0);
	order = malloc(n * sizeof(*order));
	if (src == MAP_FAILED || !order) {
		fprintf(stderr, "pagewrite: allocation failed\n");
		return 2;
	}
	for (i = 0; i < n; i++)
		order[i] = i;
	for (i = n - 1; i > 0; i--) {
		size_t j = splitmix64(&seed) % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	t0 = now();
	for (i = 0; i < n; i++) {
		if (pwrite(dfd, src + order[i] * PAGE, PAGE,
			   (off_t)order[i] * PAGE) != (ssize_t)PAGE) {
			fprintf(stderr, "pagewrite: write: %s\n", strerror(errno));
			return 1;
		}
	}
	secs = now() - t0;
	printf("pagewrite pages=%zu secs=%.3f iops=%.0f\n", n, secs, n / secs);
	return 0;
}
