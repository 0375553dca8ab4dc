/* SPDX-License-Identifier: GPL-2.0 */
/* Every symbol of the image is its own: PC-relative references, no GOT to relocate first. */
#pragma GCC visibility push(hidden)
