// SPDX-License-Identifier: GPL-2.0-or-later
/* rzsd's reading of /proc/meminfo and /proc/swaps (rzsd/sysinfo.c). */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "../../rzsd/sysinfo.h"

static char *tmpfile_with(const char *text)
{
	static char path[64];
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/tmp/rzsd-sysinfo.XXXXXX");
	fd = mkstemp(path);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

int main(void)
{
	struct obs_dev devs[3] = {
		{ .index = 0, .exists = true },
		{ .index = 1, .exists = true, .swap_on = true, .swap_prio = 7 },
		{ .index = 12, .exists = true },
	};
	struct obs obs = { .nr = 3, .devs = devs };
	uint64_t total = 0, avail = 0;
	char *p;

	p = tmpfile_with("MemTotal:        8131236 kB\n"
			 "MemFree:          123456 kB\n"
			 "MemAvailable:    4000000 kB\n"
			 "SwapTotal:       0 kB\n");
	CHECK_INT(sys_meminfo(p, &total, &avail), 0);
	CHECK_U64(total, 8131236ULL << 10);
	CHECK_U64(avail, 4000000ULL << 10);
	unlink(p);
	p = tmpfile_with("MemTotal: 1 kB\n");
	CHECK(sys_meminfo(p, &total, &avail) < 0);	/* no MemAvailable */
	unlink(p);
	CHECK(sys_meminfo("/nonexistent/meminfo", &total, &avail) < 0);

	p = tmpfile_with(
		"Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
		"/dev/ramzswap0                          partition\t2097148\t\t1024\t\t100\n"
		"/dev/sda2                               partition\t1000000\t\t0\t\t-2\n"
		"/dev/ramzswap12                         partition\t4096\t\t4096\t\t-3\n"
		"/swapfile\\040with\\040spaces            file\t\t100\t\t50\t\t-4\n");
	CHECK_INT(sys_swaps(p, &obs), 0);
	CHECK(devs[0].swap_on);
	CHECK_INT(devs[0].swap_prio, 100);
	CHECK_U64(devs[0].swap_size, 2097148ULL << 10);
	CHECK_U64(devs[0].swap_used, 1024ULL << 10);
	CHECK(!devs[1].swap_on);		/* not listed: cleared */
	CHECK_INT(devs[1].swap_prio, 0);
	CHECK(devs[2].swap_on);
	CHECK_INT(devs[2].swap_prio, -3);
	CHECK_U64(obs.swap_free, (2097148ULL - 1024 + 1000000 + 0 + 50) << 10);
	unlink(p);

	CHECK_INT(sys_dev_index("ramzswap0"), 0);
	CHECK_INT(sys_dev_index("/dev/ramzswap1023"), 1023);
	CHECK_INT(sys_dev_index("/dev/ramzswap"), -1);
	CHECK_INT(sys_dev_index("/dev/ramzswap1x"), -1);
	CHECK_INT(sys_dev_index("/dev/zram0"), -1);
	return test_done("rzsd_sysinfo");
}
