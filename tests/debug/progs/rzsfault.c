// SPDX-License-Identifier: GPL-2.0-only
/*
 * rzsfault: systematic fault injection into one ramzswap operation, for the
 * debug kernel's guest (tests/debug/cases).
 *
 * For N = 1, 2, 3, ... it writes N to /proc/thread-self/fail-nth and runs
 * the operation once: the N-th allocation the operation makes in this task
 * that failslab or fail_page_alloc may fail (their debugfs filters decide
 * which may) fails.  Reading fail-nth back tells whether it was reached
 * (0: injected).  The first N the operation does not reach ends the walk:
 * every allocation of the operation has then failed once.  After each step
 * the state is checked and put back (a device added is removed, a module
 * loaded is unloaded) with no injection.
 *
 *   rzsfault load KO PARAMS MAXSTEPS     finit_module(KO, PARAMS)
 *   rzsfault add INDEX MAXSTEPS          DEV_ADD
 *   rzsfault init INDEX DISKSIZE ALG MAXSTEPS   DEV_INIT (DEV_RESET after)
 *   rzsfault write DEV PAGES MAXSTEPS [BS]   O_DIRECT writes of BS bytes
 *                                        (default 4096; less: the middle of
 *                                        the page, a read-modify-write), each
 *                                        page walked; then every page
 *                                        rewritten whole and read back
 *   rzsfault churn INDEX PEER ITER       no injection: ITER cycles of add,
 *                                        init, write, read, reset, remove
 *
 * An injected failure must end in a clean error (ENOMEM, EIO, ENOBUFS; for
 * load and DEV_ADD EINVAL, the driver core's answer to a failed
 * dev_set_name()) and
 * no state change, or be absorbed (the operation succeeds).  It prints one
 * line per failed step and a summary:
 *   rzsfault: OP steps=S injected=I failed=F absorbed=A eio=E
 * Exit status 0 if every step was clean, 1 if not, 2 on a setup error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/ramzswap.h>

static int bad;

static void die(const char *what)
{
	fprintf(stderr, "rzsfault: %s: %s\n", what, strerror(errno));
	exit(2);
}

/*
 * One descriptor of /proc/thread-self/fail-nth, opened before any step:
 * opening it between setting and reading would itself allocate, and be
 * counted.
 */
static int nth_fd = -1;

static void set_nth(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (nth_fd < 0)
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0 || pwrite(nth_fd, buf, len, 0) != len)
		die("write /proc/thread-self/fail-nth");
}

/* 1 if the failure set up by set_nth() was injected; clears the setting. */
static int injected(void)
{
	char buf[16] = "";

	if (pread(nth_fd, buf, sizeof(buf) - 1, 0) < 0)
		die("read /proc/thread-self/fail-nth");
	set_nth(0);
	return atoi(buf) == 0;
}

/*
 * EINVAL too, for load and DEV_ADD: the driver core answers a failed
 * dev_set_name() in device_add() (a kstrdup) with it, not with ENOMEM.
 */
static int einval_ok;

static int clean_errno(int e)
{
	return e == ENOMEM || e == EIO || e == ENOBUFS || (einval_ok && e == EINVAL);
}

/* ------------------------------------------------------------ netlink */
static int nl_fd;
static uint16_t family;
static uint32_t seq;
static char extack[256];

struct req {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char attrs[256];
};

static void put_attr(struct req *r, uint16_t type, const void *data, uint16_t len)
{
	struct nlattr *a = (struct nlattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void start(struct req *r, uint16_t type, uint8_t cmd, uint8_t version)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	r->nh.nlmsg_seq = ++seq;
	r->gh.cmd = cmd;
	r->gh.version = version;
}

/*
 * Sends R, returns 0 or -errno from the kernel's answer; the family ID is
 * taken from a CTRL_CMD_GETFAMILY answer.  extack gets the error message.
 */
static int transact(struct req *r)
{
	static char buf[16384];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int err = 1;

	extack[0] = 0;
	if (sendto(nl_fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	while (err > 0) {
		ssize_t n = recv(nl_fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->nh.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);
				struct nlattr *a;
				int rem;

				err = e->error;
				if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
					break;
				a = (struct nlattr *)((char *)e + sizeof(*e));
				rem = (char *)h + h->nlmsg_len - (char *)a;
				while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
				       a->nla_len <= rem) {
					if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
						snprintf(extack, sizeof(extack), "%s",
							 (char *)a + NLA_HDRLEN);
					rem -= NLA_ALIGN(a->nla_len);
					a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
				}
				break;
			}
			if (h->nlmsg_type == GENL_ID_CTRL) {
				struct nlattr *a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
				int rem = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

				while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
				       a->nla_len <= rem) {
					if (a->nla_type == CTRL_ATTR_FAMILY_ID)
						memcpy(&family, (char *)a + NLA_HDRLEN, 2);
					rem -= NLA_ALIGN(a->nla_len);
					a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
				}
			}
		}
	}
	return err;
}

static void nl_open(void)
{
	struct req r;
	int one = 1;

	nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl_fd < 0)
		die("socket(NETLINK_GENERIC)");
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	start(&r, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1);
	put_attr(&r, CTRL_ATTR_FAMILY_NAME, RAMZSWAP_GENL_NAME, sizeof(RAMZSWAP_GENL_NAME));
	errno = -transact(&r);
	if (errno || !family)
		die("resolve the ramzswap family");
}

static int dev_cmd(uint8_t cmd, uint32_t index, uint64_t disksize, const char *alg)
{
	struct req r;

	start(&r, family, cmd, RAMZSWAP_GENL_VERSION);
	put_attr(&r, RAMZSWAP_A_INDEX, &index, sizeof(index));
	if (disksize) {
		put_attr(&r, RAMZSWAP_A_DISKSIZE, &disksize, sizeof(disksize));
	}
	if (alg)
		put_attr(&r, RAMZSWAP_A_ALGORITHM, alg, strlen(alg) + 1);
	return transact(&r);
}

/* DEV_GET of one device: 0 exists, -ENODEV not; also its state. */
static int dev_state(uint32_t index, int *initialized)
{
	static char buf[16384];
	struct req r;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int err = 1;

	*initialized = -1;
	start(&r, family, RAMZSWAP_CMD_DEV_GET, RAMZSWAP_GENL_VERSION);
	put_attr(&r, RAMZSWAP_A_INDEX, &index, sizeof(index));
	if (sendto(nl_fd, &r, r.nh.nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	while (err > 0) {
		ssize_t n = recv(nl_fd, buf, sizeof(buf), 0);
		struct nlmsghdr *h;

		if (n < 0)
			return -errno;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			struct nlattr *a;
			int rem;

			if (h->nlmsg_seq != r.nh.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				break;
			}
			a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
			rem = h->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
			while (rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem) {
				if (a->nla_type == RAMZSWAP_A_STATE)
					*initialized = *((uint8_t *)a + NLA_HDRLEN);
				rem -= NLA_ALIGN(a->nla_len);
				a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
			}
		}
	}
	return err;
}

/* ------------------------------------------------------------ steps */
static unsigned int steps, ninjected, nfailed, nabsorbed, neio;

static void step_report(const char *op, unsigned int n, int inj, int err)
{
	steps++;
	ninjected += inj;
	if (inj && err)
		nfailed++;
	if (inj && !err)
		nabsorbed++;
	if (err == -EIO)
		neio++;
	if (err)
		printf("step %u: %s injected=%d -> %s%s%s\n", n, op, inj, strerror(-err),
		       extack[0] ? ": " : "", extack);
	if (err && !inj) {
		printf("rzsfault: BAD: %s failed at step %u with no failure injected\n", op, n);
		bad = 1;
	} else if (err && !clean_errno(-err)) {
		printf("rzsfault: BAD: %s step %u: errno %d is not a clean ENOMEM/EIO/ENOBUFS%s\n",
		       op, n, -err, einval_ok ? "/EINVAL" : "");
		bad = 1;
	}
}

static int module_loaded(void)
{
	char line[256];
	FILE *f = fopen("/proc/modules", "r");
	int found = 0;

	if (!f)
		die("/proc/modules");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "ramzswap ", 9))
			found = 1;
	fclose(f);
	return found;
}

static void do_load(const char *ko, const char *params, unsigned int max)
{
	unsigned int n;

	if (module_loaded()) {
		errno = EBUSY;
		die("ramzswap is loaded already");
	}
	for (n = 1; n <= max; n++) {
		int fd = open(ko, O_RDONLY | O_CLOEXEC), err, inj;

		if (fd < 0)
			die(ko);
		set_nth(n);
		err = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
		inj = injected();
		close(fd);
		extack[0] = 0;
		step_report("load", n, inj, err);
		if (err && module_loaded()) {
			printf("rzsfault: BAD: load failed at step %u but the module is loaded\n", n);
			bad = 1;
		}
		if (!err || module_loaded()) {
			if (syscall(SYS_delete_module, "ramzswap", O_NONBLOCK))
				die("delete_module");
		}
		if (!inj)
			break;
	}
}

static void do_add(uint32_t index, unsigned int max)
{
	unsigned int n;
	int st;

	for (n = 1; n <= max; n++) {
		int err, inj, exists;

		set_nth(n);
		err = dev_cmd(RAMZSWAP_CMD_DEV_ADD, index, 0, NULL);
		inj = injected();
		step_report("DEV_ADD", n, inj, err);
		exists = dev_state(index, &st) == 0;
		/* an answer lost in the socket layer (ENOBUFS) may follow an add */
		if (err && exists && err != -ENOBUFS) {
			printf("rzsfault: BAD: DEV_ADD failed at step %u (%s) but ramzswap%u exists\n",
			       n, strerror(-err), index);
			bad = 1;
		}
		if (!err && !exists) {
			printf("rzsfault: BAD: DEV_ADD succeeded at step %u, no ramzswap%u\n", n, index);
			bad = 1;
		}
		if (exists && (err = dev_cmd(RAMZSWAP_CMD_DEV_DEL, index, 0, NULL))) {
			printf("rzsfault: BAD: DEV_DEL after step %u: %s %s\n", n, strerror(-err), extack);
			bad = 1;
		}
		if (!inj)
			break;
	}
}

static void do_init(uint32_t index, uint64_t disksize, const char *alg, unsigned int max)
{
	unsigned int n;
	int st;

	for (n = 1; n <= max; n++) {
		int err, inj;

		set_nth(n);
		err = dev_cmd(RAMZSWAP_CMD_DEV_INIT, index, disksize, alg);
		inj = injected();
		step_report("DEV_INIT", n, inj, err);
		if (dev_state(index, &st)) {
			printf("rzsfault: BAD: ramzswap%u gone after DEV_INIT step %u\n", index, n);
			bad = 1;
			return;
		}
		if (err && st == 1 && err != -ENOBUFS) {
			printf("rzsfault: BAD: DEV_INIT failed at step %u but ramzswap%u is initialized\n",
			       n, index);
			bad = 1;
		}
		if (!err && st != 1) {
			printf("rzsfault: BAD: DEV_INIT succeeded at step %u, device not initialized\n", n);
			bad = 1;
		}
		if (st == 1 && (err = dev_cmd(RAMZSWAP_CMD_DEV_RESET, index, 0, NULL))) {
			printf("rzsfault: BAD: DEV_RESET after step %u: %s %s\n", n, strerror(-err), extack);
			bad = 1;
		}
		if (!inj)
			break;
	}
}

static void fill(unsigned char *p, unsigned int page, unsigned int gen)
{
	unsigned int i, x = page * 2654435761u + gen * 40503u + 1;

	/* half random, half zero: compressible, not same-filled */
	for (i = 0; i < 4096; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = i < 2048 ? x >> 16 : 0;
	}
}

static void do_write(const char *dev, unsigned int pages, unsigned int max, unsigned int bs)
{
	off_t in_page = (4096 - bs) / 2;

	unsigned char *buf, *back;
	unsigned int p, n, total = 0;
	int fd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);

	if (fd < 0)
		die(dev);
	if (posix_memalign((void **)&buf, 4096, 4096) || posix_memalign((void **)&back, 4096, 4096))
		die("posix_memalign");
	for (p = 0; p < pages && total < max; p++) {
		for (n = 1; total < max; n++, total++) {
			int err, inj;

			fill(buf, p, n);
			set_nth(n);
			err = pwrite(fd, buf, bs, (off_t)p * 4096 + in_page) == (ssize_t)bs ? 0 : -errno;
			inj = injected();
			step_report("write", n, inj, err);
			if (!inj)
				break;
		}
		/* the page as the walk left it: written with no injection */
		fill(buf, p, 1000);
		if (pwrite(fd, buf, 4096, (off_t)p * 4096) != 4096)
			die("write without injection");
	}
	for (p = 0; p < pages; p++) {
		fill(buf, p, 1000);
		if (pread(fd, back, 4096, (off_t)p * 4096) != 4096)
			die("read back");
		if (memcmp(buf, back, 4096)) {
			printf("rzsfault: BAD: page %u reads back wrong after the walk\n", p);
			bad = 1;
		}
	}
	close(fd);
}

/*
 * ITER cycles of DEV_ADD, DEV_INIT, 16 pages written and read back,
 * DEV_RESET, DEV_DEL on device INDEX, with no injection; a DEV_GET of
 * device PEER (another process's, which may or may not exist) in between.
 */
static void do_churn(uint32_t index, uint32_t peer, unsigned int iter)
{
	static const char *const algs[] = { "lzo", "lz4", "zstd", "lzo-rle", "lz4hc" };
	unsigned char *buf, *back;
	char dev[32];
	unsigned int i, p;
	int err, st;

	if (posix_memalign((void **)&buf, 4096, 4096) || posix_memalign((void **)&back, 4096, 4096))
		die("posix_memalign");
	snprintf(dev, sizeof(dev), "/dev/ramzswap%u", index);
	for (i = 0; i < iter && !bad; i++) {
		int fd;

		steps++;
		if ((err = dev_cmd(RAMZSWAP_CMD_DEV_ADD, index, 0, NULL)) ||
		    (err = dev_cmd(RAMZSWAP_CMD_DEV_INIT, index, 4 << 20, algs[i % 5]))) {
			printf("rzsfault: BAD: churn %u: add/init ramzswap%u: %s %s\n", i, index,
			       strerror(-err), extack);
			bad = 1;
			break;
		}
		err = dev_state(peer, &st);
		if (err && err != -ENODEV) {
			printf("rzsfault: BAD: churn %u: DEV_GET %u: %s\n", i, peer, strerror(-err));
			bad = 1;
		}
		fd = open(dev, O_RDWR | O_DIRECT | O_CLOEXEC);
		if (fd < 0) {
			printf("rzsfault: BAD: churn %u: open %s: %s\n", i, dev, strerror(errno));
			bad = 1;
			break;
		}
		for (p = 0; p < 16; p++) {
			fill(buf, p, i);
			if (pwrite(fd, buf, 4096, (off_t)p * 4096) != 4096) {
				printf("rzsfault: BAD: churn %u: write %s: %s\n", i, dev, strerror(errno));
				bad = 1;
			}
		}
		for (p = 0; p < 16; p++) {
			fill(buf, p, i);
			if (pread(fd, back, 4096, (off_t)p * 4096) != 4096 || memcmp(buf, back, 4096)) {
				printf("rzsfault: BAD: churn %u: page %u of %s reads back wrong\n",
				       i, p, dev);
				bad = 1;
			}
		}
		close(fd);
		if ((err = dev_cmd(RAMZSWAP_CMD_DEV_RESET, index, 0, NULL)) ||
		    (err = dev_cmd(RAMZSWAP_CMD_DEV_DEL, index, 0, NULL))) {
			printf("rzsfault: BAD: churn %u: reset/del ramzswap%u: %s %s\n", i, index,
			       strerror(-err), extack);
			bad = 1;
		}
	}
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* churn injects nothing: it runs on kernels without fault injection */
	if (strcmp(op, "churn"))
		set_nth(0);
	einval_ok = !strcmp(op, "load") || !strcmp(op, "add");
	if (!strcmp(op, "load") && argc == 5) {
		do_load(argv[2], argv[3], atoi(argv[4]));
	} else if (!strcmp(op, "add") && argc == 4) {
		nl_open();
		do_add(atoi(argv[2]), atoi(argv[3]));
	} else if (!strcmp(op, "init") && argc == 6) {
		nl_open();
		do_init(atoi(argv[2]), strtoull(argv[3], NULL, 0), argv[4], atoi(argv[5]));
	} else if (!strcmp(op, "churn") && argc == 5) {
		nl_open();
		do_churn(atoi(argv[2]), atoi(argv[3]), atoi(argv[4]));
	} else if (!strcmp(op, "write") && (argc == 5 || argc == 6)) {
		unsigned int bs = argc == 6 ? atoi(argv[5]) : 4096;

		if (bs < 512 || bs > 4096 || bs % 512)
			return 2;
		do_write(argv[2], atoi(argv[3]), atoi(argv[4]), bs);
	} else {
		fprintf(stderr, "usage: rzsfault load KO PARAMS MAX | add INDEX MAX |\n"
			"       init INDEX DISKSIZE ALG MAX | write DEV PAGES MAX [BS] |\n"
			"       churn INDEX PEER ITER\n");
		return 2;
	}
	printf("rzsfault: %s steps=%u injected=%u failed=%u absorbed=%u eio=%u%s\n", op, steps,
	       ninjected, nfailed, nabsorbed, neio, bad ? " BAD" : "");
	return bad;
}
