/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Error numbers: Linux's, wherever the shared code runs. The driver and the host tools take
 * them from their C library or kernel; the freestanding hypervisor defines the same values
 * here, once.
 */
#ifndef HV_ERRNO_H
#define HV_ERRNO_H

#if defined(__KERNEL__)
#include <linux/errno.h>
#elif __STDC_HOSTED__
#include <errno.h>
#else
#define EPERM		1
#define ENOENT		2
#define EIO		5
#define ENXIO		6
#define E2BIG		7
#define ENOEXEC		8
#define EAGAIN		11
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define EXDEV		18
#define ENODEV		19
#define EINVAL		22
#define EFBIG		27
#define ENOSPC		28
#define EDOM		33
#define ERANGE		34
#define EDEADLK		35
#define ENOSYS		38
#define EBADE		52
#define EBADR		53
#define EBADRQC		56
#define EBADSLT		57
#define ENODATA		61
#define EPROTO		71
#define EBADMSG		74
#define EOVERFLOW	75
#define ENOTUNIQ	76
#define EBADFD		77
#define ELIBBAD		80
#define EILSEQ		84
#define EMSGSIZE	90
#define ENOPROTOOPT	92
#define EPROTONOSUPPORT	93
#define EOPNOTSUPP	95
#define EADDRINUSE	98
#define EADDRNOTAVAIL	99
#define ETIMEDOUT	110
#define ESTALE		116
#define EMEDIUMTYPE	124
#define ECHRNG		44
#define ELNRNG		48
#define EUNATCH		49
#define ENOCSI		50
#define ENOLINK		67
#define ECOMM		70
#define EPFNOSUPPORT	96
#define EISCONN		106
#endif

#endif
