/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The validator's answer to a test cell against its test system, each answer checked for
 * consistency (errno and result agree). Included after a blobs header and a `lim`.
 */
#ifndef HV_TEST_CFG_RUNS_H
#define HV_TEST_CFG_RUNS_H

static enum cfg_result run_cell(const struct blob *b, const struct cell_blob *c)
{
	struct cfg_status st;
	int err = cfg_check_cell_in_system(b, sizeof(*b), c, sizeof(*c), &lim, &st);

	CHECK((err == 0) == (st.code == CFG_OK));
	CHECK(err == cfg_result_errno(st.code));
	return st.code;
}

#endif
