# ramzswap: the one entry point.  The module builds with Kbuild (src/),
# everything else is orchestrated from here.
#
#   make                      module for the running kernel
#   make KVER=6.1.0-56-amd64  module for an installed kernel's headers
#   make KDIR=/path/to/build  module for a kernel build tree
#   make check                every test tier (see tests/README.md)
#   make check-fresh          the fresh-machine tier alone (tests/fresh)
#   make check-debug          the debug-kernel tier alone (tests/debug)
#   make demo                 the demo in a VM
#   make install-dkms DESTDIR=d   stage the DKMS tree in d/usr/src/ramzswap-VERSION
#   make deb / make rpm       the Debian / RPM packages, built from a copy of
#                             the tree under $(RAMZSWAP_CACHE)/pkg, then lintian /
#                             rpmlint; they print where the packages are
#   make version V=x.y.z      set the version everywhere it is written down

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
VERSION := $(shell cat VERSION)

# The kernel the VM tests boot: the newest Debian amd64 headers installed
# (tests/install-deps installs linux-headers-amd64), unless given.  Only
# the targets that run after install-deps expand it (demo-vm, bench-vm, in
# a make of their own): on a fresh machine there are no headers before.
TEST_KVER ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)
# A recipe's first line: fails with a hint when no headers are installed.
need_test_kver = @test -n "$(TEST_KVER)" || { \
	echo "error: no linux-headers-*-amd64 installed (tests/install-deps" \
	     "installs linux-headers-amd64), or pass TEST_KVER=<release>" >&2; exit 1; }

MODULE := src/ramzswap.ko

.PHONY: all module modules modules_install clean check demo demo-vm bench bench-vm sparse \
	install-dkms deb rpm version check-fresh check-debug

all: module

module modules:
	@test -e $(KDIR)/Makefile || { \
	  echo "error: no kernel build tree at $(KDIR)" >&2; \
	  echo "  install the headers (apt install linux-headers-$(KVER))," \
	       "or pass KVER=<release> or KDIR=<dir>" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src RAMZSWAP_VERSION=$(VERSION) modules

modules_install: module
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src INSTALL_MOD_DIR=updates modules_install
	depmod -a $(KVER)

# Static analysis of the module: sparse and W=1, warnings are errors.
sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src RAMZSWAP_VERSION=$(VERSION) C=2 W=1 \
		modules 2>&1 | tee src/.analysis.log
	@! grep -E 'warning|error' src/.analysis.log

clean:
	rm -f src/*.o src/*.ko src/*.mod src/*.mod.c src/.*.cmd src/modules.order \
	      src/Module.symvers src/.analysis.log
	rm -rf src/.tmp_versions tests/vm/build

check:
	tests/run-all

# A new Debian 12 root, the committed tree cloned into it, the README's
# steps run inside it (tests/fresh/run.sh).
check-fresh:
	tests/install-deps
	tests/fresh/run.sh

# The module on a KASAN + lockdep + kmemleak + fault-injection kernel built
# from Debian's linux-source (tests/debug/run.sh; the kernel is cached).
check-debug:
	tests/install-deps
	tests/debug/run.sh

# install-deps first, then a new make, which finds the headers it installed.
demo:
	tests/install-deps
	$(MAKE) demo-vm

demo-vm:
	$(need_test_kver)
	$(MAKE) module KVER=$(TEST_KVER)
	tests/vm/run.sh --suite demo --kver $(TEST_KVER) --ko $(MODULE)

# ramzswap against the kernel's zram on the same kernel, in the same VM:
# a table of medians and ratios (and JSON under the cache's results/).
# One VM per kernel line: the host's 6.1, and trixie's 6.12 and sid's 7.2
# built in their suites' roots (BENCH_SUITES= for 6.1 alone).  Two passes
# (BENCH_CLOCKS): "icount" counts the guest's instructions on one vCPU,
# exact and unmoved by the host's load; "wall" times 2 vCPUs, for the
# 2-job figures, within the noise of emulation on a shared host.
BENCH_SUITES ?= trixie sid
BENCH_CLOCKS ?= icount wall

bench:
	tests/install-deps
	$(MAKE) bench-vm

bench-vm:
	$(need_test_kver)
	$(MAKE) module KVER=$(TEST_KVER)
	for c in $(BENCH_CLOCKS); do \
		BENCH_SUITES="$(BENCH_SUITES)" tests/bench/run.sh --kver $(TEST_KVER) \
			--ko $(MODULE) --clock $$c || exit 1; \
	done
	tests/bench/writeback.sh --kver $(TEST_KVER) --ko $(MODULE)
	for s in $(BENCH_SUITES); do tests/bench/writeback.sh --suite $$s || exit 1; done

# ---- packaging -------------------------------------------------------------

# The DKMS source tree: what dkms.conf's MAKE needs and nothing else, laid
# out as in the repository so that src/Kbuild finds ../VERSION and
# ../include.  The Debian package and the RPM both install it this way.
DKMS_SRC := $(filter-out %.mod.c,$(wildcard src/*.c)) $(wildcard src/*.h) src/Kbuild
DKMS_DIR = $(DESTDIR)/usr/src/ramzswap-$(VERSION)

install-dkms:
	install -d $(DKMS_DIR)/src $(DKMS_DIR)/include/uapi/linux
	install -m 0644 $(DKMS_SRC) $(DKMS_DIR)/src/
	install -m 0644 include/uapi/linux/*.h $(DKMS_DIR)/include/uapi/linux/
	install -m 0644 VERSION $(DKMS_DIR)/VERSION
	install -m 0644 Makefile.dkms $(DKMS_DIR)/Makefile
	sed 's/#MODULE_VERSION#/$(VERSION)/g' dkms.conf >$(DKMS_DIR)/dkms.conf
	chmod 0644 $(DKMS_DIR)/dkms.conf

deb:
	packaging/build-deb

rpm:
	packaging/build-rpm

version:
	@test -n "$(V)" || { echo "usage: make version V=x.y.z" >&2; exit 2; }
	packaging/set-version $(V)
