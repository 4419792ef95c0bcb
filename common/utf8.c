/*
 * utf8.c: see utf8.h.  utf8proc decides what is well-formed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "utf8.h"

size_t
utf8_seq_len(const char *s, size_t len)
{
	utf8proc_int32_t c;
	utf8proc_ssize_t n =
	    utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &c);
	return n > 0 ? (size_t)n : 0;
}

int
utf8_valid(const char *s, size_t len)
{
	for (size_t i = 0, n; i < len; i += n)
		if (!(n = (unsigned char)s[i] < 0x80 ? 1 : utf8_seq_len(s + i, len - i)))
			return 0;
	return 1;
}

char *
utf8_escape_controls(const char *s, int bad_bytes)
{
	size_t len = strlen(s);
	/* at worst 4 bytes a byte (\xNN), 6 for the 2 of a C1 (\u00NN) */
	char *out = malloc(4 * len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0, n; i < len; i += n) {
		unsigned char c = (unsigned char)s[i];
		n = c < 0x80 ? 1 : utf8_seq_len(s + i, len - i);
		if (c == '\n')
			o = stpcpy(o, "\\n");
		else if (c == '\t')
			o = stpcpy(o, "\\t");
		else if (c < 0x20 || c == 0x7f)
			o += sprintf(o, "\\x%02x", c);
		else if (n == 2 && c == 0xC2 && (unsigned char)s[i + 1] < 0xA0)
			o += sprintf(o, "\\u%04x", (unsigned char)s[i + 1]);
		else if (n == 0 && bad_bytes) {
			o += sprintf(o, "\\x%02x", c);
			n = 1;
		} else {
			n = n ? n : 1;
			memcpy(o, s + i, n);
			o += n;
		}
	}
	*o = '\0';
	return out;
}

char *
utf8_fold(const char *s, size_t len)
{
	size_t ascii = 0;
	while (ascii < len && (unsigned char)s[ascii] < 0x80)
		ascii++;
	if (ascii == len) {
		/* lower-casing is all the folding ASCII needs, and utf8proc
		 * costs some 100 instructions a byte for it */
		char *out = malloc(len + 1);
		if (!out)
			return NULL;
		for (size_t i = 0; i < len; i++)
			out[i] =
			    s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
		out[len] = '\0';
		return out;
	}
	utf8proc_uint8_t *out = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &out,
			 UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD |
			     UTF8PROC_STABLE) < 0)
		return NULL;
	return (char *)out;
}
