# ramzswap: the one entry point.  The module builds with Kbuild (src/),
# everything else is orchestrated from here.
#
#   make                      module for the running kernel
#   make KVER=6.1.0-56-amd64  module for an installed kernel's headers
#   make KDIR=/path/to/build  module for a kernel build tree
#   make check                every test tier (see README)
#   make demo                 the demo in a VM

KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
VERSION := $(shell cat VERSION)

# The kernel the VM tests boot: the newest Debian amd64 headers installed
# (.ci/run installs linux-headers-amd64), unless given.
TEST_KVER ?= $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
		sed 's|.*/linux-headers-||' | sort -V | tail -n 1)

MODULE := src/ramzswap.ko

.PHONY: all module modules modules_install clean check demo bench sparse

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

demo:
	tests/install-deps
	$(MAKE) module KVER=$(TEST_KVER)
	tests/vm/run.sh --suite demo --kver $(TEST_KVER) --ko $(MODULE)

# ramzswap against the kernel's zram on the same kernel, in the same VM:
# a table of medians and ratios (and JSON under the cache's results/).
bench:
	tests/install-deps
	$(MAKE) module KVER=$(TEST_KVER)
	tests/bench/run.sh --kver $(TEST_KVER) --ko $(MODULE)
