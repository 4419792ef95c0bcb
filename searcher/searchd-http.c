/*
 * searchd-http.c: pvd-searchd's request handlers.  Every failure becomes a
 * JSON error with an HTTP status; no request can take the daemon down or
 * hold a worker for long (Xapian's match time limit, bounded parameters,
 * bounded bodies).  The search and its JSON come from libpvd, the very code
 * pvd-search runs, so both give the same answers.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pvd.h"
#include "searchd.h"

/* The largest --offset worth paging to: further is an error, not a slow
 * walk through a million hits. */
#define MAX_OFFSET 100000

/* What a worker is asked to do. */
enum job { JOB_NONE, JOB_SEARCH, JOB_STATS };

/* What one request carries between libmicrohttpd's calls. */
struct request {
	size_t uri_len;    /* the raw URI, query string included */
	int started;       /* the headers-only first call is past */
	int counted;       /* in the requests count */
	char *body;        /* a POST body, up to SEARCHD_MAX_BODY */
	size_t body_len;
	int body_too_big;
	struct timespec t0;
	/* the answer, queued on the handler's next call */
	unsigned status;
	char *reply;
	const char *allow;
	/* a job for a worker, while the connection is suspended */
	enum job job;
	struct MHD_Connection *conn;
	const char *method;
	request *next;
};

/* ---- each worker's own index -------------------------------------------- */

static pthread_key_t index_key;
static pthread_once_t index_once = PTHREAD_ONCE_INIT;

static void
close_index(void *ix)
{
	pvd_index_close(ix);
}

static void
make_key(void)
{
	pthread_key_create(&index_key, close_index);
}

/* This thread's index, opened on first use: no Xapian object is shared
 * between threads.  NULL with *err set when it cannot be opened. */
static pvd_index *
worker_index(const searchd *sd, char **err)
{
	pthread_once(&index_once, make_key);
	pvd_index *ix = pthread_getspecific(index_key);
	*err = NULL;
	if (ix)
		return ix;
	if (pvd_index_open(&ix, sd->dbs, sd->n_dbs, err) != PVD_OK)
		return NULL;
	pthread_setspecific(index_key, ix);
	return ix;
}

/* ---- replies -------------------------------------------------------------- */

static double
ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Keep the answer of rq, to be queued by queue_reply() from the handler:
 * a worker may not queue it itself. */
static enum MHD_Result
send_json(request *rq, unsigned status, char *body, const char *allow)
{
	free(rq->reply);
	rq->status = status;
	rq->reply = body;
	rq->allow = allow;
	return MHD_YES;
}

static enum MHD_Result
queue_reply(struct MHD_Connection *c, request *rq)
{
	char *body = rq->reply;
	unsigned status = rq->status;
	const char *allow = rq->allow;
	rq->reply = NULL;
	if (!body)
		return MHD_NO;
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				"application/json; charset=utf-8");
	if (allow)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	enum MHD_Result ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* {"error": {"code": ..., "message": ...}} */
static char *
error_body(const char *code, const char *message)
{
	json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
	char *s = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	/* a message that is not UTF-8 cannot be packed: say less */
	return s ? s : strdup("{\"error\":{\"code\":\"internal\",\"message\":\"error\"}}");
}

/* One line on stderr per request: time, method, path, query, status,
 * hits, milliseconds. */
static void
log_request(const searchd *sd, const char *method, const char *path, const char *q,
	    unsigned status, long long hits, double ms)
{
	if (sd->quiet)
		return;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_t *jq = q ? json_string(q) : NULL;
	char *qs = jq ? json_dumps(jq, JSON_ENCODE_ANY) : NULL;
	fprintf(stderr, "%s %s %s q=%s status=%u hits=%lld took_ms=%.1f\n", when, method, path,
		qs ? qs : "-", status, hits, ms);
	free(qs);
	json_decref(jq);
}

static enum MHD_Result
fail_q(const searchd *sd, struct MHD_Connection *c, request *rq, const char *method,
       const char *path, const char *q, unsigned status, const char *code,
       const char *message)
{
	(void)c; /* the answer is queued by the handler, from rq */
	log_request(sd, method, path, q, status, -1, ms_since(&rq->t0));
	return send_json(rq, status, error_body(code, message),
			 status == MHD_HTTP_METHOD_NOT_ALLOWED
				 ? (strcmp(path, "/search") ? "GET, HEAD" : "GET, HEAD, POST")
				 : NULL);
}

static enum MHD_Result
fail(const searchd *sd, struct MHD_Connection *c, request *rq, const char *method,
     const char *path, unsigned status, const char *code, const char *message)
{
	return fail_q(sd, c, rq, method, path, NULL, status, code, message);
}

/* ---- parameters -------------------------------------------------------------- */

/* A search request and the storage its strings point into. */
typedef struct params {
	pvd_request req;
	json_t *json;       /* a POST body, owning the strings */
	char msg[256];      /* what is wrong, when something is */
} params;

static int
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : (*p >> 3) == 30 ? 4 : 0;
		if (!n || (n == 2 && *p < 0xC2))
			return 0;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return 0;
		if (n == 3 && ((*p == 0xE0 && p[1] < 0xA0) || (*p == 0xED && p[1] >= 0xA0)))
			return 0; /* overlong, surrogate */
		if (n == 4 && ((*p == 0xF0 && p[1] < 0x90) || *p > 0xF4 || (*p == 0xF4 && p[1] >= 0x90)))
			return 0;
		p += n;
	}
	return 1;
}

static int bad(params *pm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Say what is wrong in pm->msg; returns -1. */
static int
bad(params *pm, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pm->msg, sizeof pm->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* A whole number in [min, max] written in decimal. */
static int
number(params *pm, const char *name, const char *s, long long min, long long max,
       uint64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	/* digits only: no sign, no blank ("+5", " 5") */
	if (*s < '0' || *s > '9' || *end || errno || v < min || v > max) {
		snprintf(pm->msg, sizeof pm->msg, "%s must be a whole number from %lld to %lld", name,
			 min, max);
		return -1;
	}
	*out = (uint64_t)v;
	return 0;
}

static int
set_sort(params *pm, const char *s)
{
	if (!strcmp(s, "date"))
		pm->req.sort = PVD_SORT_DATE;
	else if (strcmp(s, "relevance"))
		return bad(pm, "%s is relevance or date", "sort");
	return 0;
}

/* The request's fields, checked: 0, or -1 with pm->msg. */
static int
check_common(params *pm)
{
	pvd_request *r = &pm->req;
	if ((!r->query || !*r->query) && !(r->like && *r->like))
		return bad(pm, "%s is missing: the words to search for", "q");
	/* type and dates are checked by libpvd, for pvd-search too */
	r->time_limit = SEARCHD_MATCH_SECONDS;
	return 0;
}

typedef struct arg_check {
	int bad;
	char name[64];
} arg_check;

static enum MHD_Result
check_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	arg_check *ac = cls;
	(void)kind;
	if ((key && !valid_utf8(key)) || (value && !valid_utf8(value))) {
		ac->bad = 1;
		snprintf(ac->name, sizeof ac->name, "%s", key && valid_utf8(key) ? key : "?");
		return MHD_NO;
	}
	return MHD_YES;
}

static int
from_query_string(params *pm, struct MHD_Connection *c)
{
	arg_check ac = {0, ""};
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, check_arg, &ac);
	if (ac.bad)
		return bad(pm, "parameter %s is not valid UTF-8", ac.name);
	pvd_request *r = &pm->req;
#define ARG(name) MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name)
	const char *v;
	r->query = ARG("q");
	r->limit = 10;
	if ((v = ARG("limit")) && number(pm, "limit", v, 1, 100, &r->limit))
		return -1;
	if ((v = ARG("offset")) && number(pm, "offset", v, 0, MAX_OFFSET, &r->offset))
		return -1;
	r->type = ARG("type");
	r->commune = ARG("commune");
	r->departement = ARG("departement");
	r->region = ARG("region");
	r->like = ARG("like");
	r->since = ARG("since");
	r->until = ARG("until");
	if ((v = ARG("sort")) && set_sort(pm, v))
		return -1;
	if ((v = ARG("facets"))) {
		if (strcmp(v, "1") && strcmp(v, "0") && strcmp(v, "true") && strcmp(v, "false"))
			return bad(pm, "%s is 1 or 0", "facets");
		r->facets = !strcmp(v, "1") || !strcmp(v, "true");
	}
#undef ARG
	return check_common(pm);
}

/* A string field of the JSON body, or NULL; -1 when of another type. */
static int
json_str(params *pm, const char *name, const char **out)
{
	json_t *v = json_object_get(pm->json, name);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(pm, "%s must be a string", name);
	*out = json_string_value(v);
	return 0;
}

static int
json_num(params *pm, const char *name, long long min, long long max, uint64_t *out)
{
	json_t *v = json_object_get(pm->json, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
		snprintf(pm->msg, sizeof pm->msg, "%s must be a whole number from %lld to %lld", name,
			 min, max);
		return -1;
	}
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

static int
from_json(params *pm, const char *body, size_t len)
{
	json_error_t err;
	pm->json = json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &err);
	if (!pm->json) {
		snprintf(pm->msg, sizeof pm->msg, "the body is not JSON: %s (line %d)", err.text,
			 err.line);
		return -1;
	}
	if (!json_is_object(pm->json))
		return bad(pm, "the body must be a JSON object, like {\"q\": \"%s\"}", "ingénierie");
	pvd_request *r = &pm->req;
	const char *sort = NULL;
	r->limit = 10;
	if (json_str(pm, "q", &r->query) || json_num(pm, "limit", 1, 100, &r->limit) ||
	    json_num(pm, "offset", 0, MAX_OFFSET, &r->offset) || json_str(pm, "type", &r->type) ||
	    json_str(pm, "commune", &r->commune) || json_str(pm, "departement", &r->departement) ||
	    json_str(pm, "region", &r->region) || json_str(pm, "like", &r->like) ||
	    json_str(pm, "since", &r->since) ||
	    json_str(pm, "until", &r->until) || json_str(pm, "sort", &sort) ||
	    (sort && set_sort(pm, sort)))
		return -1;
	json_t *f = json_object_get(pm->json, "facets");
	if (f && !json_is_null(f)) {
		if (!json_is_boolean(f) && !(json_is_integer(f) && json_integer_value(f) >= 0 &&
					     json_integer_value(f) <= 1))
			return bad(pm, "%s is true, false, 1 or 0", "facets");
		r->facets = json_is_true(f) || (json_is_integer(f) && json_integer_value(f) == 1);
	}
	return check_common(pm);
}

/* ---- endpoints -------------------------------------------------------------- */

/* The search's JSON with "took_ms" added to it. */
static char *
with_took(char *json, double ms)
{
	size_t len = strlen(json);
	char *out = malloc(len + 48);
	if (!out || len < 2 || json[len - 1] != '}') {
		free(out);
		return json;
	}
	memcpy(out, json, len - 1);
	snprintf(out + len - 1, 48, ",\"took_ms\":%.3f}", ms);
	free(json);
	return out;
}

static enum MHD_Result
do_search(searchd *sd, struct MHD_Connection *c, request *rq, const char *method)
{
	params pm;
	memset(&pm, 0, sizeof pm);
	int rc = !strcmp(method, "POST") ? from_json(&pm, rq->body, rq->body_len)
					  : from_query_string(&pm, c);
	if (rc) {
		enum MHD_Result ret = fail_q(sd, c, rq, method, "/search",
					     pm.req.query && valid_utf8(pm.req.query) ? pm.req.query : NULL,
					     MHD_HTTP_BAD_REQUEST, "bad_parameter", pm.msg);
		json_decref(pm.json);
		return ret;
	}
	char *err = NULL, *json = NULL;
	pvd_index *ix = worker_index(sd, &err);
	if (!ix) {
		enum MHD_Result ret = fail(sd, c, rq, method, "/search", MHD_HTTP_SERVICE_UNAVAILABLE,
					   "no_index", err ? err : "the index cannot be opened");
		free(err);
		json_decref(pm.json);
		return ret;
	}
	pvd_results *r = NULL;
	pvd_status st = PVD_EMODIFIED;
	/* A commit of pvd-index may overtake the reader: reopen, retry once. */
	for (int attempt = 0; attempt < 2 && st == PVD_EMODIFIED; attempt++) {
		pvd_results_free(r);
		r = NULL;
		free(json);
		json = NULL;
		if ((st = pvd_index_refresh(ix)) != PVD_OK) {
			st = PVD_ENOENT; /* the index went away under us */
			break;
		}
		st = pvd_search(&r, ix, &pm.req);
		if (st == PVD_OK)
			st = pvd_results_json(r, &json);
	}
	unsigned status = MHD_HTTP_OK;
	const char *code = NULL, *msg = NULL;
	switch (st) {
	case PVD_OK:
		break;
	case PVD_EQUERY:
	case PVD_EINVAL:
		status = MHD_HTTP_BAD_REQUEST;
		code = st == PVD_EQUERY ? "bad_query" : "bad_parameter";
		msg = pvd_index_errmsg(ix);
		break;
	case PVD_ENOENT:
		status = MHD_HTTP_SERVICE_UNAVAILABLE;
		code = "no_index";
		msg = pvd_index_errmsg(ix);
		break;
	default:
		status = MHD_HTTP_INTERNAL_SERVER_ERROR;
		code = "internal";
		msg = r ? pvd_results_errmsg(r) : pvd_index_errmsg(ix);
		break;
	}
	enum MHD_Result ret;
	double ms = ms_since(&rq->t0);
	if (status == MHD_HTTP_OK) {
		log_request(sd, method, "/search", pm.req.query, status,
			    (long long)pvd_results_total(r), ms);
		ret = send_json(rq, status, with_took(json, ms), NULL);
	} else {
		free(json);
		ret = fail_q(sd, c, rq, method, "/search", pm.req.query, status, code, msg);
	}
	pvd_results_free(r);
	json_decref(pm.json);
	return ret;
}

static enum MHD_Result
do_stats(searchd *sd, struct MHD_Connection *c, request *rq, const char *method)
{
	char *err = NULL, *revision = NULL;
	int64_t updated = 0;
	pvd_index *ix = worker_index(sd, &err);
	if (!ix || pvd_index_refresh(ix) != PVD_OK ||
	    pvd_index_revision(ix, &revision, &updated) != PVD_OK) {
		enum MHD_Result ret = fail(sd, c, rq, method, "/stats", MHD_HTTP_SERVICE_UNAVAILABLE,
					   "no_index", err ? err : pvd_index_errmsg(ix));
		free(err);
		return ret;
	}
	char when[32] = "";
	if (updated) {
		struct tm tm;
		time_t t = (time_t)updated;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	json_t *j = json_pack("{s:I,s:s,s:s,s:I,s:I}", "documents",
			      (json_int_t)pvd_index_doccount(ix), "revision", revision, "updated",
			      when, "uptime_s", (json_int_t)(time(NULL) - sd->started), "requests",
			      (json_int_t)atomic_load(&sd->requests));
	free(revision);
	char *body = j ? json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!body)
		return fail(sd, c, rq, method, "/stats", MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
			    "out of memory");
	log_request(sd, method, "/stats", NULL, MHD_HTTP_OK, -1, ms_since(&rq->t0));
	return send_json(rq, MHD_HTTP_OK, body, NULL);
}

/* ---- libmicrohttpd's callbacks -------------------------------------------- */

void *
searchd_begin(void *cls, const char *uri, struct MHD_Connection *c)
{
	searchd *sd = cls;
	(void)c;
	atomic_fetch_add(&sd->inflight, 1);
	request *rq = calloc(1, sizeof *rq);
	if (rq) {
		rq->uri_len = strlen(uri);
		clock_gettime(CLOCK_MONOTONIC, &rq->t0);
	}
	return rq;
}

void
searchd_end(void *cls, struct MHD_Connection *c, void **con_cls,
	    enum MHD_RequestTerminationCode toe)
{
	searchd *sd = cls;
	(void)c;
	(void)toe;
	atomic_fetch_sub(&sd->inflight, 1);
	request *rq = *con_cls;
	if (rq) {
		free(rq->body);
		free(rq->reply);
		free(rq);
	}
	*con_cls = NULL;
}

typedef struct header_size {
	size_t total;
} header_size;

static enum MHD_Result
add_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	header_size *h = cls;
	(void)kind;
	h->total += strlen(key) + (value ? strlen(value) : 0) + 4;
	return MHD_YES;
}

enum MHD_Result
searchd_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	       const char *version, const char *upload_data, size_t *upload_data_size,
	       void **con_cls)
{
	searchd *sd = cls;
	request *rq = *con_cls;
	(void)version;
	if (!rq)
		return MHD_NO; /* out of memory in searchd_begin */

	if (!rq->started) {
		rq->started = 1;
		/* A body far too large is refused before it is read (and the
		 * connection closed with it); one a little too large is read
		 * and dropped, so that the connection stays usable. */
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > 16 * SEARCHD_MAX_BODY)
			return fail(sd, c, rq, method, url, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
				    "the body is over 64 KiB");
		/* The answer comes on the next call: queuing it now would
		 * make libmicrohttpd close a keep-alive connection. */
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!rq->body_too_big && rq->body_len + *upload_data_size <= SEARCHD_MAX_BODY) {
			char *b = realloc(rq->body, rq->body_len + *upload_data_size + 1);
			if (b) {
				memcpy(b + rq->body_len, upload_data, *upload_data_size);
				rq->body = b;
				rq->body_len += *upload_data_size;
				b[rq->body_len] = '\0';
			} else {
				rq->body_too_big = 1;
			}
		} else {
			rq->body_too_big = 1; /* chunked, with no length said up front */
		}
		*upload_data_size = 0;
		return MHD_YES;
	}

	/* Back from a worker: its answer is ready. */
	if (rq->job != JOB_NONE) {
		rq->job = JOB_NONE;
		return queue_reply(c, rq);
	}
	if (!rq->counted) {
		rq->counted = 1;
		atomic_fetch_add(&sd->requests, 1);
	}
	atomic_fetch_add(&sd->busy, 1);
	enum MHD_Result ret;
	header_size hs = {0};
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_header, &hs);
	int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	enum job job = JOB_NONE;

	if (rq->uri_len > SEARCHD_MAX_URL)
		ret = fail(sd, c, rq, method, "-", MHD_HTTP_URI_TOO_LONG, "too_large",
			   "the URL is over 8 KiB");
	else if (hs.total > SEARCHD_MAX_HEADERS)
		ret = fail(sd, c, rq, method, url, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
			   "too_large", "the headers are over 8 KiB");
	else if (rq->body_too_big)
		ret = fail(sd, c, rq, method, url, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
			   "the body is over 64 KiB");
	else if (atomic_load(&sd->connections) > sd->max_busy ||
		 (((!strcmp(url, "/search") && (get || !strcmp(method, "POST"))) ||
		   (!strcmp(url, "/stats") && get)) &&
		  sd->queued >= SEARCHD_MAX_QUEUED))
		ret = fail(sd, c, rq, method, url, MHD_HTTP_SERVICE_UNAVAILABLE, "overloaded",
			   "too many requests at once: try again");
	else if (!strcmp(url, "/search") && (get || !strcmp(method, "POST")))
		job = JOB_SEARCH, ret = MHD_YES;
	else if (!strcmp(url, "/health") && get) {
		log_request(sd, method, url, NULL, MHD_HTTP_OK, -1, ms_since(&rq->t0));
		ret = send_json(rq, MHD_HTTP_OK, strdup("{\"status\":\"ok\"}"), NULL);
	} else if (!strcmp(url, "/stats") && get)
		job = JOB_STATS, ret = MHD_YES;
	else if (!strcmp(url, "/search") || !strcmp(url, "/health") || !strcmp(url, "/stats"))
		ret = fail(sd, c, rq, method, url, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
			   "this method is not served here");
	else
		ret = fail(sd, c, rq, method, valid_utf8(url) ? url : "-", MHD_HTTP_NOT_FOUND,
			   "not_found", "no such endpoint: /search, /health and /stats are");
	if (job != JOB_NONE) {
		/* The search waits for a free worker; the connection sleeps. */
		rq->job = job;
		rq->conn = c;
		rq->method = method;
		MHD_suspend_connection(c);
		pthread_mutex_lock(&sd->lock);
		rq->next = NULL;
		if (sd->tail)
			sd->tail->next = rq;
		else
			sd->head = rq;
		sd->tail = rq;
		sd->queued++;
		pthread_cond_signal(&sd->ready);
		pthread_mutex_unlock(&sd->lock);
	} else if (ret == MHD_YES) {
		ret = queue_reply(c, rq);
	}
	atomic_fetch_sub(&sd->busy, 1);
	return ret;
}

void *
searchd_worker(void *arg)
{
	searchd *sd = arg;
	for (;;) {
		pthread_mutex_lock(&sd->lock);
		while (!sd->head && !sd->stopping)
			pthread_cond_wait(&sd->ready, &sd->lock);
		request *rq = sd->head;
		if (!rq) {
			pthread_mutex_unlock(&sd->lock);
			return NULL;
		}
		sd->head = rq->next;
		if (!sd->head)
			sd->tail = NULL;
		sd->queued--;
		pthread_mutex_unlock(&sd->lock);

		if (rq->job == JOB_SEARCH)
			do_search(sd, rq->conn, rq, rq->method);
		else
			do_stats(sd, rq->conn, rq, rq->method);
		if (!rq->reply)
			send_json(rq, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  error_body("internal", "out of memory"), NULL);
		MHD_resume_connection(rq->conn);
	}
}
