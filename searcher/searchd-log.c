/*
 * searchd-log.c: pvd-searchd's log line, one per request.  A path, a
 * method or a query may hold any byte a client chose (a %0a, an ESC): each
 * is escaped so that a request is always one line, and no line can be
 * forged nor reach a terminal as a control sequence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "searchd-params.h"
#include "searchd.h"

/* Whether s is printed as it is: printable ASCII, nothing to quote. */
static int
bare(const char *s, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7F || c == '"' || c == '\\')
			return 0;
	}
	return 1;
}

char *
searchd_escape(const char *s, size_t len, int quote)
{
	if (!quote && bare(s, len))
		return strndup(s, len);
	if (!searchd_valid_utf8(s, len))
		return strdup("-");
	/* at worst each byte becomes \uXXXX, plus the quotes */
	char *out = malloc(6 * len + 3), *o = out;
	if (!out)
		return NULL;
	*o++ = '"';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp = 0;
		/* C1 controls (U+0080-U+009F, CSI among them) and the line and
		 * paragraph separators, as well as ASCII controls and DEL */
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] < 0xA0)
			cp = (unsigned char)s[i + 1], i++;
		else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
			 ((unsigned char)s[i + 2] == 0xA8 ||
			  (unsigned char)s[i + 2] == 0xA9))
			cp = 0x2000 + ((unsigned char)s[i + 2] - 0x80), i += 2;
		else if (c < 0x20 || c == 0x7F)
			cp = c;
		if (cp) {
			const char *short_form = cp == '\n'   ? "\\n"
						 : cp == '\r' ? "\\r"
						 : cp == '\t' ? "\\t"
							      : NULL;
			if (short_form) {
				memcpy(o, short_form, 2);
				o += 2;
			} else {
				o += sprintf(o, "\\u%04x", cp);
			}
		} else if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

void
searchd_log(const searchd *sd, const char *method, const char *path, const char *q,
	    unsigned status, long long hits, double ms, const char *detail)
{
	if (sd->quiet)
		return;
	char when[32], st[16] = "-";
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (status)
		snprintf(st, sizeof st, "%u", status);
	char *m = method ? searchd_escape(method, strlen(method), 0) : NULL;
	char *p = path ? searchd_escape(path, strlen(path), 0) : NULL;
	char *qs = q ? searchd_escape(q, strlen(q), 1) : NULL;
	char *d = detail ? searchd_escape(detail, strlen(detail), 1) : NULL;
	fprintf(stderr, "%s %s %s q=%s status=%s hits=%lld took_ms=%.1f%s%s\n", when,
		m ? m : "-", p ? p : "-", qs ? qs : "-", st, hits, ms,
		d ? " detail=" : "", d ? d : "");
	free(m);
	free(p);
	free(qs);
	free(d);
}
