#!/usr/bin/python3
"""Unwrap Debian's armhf zImage into a uImage QEMU loads and enters directly.

Debian's kernel is an XZ-compressed zImage; its decompressor alone costs ~10 s per boot under
TCG. The kernel proper inside it is unchanged here: only the wrapper is bypassed. QEMU's loader
puts a uImage at its load address, which must be the RAM base + TEXT_OFFSET the kernel was built
for: ARM_PATCH_PHYS_VIRT derives PHYS_OFFSET from where the kernel runs, so a wrong address
boots with RAM silently mis-detected. Debian's armmp flavours select ARCH_MESON, whose
TEXT_OFFSET is 0x208000, not the usual 0x8000: it is read from the headers' arch/arm/Makefile
and the kernel's config, never assumed.

usage: unwrap-zimage.py ZIMAGE CONFIG ARCH_ARM_MAKEFILE RAM_BASE OUT
"""
from __future__ import annotations

import lzma
import re
import struct
import sys
import zlib
from pathlib import Path

ZIMAGE_MAGIC = 0x016F2818        # at offset 0x24 of every zImage
XZ_MAGIC = b"\xfd7zXZ\x00"
UIMAGE_MAGIC = 0x27051956
IH_OS_LINUX, IH_ARCH_ARM, IH_TYPE_KERNEL, IH_COMP_NONE = 5, 2, 2, 0


class Error(Exception):
    """file:line: error: [rule] message, with a hint for the user."""

    def __init__(self, where: str, rule: str, message: str, hint: str = ""):
        text = f"{where}: error: [{rule}] {message}"
        super().__init__(text + (f"\nhint: {hint}" if hint else ""))


def enabled_options(config: Path) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^(CONFIG_\w+)=y$", config.read_text(), re.M)}


def text_offset(makefile: Path, options: set[str]) -> int:
    """The last textofs-y / textofs-$(CONFIG_X) assignment whose option is on wins, as in
    arch/arm/Makefile itself (TEXT_OFFSET := $(textofs-y))."""
    found = None
    for line in makefile.read_text().splitlines():
        m = re.match(r"textofs-(y|\$\((CONFIG_\w+)\))\s*:=\s*(0x[0-9a-fA-F]+)\s*$", line)
        if m and (m.group(1) == "y" or m.group(2) in options):
            found = int(m.group(3), 16)
    if found is None:
        raise Error(str(makefile), "text-offset", "no textofs assignment applies",
                    "pass the armhf headers' arch/arm/Makefile (linux-headers-*-common)")
    return found


def kernel_image(zimage: Path) -> bytes:
    data = zimage.read_bytes()
    if len(data) < 0x28 or struct.unpack_from("<I", data, 0x24)[0] != ZIMAGE_MAGIC:
        raise Error(str(zimage), "zimage", "not an ARM zImage (no magic at offset 0x24)")
    # the decompressor's own code holds the XZ magic too: the payload is the one that decodes
    for m in re.finditer(re.escape(XZ_MAGIC), data):
        try:
            return lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(data[m.start():])
        except lzma.LZMAError:
            continue
    raise Error(str(zimage), "zimage", "no XZ payload decodes",
                "only XZ-compressed zImages (Debian's CONFIG_KERNEL_XZ) are unwrapped")


def uimage(image: bytes, load: int, name: bytes) -> bytes:
    header = struct.pack(">7I4B32s", UIMAGE_MAGIC, 0, 0, len(image), load, load,
                         zlib.crc32(image), IH_OS_LINUX, IH_ARCH_ARM, IH_TYPE_KERNEL,
                         IH_COMP_NONE, name)
    header = header[:4] + struct.pack(">I", zlib.crc32(header)) + header[8:]
    return header + image


def main(argv: list[str]) -> int:
    if len(argv) != 6:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    zimage, config, makefile, ram_base, out = Path(argv[1]), Path(argv[2]), Path(argv[3]), \
        int(argv[4], 0), Path(argv[5])
    try:
        load = ram_base + text_offset(makefile, enabled_options(config))
        image = kernel_image(zimage)
    except Error as err:
        print(err, file=sys.stderr)
        return 1
    except OSError as err:
        print(f"{err.filename}: error: [read] {err.strerror}", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(uimage(image, load, zimage.name.encode()[:31]))
    tmp.replace(out)
    print(f"{out}: {zimage.name} unwrapped, Image {len(image)} bytes, load/entry {load:#x}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
