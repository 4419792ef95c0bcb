/*
 * markdown.c: Markdown to plain text, so that its markup (# ** ` [](url))
 * neither shows in snippets nor becomes words: headings, quote marks,
 * emphasis, code fences and rules go, a link keeps its text and drops its
 * address.  Works in place: the text only ever gets shorter.
 */
#include <string.h>

#include "indexer.h"

/* Whether the line s[0..n) is a fence (```), a rule (--- *** ___) or empty
 * of anything but those characters. */
static int
is_fence_or_rule(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n >= 3 && (!strncmp(s, "```", 3) || !strncmp(s, "~~~", 3)))
		return 1;
	if (n < 3)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != s[0] || (s[0] != '-' && s[0] != '*' && s[0] != '_'))
			return 0;
	return 1;
}

/* Copy one line's inline text, without emphasis marks and link targets. */
static size_t
inline_text(char *out, const char *s, size_t n)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '*' || c == '`' ||
		    (c == '_' && (i == 0 || i + 1 == n || s[i - 1] == ' ' ||
				  s[i + 1] == ' ' || s[i + 1] == '_' || s[i - 1] == '_')))
			continue;
		if (c == '!' && i + 1 < n && s[i + 1] == '[')
			continue; /* an image: keep its alt text */
		if (c == ']' && i + 1 < n && s[i + 1] == '(') {
			const char *close = memchr(s + i + 1, ')', n - i - 1);
			if (close) {
				i = (size_t)(close - s);
				continue;
			}
		}
		if (c == '[')
			continue;
		out[o++] = c;
	}
	return o;
}

size_t
markdown_to_text(char *text, size_t len)
{
	size_t in = 0, out = 0;
	while (in < len) {
		size_t end = in;
		while (end < len && text[end] != '\n')
			end++;
		const char *line = text + in;
		size_t n = end - in;
		if (!is_fence_or_rule(line, n)) {
			size_t i = 0;
			while (i < n && (line[i] == ' ' || line[i] == '>'))
				i++;
			size_t hashes = 0;
			while (i + hashes < n && line[i + hashes] == '#')
				hashes++;
			if (hashes > 0 && hashes <= 6 &&
			    (i + hashes == n || line[i + hashes] == ' '))
				i += hashes;
			/* Writing behind where it reads, inline_text can work in place.
			 */
			out += inline_text(text + out, line + i, n - i);
		}
		if (end < len)
			text[out++] = '\n';
		in = end + 1;
	}
	text[out] = '\0';
	return out;
}
