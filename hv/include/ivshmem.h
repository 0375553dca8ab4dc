/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ivshmem v2 virtual PCI function every end of an inter-cell link appears as (facts from
 * Jailhouse's Documentation/ivshmem-v2-specification.md, so that software written for
 * Jailhouse's links works here): the one definition of its registers for the hypervisor, the
 * Linux driver, the inmates and the tools. Plain #defines only: included by freestanding C,
 * kernel C and user-space C alike.
 *
 * Configuration space (everything not listed reads 0, writes are ignored):
 *   00h vendor 110a, 02h device 4106, 04h command (writable: memory space, INTx disable;
 *   bus master is kept but means nothing), 06h status 0010h (capability list), 08h revision 0,
 *   09h-0bh class ff, protocol high byte, protocol low byte (ff:PP:pp), 0eh header type 0,
 *   10h BAR0: 32-bit non-prefetchable memory BAR of IVSHMEM_REG_SIZE bytes (sizeable,
 *   relocatable), BAR1-5 absent, 2ch/2eh subsystem vendor/device = vendor/device, 34h
 *   capability pointer IVSHMEM_CFG_VNDR_CAP, 3ch interrupt line (reset value: the low 8 bits
 *   of the end's irq, i.e. the GIC INTID on arm; writable scratch afterwards), 3dh interrupt
 *   pin 1 (INTA: no MSI-X, one vector, vector 0).
 */
#ifndef HV_IVSHMEM_H
#define HV_IVSHMEM_H

#define IVSHMEM_VENDOR_ID		0x110a
#define IVSHMEM_DEVICE_ID		0x4106
#define IVSHMEM_CLASS			0xff	/* base class; the protocol is sub-class:interface */

/* Protocols (the class code's low 16 bits) */
#define IVSHMEM_PROTO_UNDEFINED		0x0000
#define IVSHMEM_PROTO_NET		0x0001	/* virtual peer-to-peer Ethernet */
#define IVSHMEM_PROTO_ECHO		0x4000	/* ours: message echo (ivshmem_echo.h) */
#define IVSHMEM_PROTO_USER_FIRST	0x4000	/* 4000h-7fffh: user-defined */
#define IVSHMEM_PROTO_USER_LAST		0x7fff

/* The vendor-specific capability (the only one), in configuration space */
#define IVSHMEM_CFG_VNDR_CAP		0x40
#define IVSHMEM_CAP_ID_VNDR		0x09
#define IVSHMEM_VCAP_LEN		0x02	/* byte: IVSHMEM_VCAP_SIZE (base address present) */
#define IVSHMEM_VCAP_PRIV_CTRL		0x03	/* byte, bit 0 writable: one-shot interrupts */
#define  IVSHMEM_PRIV_ONESHOT		0x01
#define IVSHMEM_VCAP_STATE_SIZE		0x04	/* 32-bit */
#define IVSHMEM_VCAP_RW_SIZE		0x08	/* 64-bit */
#define IVSHMEM_VCAP_OUT_SIZE		0x10	/* 64-bit */
#define IVSHMEM_VCAP_ADDR		0x18	/* 64-bit: the state table's guest address */
#define IVSHMEM_VCAP_SIZE		0x20

/*
 * The register page (BAR0). Registers take aligned 32-bit accesses; any other access, or one
 * to an offset without a register, reads 0 and writes nothing (never a fault: an application
 * may map the page).
 */
#define IVSHMEM_REG_SIZE		0x1000
#define IVSHMEM_REG_ID			0x00	/* RO: this end's peer id */
#define IVSHMEM_REG_MAX_PEERS		0x04	/* RO: the link's number of peers */
#define IVSHMEM_REG_INT_CTRL		0x08	/* RW: bit 0 enables interrupts to this end */
#define  IVSHMEM_INT_ENABLE		0x01
#define IVSHMEM_REG_DOORBELL		0x0c	/* WO: (target peer id << 16) | vector (0) */
#define  IVSHMEM_DOORBELL(peer, vector)	(((peer) << 16) | (vector))
#define IVSHMEM_REG_STATE		0x10	/* RW: this end's state, mirrored in the table */

/* The link's shared memory, from the state table's address on (see hvcfg_ivshmem_link) */
#define IVSHMEM_STATE_ENTRY_SIZE	4	/* one 32-bit state per peer, by peer id */

#endif
