// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Command line: a NUL-terminated string of space-separated "name=value" or "name" words that
 * `jailhouse cell load -s "..." -a 0x1000` puts one page above the image base. It is used in
 * place, not copied: that page is the image's own (only a stopped cell is loaded), and a copy
 * would cost a page that a 64 KiB cell cannot spare. Tabs and newlines become blanks, and the
 * page's last byte ends the string whatever the loader wrote.
 */
#include "internal.h"

static char *line = "";

void cmdline_init(void)
{
	char *p = __cmdline_start;

	__cmdline_start[PAGE_SIZE - 1] = 0;	/* the page: __cmdline_start.. __cmdline_end */
	for (; *p; p++)
		if (*p == '\t' || *p == '\n')
			*p = ' ';
	line = __cmdline_start;
}

const char *cmdline(void)
{
	return line;
}

/* The value of word name (after '=', or "" for a bare word) and its length; NULL if absent. */
static const char *find(const char *name, size_t *len)
{
	size_t nlen = strlen(name);
	const char *p = line;

	while (*p) {
		const char *word = p;

		while (*p && *p != ' ')
			p++;
		if (!strncmp(word, name, nlen) && (word[nlen] == '=' || word + nlen == p)) {
			const char *val = word[nlen] == '=' ? word + nlen + 1 : word + nlen;

			*len = p - val;
			return val;
		}
		while (*p == ' ')
			p++;
	}
	return NULL;
}

bool cmdline_get_str(const char *name, char *buf, size_t size)
{
	size_t len;
	const char *val = find(name, &len);

	if (!val || !size)
		return false;
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, val, len);
	buf[len] = 0;
	return true;
}

static int digit(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

/* A decimal or 0x-hex number of len characters; false if empty or malformed. */
static bool parse_u64(const char *val, size_t len, u64 *out)
{
	unsigned int base = 10;
	size_t i = 0;
	u64 n = 0;

	if (!len)
		return false;
	if (len > 2 && val[0] == '0' && (val[1] == 'x' || val[1] == 'X')) {
		base = 16;
		i = 2;
	}
	for (; i < len; i++) {
		int d = digit(val[i], base);

		if (d < 0)
			return false;
		n = n * base + d;
	}
	*out = n;
	return true;
}

u64 cmdline_get_u64(const char *name, u64 def)
{
	size_t len;
	const char *val = find(name, &len);
	u64 n;

	return val && parse_u64(val, len, &n) ? n : def;
}

unsigned int cmdline_get_u64_list(const char *name, u64 *out, unsigned int max)
{
	size_t len, item;
	const char *val = find(name, &len), *end;
	unsigned int n = 0;

	if (!val)
		return 0;
	for (end = val + len; val < end && n < max; val += item + 1) {
		for (item = 0; val + item < end && val[item] != ','; item++)
			;
		if (!parse_u64(val, item, &out[n]))
			break;
		n++;
	}
	return n;
}

bool cmdline_get_bool(const char *name, bool def)
{
	char buf[8];

	if (!cmdline_get_str(name, buf, sizeof(buf)))
		return def;
	if (!buf[0] || !strncmp(buf, "1", 8) || !strncmp(buf, "y", 8) ||
	    !strncmp(buf, "on", 8) || !strncmp(buf, "true", 8))
		return true;
	if (!strncmp(buf, "0", 8) || !strncmp(buf, "n", 8) || !strncmp(buf, "off", 8) ||
	    !strncmp(buf, "false", 8))
		return false;
	return def;
}
