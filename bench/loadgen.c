/*
 * loadgen.c: a closed-loop HTTP/1.1 load generator over a Unix socket, for
 * pvd-searchd.  C threads each hold ONE keep-alive connection and send
 * GET /search?q=<query>&limit=10, the queries taken round-robin from a file
 * (one a line), reading each whole response (Content-Length) before the
 * next request.  After W warm-up requests (not recorded), N requests are
 * timed; it reports queries/s, p50/p99/p999 latency, errors (anything but a
 * complete 200 reply) and reconnects.  No dependencies beyond pthreads.
 *
 *   cc -O2 -Wall -pthread -o build-release/loadgen bench/loadgen.c
 *   loadgen --socket /tmp/pvd-load.sock --connections 16 --requests 20000 \
 *           --queries bench/load-queries.txt --warmup 2000
 *
 * The last line of output is one key=value line for scripts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "latency.h"

static const char *sock_path;
static char **requests; /* ready-made HTTP requests, one per query */
static size_t *request_len;
static size_t n_queries;
static long n_total, n_warmup;
static double *latency_ms; /* [n_total], indexed by measured ticket */
static atomic_long next_ticket;
static atomic_long errors, reconnects, non200, bytes_in;
static pthread_barrier_t barrier;
static struct timespec t_start, t_end;

static double
now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
die(const char *fmt, const char *arg)
{
	fprintf(stderr, "loadgen: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	exit(2);
}

/* Percent-encode everything but RFC 3986 unreserved bytes. */
static char *
url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1), *o = out;
	if (!out)
		die("%s", "out of memory");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
		    *p == '~') {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = 0;
	return out;
}

/* Each query of the file as a whole HTTP request. */
static void
load_queries(const char *file)
{
	char **lines = read_queries("loadgen", file, &n_queries);
	requests = calloc(n_queries, sizeof *requests);
	request_len = calloc(n_queries, sizeof *request_len);
	if (!requests || !request_len)
		die("%s", "out of memory");
	for (size_t i = 0; i < n_queries; i++) {
		char *q = url_encode(lines[i]);
		int len = asprintf(
		    &requests[i],
		    "GET /search?q=%s&limit=10 HTTP/1.1\r\nHost: localhost\r\n"
		    "User-Agent: pvd-loadgen\r\nAccept: application/json\r\n\r\n",
		    q);
		free(q);
		free(lines[i]);
		if (len < 0)
			die("%s", "out of memory");
		request_len[i] = (size_t)len;
	}
	free(lines);
}

static int
connect_socket(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock_path);
	for (int attempt = 0; attempt < 100; attempt++) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			die("socket: %s", strerror(errno));
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
			return fd;
		int e = errno;
		close(fd);
		if (e != EAGAIN && e != ECONNREFUSED && e != EINTR)
			die("connect: %s", strerror(e));
		usleep(10000);
	}
	die("cannot connect to %s", sock_path);
	return -1;
}

static int
write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A connection and its receive buffer. */
typedef struct conn {
	int fd;
	char *buf;
	size_t cap, len;
} conn;

/* Value of header name in the header block hdr (NUL-terminated), or NULL. */
static const char *
header(const char *hdr, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = strstr(hdr, "\r\n"); p; p = strstr(p, "\r\n")) {
		p += 2;
		if (!strncasecmp(p, name, nl) && p[nl] == ':') {
			p += nl + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
	}
	return NULL;
}

/* Read one whole response.  Returns the status code, or -1 when the
 * connection broke or the reply cannot be parsed; *close_after when the
 * server said Connection: close. */
static int
read_response(conn *c, int *close_after)
{
	size_t hdr_end = 0;
	*close_after = 0;
	for (;;) {
		if (c->len >= 4) {
			char *e = memmem(c->buf, c->len, "\r\n\r\n", 4);
			if (e) {
				hdr_end = (size_t)(e - c->buf) + 4;
				break;
			}
		}
		if (c->len == c->cap) {
			if (c->cap >= (1u << 20))
				return -1;
			c->cap *= 2;
			if (!(c->buf = realloc(c->buf, c->cap + 1)))
				die("%s", "out of memory");
		}
		ssize_t r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c->len += (size_t)r;
	}
	char saved = c->buf[hdr_end - 2];
	c->buf[hdr_end - 2] = 0; /* headers end at the first CRLF of CRLFCRLF */
	int status = -1;
	if (strncmp(c->buf, "HTTP/1.", 7) == 0 && strlen(c->buf) > 12)
		status = atoi(c->buf + 9);
	const char *cl = header(c->buf, "Content-Length");
	const char *cn = header(c->buf, "Connection");
	if (cn && !strncasecmp(cn, "close", 5))
		*close_after = 1;
	c->buf[hdr_end - 2] = saved;
	if (status < 100 || !cl)
		return -1;
	size_t body = strtoul(cl, NULL, 10), want = hdr_end + body;
	if (want > c->cap) {
		c->cap = want;
		if (!(c->buf = realloc(c->buf, c->cap + 1)))
			die("%s", "out of memory");
	}
	while (c->len < want) {
		ssize_t r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c->len += (size_t)r;
	}
	atomic_fetch_add(&bytes_in, (long)want);
	/* Keep anything past this reply (there should be nothing). */
	memmove(c->buf, c->buf + want, c->len - want);
	c->len -= want;
	return status;
}

static void
reconnect(conn *c)
{
	close(c->fd);
	c->fd = connect_socket();
	c->len = 0;
	atomic_fetch_add(&reconnects, 1);
}

/* One request on c; returns its status or -1. */
static int
one_request(conn *c, long ticket)
{
	size_t q = (size_t)ticket % n_queries;
	if (write_all(c->fd, requests[q], request_len[q]) != 0)
		return -1;
	int close_after = 0;
	int status = read_response(c, &close_after);
	if (status < 0 || close_after)
		reconnect(c);
	return status;
}

/* Per connection: requests done and their summed latency (measured phase). */
static long *conn_done;
static double *conn_ms;
static atomic_long conn_ids;

static void
run_phase(conn *c, long limit, int record, long id)
{
	for (;;) {
		long t = atomic_fetch_add(&next_ticket, 1);
		if (t >= limit)
			break;
		double t0 = now_s();
		int status = one_request(c, t);
		double ms = (now_s() - t0) * 1e3;
		if (record) {
			latency_ms[t] = ms;
			conn_done[id]++;
			conn_ms[id] += ms;
			if (status < 0)
				atomic_fetch_add(&errors, 1);
			else if (status != 200)
				atomic_fetch_add(&non200, 1);
		}
	}
}

static void *
worker(void *arg)
{
	(void)arg;
	long id = atomic_fetch_add(&conn_ids, 1);
	conn c = {.fd = connect_socket(), .cap = 16384};
	if (!(c.buf = malloc(c.cap + 1)))
		die("%s", "out of memory");
	run_phase(&c, n_warmup, 0, id);
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
		atomic_store(&next_ticket, 0);
		clock_gettime(CLOCK_MONOTONIC, &t_start);
	}
	pthread_barrier_wait(&barrier);
	run_phase(&c, n_total, 1, id);
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		clock_gettime(CLOCK_MONOTONIC, &t_end);
	close(c.fd);
	free(c.buf);
	return NULL;
}

static void
usage(FILE *to)
{
	fprintf(
	    to,
	    "usage: loadgen --socket PATH --connections C --requests N --queries FILE "
	    "[--warmup W]\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"socket", required_argument, NULL, 's'},
	    {"connections", required_argument, NULL, 'c'},
	    {"requests", required_argument, NULL, 'n'},
	    {"queries", required_argument, NULL, 'q'},
	    {"warmup", required_argument, NULL, 'w'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0}};
	const char *qfile = NULL;
	long conns = 1;
	int o;
	while ((o = getopt_long(argc, argv, "s:c:n:q:w:h", opts, NULL)) != -1) {
		switch (o) {
		case 's':
			sock_path = optarg;
			break;
		case 'c':
			conns = atol(optarg);
			break;
		case 'n':
			n_total = atol(optarg);
			break;
		case 'q':
			qfile = optarg;
			break;
		case 'w':
			n_warmup = atol(optarg);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!sock_path || !qfile || conns < 1 || conns > 4096 || n_total < 1 ||
	    n_warmup < 0) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	load_queries(qfile);
	if (!(latency_ms = calloc((size_t)n_total, sizeof *latency_ms)))
		die("%s", "out of memory");
	conn_done = calloc((size_t)conns, sizeof *conn_done);
	conn_ms = calloc((size_t)conns, sizeof *conn_ms);
	if (!conn_done || !conn_ms)
		die("%s", "out of memory");
	pthread_barrier_init(&barrier, NULL, (unsigned)conns);
	pthread_t *th = calloc((size_t)conns, sizeof *th);
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	for (long i = 0; i < conns; i++)
		if (pthread_create(&th[i], &attr, worker, NULL) != 0)
			die("%s", "pthread_create failed");
	for (long i = 0; i < conns; i++)
		pthread_join(th[i], NULL);

	double secs = (double)(t_end.tv_sec - t_start.tv_sec) +
		      (double)(t_end.tv_nsec - t_start.tv_nsec) / 1e9;
	qsort(latency_ms, (size_t)n_total, sizeof *latency_ms, cmp_double);
	double sum = 0;
	for (long i = 0; i < n_total; i++)
		sum += latency_ms[i];
	double qps = (double)n_total / secs;
	printf("connections %ld, requests %ld (+%ld warm-up), %zu distinct queries, %.2f "
	       "s\n",
	       conns, n_total, n_warmup, n_queries, secs);
	printf("queries/s %.1f  latency ms: mean %.3f p50 %.3f p99 %.3f p999 %.3f max "
	       "%.3f\n",
	       qps, sum / (double)n_total, pct(latency_ms, n_total, 50),
	       pct(latency_ms, n_total, 99), pct(latency_ms, n_total, 99.9),
	       latency_ms[n_total - 1]);
	printf("errors %ld (non-200 %ld, broken %ld), reconnects %ld, %.1f KiB/reply\n",
	       atomic_load(&errors) + atomic_load(&non200), atomic_load(&non200),
	       atomic_load(&errors), atomic_load(&reconnects),
	       (double)atomic_load(&bytes_in) / 1024.0 / (double)(n_total + n_warmup));
	/* Fairness: a server that ties each connection to one worker shows
	 * it here as connections with very different mean latencies. */
	double lo = 1e300, hi = 0;
	for (long i = 0; i < conns; i++) {
		double m = conn_done[i] ? conn_ms[i] / (double)conn_done[i] : 0;
		lo = m < lo ? m : lo;
		hi = m > hi ? m : hi;
	}
	printf("per-connection mean latency ms: min %.3f max %.3f\n", lo, hi);
	printf(
	    "RESULT c=%ld n=%ld qps=%.1f p50=%.3f p99=%.3f p999=%.3f max=%.3f errors=%ld "
	    "reconnects=%ld cpu_us=%.1f\n",
	    conns, n_total, qps, pct(latency_ms, n_total, 50),
	    pct(latency_ms, n_total, 99), pct(latency_ms, n_total, 99.9),
	    latency_ms[n_total - 1], atomic_load(&errors) + atomic_load(&non200),
	    atomic_load(&reconnects), cpu_us_per(n_total + n_warmup));
	free(th);
	free(conn_done);
	free(conn_ms);
	free(latency_ms);
	for (size_t i = 0; i < n_queries; i++)
		free(requests[i]);
	free(requests);
	free(request_len);
	return 0;
}
