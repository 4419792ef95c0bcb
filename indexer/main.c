/*
 * main.c: pvd-index, which walks the PATHs given, extracts each file's
 * text and metadata and writes them to the index through libpvd.  One bad
 * file never stops the run: it is reported and the rest is committed.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "indexer.h"
#include "pvd.h"

/* Files larger than this are not documents anyone reads whole. */
#define MAX_FILE_BYTES (256u << 20)
/* Commit after this many documents or bytes of text, so that a killed run
 * keeps most of its work and memory stays bounded. */
#define BATCH_DOCS 1000
#define BATCH_BYTES (64u << 20)

typedef struct run {
	pvd_writer *w;
	detector *det;
	FILE *report;
	int quiet;
	unsigned long indexed, skipped, failed;
	unsigned long batch_docs;
	size_t batch_bytes;
	int fatal; /* the index itself failed: stop */
} run;

static void
usage(FILE *to)
{
	fprintf(to, "usage: pvd-index [--db DIR] [--full] [--jobs N] [--quiet] "
		    "[--report FILE] PATH...\n");
}

/* One JSON line for --report: {"path": ..., "status": ..., "reason": ...}. */
static void
report_line(run *r, const char *path, const char *status, const char *reason)
{
	if (!r->report)
		return;
	fputs("{\"path\":\"", r->report);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(r->report, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(r->report, "\\u%04x", *p);
		else
			fputc(*p, r->report);
	}
	fprintf(r->report, "\",\"status\":\"%s\",\"reason\":\"", status);
	for (const unsigned char *p = (const unsigned char *)reason; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(r->report, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(r->report, "\\u%04x", *p);
		else
			fputc(*p, r->report);
	}
	fputs("\"}\n", r->report);
}

static void
fail(run *r, const char *path, const char *reason)
{
	fprintf(stderr, "pvd-index: %s: %s\n", path, reason);
	report_line(r, path, "failed", reason);
	r->failed++;
}

static void
skip(run *r, const char *path, const char *reason)
{
	report_line(r, path, "skipped", reason);
	r->skipped++;
}

static void
on_walk_error(const char *path, const char *reason, void *arg)
{
	fail(arg, path, reason);
}

/* Read the whole file; NULL with errno set on failure. */
static char *
slurp(const char *path, size_t size, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *buf = malloc(size + 1);
	size_t got = 0;
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
			break; /* shrank since stat: index what is there */
		got += (size_t)n;
	}
	close(fd);
	if (buf)
		buf[got] = '\0';
	*len = got;
	return buf;
}

static void
date_of_mtime(char out[11], time_t t)
{
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static void
commit(run *r)
{
	if (r->batch_docs == 0)
		return;
	pvd_status st = pvd_writer_commit(r->w);
	if (st != PVD_OK) {
		fprintf(stderr, "pvd-index: commit failed: %s\n", pvd_writer_errmsg(r->w));
		r->fatal = 1;
	}
	r->batch_docs = 0;
	r->batch_bytes = 0;
}

static void
on_file(const char *path, const struct stat *st, void *arg)
{
	run *r = arg;
	char mime[128], *reason = NULL;
	extracted x = {0};

	if (r->fatal)
		return;
	if ((size_t)st->st_size > MAX_FILE_BYTES) {
		fail(r, path, "file larger than 256 MiB");
		return;
	}
	size_t len;
	char *buf = slurp(path, (size_t)st->st_size, &len);
	if (!buf) {
		fail(r, path, strerror(errno));
		return;
	}
	file_kind kind = detect_kind(r->det, path, buf, len, mime, sizeof mime);
	int rc = 0;
	switch (kind) {
	case KIND_TEXT:
	case KIND_MARKDOWN:
		rc = extract_text(&x, buf, len, kind == KIND_MARKDOWN);
		break;
	case KIND_HTML:
		rc = extract_html(&x, buf, len, &reason);
		break;
	case KIND_EMPTY:
		skip(r, path, "empty file");
		free(buf);
		return;
	case KIND_PDF:
		skip(r, path, "PDF is not read yet");
		free(buf);
		return;
	case KIND_OTHER: {
		char why[192];
		snprintf(why, sizeof why, "not a document (%s)", mime);
		skip(r, path, why);
		free(buf);
		return;
	}
	}
	free(buf);
	if (rc != 0) {
		fail(r, path, reason ? reason : "out of memory");
		free(reason);
		extracted_clear(&x);
		return;
	}
	if (x.n_bad > 0)
		fprintf(stderr, "pvd-index: %s: warning: %zu invalid byte sequence%s replaced by U+FFFD\n",
			path, x.n_bad, x.n_bad > 1 ? "s" : "");

	char mdate[11];
	date_of_mtime(mdate, st->st_mtime);
	const char *type = x.type ? x.type : type_from_path(path);
	pvd_doc doc = {
		.path = path,
		.title = x.title,
		.type = type ? type : "article",
		.date = x.date ? x.date : mdate,
		.communes = (const char *const *)x.communes,
		.n_communes = x.n_communes,
		.text = x.text,
		.text_len = x.text_len,
		.size = (uint64_t)st->st_size,
		.mtime = (int64_t)st->st_mtime,
	};
	pvd_status s = pvd_writer_add(r->w, &doc);
	if (s == PVD_OK) {
		r->indexed++;
		r->batch_docs++;
		r->batch_bytes += x.text_len;
	} else {
		fail(r, path, pvd_writer_errmsg(r->w));
		if (s == PVD_ENOMEM || s == PVD_ECORRUPT || s == PVD_EIO)
			r->fatal = 1;
	}
	extracted_clear(&x);
	if (r->batch_docs >= BATCH_DOCS || r->batch_bytes >= BATCH_BYTES)
		commit(r);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},   {"full", no_argument, NULL, 'F'},
		{"jobs", required_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},
		{"report", required_argument, NULL, 'r'}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0}};
	const char *db = NULL, *report = NULL;
	run r = {0};
	int c;

	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'F': break; /* every run rebuilds what it reads for now */
		case 'j': {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 1024) {
				fprintf(stderr, "pvd-index: --jobs takes a number from 1 to 1024\n");
				return 2;
			}
			break;
		}
		case 'q': r.quiet = 1; break;
		case 'r': report = optarg; break;
		case 'h': usage(stdout); return 0;
		case 'V': printf("pvd-index %s\n", pvd_version()); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "pvd-index: no PATH to index\n");
		usage(stderr);
		return 2;
	}

	char *dbpath = db ? strdup(db) : pvd_default_db_path();
	if (!dbpath) {
		fprintf(stderr, "pvd-index: no index location: give --db DIR or set PVD_DB\n");
		return 2;
	}
	if (report && !(r.report = fopen(report, "w"))) {
		fprintf(stderr, "pvd-index: %s: %s\n", report, strerror(errno));
		free(dbpath);
		return 2;
	}
	char *err = NULL;
	if (!(r.det = detector_new(&err))) {
		fprintf(stderr, "pvd-index: libmagic: %s\n", err ? err : "out of memory");
		free(err);
		free(dbpath);
		return 2;
	}
	pvd_status st = pvd_writer_open(&r.w, dbpath, &err);
	if (st != PVD_OK) {
		fprintf(stderr, "pvd-index: %s\n", err ? err : pvd_status_str(st));
		free(err);
		detector_free(r.det);
		free(dbpath);
		return 2;
	}
	xmlInitParser();

	walker *w = walker_new(on_file, on_walk_error, &r);
	for (int i = optind; w && i < argc && !r.fatal; i++)
		walker_run(w, argv[i]);
	walker_free(w);
	/* The last commit also creates an index that is still empty. */
	if (!r.fatal && pvd_writer_commit(r.w) != PVD_OK) {
		fprintf(stderr, "pvd-index: commit failed: %s\n", pvd_writer_errmsg(r.w));
		r.fatal = 1;
	}

	if (!r.quiet)
		fprintf(stderr, "pvd-index: %s: %lu indexed, %lu skipped, %lu failed\n", dbpath,
			r.indexed, r.skipped, r.failed);
	pvd_writer_close(r.w);
	detector_free(r.det);
	xmlCleanupParser();
	if (r.report)
		fclose(r.report);
	free(dbpath);
	if (r.fatal || !w)
		return 2;
	return r.failed ? 1 : 0;
}
