# SPDX-License-Identifier: GPL-2.0
#
# Shared by the roam shell selftests (POSIX sh: dash and busybox sh).
# KTAP output: ktap_header, then ktap_plan N, one ok/fail/skip per case,
# then ktap_finish, which prints the "# Totals:" line run.sh reads and
# exits 1 if anything failed.

here=$(cd "$(dirname "$0")" && pwd)
ktap_n=0
ktap_pass=0
ktap_fail=0
ktap_skip=0

ktap_header() { echo "TAP version 13"; }
ktap_plan() { echo "1..$1"; }
ktap_note() { echo "# $*"; }
ktap_ok() {
	ktap_n=$((ktap_n + 1)); ktap_pass=$((ktap_pass + 1))
	echo "ok $ktap_n $*"
}
ktap_fail() {
	ktap_n=$((ktap_n + 1)); ktap_fail=$((ktap_fail + 1))
	echo "not ok $ktap_n $*"
}
ktap_skip() {
	ktap_n=$((ktap_n + 1)); ktap_skip=$((ktap_skip + 1))
	name=$1; shift
	echo "ok $ktap_n $name # SKIP $*"
}
# ktap_check NAME COMMAND...: ok if COMMAND succeeds.
ktap_check() {
	name=$1; shift
	if "$@"; then ktap_ok "$name"; else ktap_fail "$name"; fi
}
ktap_finish() {
	echo "# Totals: pass:$ktap_pass fail:$ktap_fail xfail:0 xpass:0 skip:$ktap_skip error:0"
	[ "$ktap_fail" -eq 0 ]
	exit $?
}

roam_loaded() { [ -r /sys/module/roam/parameters/family ]; }

# Sleep a tenth of a second (fractions need busybox's "fancy" sleep).
nap() { sleep 0.1 2>/dev/null || sleep 1; }

# wait_listening FILE: wait up to 5 s for roam-test-server's "listening
# PORT" line in FILE and print PORT.
wait_listening() {
	i=0
	while [ $i -lt 50 ]; do
		if grep -q '^listening ' "$1" 2>/dev/null; then
			sed -n 's/^listening \([0-9]*\).*/\1/p' "$1" | head -n 1
			return 0
		fi
		nap
		i=$((i + 1))
	done
	return 1
}

# wait_line FILE PATTERN: wait up to 5 s for a line matching PATTERN.
wait_line() {
	i=0
	while [ $i -lt 50 ]; do
		grep -q "$2" "$1" 2>/dev/null && return 0
		nap
		i=$((i + 1))
	done
	return 1
}

# A counter from /proc/net/roam/stats of the current netns (-1 if none).
roam_stat() {
	awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print -1 }' \
		/proc/net/roam/stats 2>/dev/null || echo -1
}

# Kernel log lines that mean trouble (the VM runner checks the whole log
# as well; this pins a splat to the test that caused it).
splat_re='Oops|BUG:|WARNING:|KASAN|UBSAN|refcount_t:|general protection|Call Trace|list_add corruption|list_del corruption|kmemleak|lockdep|suspicious RCU'
dmesg_mark() { dmesg 2>/dev/null | wc -l; }
# dmesg_clean MARK: no splat after line MARK.
dmesg_clean() {
	if dmesg 2>/dev/null | tail -n +"$(($1 + 1))" | grep -Eq "$splat_re"; then
		dmesg | tail -n +"$(($1 + 1))" | grep -E -A20 "$splat_re" |
			head -n 60 | sed 's/^/# dmesg: /'
		return 1
	fi
	return 0
}

# wait_pid PID SECS: wait up to SECS for PID (a child) to exit and return
# its status; if it is still running then, kill it and return 124.
wait_pid() {
	i=0
	while kill -0 "$1" 2>/dev/null; do
		if [ $i -ge $(($2 * 10)) ]; then
			kill -9 "$1" 2>/dev/null
			wait "$1" 2>/dev/null
			return 124
		fi
		nap
		i=$((i + 1))
	done
	wait "$1"
}
