#!/bin/bash
# make check-fresh: the README's two commands on a new machine. Builds a minimal Debian 12 root
# (mmdebstrap --variant=apt bookworm, plus git and make: nothing else), clones the commit under
# test into it and runs there, as the README shows them, `make demo` and then `make check`.
# Also: without root and sudo, `make deps` stops with one line naming the command to run; a
# second `make deps` downloads and installs nothing. Ends with "N passed, N failed" (its own
# checks plus those of the inner `make check`) and fails when anything failed.
#
# The base root is cached in $FRESH_CACHE (default /var/cache/jailhouse-fresh), rebuilt when older
# than a week or when the machine's apt sources or options change. The run happens in $FRESH_WORK
# (default /var/tmp/jailhouse-fresh), removed after a passing run unless FRESH_KEEP=1.
# The root uses this machine's apt sources (those for bookworm) and Acquire options: no mirror
# address is written here. Needs root (chroot, mounts); installs mmdebstrap if it is missing.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=${FRESH_CACHE:-/var/cache/jailhouse-fresh}
work=${FRESH_WORK:-/var/tmp/jailhouse-fresh}
base=$cache/bookworm-base.tar
root=$work/root
project=/home/jailhouse
passed=0
failed=0

say() { echo "fresh: $*"; }
die() { echo "fresh: error: $*" >&2; echo "$passed passed, $((failed + 1)) failed"; exit 1; }
pass() { passed=$((passed + 1)); echo "  PASS fresh: $1"; }
fail() { failed=$((failed + 1)); echo "  FAIL fresh: $1"; }

[ "$(id -u)" -eq 0 ] || die "needs root (chroot and mounts): run sudo make check-fresh"

install_mmdebstrap() {
	command -v mmdebstrap >/dev/null && return 0
	say "installing mmdebstrap"
	apt-get update -q >/dev/null &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			mmdebstrap >/dev/null || die "cannot install mmdebstrap"
}

# The machine's own bookworm sources (one-line .list and deb822 .sources alike) and the Acquire
# options its apt runs with (proxies, a snapshot mirror's Valid-Until), for the new root.
host_sources() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
		/etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] && grep -Eq '^[^#]*\bbookworm\b' "$f" && echo "$f"
	done
}

# (the same selection scripts/deps.sh gives its private apt state)
write_apt_options() {
	env -u APT_CONFIG apt-config dump --no-empty | grep '^Acquire::' > "$1" || true
}

base_key() {
	local f
	for f in $(host_sources) "$cache/apt-options"; do cat "$f"; done | sha256sum | cut -c1-16
}

build_base() {
	mkdir -p "$cache"
	write_apt_options "$cache/apt-options"
	local key sources
	key=$(base_key)
	if [ -f "$base" ] && [ "$(cat "$base.key" 2>/dev/null)" = "$key" ] &&
		[ -n "$(find "$base" -mtime -7)" ]; then
		say "base root: $base (cached, $(du -h "$base" | cut -f1))"
		return 0
	fi
	mapfile -t sources < <(host_sources)
	[ ${#sources[@]} -gt 0 ] || die "no apt source for bookworm in /etc/apt: cannot build a root"
	install_mmdebstrap
	say "building the base root (mmdebstrap --variant=apt bookworm, + git make) from ${sources[*]}"
	rm -f "$base.new"
	mmdebstrap --variant=apt --format=tar --include=git,make --aptopt="$cache/apt-options" \
		bookworm "$base.new" "${sources[@]}" > "$cache/mmdebstrap.log" 2>&1 ||
		{ tail -30 "$cache/mmdebstrap.log"; die "mmdebstrap failed (log $cache/mmdebstrap.log)"; }
	mv "$base.new" "$base"
	echo "$key" > "$base.key"
}

# Run a shell command in the root, as a new machine's user would: own mounts of /proc, /sys, /dev
# (gone with the process), a clean environment. Extra arguments go before the command (setpriv).
# LIMIT (seconds) bounds it: the whole process tree is killed then (exit 124).
in_root() {
	local cmd=$1
	shift
	timeout -k 30 "${LIMIT:-600}" \
		unshare --mount --pid --fork --kill-child --mount-proc="$root/proc" /bin/sh -c '
		root=$1; shift
		mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" &&
			mount -t sysfs sysfs "$root/sys" && mount -t tmpfs tmpfs "$root/tmp" ||
			exit 125
		exec chroot "$root" "$@"' sh "$root" "$@" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
		TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		/bin/bash -c "cd $project && $cmd"
}

prepare_root() {
	rm -rf "$work"
	mkdir -p "$root"
	tar -x -p -f "$base" -C "$root" || die "cannot unpack $base"
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	local commit
	commit=$(git -C "$top" rev-parse HEAD) || die "$top is not a git clone"
	[ -z "$(git -C "$top" status --porcelain --untracked-files=no)" ] ||
		say "note: uncommitted changes in $top are not part of this test"
	git clone -q --no-hardlinks "$top" "$root$project" &&
		git -C "$root$project" checkout -q --detach "$commit" || die "cannot clone $top"
	say "commit under test: $(git -C "$top" log -1 --format='%h %s' "$commit")"
}

# A step that must end 0 within LIMIT seconds: its output goes to LOG; on failure, its tail is
# printed.
step() {
	local name=$1 log=$2 cmd=$3 limit=$4 start=$SECONDS
	say "$name ($cmd; log $log)"
	LIMIT=$limit in_root "$cmd" > "$log" 2>&1
	local rc=$?
	[ $rc -eq 124 ] && echo "fresh: $name did not end within $limit s" >> "$log"
	say "$name: exit $rc after $((SECONDS - start)) s"
	if [ $rc -ne 0 ]; then
		echo "  --- tail of $log ---"
		tail -60 "$log" | sed 's/^/    /'
	fi
	return $rc
}

check_unprivileged_deps() {
	local out rc
	out=$(in_root "make deps" setpriv --reuid=65534 --regid=65534 --clear-groups 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && [ "$(grep -c 'run as root' <<<"$out")" -eq 1 ] &&
		grep -q 'apt-get install' <<<"$out"; then
		pass "make deps without root or sudo stops with one line naming the command"
		grep 'run as root' <<<"$out" | cut -c1-150 | sed 's/^/    /'
	else
		fail "make deps without root or sudo (exit $rc): $out"
	fi
}

check_demo() {
	if step "make demo" "$work/demo.log" "make demo" 1800; then
		pass "make demo ends 0"
	else
		fail "make demo ends 0"
		return
	fi
	if grep -q '^latency ns: min=' "$work/demo.log"; then
		pass "make demo prints the latency lines"
		grep '^latency ns:' "$work/demo.log" | tail -1 | sed 's/^/    /'
	else
		fail "make demo prints the latency lines"
	fi
}

check_second_deps() {
	local out
	out=$(in_root "make deps" 2>&1)
	if [ $? -eq 0 ] && ! grep -Eq 'installing|refreshing|Get:|Debian arm64 kernel' <<<"$out"; then
		pass "a second make deps downloads and installs nothing"
	else
		fail "a second make deps downloads and installs nothing: $out"
	fi
}

check_check() {
	step "make check" "$work/check.log" "make check" 2700
	local rc=$? p f
	read -r p f < <(grep -Eo '^[0-9]+ passed, [0-9]+ failed$' "$work/check.log" | tail -1 |
		sed -E 's/([0-9]+) passed, ([0-9]+) failed/\1 \2/')
	p=${p:-0}
	f=${f:-0}
	[ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
	grep -E '^== .*: [0-9]+ passed' "$work/check.log" | sed 's/^/    /'
	passed=$((passed + p))
	failed=$((failed + f))
}

build_base
prepare_root
start=$SECONDS
check_unprivileged_deps
check_demo
check_second_deps
check_check
say "root after the run: $(du -sh --exclude=proc "$root" 2>/dev/null | cut -f1)," \
	"$((SECONDS - start)) s for the checks"
if [ "$failed" -eq 0 ] && [ "${FRESH_KEEP:-0}" != 1 ]; then
	rm -rf "$work"
else
	say "root kept in $root"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
