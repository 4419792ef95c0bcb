/*
 * process.c: one file, from its bytes to a prepared document: read it,
 * tell its kind, extract its text and metadata, fill what the file did not
 * say (type from the folder or the content, date from the text or the
 * file, communes from a tags line), and run the French analysis.  Runs in worker threads:
 * it touches nothing shared but the detector it is given.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pipeline.h"

/* Files larger than this are not documents anyone reads whole. */
#define MAX_FILE_BYTES ((size_t)256 << 20)

task *
task_new(const char *path, const struct stat *st)
{
	task *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	if (path && !(t->path = strdup(path))) {
		free(t);
		return NULL;
	}
	if (st)
		t->st = *st;
	return t;
}

void
task_free(task *t)
{
	if (!t)
		return;
	free(t->path);
	free(t->stamp);
	free(t->reason);
	free(t->warning);
	pvd_prepared_free(t->prep);
	free(t);
}

char *
make_stamp(const struct stat *st)
{
	char *s;
	if (asprintf(&s, "%lld:%lld.%09ld:%llu", (long long)st->st_size,
		     (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
		     (unsigned long long)st->st_ino) < 0)
		return NULL;
	return s;
}

static void
finish(task *t, outcome out, const char *reason)
{
	t->out = out;
	if (reason && !(t->reason = strdup(reason)))
		t->out = OUT_FAILED; /* reason NULL: reported as out of memory */
}

/* Read the whole file; NULL with errno set on failure. */
static char *
slurp(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	if ((size_t)st.st_size > MAX_FILE_BYTES) {
		close(fd);
		errno = EFBIG;
		return NULL;
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *buf = malloc(size + 1);
	while (buf && got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (n == 0)
			break; /* shrank since stat: take what is there */
		got += (size_t)n;
	}
	close(fd);
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	buf[got] = '\0';
	*len = got;
	return buf;
}

/* Extract by kind: 0 to index, 1 skipped, -1 failed; *reason says why. */
static int
extract(detector *det, const char *path, const char *buf, size_t len, extracted *x,
	char **reason)
{
	char mime[128];
	switch (detect_kind(det, path, buf, len, mime, sizeof mime)) {
	case KIND_TEXT:
		return extract_text(x, buf, len, 0) ? -1 : 0;
	case KIND_MARKDOWN:
		return extract_text(x, buf, len, 1) ? -1 : 0;
	case KIND_HTML:
		return extract_html(x, buf, len, reason) ? -1 : 0;
	case KIND_EMPTY:
		*reason = strdup("empty file");
		return 1;
	case KIND_PDF: {
		int skip = 0;
		if (extract_pdf(x, buf, len, reason, &skip) != 0)
			return -1;
		return skip ? 1 : 0; /* no text layer, or encrypted */
	}
	case KIND_ODT:
		return extract_odt(x, buf, len, reason) ? -1 : 0;
	case KIND_DOCX:
		return extract_docx(x, buf, len, reason) ? -1 : 0;
	case KIND_OTHER:
	default:
		if (asprintf(reason, _("not a document (%s)"), mime) < 0)
			*reason = NULL;
		return 1;
	}
}

/* The date a file's modification time gives, in local time. */
static void
mtime_date(char out[11], time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void
process_file(detector *det, task *t)
{
	extracted x = {0};
	char *reason = NULL;
	size_t len;

	char *buf = slurp(t->path, &len);
	if (!buf) {
		finish(t, OUT_FAILED,
		       errno == EFBIG ? _("file larger than 256 MiB") : strerror(errno));
		return;
	}
	int rc = extract(det, t->path, buf, len, &x, &reason);
	free(buf);
	if (rc != 0) {
		finish(t, rc > 0 ? OUT_SKIPPED : OUT_FAILED,
		       reason ? reason : _("out of memory"));
		free(reason);
		extracted_clear(&x);
		return;
	}
	free(reason);
	if (x.n_bad > 0 &&
	    asprintf(&t->warning,
		     ngettext("%zu invalid byte sequence replaced by U+FFFD",
			      "%zu invalid byte sequences replaced by U+FFFD", x.n_bad),
		     x.n_bad) < 0)
		t->warning = NULL;

	/* A page's description is searchable, unless its body says it all. */
	if (x.description && x.text && !strstr(x.text, x.description)) {
		char *both;
		if (asprintf(&both, "%s\n\n%s", x.description, x.text) >= 0) {
			free(x.text);
			x.text = both;
			x.text_len = strlen(both);
		}
	}
	/* Type: metadata, else the folder (the site's names, then ours),
	 * else the content.  Then the date, which for an act is its
	 * signature's: an act cites older dates before it is signed. */
	const char *type = valid_type(x.type) ? x.type : type_from_path(t->path);
	if (!type)
		type = type_from_content(x.title, x.text, x.text_len);
	if (x.date && !pvd_date_valid(x.date)) {
		free(x.date); /* "2021-02-30": the next source says better */
		x.date = NULL;
	}
	const char *date_source = x.date ? "metadata" : NULL;
	char date[11];
	if (!x.date && x.text &&
	    (!strcmp(type, "texte") ? act_date(x.title, x.text, x.text_len, date)
				    : french_date(x.text, x.text_len, date))) {
		x.date = strdup(date);
		date_source = "text";
	}
	if (!x.date) {
		mtime_date(date, t->st.st_mtime);
		x.date = strdup(date);
		date_source = "file";
	}
	if (!x.n_communes)
		communes_from_tags(&x);
	pvd_doc doc = {
	    .path = t->path,
	    .title = x.title,
	    .type = type,
	    .date = x.date,
	    .date_source = date_source,
	    .communes = (const char *const *)x.communes,
	    .n_communes = x.n_communes,
	    .text = x.text ? x.text : "",
	    .text_len = x.text_len,
	    .size = (uint64_t)t->st.st_size,
	    .mtime = (int64_t)t->st.st_mtime,
	    .stamp = t->stamp,
	};
	pvd_status st = pvd_prepare(&t->prep, &doc);
	finish(t, st == PVD_OK ? OUT_INDEXED : OUT_FAILED,
	       st == PVD_OK ? NULL : pvd_status_str(st));
	extracted_clear(&x);
}
