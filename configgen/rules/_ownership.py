"""Which board devices a non-root cell takes from the root, whatever form it uses."""
from __future__ import annotations

from configgen import abi
from configgen.model import Cell, System
from configgen.intervals import Cover


def _pages(page: int, start: int, end: int) -> tuple[int, int]:
    return start & ~(page - 1), (end + page - 1) & ~(page - 1)


def devices_taken_by(sysm: System, cell: Cell) -> set[str]:
    """Devices in the cell's devices (not shared-devices), every enabled board device a region of
    the cell reaches that the root loses at create (all but root-shared and the comm page),
    page-rounded as the hypervisor maps them, every device whose ports the cell owns, and the PCI
    functions it owns."""
    page = sysm.arch.page_size
    lost = Cover([_pages(page, r.phys, r.phys + r.size) for r in cell.regions
                  if r.size and not r.flags & (abi.MEM_ROOTSHARED | abi.MEM_COMM_REGION)])
    taken = {u.path for u in cell.devices if not u.shared}
    ports = Cover([(u.base, u.end) for u in cell.ports if u.length])
    functions = {(u.domain, u.bdf) for u in cell.pci}
    for dev in sysm.devices.values():
        if dev.bdf is not None:  # a PCI function goes by its configuration space (BDF), not its BARs
            if (dev.pci_domain, dev.bdf) in functions:
                taken.add(dev.path)
            continue
        if dev.enabled and any(lost.intersects(*_pages(page, g.start, g.end)) for g in dev.regs if g.size):
            taken.add(dev.path)
        elif dev.enabled and any(ports.intersects(g.start, g.end) for g in dev.ports if g.size):
            taken.add(dev.path)  # x86: a cell with a device's ports has the device (raw pio-regions)
    return taken
