/*
 * frontmatter.c: the block of "key: value" lines between two "---" lines
 * at the very top of a Markdown or text file.  Known keys: title, date,
 * type, communes (also commune, tags); values may be quoted.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "indexer.h"

/* The line at s: its length without the line end, and where the next starts. */
static size_t
line_at(const char *s, size_t len, size_t *next)
{
	size_t n = 0;
	while (n < len && s[n] != '\n')
		n++;
	*next = n < len ? n + 1 : n;
	if (n > 0 && s[n - 1] == '\r')
		n--;
	return n;
}

static int
is_fence(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return n == 3 && !memcmp(s, "---", 3);
}

/* The value without surrounding blanks, quotes or YAML list brackets. */
static char *
value_of(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	int list = n >= 2 && s[0] == '[' && s[n - 1] == ']';
	if (list || (n >= 2 && ((s[0] == '"' && s[n - 1] == '"') ||
				(s[0] == '\'' && s[n - 1] == '\'')))) {
		s++;
		n -= 2;
	}
	char *v = strndup(s, n);
	/* a YAML list: ["Aspet", "Saint-Martory"]; its quotes go */
	for (char *p = v; list && p && *p; p++)
		if (*p == '"' || *p == '\'')
			*p = ' ';
	return v;
}

static void
apply(extracted *x, const char *key, size_t klen, char *value)
{
	if (!value)
		return;
	if (klen == 5 && !strncasecmp(key, "title", 5)) {
		free(x->title);
		x->title = value;
		return;
	}
	if (klen == 4 && !strncasecmp(key, "date", 4)) {
		set_date(x, value);
	} else if (klen == 4 && !strncasecmp(key, "type", 4)) {
		if (valid_type(value)) {
			free(x->type);
			x->type = value;
			return;
		}
	} else if ((klen == 8 && !strncasecmp(key, "communes", 8)) ||
		   (klen == 7 && !strncasecmp(key, "commune", 7))) {
		add_communes(x, value);
	}
	free(value);
}

size_t
read_front_matter(extracted *x, const char *text, size_t len)
{
	size_t next, n = line_at(text, len, &next);
	if (!is_fence(text, n))
		return 0;
	size_t at = next;
	/* Find the closing fence first: without one this is no front matter. */
	size_t end = 0, scan = at;
	while (scan < len) {
		size_t ln = line_at(text + scan, len - scan, &next);
		if (is_fence(text + scan, ln)) {
			end = scan;
			break;
		}
		scan += next;
	}
	if (!end)
		return 0;
	while (at < end) {
		size_t ln = line_at(text + at, end - at, &next);
		const char *line = text + at;
		const char *colon = memchr(line, ':', ln);
		if (colon && colon > line && !isspace((unsigned char)line[0]))
			apply(x, line, (size_t)(colon - line),
			      value_of(colon + 1, ln - (size_t)(colon + 1 - line)));
		at += next;
	}
	line_at(text + end, len - end, &next);
	return end + next;
}
