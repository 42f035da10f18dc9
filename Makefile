# SPDX-License-Identifier: GPL-2.0
#
# roam: top-level build.
#
#   make            build roam.ko (for KVER, default: the running kernel if
#                   its headers are installed, else Debian's 6.12 cloud
#                   kernel) and the userspace library and tools
#   make check      build for both test kernels and run every test in a VM
#   make check-full every stream transfer at 64 MiB, also the slow ones
#   make check-debug  the selftests on a KASAN/lockdep/kmemleak/UBSAN kernel
#                   (built from linux-source-6.12 once, cached in ROAM_CACHE)
#   make demo       boot a VM and show a session
#   make bench      print AF_ROAM figures next to UDP/TCP (in a VM)
#   make fuzz       fuzz the wire parser (FUZZ_SECONDS, default 60)
#   make install    install the module and userspace (DESTDIR, PREFIX)

SHELL := /bin/bash
TOP := $(CURDIR)
ROAM_CACHE ?= $(HOME)/.cache/roam
export ROAM_CACHE

# The kernel to build for when none is named.
KVER ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then uname -r; \
	else $(TOP)/scripts/find-kernel 6.12 2>/dev/null; fi)
KDIR ?= /lib/modules/$(KVER)/build

# The two kernels every test runs on.
TEST_KERNELS ?= 6.12 6.1

.PHONY: all module modules userspace selftests check check-full check-debug demo bench \
	fuzz clean \
	install deps sparse checkpatch

all: module userspace

deps:
	@$(TOP)/scripts/deps.sh --quiet

# In-tree build for KVER: net/roam/roam.ko.  Needs only the kernel's
# headers; scripts/deps.sh (make deps) installs the test kernels too.
module modules:
	@test -d $(KDIR) || { echo "no kernel headers in $(KDIR): install linux-headers-$(KVER) (or run make deps)" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(TOP) modules

# Out-of-tree copy per test kernel: build/<kver>/net/roam/roam.ko.
build/%/net/roam/roam.ko: FORCE deps
	@$(TOP)/scripts/build-module.sh $*

userspace:
	$(MAKE) -C userspace

selftests: deps userspace
	$(MAKE) -C selftests

check: deps
	@$(TOP)/scripts/check.sh $(TEST_KERNELS)

check-full: deps
	@ROAM_CHECK_FULL=1 $(TOP)/scripts/check.sh $(TEST_KERNELS)

check-debug: deps
	@$(TOP)/scripts/check.sh --debug

demo: deps
	@$(TOP)/scripts/demo.sh

bench: deps
	@$(TOP)/scripts/bench.sh

fuzz: deps
	$(MAKE) -C selftests/fuzz run

sparse: deps
	$(MAKE) -C $(KDIR) M=$(TOP) C=2 W=1 modules

checkpatch: deps
	@$(TOP)/scripts/checkpatch.sh

install: all
	$(MAKE) -C $(KDIR) M=$(TOP) modules_install
	$(MAKE) -C userspace install

clean:
	-$(MAKE) -C $(KDIR) M=$(TOP) clean 2>/dev/null
	$(MAKE) -C userspace clean
	$(MAKE) -C selftests clean
	rm -rf build

FORCE:
