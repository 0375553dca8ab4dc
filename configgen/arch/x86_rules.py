"""The x86 profile's own rules: local APIC ids, the boot CPU, real-mode cell start, the IOAPICs
and IOMMUs against the hypervisor memory, and the guest addresses where every cell sees the
emulated local APIC and IOAPICs."""
from __future__ import annotations

from typing import TYPE_CHECKING

from configgen.diag import ERROR, Diagnostic, Note
from configgen.model import Range, System

if TYPE_CHECKING:
    from configgen.arch.x86 import X86Profile

_REAL_MODE_LIMIT = 1 << 20


def _cpus(prof: "X86Profile", sysm: System) -> list[Diagnostic]:
    from configgen.arch.x86 import X86_XAPIC_BROADCAST
    out = []
    seen: dict[int, str] = {}
    for cpu in sysm.cpus:
        if cpu.hw_id >= X86_XAPIC_BROADCAST:
            out.append(Diagnostic(ERROR, "cpu-apic-id", f"{cpu.path}: APIC id {cpu.hw_id:#x} is not an xAPIC id",
                                  cpu.loc, "xAPIC ids are 0..0xfe (0xff is the broadcast); reg = <APIC id>"))
        elif cpu.hw_id in seen:
            out.append(Diagnostic(ERROR, "cpu-apic-id", f"{cpu.path}: APIC id {cpu.hw_id:#x} is already that of "
                                                        f"{seen[cpu.hw_id]}", cpu.loc,
                                  "every CPU node needs its own reg (the APIC id from the MADT)"))
        else:
            seen[cpu.hw_id] = cpu.path
    return out


def _boot_cpu(sysm: System) -> list[Diagnostic]:
    """CPU 0 (the boot CPU) always stays with the root: the driver enables the hypervisor from it
    and Linux cannot offline it."""
    if not sysm.cpus:
        return []
    boot = sysm.cpus[0]
    out = []
    if 0 not in sysm.root.cpus and sysm.root.cpus:
        out.append(Diagnostic(ERROR, "cpu-boot", f"the root cell '{sysm.root.name}' does not own the boot CPU "
                                                 f"{boot.path}", sysm.root.cpus_loc or sysm.root.loc,
                              "the root cell keeps CPU 0 (APIC id of the BSP); add it to its cpus"))
    for c in sysm.cells:
        if 0 in c.cpus:
            out.append(Diagnostic(ERROR, "cpu-boot", f"cell '{c.name}' takes the boot CPU {boot.path}",
                                  c.cpus_loc or c.loc, "CPU 0 always stays with the root cell; pick CPUs 1..",
                                  (Note(boot.loc, "the boot CPU"),)))
    return out


def _real_mode(sysm: System) -> list[Diagnostic]:
    """A cell's first CPU starts in 16-bit real mode at cpu_reset_address: CS.base = R & 0xf0000,
    IP = R & 0xffff, so the address must lie below 1 MiB."""
    return [Diagnostic(ERROR, "mem-reset-real-mode",
                       f"cell '{c.name}' starts at guest {c.cpu_reset_address:#x}, above 1 MiB: its first CPU "
                       "starts in real mode, which reaches only the first MiB", c.reset_loc or c.loc,
                       "link and load the inmate below 1 MiB (our demos: at guest 0, cpu-reset-address = 0)")
            for c in sysm.cells if c.cpu_reset_address >= _REAL_MODE_LIMIT]


def _hypervisor_devices(sysm: System) -> list[Diagnostic]:
    from configgen.arch.x86 import X86_IOAPIC_SIZE
    h, p = sysm.hyp_mem, sysm.platform
    devs = [(f"the IOAPIC {io.path}", Range(io.address, X86_IOAPIC_SIZE), io.loc) for io in p.ioapics]
    devs += [(f"the IOMMU {u.path}", Range(u.base, u.size), u.loc) for u in p.iommus]
    return [Diagnostic(ERROR, "mem-hypervisor-overlap",
                       f"{what} [{r.start:#x}+{r.size:#x}] lies in the hypervisor memory [{h.start:#x}-{h.end - 1:#x}]",
                       loc or sysm.hyp_loc, "move the hypervisor memory off the device",
                       (Note(sysm.hyp_loc, "hypervisor memory is defined here"),))
            for what, r, loc in devs if r.size and r.start < h.end and h.start < r.end]


def _guest_windows(prof: "X86Profile", sysm: System) -> list[Diagnostic]:
    """Every cell sees the emulated local APIC (and the IOAPICs) at their physical addresses."""
    from configgen.arch.x86 import X86_IOAPIC_SIZE, X86_LAPIC_BASE
    wins = [(Range(X86_LAPIC_BASE, prof.page_size), "local APIC")]
    wins += [(Range(io.address, X86_IOAPIC_SIZE), f"IOAPIC {io.path}") for io in sysm.platform.ioapics]
    out = []
    for c in sysm.cells:
        for r in c.regions:
            hit = next((w for w in wins if r.guest < w[0].end and w[0].start < r.guest + r.size), None)
            if hit is not None:
                w, what = hit
                out.append(Diagnostic(ERROR, "mem-guest-range",
                                      f"region '{r.name}' of cell '{c.name}' occupies guest [{r.guest:#x}+{r.size:#x}], "
                                      f"where the cell sees the {what} [{w.start:#x}+{w.size:#x}]", r.loc,
                                      "the hypervisor emulates the APICs at their physical addresses in every cell; "
                                      "move the region's guest-address"))
    return out


def check(prof: "X86Profile", sysm: System) -> list[Diagnostic]:
    return (_cpus(prof, sysm) + _boot_cpu(sysm) + _real_mode(sysm) + _hypervisor_devices(sysm)
            + _guest_windows(prof, sysm))

