/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Jailhouse inmate API on top of this project's inmate library: with this directory first on
 * the include path, `#include <inmate.h>` gives a Jailhouse inmate the names it expects
 * (comm_region, printk, cmdline_parse_*, timer_*, irq_*, map_range, pci_*, stop, halt...) with
 * Jailhouse's types and semantics, and the program links against the same libinmate.a as ours.
 * Names that our own API uses with another meaning are macros for jh_* functions, so a
 * program uses one API or the other per source file (this header and our <inmate.h> exclude
 * each other). See inmates/README.md, "Porting Jailhouse inmates".
 */
#ifndef JH_COMPAT_INMATE_H
#define JH_COMPAT_INMATE_H

#ifdef INMATE_H
#error "the Jailhouse compat <inmate.h> and the native <inmate.h> cannot be mixed in one file"
#endif
/* Keeps the native header out should something include it after us. */
#define INMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdarg.h>

typedef signed char s8;
typedef unsigned char u8;
typedef signed short s16;
typedef unsigned short u16;
typedef signed int s32;
typedef unsigned int u32;
typedef signed long long s64;
typedef unsigned long long u64;

typedef s8 __s8;
typedef u8 __u8;
typedef s16 __s16;
typedef u16 __u16;
typedef s32 __s32;
typedef u32 __u32;
typedef s64 __s64;
typedef u64 __u64;

#define NS_PER_USEC		1000ULL
#define NS_PER_MSEC		1000000ULL
#define NS_PER_SEC		1000000000ULL
#define PAGE_SIZE		(4 * 1024ULL)

#ifndef CONFIG_INMATE_BASE
#define CONFIG_INMATE_BASE	0x0
#endif

#include <jh-arch.h>
#include <jailhouse/hypercall.h>

/* PCI configuration space (the names Jailhouse's demos use). */
#define PCI_CFG_VENDOR_ID	0x000
#define PCI_CFG_DEVICE_ID	0x002
#define PCI_CFG_COMMAND		0x004
# define PCI_CMD_IO		(1 << 0)
# define PCI_CMD_MEM		(1 << 1)
# define PCI_CMD_MASTER		(1 << 2)
# define PCI_CMD_INTX_OFF	(1 << 10)
#define PCI_CFG_STATUS		0x006
# define PCI_STS_INT		(1 << 3)
# define PCI_STS_CAPS		(1 << 4)
#define PCI_CFG_BAR		0x010
# define PCI_BAR_64BIT		0x4
#define PCI_CFG_CAP_PTR		0x034
#define PCI_ID_ANY		0xffff
#define PCI_DEV_CLASS_OTHER	0xff
#define PCI_CAP_MSI		0x05
#define PCI_CAP_VENDOR		0x09
#define PCI_CAP_MSIX		0x11
#define MSIX_CTRL_ENABLE	0x8000
#define MSIX_CTRL_FMASK		0x4000

/*
 * The comm region the library found (the cell's, from its build's link parameters); without
 * one (bare metal, comm=none) a zeroed stand-in, so reads see RUNNING and no message.
 */
struct jailhouse_comm_region *jh_comm_region(void);
#define comm_region		(jh_comm_region())

/* Stop this CPU for good: interrupts off, then wait forever (the cell state is unchanged). */
static inline void __attribute__((noreturn)) stop(void)
{
	disable_irqs();
	halt();
}

int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void *memset(void *s, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
int memcmp(const void *s1, const void *s2, unsigned long n);
unsigned long strlen(const char *s);
int strncmp(const char *s1, const char *s2, unsigned long n);
int strcmp(const char *s1, const char *s2);
int strncasecmp(const char *s1, const char *s2, unsigned long n);

/* A bump allocator from the end of the image up; nothing is ever freed. */
extern unsigned long heap_pos;
void *alloc(unsigned long size, unsigned long align);
void *zalloc(unsigned long size, unsigned long align);

/*
 * The command line ("name=value name2 ..." at image base + 0x1000): the value of param, or
 * the default when absent. _int: decimal with optional sign or 0x-hex, the default when
 * malformed; _bool: "name", "name=1" and "name=true" are true, "=0" and "=false" false.
 */
const char *cmdline_parse_str(const char *param, char *value_buffer, unsigned long buffer_size,
			      const char *default_value);
long long cmdline_parse_int(const char *param, long long default_value);
bool cmdline_parse_bool(const char *param, bool default_value);

/*
 * The command line always has its page at base + 0x1000 here (4 KiB); a larger request is
 * refused at compile time, a smaller one changes nothing.
 */
#define CMDLINE_BUFFER(size) \
	_Static_assert((size) <= 4096, "the command line page holds 4096 bytes")

/* Identity-map a range at run time (our library has mapped the image, comm region, devices). */
enum map_type { MAP_CACHED, MAP_UNCACHED };
void jh_map_range(void *start, unsigned long size, enum map_type map_type);
#define map_range		jh_map_range

typedef void (*irq_handler_t)(unsigned int irq);
/*
 * Set up the interrupt controller for this CPU and route IRQs to handler. arm64 also unmasks
 * them (Jailhouse's arm64 inmates run unmasked from their first instruction); x86 leaves that
 * to the caller's sti, as Jailhouse's x86 library does.
 */
void jh_irq_init(irq_handler_t handler);
#define irq_init		jh_irq_init
void jh_irq_enable(unsigned int irq);
#define irq_enable		jh_irq_enable

/* PCI on bus 0 of the ECAM window; bdf = device << 3 | function. Capabilities: -1 if absent. */
int jh_pci_init(void);
#define pci_init		jh_pci_init
u32 pci_read_config(u16 bdf, unsigned int addr, unsigned int size);
void pci_write_config(u16 bdf, unsigned int addr, u32 value, unsigned int size);
int jh_pci_find_device(u16 vendor, u16 device, u16 start_bdf);
#define pci_find_device		jh_pci_find_device
int jh_pci_find_cap(u16 bdf, u16 cap);
#define pci_find_cap		jh_pci_find_cap
void pci_msix_set_vector(u16 bdf, unsigned int vector, u32 index);

void delay_us(unsigned long microsecs);

/* Provided by the program; returning ends it (cell state SHUT_DOWN). */
void inmate_main(void);

#endif
