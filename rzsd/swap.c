// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Swap areas on ramzswap devices.  The signature is written by util-linux
 * mkswap rather than by hand: it knows the header layout of every page
 * size and clears the old signatures blkid would otherwise still see.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "swap.h"

/* Not in glibc's <sys/swap.h>: the values of the kernel's linux/swap.h. */
#ifndef SWAP_FLAG_DISCARD_ONCE
#define SWAP_FLAG_DISCARD_ONCE	0x20000
#endif
#ifndef SWAP_FLAG_DISCARD_PAGES
#define SWAP_FLAG_DISCARD_PAGES	0x40000
#endif

void swap_node(uint32_t index, char *buf, size_t len)
{
	snprintf(buf, len, "/dev/ramzswap%u", index);
}

int swap_wait_node(uint32_t index, int timeout_ms)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	struct stat st;
	char path[64];
	int waited;

	swap_node(index, path, sizeof(path));
	/* devtmpfs creates it with the disk; udev may still be renaming. */
	for (waited = 0; waited <= timeout_ms; waited += 10) {
		if (!stat(path, &st) && S_ISBLK(st.st_mode))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ENOENT;
}

int swap_mkswap(uint32_t index)
{
	char path[64], buf[512];
	int pipefd[2], status, devnull;
	ssize_t n;
	size_t len = 0;
	pid_t pid;

	swap_node(index, path, sizeof(path));
	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pipefd[0]);
		close(pipefd[1]);
		return -errno;
	}
	if (!pid) {
		devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (devnull >= 0) {
			dup2(devnull, STDIN_FILENO);
			dup2(devnull, STDOUT_FILENO);
		}
		dup2(pipefd[1], STDERR_FILENO);
		if (!getenv("PATH"))
			setenv("PATH", "/usr/sbin:/usr/bin:/sbin:/bin", 1);
		/* No -q: util-linux 2.36 (bullseye) lacks it, and what it
		 * would silence goes to stdout, /dev/null here. */
		execlp("mkswap", "mkswap", path, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while (len < sizeof(buf) - 1 &&
	       (n = read(pipefd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (len) {
		buf[strcspn(buf, "\n")] = '\0';
		log_warn("ramzswap%u: mkswap: %s", index, buf);
	}
	if (!WIFEXITED(status))
		return -EINTR;
	if (WEXITSTATUS(status) == 127)
		return -ENOENT;
	return WEXITSTATUS(status) ? -EIO : 0;
}

int swap_flags(int priority, enum discard discard)
{
	int flags = 0;

	if (priority >= 0)
		flags |= SWAP_FLAG_PREFER |
			 ((priority << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
	switch (discard) {
	case DISCARD_NO:
		break;
	case DISCARD_YES:
		flags |= SWAP_FLAG_DISCARD;
		break;
	case DISCARD_ONCE:
		flags |= SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_ONCE;
		break;
	case DISCARD_PAGES:
		flags |= SWAP_FLAG_DISCARD | SWAP_FLAG_DISCARD_PAGES;
		break;
	}
	return flags;
}

int swap_on(uint32_t index, int priority, enum discard discard)
{
	char path[64];

	swap_node(index, path, sizeof(path));
	return swapon(path, swap_flags(priority, discard)) ? -errno : 0;
}

int swap_off(uint32_t index)
{
	char path[64];

	swap_node(index, path, sizeof(path));
	return swapoff(path) ? -errno : 0;
}
