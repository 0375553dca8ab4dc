#!/bin/sh
# install-depmod.sh DESTDIR KVER: update the module dependency lists after `make install` put
# jailhouse.ko into /lib/modules/KVER/extra, so that `modprobe jailhouse` finds it.
# DESTDIR empty: the running system's lists (depmod KVER); else the staged tree's (depmod -b).
# Without depmod (package kmod), or when it fails, it says what to run on the target instead:
# the files are installed, only the lists are missing. DEPMOD= names another depmod.
destdir=$1
kver=$2
depmod=${DEPMOD:-depmod}
PATH=$PATH:/sbin:/usr/sbin
if ! command -v "$depmod" >/dev/null 2>&1; then
	echo "install: $depmod not found (package kmod): run 'depmod $kver' on the target before 'modprobe jailhouse'" >&2
	exit 0
fi
set -- "$kver"
[ -n "$destdir" ] && set -- -b "$destdir" "$kver"
echo "$depmod $*"
"$depmod" "$@" || echo "install: '$depmod $*' failed: run 'depmod $kver' on the target before 'modprobe jailhouse'" >&2
