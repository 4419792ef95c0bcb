/*
 * searchd-http.c: pvd-searchd's request handlers.  Every failure becomes a
 * JSON error with an HTTP status; no request can take the daemon down or
 * hold a worker for long (libpvd's cost budget, a deadline for the whole
 * request, bounded parameters and bodies).  The search and its JSON come
 * from libpvd, the very code pvd-search runs, so both give the same
 * answers.  A request's state is made on the handler's first call and
 * freed by libmicrohttpd's completion callback, which then writes its one
 * log line; what a connection needs across requests (the raw URI, its
 * phase for the guard) lives in its socket context.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <jansson.h>

#include "pvd.h"
#include "searchd-params.h"
#include "searchd.h"

/* What a worker is asked to do. */
enum job { JOB_NONE, JOB_SEARCH, JOB_STATS, JOB_HEALTH };

/* What one request carries between libmicrohttpd's calls. */
struct request {
	sconn *sc;    /* its connection's context */
	char *method; /* copies, for the log line */
	char *path;   /* decoded; the raw path when it cannot be */
	char *query;  /* the raw query string, NULL when none */
	size_t query_len;
	int uri_bad;  /* the path has a NUL or a malformed %-escape */
	int too_long; /* the URI is over SEARCHD_MAX_URL */
	int headers_too_big;
	char *body; /* a POST body, up to SEARCHD_MAX_BODY */
	size_t body_len;
	int body_too_big;
	int body_oom;	 /* the body could not be kept: out of memory */
	double t0;	 /* the request line's arrival */
	double complete; /* the whole request's arrival: the deadline counts from it */
	/* the answer, queued on the handler's next call */
	unsigned status;
	char *reply;
	const char *allow;
	int close;  /* Connection: close */
	int queued; /* given to libmicrohttpd already */
	int oom;    /* answered with the out-of-memory answer made at start */
	int health; /* a readiness check: its answers have /health's shape */
	/* for the log line */
	char *q;
	long long hits;
	double took;
	char *detail;
	/* a job for a worker, while the connection is suspended */
	enum job job;
	struct MHD_Connection *conn;
	request *next;
};

double
searchd_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Move sc to phase; restart its clock when asked (a request's head and
 * body count from when the connection could send it, not from their
 * first byte). */
static void
set_phase(searchd *sd, sconn *sc, enum conn_phase phase, int restart)
{
	if (!sc)
		return;
	pthread_mutex_lock(&sd->conns_lock);
	sc->phase = phase;
	if (restart)
		sc->since = searchd_now();
	pthread_mutex_unlock(&sd->conns_lock);
}

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
 * between threads.  NULL with *err set when it cannot be opened, and *st
 * (when given) saying why. */
static pvd_index *
worker_index(const searchd *sd, char **err, pvd_status *st)
{
	pthread_once(&index_once, make_key);
	pvd_index *ix = pthread_getspecific(index_key);
	pvd_status got = PVD_OK;
	*err = NULL;
	if (!ix && (got = pvd_index_open(&ix, sd->dbs, sd->n_dbs, err)) == PVD_OK &&
	    pthread_setspecific(index_key, ix) != 0) {
		pvd_index_close(ix);
		got = PVD_ENOMEM;
	}
	if (st)
		*st = got;
	return got == PVD_OK ? ix : NULL;
}

/* What went wrong with the index: pvd_index_open()'s message, the open
 * index's, or (the message itself could not be made) out of memory. */
static const char *
index_error(const char *err, const pvd_index *ix)
{
	return err ? err : ix ? pvd_index_errmsg(ix) : _("out of memory");
}

/* ---- replies -------------------------------------------------------------- */

/*
 * Out of memory, no answer can be made for the request: these two, made
 * at start, are queued as they are (libmicrohttpd counts their users).
 * They close the connection, which gives its memory back.
 */
#define OOM_ERROR_BODY                                                                   \
	"{\"error\":{\"code\":\"out_of_memory\",\"message\":\"the daemon is out "        \
	"of memory: try again\"}}"
#define OOM_HEALTH_BODY                                                                  \
	"{\"status\":\"out_of_memory\",\"message\":\"the daemon is out of memory\"}"

static struct MHD_Response *oom_error, *oom_health;

static struct MHD_Response *
static_answer(const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	if (r &&
	    (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
				     "application/json; charset=utf-8") != MHD_YES ||
	     MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") != MHD_YES ||
	     MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") !=
		 MHD_YES ||
	     MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close") !=
		 MHD_YES)) {
		MHD_destroy_response(r);
		r = NULL;
	}
	return r;
}

int
searchd_http_init(void)
{
	searchd_params_init();
	oom_error = static_answer(OOM_ERROR_BODY);
	oom_health = static_answer(OOM_HEALTH_BODY);
	if (oom_error && oom_health)
		return 0;
	searchd_http_free();
	return -1;
}

void
searchd_http_free(void)
{
	if (oom_error)
		MHD_destroy_response(oom_error);
	if (oom_health)
		MHD_destroy_response(oom_health);
	oom_error = oom_health = NULL;
}

/* The answer made at start, for rq; health: a readiness check's shape
 * (when rq, its state, could not be made). */
static enum MHD_Result
queue_oom(struct MHD_Connection *c, request *rq, int health)
{
	struct MHD_Response *r = (rq ? rq->health : health) ? oom_health : oom_error;
	if (!r)
		return MHD_NO;
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_SERVICE_UNAVAILABLE, r);
	if (rq) {
		rq->status = MHD_HTTP_SERVICE_UNAVAILABLE;
		rq->hits = -1;
		rq->oom = 1;
		rq->queued = ret == MHD_YES;
	}
	return ret;
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
	rq->took = (searchd_now() - rq->t0) * 1e3;
	return MHD_YES;
}

static enum MHD_Result
queue_reply(struct MHD_Connection *c, request *rq)
{
	char *body = rq->reply;
	rq->reply = NULL;
	if (!body)
		return queue_oom(c, rq, 0); /* the answer could not be made */
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(body);
		return queue_oom(c, rq, 0);
	}
	/* JSON is never to be sniffed as HTML, nor kept by a cache; an
	 * answer without its headers is not sent */
	if (MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				    "application/json; charset=utf-8") != MHD_YES ||
	    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") !=
		MHD_YES ||
	    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") !=
		MHD_YES ||
	    (rq->allow && MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
						  rq->allow) != MHD_YES) ||
	    (rq->close && MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION,
						  "close") != MHD_YES)) {
		MHD_destroy_response(resp);
		return queue_oom(c, rq, 0);
	}
	enum MHD_Result ret = MHD_queue_response(c, rq->status, resp);
	MHD_destroy_response(resp);
	if (ret == MHD_YES)
		rq->queued = 1;
	return ret;
}

/* {"error": {"code": ..., "message": ...}}; NULL when out of memory. */
static char *
error_body(const char *code, const char *message)
{
	json_t *j = json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message);
	char *s = j ? searchd_json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (s || utf8_valid(message, strlen(message)))
		return s;
	/* a message that is not UTF-8 cannot be packed: say less */
	return strdup("{\"error\":{\"code\":\"internal\",\"message\":\"error\"}}");
}

/* Answer rq with an error; detail, when given, goes to the log only. */
static enum MHD_Result
fail_detail(request *rq, unsigned status, const char *code, const char *message,
	    const char *detail)
{
	/* A client's mistake: the log says which, as the client is told
	 * (the message names the parameter). */
	if (!detail && status >= 400 && status < 500)
		detail = message;
	if (detail && !rq->detail)
		rq->detail = strdup(detail);
	return send_json(
	    rq, status, error_body(code, message),
	    status == MHD_HTTP_METHOD_NOT_ALLOWED
		? (strcmp(rq->path, "/search") ? "GET, HEAD" : "GET, HEAD, POST")
		: NULL);
}

static enum MHD_Result
fail(request *rq, unsigned status, const char *code, const char *message)
{
	return fail_detail(rq, status, code, message, NULL);
}

/* Out of memory: no body now; queue_reply() sends the one made at start. */
static void
fail_oom(request *rq)
{
	send_json(rq, MHD_HTTP_SERVICE_UNAVAILABLE, NULL, NULL);
}

/* What a client is told when the index cannot be opened; the reason,
 * which names server paths, goes to the log. */
#define NO_INDEX_MESSAGE _("the index cannot be opened: try again later")

/* ---- endpoints -------------------------------------------------------------- */

/* The search's JSON with "took_ms" added to it (it takes json); NULL when
 * out of memory. */
static char *
with_took(char *json, double ms)
{
	size_t len = json ? strlen(json) : 0;
	char *out = json ? malloc(len + 48) : NULL;
	if (!out || len < 2 || json[len - 1] != '}') {
		free(out);
		free(json);
		return NULL;
	}
	memcpy(out, json, len - 1);
	snprintf(out + len - 1, 48, ",\"took_ms\":%.3f}", ms);
	free(json);
	return out;
}

/* What is left of rq's deadline, in seconds. */
static double
time_left(const request *rq)
{
	return SEARCHD_DEADLINE_S - (searchd_now() - rq->complete);
}

static void
do_search(searchd *sd, request *rq, int post)
{
	searchd_params pm;
	memset(&pm, 0, sizeof pm);
	int rc =
	    post ? searchd_params_body(&pm, rq->body, rq->body_len)
		 : searchd_params_query(&pm, rq->query ? rq->query : "", rq->query_len);
	if (pm.req.query && utf8_valid(pm.req.query, strlen(pm.req.query)))
		rq->q = strdup(pm.req.query);
	if (rc) {
		if (pm.oom)
			fail_oom(rq);
		else
			fail(rq, MHD_HTTP_BAD_REQUEST, "bad_parameter", pm.msg);
		searchd_params_free(&pm);
		return;
	}
	char *err = NULL, *json = NULL;
	pvd_status st = PVD_OK;
	pvd_index *ix = worker_index(sd, &err, &st);
	if (!ix && st == PVD_ENOMEM) {
		fail_oom(rq);
		free(err);
		searchd_params_free(&pm);
		return;
	}
	if (!ix) {
		fail_detail(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "no_index",
			    NO_INDEX_MESSAGE, err);
		free(err);
		searchd_params_free(&pm);
		return;
	}
	pvd_results *r = NULL;
	st = PVD_EMODIFIED;
	/* A commit of pvd-index may overtake the reader: reopen, retry once. */
	for (int attempt = 0; attempt < 2 && st == PVD_EMODIFIED; attempt++) {
		pvd_results_free(r);
		r = NULL;
		free(json);
		json = NULL;
		if ((st = pvd_index_refresh(ix)) != PVD_OK) {
			if (st != PVD_ENOMEM)
				st = PVD_ENOENT; /* the index went away under us */
			break;
		}
		pm.req.time_limit = time_left(rq);
		if (pm.req.time_limit <= 0) {
			st = PVD_DONE; /* the deadline passed before the work began */
			break;
		}
		st = pvd_search(&r, ix, &pm.req);
		if (st == PVD_OK)
			st = pvd_results_json(r, &json);
	}
	switch (st) {
	case PVD_OK:
		rq->hits = (long long)pvd_results_total(r);
		send_json(rq, MHD_HTTP_OK, NULL, NULL);
		rq->reply = with_took(searchd_docs_urls(sd, json), rq->took);
		json = NULL;
		break;
	case PVD_ENOMEM:
		fail_oom(rq);
		break;
	case PVD_DONE:
		fail(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "timeout",
		     _("the request waited past its deadline for a worker: try again"));
		break;
	case PVD_EQUERY:
	case PVD_EINVAL:
		fail(rq, MHD_HTTP_BAD_REQUEST,
		     st == PVD_EQUERY ? "bad_query" : "bad_parameter",
		     pvd_index_errmsg(ix));
		break;
	case PVD_ENOENT:
		fail_detail(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "no_index",
			    NO_INDEX_MESSAGE, pvd_index_errmsg(ix));
		break;
	default:
		fail_detail(rq, MHD_HTTP_INTERNAL_SERVER_ERROR, "internal",
			    _("the search failed; the daemon's log says why"),
			    r ? pvd_results_errmsg(r) : pvd_index_errmsg(ix));
		break;
	}
	free(json);
	pvd_results_free(r);
	searchd_params_free(&pm);
}

static void
do_stats(searchd *sd, request *rq)
{
	char *err = NULL, *revision = NULL;
	int64_t updated = 0;
	pvd_status st = PVD_OK;
	pvd_index *ix = worker_index(sd, &err, &st);
	if (ix && (st = pvd_index_refresh(ix)) == PVD_OK)
		st = pvd_index_revision(ix, &revision, &updated);
	if (st == PVD_ENOMEM) {
		fail_oom(rq);
		free(err);
		return;
	}
	if (st != PVD_OK) {
		fail_detail(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "no_index",
			    NO_INDEX_MESSAGE, index_error(err, ix));
		free(err);
		return;
	}
	char when[32] = "";
	if (updated) {
		struct tm tm;
		time_t t = (time_t)updated;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	json_t *j =
	    json_pack("{s:I,s:s,s:s,s:I,s:I}", "documents",
		      (json_int_t)pvd_index_doccount(ix), "revision", revision, "updated",
		      when, "uptime_s", (json_int_t)(time(NULL) - sd->started),
		      "requests", (json_int_t)atomic_load(&sd->requests));
	free(revision);
	char *body = j ? searchd_json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	if (!body)
		fail_oom(rq);
	else
		send_json(rq, MHD_HTTP_OK, body, NULL);
}

/* Readiness: the index opens and moves to its latest commit. */
static void
do_health(searchd *sd, request *rq)
{
	char *err = NULL;
	const char *failed = NULL;
	pvd_status st = PVD_OK;
	pvd_index *ix = worker_index(sd, &err, &st);
	if (!ix)
		failed = _("the index cannot be opened");
	else if ((st = pvd_index_refresh(ix)) != PVD_OK)
		failed = _("the index cannot be read at its latest commit");
	if (st == PVD_ENOMEM) {
		fail_oom(rq);
		free(err);
		return;
	}
	if (!failed) {
		/* (NULL when out of memory: then the answer made at start) */
		send_json(rq, MHD_HTTP_OK, strdup("{\"status\":\"ok\"}"), NULL);
		return;
	}
	rq->detail = strdup(index_error(err, ix));
	free(err);
	json_t *j = json_pack("{s:s,s:s}", "status", "no_index", "message", failed);
	char *body = j ? searchd_json_dumps(j, JSON_COMPACT) : NULL;
	json_decref(j);
	send_json(rq, MHD_HTTP_SERVICE_UNAVAILABLE, body, NULL);
}

/* ---- libmicrohttpd's callbacks -------------------------------------------- */

/* Whether a request is a readiness check, answered in /health's shape. */
static int
is_health(const char *path, const char *method)
{
	return !strcmp(path, "/health") &&
	       (!strcmp(method, "GET") || !strcmp(method, "HEAD"));
}

/* The state of every request whose own could not be allocated: answered
 * at once with the out-of-memory answer, its body (if any) dropped. */
static request no_state;

static sconn *
context_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* A request line libmicrohttpd took but never handed to us (it answered
 * it itself, or closed the connection): still one log line. */
static void
log_unhandled(const searchd *sd, sconn *sc)
{
	if (!sc->head_unhandled)
		return;
	sc->head_unhandled = 0;
	size_t n = sc->uri_len < SEARCHD_MAX_URL ? sc->uri_len : SEARCHD_MAX_URL;
	char *q = memchr(sc->uri, '?', n);
	char *path = strndup(sc->uri, q ? (size_t)(q - sc->uri) : n);
	searchd_log(sd, NULL, path, NULL, 0, -1, (searchd_now() - sc->t0) * 1e3,
		    "refused or dropped by libmicrohttpd");
	free(path);
}

void *
searchd_begin(void *cls, const char *uri, struct MHD_Connection *c)
{
	searchd *sd = cls;
	sconn *sc = context_of(c);
	if (sc) {
		log_unhandled(sd, sc);
		/* The URI as it came, before libmicrohttpd decodes it. */
		sc->uri_len = strlen(uri);
		size_t n = sc->uri_len < SEARCHD_MAX_URL ? sc->uri_len : SEARCHD_MAX_URL;
		memcpy(sc->uri, uri, n);
		sc->uri[n] = '\0';
		sc->head_unhandled = 1;
		sc->t0 = searchd_now();
		set_phase(sd, sc, PHASE_HEAD, 0);
	}
	return NULL; /* the request's state is the handler's to make */
}

void
searchd_connection(void *cls, struct MHD_Connection *c, void **socket_context,
		   enum MHD_ConnectionNotificationCode code)
{
	searchd *sd = cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		atomic_fetch_add(&sd->connections, 1);
		sconn *sc = calloc(1, sizeof *sc);
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		if (!sc)
			return;
		sc->fd = ci ? ci->connect_fd : -1;
		sc->phase = PHASE_WAITING;
		sc->since = searchd_now();
		pthread_mutex_lock(&sd->conns_lock);
		sc->next = sd->conns;
		if (sd->conns)
			sd->conns->prev = sc;
		sd->conns = sc;
		pthread_mutex_unlock(&sd->conns_lock);
		*socket_context = sc;
		return;
	}
	atomic_fetch_sub(&sd->connections, 1);
	sconn *sc = *socket_context;
	if (!sc)
		return;
	log_unhandled(sd, sc);
	pthread_mutex_lock(&sd->conns_lock);
	if (sc->prev)
		sc->prev->next = sc->next;
	else
		sd->conns = sc->next;
	if (sc->next)
		sc->next->prev = sc->prev;
	pthread_mutex_unlock(&sd->conns_lock);
	free(sc);
	*socket_context = NULL;
}

void
searchd_end(void *cls, struct MHD_Connection *c, void **con_cls,
	    enum MHD_RequestTerminationCode toe)
{
	searchd *sd = cls;
	(void)c;
	request *rq = *con_cls;
	*con_cls = NULL;
	if (!rq)
		return;
	if (rq == &no_state) {
		/* its state could not be made: the answer made at start went */
		searchd_log(sd, NULL, NULL, NULL, MHD_HTTP_SERVICE_UNAVAILABLE, -1, 0,
			    "out of memory");
		return;
	}
	/* The one log line of the request; status "-" when no answer went. */
	searchd_log(sd, rq->method, rq->path, rq->q, rq->queued ? rq->status : 0,
		    rq->queued ? rq->hits : -1,
		    rq->queued ? rq->took : (searchd_now() - rq->t0) * 1e3,
		    rq->detail ? rq->detail
		    : rq->oom  ? "out of memory"
		    : toe == MHD_REQUEST_TERMINATED_COMPLETED_OK
			? NULL
			: "the connection ended first");
	set_phase(sd, rq->sc, PHASE_WAITING, 1);
	free(rq->method);
	free(rq->path);
	free(rq->query);
	free(rq->body);
	free(rq->reply);
	free(rq->q);
	free(rq->detail);
	free(rq);
	atomic_fetch_sub(&sd->inflight, 1);
}

/* What the headers say, in one pass. */
typedef struct head_facts {
	size_t total; /* bytes of all headers */
	int n_length; /* Content-Length headers */
	int n_coding; /* Transfer-Encoding headers */
	const char *coding;
} head_facts;

static enum MHD_Result
add_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	head_facts *h = cls;
	(void)kind;
	h->total += strlen(key) + (value ? strlen(value) : 0) + 4;
	if (!strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		h->n_length++;
	if (!strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING)) {
		h->n_coding++;
		h->coding = value;
	}
	return MHD_YES;
}

/* The request's state, on the handler's first call (its headers are in);
 * NULL when out of memory. */
static request *
request_new(searchd *sd, struct MHD_Connection *c, const char *method)
{
	request *rq = calloc(1, sizeof *rq);
	if (!rq)
		return NULL;
	atomic_fetch_add(&sd->inflight, 1);
	atomic_fetch_add(&sd->requests, 1);
	rq->sc = context_of(c);
	rq->t0 = searchd_now();
	rq->hits = -1;
	rq->method = strdup(method);
	sconn *sc = rq->sc;
	if (sc) {
		sc->head_unhandled = 0;
		rq->t0 = sc->t0;
		rq->too_long = sc->uri_len > SEARCHD_MAX_URL;
		char *qm =
		    memchr(sc->uri, '?',
			   sc->uri_len < SEARCHD_MAX_URL ? sc->uri_len : SEARCHD_MAX_URL);
		size_t plen = qm ? (size_t)(qm - sc->uri) : strlen(sc->uri);
		if (qm) {
			rq->query_len = strlen(qm + 1);
			rq->query = strndup(qm + 1, rq->query_len);
		}
		/* the path, decoded strictly: no NUL, no "%zz" */
		char *path = rq->too_long ? strdup("-") : malloc(plen + 1);
		if (path && !rq->too_long &&
		    searchd_unescape(path, sc->uri, plen, 0) < 0) {
			rq->uri_bad = 1;
			free(path);
			path = strndup(sc->uri, plen);
		}
		rq->path = path;
	}
	/* No context (out of memory at connect): the raw URI, and so the
	 * query string, is lost; and a query string that could not be
	 * copied must not read as none. */
	if (!sc || !rq->method || !rq->path || (rq->query_len && !rq->query)) {
		free(rq->method);
		free(rq->path);
		free(rq->query);
		free(rq);
		atomic_fetch_sub(&sd->inflight, 1);
		return NULL;
	}
	return rq;
}

/* Refuse rq at once, before its body is read, and close the connection. */
static enum MHD_Result
refuse_now(struct MHD_Connection *c, request *rq, unsigned status, const char *code,
	   const char *message)
{
	fail(rq, status, code, message);
	rq->close = 1;
	return queue_reply(c, rq);
}

/* The handler's first call: the headers are in, the body (if any) not. */
static enum MHD_Result
first_call(searchd *sd, struct MHD_Connection *c, request *rq)
{
	head_facts h = {0, 0, 0, NULL};
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_header, &h);
	set_phase(sd, rq->sc, PHASE_BODY, 0);
	/* Framing that two parsers could read two ways (RFC 9112 6.3): the
	 * answer is 400 and the connection is not reused. */
	if (h.n_length > 1)
		return refuse_now(c, rq, MHD_HTTP_BAD_REQUEST, "bad_request",
				  _("several Content-Length headers"));
	if (h.n_coding && h.n_length)
		return refuse_now(c, rq, MHD_HTTP_BAD_REQUEST, "bad_request",
				  _("both Content-Length and Transfer-Encoding"));
	if (h.n_coding > 1 || (h.n_coding && strcasecmp(h.coding, "chunked")))
		return refuse_now(c, rq, MHD_HTTP_BAD_REQUEST, "bad_request",
				  _("unsupported Transfer-Encoding: only chunked is"));
	/* A body announced as too large is refused before it is read (no
	 * "100 Continue" either). */
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						     MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (cl && strtoull(cl, NULL, 10) > SEARCHD_MAX_BODY)
		return refuse_now(c, rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
				  _("the body is over 64 KiB"));
	/* Other answers come on the last call: queuing one now would make
	 * libmicrohttpd close a keep-alive connection. */
	rq->headers_too_big = h.total > SEARCHD_MAX_HEADERS;
	return MHD_YES;
}

/* Whether the workers have all they may queue; workers change the count
 * under the lock, so it is read under it too. */
static int
queue_full(searchd *sd)
{
	pthread_mutex_lock(&sd->lock);
	int full = sd->queued >= SEARCHD_MAX_QUEUED;
	pthread_mutex_unlock(&sd->lock);
	return full;
}

enum MHD_Result
searchd_handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
	       const char *version, const char *upload_data, size_t *upload_data_size,
	       void **con_cls)
{
	searchd *sd = cls;
	request *rq = *con_cls;
	(void)version;
	if (!rq) {
		if (!(rq = request_new(sd, c, method))) {
			sconn *sc = context_of(c);
			if (sc)
				sc->head_unhandled = 0; /* logged by searchd_end() */
			*con_cls = &no_state;
			return queue_oom(c, NULL, is_health(url, method));
		}
		*con_cls = rq;
		return first_call(sd, c, rq);
	}
	if (rq == &no_state || rq->queued) {
		*upload_data_size = 0; /* refused at once: the rest is libmicrohttpd's */
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (rq->body_oom) {
			/* the rest is read and dropped */
		} else if (!rq->body_too_big &&
			   rq->body_len + *upload_data_size <= SEARCHD_MAX_BODY) {
			char *b = realloc(rq->body, rq->body_len + *upload_data_size + 1);
			if (b) {
				memcpy(b + rq->body_len, upload_data, *upload_data_size);
				rq->body = b;
				rq->body_len += *upload_data_size;
				b[rq->body_len] = '\0';
			} else {
				rq->body_oom = 1;
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
	set_phase(sd, rq->sc, PHASE_WORK, 1);
	rq->complete = searchd_now();
	int get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
	const char *path = rq->path;
	int search = !strcmp(path, "/search") && (get || !strcmp(method, "POST"));
	enum job job = JOB_NONE;

	if (rq->too_long) {
		free(rq->path);
		rq->path = NULL; /* logged as "-" */
		fail(rq, MHD_HTTP_URI_TOO_LONG, "too_large", _("the URL is over 8 KiB"));
	} else if (rq->headers_too_big)
		fail(rq, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, "too_large",
		     _("the headers are over 8 KiB"));
	else if (rq->body_too_big)
		fail(rq, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
		     _("the body is over 64 KiB"));
	else if (rq->body_oom)
		fail_oom(rq);
	else if (rq->uri_bad)
		fail(rq, MHD_HTTP_BAD_REQUEST, "bad_request",
		     _("the path has a NUL byte or a malformed %-escape"));
	else if ((search ||
		  (get && (!strcmp(path, "/stats") || !strcmp(path, "/health")))) &&
		 queue_full(sd))
		fail(rq, MHD_HTTP_SERVICE_UNAVAILABLE, "overloaded",
		     _("too many requests at once: try again"));
	else if (search)
		job = JOB_SEARCH;
	else if (is_health(path, method)) {
		job = JOB_HEALTH;
		rq->health = 1;
	} else if (!strcmp(path, "/stats") && get)
		job = JOB_STATS;
	else if (!strcmp(path, "/search") || !strcmp(path, "/health") ||
		 !strcmp(path, "/stats"))
		fail(rq, MHD_HTTP_METHOD_NOT_ALLOWED, "method_not_allowed",
		     _("this method is not served here"));
	else
		fail(rq, MHD_HTTP_NOT_FOUND, "not_found",
		     "no such endpoint: /search, /health and /stats are");
	if (job == JOB_NONE)
		return queue_reply(c, rq);
	/* The work waits for a free worker; the connection sleeps. */
	rq->job = job;
	rq->conn = c;
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
	return MHD_YES;
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
			do_search(sd, rq, !strcmp(rq->method, "POST"));
		else if (rq->job == JOB_STATS)
			do_stats(sd, rq);
		else
			do_health(sd, rq);
		/* (no reply: out of memory, and queue_reply() knows it) */
		MHD_resume_connection(rq->conn);
	}
}

/* ---- the guard ------------------------------------------------------------- */

void *
searchd_guard(void *arg)
{
	searchd *sd = arg;
	for (;;) {
		struct timespec nap = {0, 200 * 1000 * 1000};
		nanosleep(&nap, NULL);
		pthread_mutex_lock(&sd->lock);
		int stopping = sd->stopping;
		pthread_mutex_unlock(&sd->lock);
		if (stopping)
			return NULL;
		double now = searchd_now();
		int crowded = atomic_load(&sd->connections) > SEARCHD_CROWDED;
		/* shutdown(), not close(): libmicrohttpd sees the end of the
		 * stream and closes the connection itself, and the descriptor
		 * cannot be reused meanwhile, as the connection is still in the
		 * list (removed, under the lock, before it is closed). */
		pthread_mutex_lock(&sd->conns_lock);
		for (sconn *sc = sd->conns; sc; sc = sc->next) {
			if (sc->phase == PHASE_WORK || sc->shut || sc->fd < 0)
				continue;
			double age = now - sc->since;
			if (age > SEARCHD_REQUEST_S ||
			    (crowded && age > SEARCHD_CROWDED_S)) {
				shutdown(sc->fd, SHUT_RDWR);
				sc->shut = 1;
			}
		}
		pthread_mutex_unlock(&sd->conns_lock);
	}
}
