// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration space of a link end, emulated whole (layout: the comment at the top of
 * ivshmem.h): identity, Command (memory decoding, INTx disable; bus mastering kept, it means
 * nothing), a sizeable 32-bit memory BAR0 for the register page, the interrupt line and pin,
 * and the vendor capability that tells where the link's memory is. Everything else reads 0,
 * writes are ignored. Called under ivshmem.c's lock.
 */
#include <ivshmem_core.h>
#include <ivshmem.h>
#include <pci.h>

#define CMD_WRITABLE	(PCI_CMD_MEM | PCI_CMD_BME | PCI_CMD_INTX_DISABLE)
#define BAR0_MASK	(~(u32)(IVSHMEM_REG_SIZE - 1))
#define INT_PIN_A	1

/* The vendor capability's dwords (offset from IVSHMEM_CFG_VNDR_CAP). */
static u32 vcap_read(const struct ivs_end *end, unsigned int off)
{
	const struct hvcfg_ivshmem_link *l = end->link;
	u64 addr = end->cfg->guest_start;

	switch (off) {
	case 0:
		return IVSHMEM_CAP_ID_VNDR | IVSHMEM_VCAP_SIZE << 16 | (u32)end->priv_ctrl << 24;
	case IVSHMEM_VCAP_STATE_SIZE:
		return l->state_size;
	case IVSHMEM_VCAP_RW_SIZE:
		return (u32)l->rw_size;
	case IVSHMEM_VCAP_RW_SIZE + 4:
		return (u32)(l->rw_size >> 32);
	case IVSHMEM_VCAP_OUT_SIZE:
		return (u32)l->out_size;
	case IVSHMEM_VCAP_OUT_SIZE + 4:
		return (u32)(l->out_size >> 32);
	case IVSHMEM_VCAP_ADDR:
		return (u32)addr;
	case IVSHMEM_VCAP_ADDR + 4:
		return (u32)(addr >> 32);
	}
	return 0;
}

static u32 dword_read(const struct ivs_end *end, unsigned int dw)
{
	const u32 ids = IVSHMEM_VENDOR_ID | (u32)IVSHMEM_DEVICE_ID << 16;

	if (dw >= IVSHMEM_CFG_VNDR_CAP && dw < IVSHMEM_CFG_VNDR_CAP + IVSHMEM_VCAP_SIZE)
		return vcap_read(end, dw - IVSHMEM_CFG_VNDR_CAP);
	switch (dw) {
	case PCI_VENDOR_ID:
	case 0x2c:	/* subsystem vendor and device: the same */
		return ids;
	case PCI_COMMAND:
		return end->command | (u32)PCI_STATUS_CAP_LIST << 16;
	case 0x08:	/* revision 0, class ff:PP:pp (the protocol) */
		return (u32)IVSHMEM_CLASS << 24 | (u32)end->link->protocol << 8;
	case PCI_BAR0:
		return end->sizing ? BAR0_MASK : end->bar0;
	case PCI_CAP_PTR:
		return IVSHMEM_CFG_VNDR_CAP;
	case PCI_INT_LINE:
		return end->int_line | INT_PIN_A << 8;
	}
	return 0;
}

u32 ivs_cfg_read(const struct ivs_end *end, unsigned int reg, unsigned int size)
{
	return (dword_read(end, reg & ~3u) >> (reg & 3) * 8) & pci_ones(size);
}

/*
 * A write of size bytes at reg merged into the dword it falls in. Only Command, BAR0, the
 * interrupt line and the capability's control byte take it.
 */
bool ivs_cfg_write(struct ivs_end *end, unsigned int reg, unsigned int size, u32 value)
{
	unsigned int dw = reg & ~3u, shift = (reg & 3) * 8;
	u32 mask = pci_ones(size) << shift, old = dword_read(end, dw);
	u32 v = (old & ~mask) | ((value << shift) & mask);
	u16 cmd = end->command;
	u32 bar0 = end->bar0;

	switch (dw) {
	case PCI_COMMAND:
		end->command = v & CMD_WRITABLE;
		break;
	case PCI_BAR0:
		/* all ones sizes it (the address stays), anything else is the new address */
		end->sizing = size == 4 && value == 0xffffffffu;
		if (!end->sizing)
			end->bar0 = v & BAR0_MASK;
		break;
	case PCI_INT_LINE:
		end->int_line = v & 0xff;
		break;
	case IVSHMEM_CFG_VNDR_CAP:
		end->priv_ctrl = (v >> 24) & IVSHMEM_PRIV_ONESHOT;
		break;
	}
	return (cmd ^ end->command) & PCI_CMD_MEM || bar0 != end->bar0;
}
