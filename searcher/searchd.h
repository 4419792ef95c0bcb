/*
 * searchd.h: what the files of pvd-searchd share.  libmicrohttpd owns the
 * socket, the HTTP parsing, keep-alive, timeouts and the thread pool;
 * searchd-http.c holds the request handlers, searchd-main.c the start-up
 * and the shutdown.
 */
#ifndef PVD_SEARCHD_H
#define PVD_SEARCHD_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include <microhttpd.h>

/* The contract's bounds on a request. */
#define SEARCHD_MAX_BODY (64 * 1024)
#define SEARCHD_MAX_URL (8 * 1024)
#define SEARCHD_MAX_HEADERS (8 * 1024)
/* Seconds Xapian may spend matching one query. */
#define SEARCHD_MATCH_SECONDS 2.0

/* A request waiting for a worker (searchd-http.c's request). */
typedef struct request request;

/* One --docs DIR=URL (searchd-docs.c). */
struct searchd_doc;

typedef struct searchd {
	const char **dbs;    /* the indexes, as given */
	size_t n_dbs;
	int quiet;           /* no log line per request */
	struct searchd_doc *docs; /* --docs DIR=URL, in the order given */
	size_t n_docs;
	unsigned max_busy;   /* open connections before new requests get 503 */
	time_t started;
	atomic_ulong requests;
	atomic_uint busy;    /* requests being handled now */
	atomic_uint inflight; /* requests from their first byte to their answer sent */
	atomic_uint connections; /* open now */
	/* Requests that need the index wait here, their connection suspended,
	 * for whichever worker is free: no connection is tied to a worker. */
	pthread_mutex_t lock;
	pthread_cond_t ready;
	request *head, *tail;
	unsigned queued;
	int stopping;
} searchd;

/* Past this many requests waiting for a worker, new ones get 503. */
#define SEARCHD_MAX_QUEUED 256

/* A worker thread's body: takes requests until the daemon stops. */
void *searchd_worker(void *sd);

/* --docs DIR=URL (searchd-docs.c): add one (0, or -1 with a message on
 * stderr), free them all, and add "url" to the hits of a search's JSON
 * (which it takes and returns, maybe reallocated). */
int searchd_docs_add(searchd *sd, const char *arg);
void searchd_docs_free(searchd *sd);
char *searchd_docs_urls(const searchd *sd, char *json);

/* libmicrohttpd callbacks (searchd-http.c); cls is the searchd. */
enum MHD_Result searchd_handle(void *cls, struct MHD_Connection *c, const char *url,
			       const char *method, const char *version,
			       const char *upload_data, size_t *upload_data_size,
			       void **con_cls);
void *searchd_begin(void *cls, const char *uri, struct MHD_Connection *c);
void searchd_end(void *cls, struct MHD_Connection *c, void **con_cls,
		 enum MHD_RequestTerminationCode toe);

#endif
