#!/bin/sh
# install-depmod.sh DESTDIR KVER: update the module dependency lists after `make install` put
# jailhouse.ko into /lib/modules/KVER/extra, so that `modprobe jailhouse` finds it.
# DESTDIR empty: the running system's lists (depmod KVER); else the staged tree's (depmod -b).
# Without depmod (kmod) it says what to run instead: never a failed install for that.
destdir=$1
kver=$2
PATH=$PATH:/sbin:/usr/sbin
if ! command -v depmod >/dev/null 2>&1; then
	echo "install: depmod not found (package kmod): run 'depmod $kver' on the target before 'modprobe jailhouse'" >&2
	exit 0
fi
if [ -n "$destdir" ]; then
	echo "depmod -b $destdir $kver"
	exec depmod -b "$destdir" "$kver"
fi
echo "depmod $kver"
exec depmod "$kver"
