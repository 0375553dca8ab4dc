#!/bin/bash
# make deps: install the Debian packages the project needs (non-interactive, idempotent) and fetch
# Debian's arm64 6.1 kernel image + headers, the matching native linux-kbuild-6.1 and arm64
# busybox-static into $CACHE through a private apt state (the host's dpkg is never touched).
# On an amd64 host the same kernel ABI's amd64 image (./boot only) + headers and amd64
# busybox-static go into $CACHE/root-amd64 (KABI in $CACHE/KABI-amd64) for ARCH=x86, and the
# armhf armmp-lpae image + headers and armhf busybox-static into $CACHE/root-armhf for ARCH=arm.
# The private state reads the machine's own apt sources (/etc/apt/sources.list and
# sources.list.d, one-line and deb822 alike) and its Acquire options (proxies, mirrors' quirks);
# only the package lists and the extra architecture are private.
# A second run downloads nothing. Environment: CACHE (default .cache), KABI (pin a kernel ABI,
# e.g. 6.1.0-56), FORCE_UPDATE=1 (refresh the private package lists now).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cache=$(realpath -m "${CACHE:-$top/.cache}")

host_packages=(
	make gcc libc6-dev bc perl cpio gzip xz-utils file
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
	gcc-arm-linux-gnueabihf binutils-arm-linux-gnueabihf libc6-dev-armhf-cross
	qemu-system-arm qemu-system-x86 device-tree-compiler gdb-multiarch
	clang llvm libclang-rt-dev
	python3 python3-libfdt python3-pyelftools python3-jinja2 python3-kconfiglib
	python3-pytest python3-yaml tmux librsvg2-bin groff-base man-db
	debian-archive-keyring ca-certificates
)

install_host_packages() {
	local missing=() p
	for p in "${host_packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=
	if [ "$(id -u)" -ne 0 ]; then
		if ! command -v sudo >/dev/null; then
			echo "deps: missing Debian packages and not root (no sudo): run as root:" \
				"apt-get install --no-install-recommends ${missing[*]}" >&2
			exit 1
		fi
		sudo=sudo
	fi
	echo "deps: installing ${missing[*]}"
	$sudo apt-get update -q
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

apt_dir=$cache/apt
debs=$cache/debs
root=$cache/root

native=$(dpkg --print-architecture)
etc=$(apt-config shell etc Dir::Etc/d | sed -n "s/^etc='\\(.*\\)'$/\\1/p")
etc=${etc:-/etc/apt/}

# The private state: own lists, status and archive cache; the machine's sources, keys and
# Acquire options. Dir::Etc::Parts stays private so the host's update hooks (APT::Update::
# Post-Invoke) never run for the private lists.
write_private_apt_config() {
	mkdir -p "$apt_dir"/etc/apt/{preferences.d,apt.conf.d} \
		"$apt_dir"/var/lib/apt/lists/partial "$apt_dir"/var/cache/apt/archives/partial \
		"$apt_dir"/var/lib/dpkg "$debs"
	touch "$apt_dir/var/lib/dpkg/status"
	rm -f "$apt_dir/etc/apt/sources.list"
	env -u APT_CONFIG apt-config dump --no-empty | grep '^Acquire::' \
		> "$apt_dir/etc/apt/apt.conf.d/50host-acquire.new" || true
	mv "$apt_dir/etc/apt/apt.conf.d/50host-acquire.new" "$apt_dir/etc/apt/apt.conf.d/50host-acquire"
	cat > "$apt_dir/apt.conf.new" <<CONF
Dir::State "$apt_dir/var/lib/apt/";
Dir::State::status "$apt_dir/var/lib/dpkg/status";
Dir::Cache "$apt_dir/var/cache/apt/";
Dir::Etc "$apt_dir/etc/apt/";
Dir::Etc::SourceList "${etc}sources.list";
Dir::Etc::SourceParts "${etc}sources.list.d/";
Dir::Etc::Trusted "${etc}trusted.gpg";
Dir::Etc::TrustedParts "${etc}trusted.gpg.d/";
Dir::Etc::netrc "${etc}auth.conf";
Dir::Etc::netrcparts "${etc}auth.conf.d/";
Dir::Etc::Parts "$apt_dir/etc/apt/apt.conf.d/";
Dir::Etc::Preferences "$apt_dir/etc/apt/preferences";
Dir::Etc::PreferencesParts "$apt_dir/etc/apt/preferences.d/";
APT::Architecture "$native";
APT::Architectures { "$native"; "arm64"; "armhf"; };
Acquire::Languages "none";
APT::Sandbox::User "root";
CONF
	mv "$apt_dir/apt.conf.new" "$apt_dir/apt.conf"
}

# The kernel ABI: pinned by KABI, else the one fetched before (so a second run downloads nothing),
# else whatever Debian's linux-image-arm64 metapackage depends on today.
resolve_kabi() {
	if [ -n "${KABI:-}" ]; then echo "$KABI"; return; fi
	if [ -f "$cache/KABI" ] && [ -f "$root/.extracted-$(cat "$cache/KABI")" ]; then
		cat "$cache/KABI"; return
	fi
	{ apt-cache depends linux-image-arm64:arm64 2>/dev/null || true; } |
		sed -n 's/.*Depends: linux-image-\(.*\)-arm64:arm64/\1/p' | head -1
}

refresh_lists() {
	local stamp=$apt_dir/updated.stamp
	[ "${FORCE_UPDATE:-0}" = 1 ] || [ -z "$(find "$stamp" -mmin -1440 2>/dev/null)" ] || return 0
	echo "deps: refreshing private package lists ($native+arm64+armhf, the machine's apt sources)" >&2
	apt-get -q update > "$cache/apt-update.log" 2>&1 || { cat "$cache/apt-update.log"; exit 1; }
	touch "$stamp"
}

fetch_kernel() {
	export APT_CONFIG=$apt_dir/apt.conf
	write_private_apt_config
	local kabi
	kabi=$(resolve_kabi)
	if [ -z "$kabi" ] || [ ! -f "$root/.extracted-$kabi" ]; then
		refresh_lists
		kabi=$(resolve_kabi)
	fi
	[ -n "$kabi" ] || { echo "deps: cannot resolve the Debian arm64 kernel ABI" >&2; exit 1; }
	if [ -f "$root/.extracted-$kabi" ] && extract_modules "$kabi"; then
		fix_headers_makefile "$kabi"
		echo "$kabi" > "$cache/KABI"
		return 0
	fi
	local kver
	kver=$(apt-cache show "linux-image-$kabi-arm64-unsigned:arm64" | sed -n 's/^Version: //p' | head -1)
	[ -n "$kver" ] || {
		echo "deps: linux-image-$kabi-arm64-unsigned:arm64 is not served by this machine's" \
			"apt sources (${etc}sources.list, ${etc}sources.list.d): add Debian bookworm main" \
			"for arm64" >&2
		exit 1
	}
	echo "deps: Debian arm64 kernel $kabi ($kver)"
	local pkgs=(
		"linux-image-$kabi-arm64-unsigned:arm64=$kver"
		"linux-headers-$kabi-arm64:arm64=$kver"
		"linux-headers-$kabi-common=$kver"
		"linux-kbuild-6.1:$native=$kver"
		"busybox-static:arm64"
	)
	(cd "$debs" && apt-get -q download "${pkgs[@]}")
	extract "$kabi" "$kver"
	extract_modules "$kabi" || { echo "deps: no linux-image .deb in $debs" >&2; exit 1; }
	fix_headers_makefile "$kabi"
	echo "$kabi" > "$cache/KABI"
}

extract() {
	local kabi=$1 kver=$2 deb
	rm -rf "$root"
	mkdir -p "$root"
	# Only ./boot of the image package: its ~330 MB of modules are never used.
	deb=$(ls "$debs"/linux-image-"$kabi"-arm64-unsigned_*_arm64.deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" ./boot
	# One merged tree, so the headers' relative symlinks into linux-kbuild-6.1 resolve.
	for deb in "$debs"/linux-headers-"$kabi"-arm64_*_arm64.deb \
		"$debs"/linux-headers-"$kabi"-common_*_all.deb \
		"$debs"/linux-kbuild-6.1_"${kver//:/%3a}"_"$native".deb \
		"$(ls "$debs"/busybox-static_*_arm64.deb | tail -1)"; do
		dpkg-deb -x "$deb" "$root"
	done
	touch "$root/.extracted-$kabi"
}

# The few modules the system tests load into the guest: virtio over PCI and its RNG, a device
# whose MSI-X goes through the ITS. Its own marker, because caches from before carry the other.
GUEST_MODULES=(drivers/virtio/virtio_pci_legacy_dev.ko drivers/virtio/virtio_pci_modern_dev.ko
	drivers/virtio/virtio_pci.ko drivers/char/hw_random/virtio-rng.ko)

extract_modules() {
	local kabi=$1 deb m members=()
	[ -f "$root/.modules-$kabi" ] && return 0
	deb=$(ls "$debs"/linux-image-"$kabi"-arm64-unsigned_*_arm64.deb 2>/dev/null | tail -1)
	[ -n "$deb" ] || return 1
	for m in "${GUEST_MODULES[@]}"; do
		members+=("./lib/modules/$kabi-arm64/kernel/$m")
	done
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$root" "${members[@]}"
	touch "$root/.modules-$kabi"
}

# The flavour Makefile includes /usr/src/linux-headers-<abi>-common/Makefile by absolute path:
# point it into our tree (otherwise it fails, or silently uses a host copy of the same ABI).
fix_headers_makefile() {
	local mk=$root/usr/src/linux-headers-$1-arm64/Makefile
	sed -i -E "s#^include .*/usr/src/(linux-headers-[^/]*-common/Makefile)#include $root/usr/src/\1#" "$mk"
}

# --- the other kernels: amd64 (ARCH=x86, amd64 hosts only) and armhf (ARCH=arm, Debian's
# armmp-lpae flavour for Cortex-A7/A15), the arm64 kernel's ABI, each in its own tree ---------
# Version of package $1 (name:arch), refreshing the private lists once if they lack it (lists
# written before an architecture was added to the private state).
foreign_version() {
	local v
	v=$({ apt-cache show "$1" 2>/dev/null || true; } | sed -n 's/^Version: //p' | head -1)
	if [ -z "$v" ]; then
		FORCE_UPDATE=1 refresh_lists
		v=$({ apt-cache show "$1" 2>/dev/null || true; } | sed -n 's/^Version: //p' | head -1)
	fi
	echo "$v"
}

# fetch_flavour DEBARCH FLAVOUR IMAGE-PACKAGE-SUFFIX ROOT KABI-FILE
fetch_flavour() {
	local arch=$1 flavour=$2 suffix=$3 froot=$4 kfile=$5 kabi kver deb pkgs=() missing=() p
	kabi=$(cat "$cache/KABI")
	if [ -f "$froot/.extracted-$kabi" ]; then
		echo "$kabi" > "$kfile"
		return 0
	fi
	kver=$(foreign_version "linux-image-$kabi-$flavour$suffix:$arch")
	[ -n "$kver" ] || {
		echo "deps: linux-image-$kabi-$flavour$suffix:$arch is not served by this machine's apt sources" >&2
		exit 1
	}
	echo "deps: Debian $arch kernel $kabi-$flavour ($kver)"
	pkgs=("linux-image-$kabi-$flavour$suffix:$arch=$kver" "linux-headers-$kabi-$flavour:$arch=$kver"
		"linux-headers-$kabi-common=$kver" "linux-kbuild-6.1:$native=$kver" "busybox-static:$arch")
	# -common and linux-kbuild-6.1 are the arm64 kernel's too: fetched once
	for p in "${pkgs[@]}"; do
		local n=${p%%[:=]*} v=${p##*=} a=${p#*:}
		a=${a%%=*}
		[ "$v" = "$p" ] && v=
		ls "$debs/${n}_${v//:/%3a}"*_"$a".deb "$debs/${n}_${v//:/%3a}"*_all.deb \
			2>/dev/null | grep -q . || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] || (cd "$debs" && apt-get -q download "${missing[@]}")
	rm -rf "$froot"
	mkdir -p "$froot"
	deb=$(ls "$debs"/linux-image-"$kabi-$flavour$suffix"_*_"$arch".deb)
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$froot" ./boot
	for deb in "$debs"/linux-headers-"$kabi-$flavour"_*_"$arch".deb \
		"$debs"/linux-headers-"$kabi"-common_*_all.deb \
		"$debs"/linux-kbuild-6.1_"${kver//:/%3a}"_"$native".deb \
		"$(ls "$debs"/busybox-static_*_"$arch".deb | tail -1)"; do
		dpkg-deb -x "$deb" "$froot"
	done
	local mk=$froot/usr/src/linux-headers-$kabi-$flavour/Makefile
	sed -i -E "s#^include .*/usr/src/(linux-headers-[^/]*-common/Makefile)#include $froot/usr/src/\1#" "$mk"
	touch "$froot/.extracted-$kabi"
	echo "$kabi" > "$kfile"
}

fetch_kernel_amd64() {
	[ "$native" = amd64 ] || { echo "deps: $native host: no amd64 kernel (ARCH=x86 builds natively)"; return 0; }
	fetch_flavour amd64 amd64 -unsigned "$cache/root-amd64" "$cache/KABI-amd64"
}

fetch_kernel_armhf() {
	fetch_flavour armhf armmp-lpae "" "$cache/root-armhf" "$cache/KABI-armhf"
}

install_host_packages
fetch_kernel
fetch_kernel_amd64
fetch_kernel_armhf
echo "deps: ready (kernel $(cat "$cache/KABI"), cache $cache)"
