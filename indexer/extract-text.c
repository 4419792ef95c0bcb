/*
 * extract-text.c: plain text and Markdown.  The title is the front
 * matter's, else the first heading, else the first line.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "indexer.h"

/* The first non-blank line of text, without Markdown's heading marks. */
static char *
first_line(const char *text, size_t len, int markdown)
{
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && text[end] != '\n')
			end++;
		size_t s = i, e = end;
		if (markdown)
			while (s < e && (text[s] == '#' || text[s] == ' '))
				s++;
		while (s < e && isspace((unsigned char)text[s]))
			s++;
		while (e > s && isspace((unsigned char)text[e - 1]))
			e--;
		if (e > s) {
			/* A title is a line, not a paragraph. */
			size_t n = e - s > 200 ? 200 : e - s;
			while (n < e - s && ((unsigned char)text[s + n] & 0xC0) == 0x80)
				n--;
			return strndup(text + s, n);
		}
		i = end + 1;
	}
	return NULL;
}

/* The text of the first "# heading" line, if any. */
static char *
first_heading(const char *text, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t end = i;
		while (end < len && text[end] != '\n')
			end++;
		if (text[i] == '#')
			return first_line(text + i, end - i, 1);
		i = end + 1;
	}
	return NULL;
}

int
extract_text(extracted *x, const char *buf, size_t len, int markdown)
{
	size_t out_len;
	char *text = decode_text(buf, len, NULL, &out_len, &x->n_bad);
	if (!text)
		return -1;
	size_t skip = read_front_matter(x, text, out_len);
	if (skip) {
		memmove(text, text + skip, out_len - skip + 1);
		out_len -= skip;
	}
	if (!x->title)
		x->title = markdown ? first_heading(text, out_len) : NULL;
	if (!x->title)
		x->title = first_line(text, out_len, markdown);
	if (markdown)
		out_len = markdown_to_text(text, out_len);
	x->text = text;
	x->text_len = out_len;
	return 0;
}
