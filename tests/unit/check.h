/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal test harness: CHECK*() record a failure with its location and
 * go on, so one run shows every broken expectation; test_done() turns the
 * count into the exit status meson reads.
 */
#ifndef RZS_CHECK_H
#define RZS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_count;

#define CHECK(cond) do {						\
	check_count++;							\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n",		\
			__FILE__, __LINE__, #cond);			\
		check_failures++;					\
	}								\
} while (0)

#define CHECK_INT(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	check_count++;							\
	if (_a != _b) {							\
		fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n",\
			__FILE__, __LINE__, #a, _a, #b, _b);		\
		check_failures++;					\
	}								\
} while (0)

#define CHECK_U64(a, b) do {						\
	uint64_t _a = (a), _b = (b);					\
	check_count++;							\
	if (_a != _b) {							\
		fprintf(stderr, "%s:%d: %s == %" PRIu64 ", expected %" PRIu64 "\n",\
			__FILE__, __LINE__, #a, _a, _b);		\
		check_failures++;					\
	}								\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	check_count++;							\
	if (!_a || !_b || strcmp(_a, _b)) {				\
		fprintf(stderr, "%s:%d: %s == \"%s\", expected \"%s\"\n",\
			__FILE__, __LINE__, #a, _a ? _a : "(null)",	\
			_b ? _b : "(null)");				\
		check_failures++;					\
	}								\
} while (0)

/* Substring match, for messages whose exact wording may be polished. */
#define CHECK_HAS(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	check_count++;							\
	if (!_a || !strstr(_a, _b)) {					\
		fprintf(stderr, "%s:%d: %s == \"%s\", should contain \"%s\"\n",\
			__FILE__, __LINE__, #a, _a ? _a : "(null)", _b);\
		check_failures++;					\
	}								\
} while (0)

static inline int test_done(const char *name)
{
	printf("%s: %d checks, %d failed\n", name, check_count, check_failures);
	return check_failures ? 1 : 0;
}

#endif /* RZS_CHECK_H */
