/*
 * searchd.h: what the files of pvd-searchd share.  libmicrohttpd's one
 * thread owns the socket, the HTTP parsing, keep-alive and timeouts; the
 * worker threads, each with its own index, take the searches from one
 * queue.  searchd-http.c holds the request handlers and the queue,
 * searchd-main.c the start-up and the shutdown.
 */
#ifndef PVD_SEARCHD_H
#define PVD_SEARCHD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include <microhttpd.h>

#include "cli.h"

/* The contract's bounds on a request. */
#define SEARCHD_MAX_BODY (64 * 1024)
#define SEARCHD_MAX_URL (8 * 1024)
#define SEARCHD_MAX_HEADERS (8 * 1024)
/* Seconds from a complete request to its answer: waiting for a worker,
 * parsing, matching, facets, suggestion, snippets.  Past it the search
 * stops with what it has ("partial": true), or does not start (503). */
#define SEARCHD_DEADLINE_S 3.0
/* Seconds a connection has to send a complete request (head and body),
 * counted from its opening or from its previous answer. */
#define SEARCHD_REQUEST_S 10.0
/* Past this many open connections, those still waiting for their
 * request are closed after SEARCHD_CROWDED_S, oldest first. */
#define SEARCHD_CROWDED 900
#define SEARCHD_CROWDED_S 1.0

/* A request waiting for a worker (searchd-http.c's request). */
typedef struct request request;

/* One --docs DIR=URL (searchd-docs.c). */
struct searchd_doc;

/* Where a connection is, for the guard that closes slow ones. */
enum conn_phase {
	PHASE_WAITING, /* opened or answered: the next request may come */
	PHASE_HEAD,    /* its request line is in, not yet all its headers */
	PHASE_BODY,    /* its headers are in, its body is coming */
	PHASE_WORK     /* complete: queued, searched or being answered */
};

/* One open connection (libmicrohttpd's socket context): made when it
 * opens, freed when it closes, whatever happened in between. */
typedef struct sconn {
	struct sconn *prev, *next; /* in searchd.conns, under conns_lock */
	int fd;
	enum conn_phase phase;
	double since;		       /* monotonic seconds: when the phase began */
	int shut;		       /* the guard has shut it down */
	int head_unhandled;	       /* a request line libmicrohttpd never handed us */
	double t0;		       /* when that request line came */
	size_t uri_len;		       /* the raw URI, as on the wire */
	char uri[SEARCHD_MAX_URL + 1]; /* its first SEARCHD_MAX_URL bytes */
} sconn;

typedef struct searchd {
	const char **dbs; /* the indexes, as given */
	size_t n_dbs;
	int quiet;		  /* no log line per request */
	struct searchd_doc *docs; /* --docs DIR=URL, in the order given */
	size_t n_docs;
	time_t started;
	atomic_ulong requests;
	atomic_uint inflight;	 /* requests the handler has seen, not yet finished */
	atomic_uint connections; /* open now */
	/* Requests that need the index wait here, their connection suspended,
	 * for whichever worker is free: no connection is tied to a worker. */
	pthread_mutex_t lock;
	pthread_cond_t ready;
	request *head, *tail;
	unsigned queued;
	int stopping;
	/* every open connection, for the guard */
	pthread_mutex_t conns_lock;
	sconn *conns;
} searchd;

/* Past this many requests waiting for a worker, new ones get 503. */
#define SEARCHD_MAX_QUEUED 256

/* Monotonic seconds. */
double searchd_now(void);

/* A worker thread's body: takes requests until the daemon stops. */
void *searchd_worker(void *sd);

/* --docs DIR=URL (searchd-docs.c): add one (0, or -1 with a message on
 * stderr), free them all, and add "url" to the hits of a search's JSON
 * (which it takes and returns, maybe reallocated; NULL, json freed, when
 * out of memory). */
int searchd_docs_add(searchd *sd, const char *arg);
void searchd_docs_free(searchd *sd);
char *searchd_docs_urls(const searchd *sd, char *json);

/* The answers made at start for when memory runs out (searchd-http.c):
 * made before the daemon starts (0, or -1), freed after it stopped. */
int searchd_http_init(void);
void searchd_http_free(void);

/* The guard's body: closes connections too slow to send their request. */
void *searchd_guard(void *sd);

/* libmicrohttpd callbacks (searchd-http.c); cls is the searchd. */
enum MHD_Result searchd_handle(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version,
			       const char *upload_data, size_t *upload_data_size,
			       void **con_cls);
void *searchd_begin(void *cls, const char *uri, struct MHD_Connection *c);
void searchd_end(void *cls, struct MHD_Connection *c, void **con_cls,
		 enum MHD_RequestTerminationCode toe);
void searchd_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			enum MHD_ConnectionNotificationCode code);

/* j as compact text (json_dumps()'s flags), malloc'ed; NULL, never a
 * damaged text, when memory runs out (searchd-json.c). */
struct json_t;
char *searchd_json_dumps(const struct json_t *j, size_t flags);

/* ---- the log (searchd-log.c) ---------------------------------------------- */

/*
 * One line on stderr: time, method, path, query, status, hits, ms, and a
 * detail kept from the client.  Every field is escaped: printed bare when
 * it is plain printable ASCII with no space, quote or backslash, else as a
 * JSON string ("\n", "\u001b"...).  NULL fields print "-"; status 0
 * prints "-" (libmicrohttpd answered, or closed, by itself).
 */
void searchd_log(const searchd *sd, const char *method, const char *path, const char *q,
		 unsigned status, long long hits, double ms, const char *detail);

/* s[0..len) escaped as above into a malloc'ed string; quote forces the
 * JSON form. */
char *searchd_escape(const char *s, size_t len, int quote);

#endif
