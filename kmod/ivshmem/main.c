// SPDX-License-Identifier: GPL-2.0
/*
 * jailhouse_ivshmem.ko: the driver of the ivshmem v2 PCI functions through which a cell sees its
 * ends of inter-cell links (hv/include/ivshmem.h, docs/ivshmem.md). It needs nothing from
 * jailhouse.ko: the same module runs in the root and in Linux cells. The function's vendor
 * capability says where the link's memory is; the protocol in the class code picks the front
 * end: a network device for IVSHMEM_PROTO_NET, /dev/ivshmem<N> for anything else.
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/interrupt.h>
#include <linux/idr.h>
#include <linux/io.h>
#include <linux/overflow.h>

#include "config_format.h"
#include "ivshm.h"

static DEFINE_IDA(ivshm_ida);

static u64 read_cfg64(struct pci_dev *pdev, int pos)
{
	u32 lo, hi;

	pci_read_config_dword(pdev, pos, &lo);
	pci_read_config_dword(pdev, pos + 4, &hi);
	return (u64)hi << 32 | lo;
}

static int read_capability(struct ivshm_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	int pos = pci_find_capability(pdev, PCI_CAP_ID_VNDR);
	u8 len = 0;

	if (!pos) {
		pci_err(pdev, "no vendor capability: not an ivshmem v2 function\n");
		return -ENODEV;
	}
	pci_read_config_byte(pdev, pos + IVSHMEM_VCAP_LEN, &len);
	if (len < IVSHMEM_VCAP_SIZE) {
		pci_err(pdev, "the vendor capability (%u bytes) has no shared memory address\n",
			len);
		return -ENODEV;
	}
	pci_read_config_dword(pdev, pos + IVSHMEM_VCAP_STATE_SIZE, &d->state_size);
	d->rw_size = read_cfg64(pdev, pos + IVSHMEM_VCAP_RW_SIZE);
	d->out_size = read_cfg64(pdev, pos + IVSHMEM_VCAP_OUT_SIZE);
	d->phys = read_cfg64(pdev, pos + IVSHMEM_VCAP_ADDR);
	/* interrupts as this driver expects them, whatever was written before: not one-shot */
	pci_write_config_byte(pdev, pos + IVSHMEM_VCAP_PRIV_CTRL, 0);
	return 0;
}

/* The link as the function reports it must be one that can exist: nothing is trusted blindly. */
static int check_geometry(struct ivshm_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	u64 outputs, size, end;

	if (d->peers < 2 || d->peers > HVCFG_IVSHMEM_MAX_PEERS || d->id >= d->peers) {
		pci_err(pdev, "peer id %u of %u peers is impossible\n", d->id, d->peers);
		return -EINVAL;
	}
	if (d->state_size < d->peers * IVSHMEM_STATE_ENTRY_SIZE ||
	    !PAGE_ALIGNED(d->state_size) || !PAGE_ALIGNED(d->rw_size) ||
	    !PAGE_ALIGNED(d->out_size) || !PAGE_ALIGNED(d->phys)) {
		pci_err(pdev, "link memory at 0x%llx (state table %u, r/w %llu, output %llu bytes) "
			"is not page aligned or has no state table\n", (u64)d->phys,
			d->state_size, d->rw_size, d->out_size);
		return -EINVAL;
	}
	if (check_mul_overflow(d->out_size, (u64)d->peers, &outputs) ||
	    check_add_overflow(outputs, d->rw_size, &size) ||
	    check_add_overflow(size, (u64)d->state_size, &size) ||
	    check_add_overflow(size, (u64)d->phys, &end) || size > SZ_1G * 64ull) {
		pci_err(pdev, "link memory sizes overflow\n");
		return -EINVAL;
	}
	d->size = size;
	return 0;
}

static int map_registers(struct ivshm_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	int err;

	if (pci_resource_len(pdev, 0) < IVSHMEM_REG_SIZE ||
	    !(pci_resource_flags(pdev, 0) & IORESOURCE_MEM)) {
		pci_err(pdev, "BAR0 is not a %u-byte memory BAR\n", IVSHMEM_REG_SIZE);
		return -ENODEV;
	}
	err = pcim_iomap_regions(pdev, BIT(0), KBUILD_MODNAME);
	if (err) {
		pci_err(pdev, "cannot map BAR0 (%d)\n", err);
		return err;
	}
	d->regs = pcim_iomap_table(pdev)[0];
	d->regs_phys = pci_resource_start(pdev, 0);
	d->id = readl(d->regs + IVSHMEM_REG_ID);
	d->peers = readl(d->regs + IVSHMEM_REG_MAX_PEERS);
	return 0;
}

static irqreturn_t ivshm_irq(int irq, void *data)
{
	struct ivshm_dev *d = data;
	void (*fn)(struct ivshm_dev *d) = READ_ONCE(d->irq_fn);

	/* INTx carries no status: on a shared line every ivshmem end takes it as its own */
	if (!fn)
		return IRQ_NONE;
	fn(d);
	return IRQ_HANDLED;
}

static int setup_device(struct ivshm_dev *d)
{
	struct pci_dev *pdev = d->pdev;
	int err;

	err = pcim_enable_device(pdev);
	if (err)
		return err;
	err = map_registers(d);
	if (!err)
		err = read_capability(d);
	if (!err)
		err = check_geometry(d);
	if (err)
		return err;
	d->protocol = pdev->class & 0xffff;
	d->mem = devm_memremap(&pdev->dev, d->phys, d->size, MEMREMAP_WB);
	if (IS_ERR(d->mem)) {
		pci_err(pdev, "cannot map the link memory 0x%llx+0x%llx\n", (u64)d->phys, d->size);
		return PTR_ERR(d->mem);
	}
	if (!pdev->irq) {
		pci_err(pdev, "no interrupt routed to the function\n");
		return -ENODEV;
	}
	/* a fresh start: no interrupts until a front end wants them, state 0, INTx enabled */
	writel(0, d->regs + IVSHMEM_REG_INT_CTRL);
	pci_intx(pdev, 1);
	ivshm_set_state(d, 0);
	return devm_request_irq(&pdev->dev, pdev->irq, ivshm_irq, IRQF_SHARED, KBUILD_MODNAME, d);
}

static int ivshm_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct ivshm_dev *d;
	int err;

	d = devm_kzalloc(&pdev->dev, sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->pdev = pdev;
	err = setup_device(d);
	if (err)
		return err;
	d->index = ida_alloc(&ivshm_ida, GFP_KERNEL);
	if (d->index < 0)
		return d->index;
	pci_set_drvdata(pdev, d);
	err = d->protocol == IVSHMEM_PROTO_NET ? ivshm_net_probe(d) : ivshm_cdev_probe(d);
	if (err) {
		ida_free(&ivshm_ida, d->index);
		return err;
	}
	writel(IVSHMEM_INT_ENABLE, d->regs + IVSHMEM_REG_INT_CTRL);
	pci_info(pdev, "ivshmem link end: peer %u of %u, protocol 0x%04x, memory 0x%llx+0x%llx\n",
		 d->id, d->peers, d->protocol, (u64)d->phys, d->size);
	return 0;
}

static void ivshm_remove(struct pci_dev *pdev)
{
	struct ivshm_dev *d = pci_get_drvdata(pdev);

	/* the front end goes away with no handler of ours running or to come */
	writel(0, d->regs + IVSHMEM_REG_INT_CTRL);
	WRITE_ONCE(d->irq_fn, NULL);
	synchronize_irq(pdev->irq);
	if (d->protocol == IVSHMEM_PROTO_NET)
		ivshm_net_remove(d);
	else
		ivshm_cdev_remove(d);
	ivshm_set_state(d, 0);
	ida_free(&ivshm_ida, d->index);
}

static const struct pci_device_id ivshm_ids[] = {
	{ PCI_DEVICE(IVSHMEM_VENDOR_ID, IVSHMEM_DEVICE_ID),
	  .class = IVSHMEM_CLASS << 16, .class_mask = 0xff0000 },
	{ }
};
MODULE_DEVICE_TABLE(pci, ivshm_ids);

static struct pci_driver ivshm_driver = {
	.name = KBUILD_MODNAME,
	.id_table = ivshm_ids,
	.probe = ivshm_probe,
	.remove = ivshm_remove,
};
module_pci_driver(ivshm_driver);

MODULE_DESCRIPTION("Inter-cell links (ivshmem v2 functions): /dev/ivshmem<N> and ivnet<N>");
MODULE_LICENSE("GPL");
