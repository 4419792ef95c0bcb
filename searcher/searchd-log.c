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

/* At worst each byte becomes \uXXXX, plus the quotes and the NUL. */
#define ESCAPED_MAX(len) (6 * (len) + 3)

/* s[0..len) escaped as searchd_escape() says, into out (ESCAPED_MAX(len)
 * bytes). */
static void
escape_into(char *out, const char *s, size_t len, int quote)
{
	char *o = out;
	if (!quote && bare(s, len)) {
		memcpy(out, s, len);
		out[len] = '\0';
		return;
	}
	if (!utf8_valid(s, len)) {
		strcpy(out, "-");
		return;
	}
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
}

char *
searchd_escape(const char *s, size_t len, int quote)
{
	char *out = malloc(ESCAPED_MAX(len));
	if (out)
		escape_into(out, s, len, quote);
	return out;
}

/* Field s escaped into buf (size bytes) when it fits, so that the line is
 * still written when memory runs out; else into *heap, for the caller to
 * free.  NULL prints "-". */
static const char *
field(char *buf, size_t size, char **heap, const char *s, int quote)
{
	*heap = NULL;
	if (!s)
		return "-";
	size_t len = strlen(s);
	if (ESCAPED_MAX(len) <= size) {
		escape_into(buf, s, len, quote);
		return buf;
	}
	*heap = searchd_escape(s, len, quote);
	return *heap ? *heap : "-";
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
	char bm[64], bp[1024], bq[1024], bd[1024], *m, *p, *qs, *d;
	const char *fm = field(bm, sizeof bm, &m, method, 0);
	const char *fp = field(bp, sizeof bp, &p, path, 0);
	const char *fq = field(bq, sizeof bq, &qs, q, 1);
	const char *fd = field(bd, sizeof bd, &d, detail, 1);
	fprintf(stderr, "%s %s %s q=%s status=%s hits=%lld took_ms=%.1f%s%s\n", when, fm,
		fp, fq, st, hits, ms, detail ? " detail=" : "", detail ? fd : "");
	free(m);
	free(p);
	free(qs);
	free(d);
}
