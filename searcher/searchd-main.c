/*
 * searchd-main.c: pvd-searchd, HTTP/1.1 on a Unix socket for the web front
 * end.  We bind the socket (refusing to take over a live daemon's, replacing
 * a stale one), start the worker threads and hand the socket to
 * libmicrohttpd's one HTTP thread.  SIGTERM and SIGINT stop taking connections, let the
 * requests in flight finish, remove the socket and exit 0.  Under systemd the socket may
 * come ready-made (LISTEN_FDS), and is then systemd's to remove.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "freed-memory.h"
#include "pvd.h"
#include "searchd.h"

/* Connections at once: past MAX_CONNECTIONS libmicrohttpd leaves them in
 * the socket's queue; past SEARCHD_CROWDED the guard closes those that
 * are slow to send their request. */
#define MAX_CONNECTIONS 1024
#define IDLE_TIMEOUT_S 15
/* What libmicrohttpd may keep for one connection: the request line and
 * headers, and its list of query-string parameters, some 56 bytes each.
 * 256 KiB hold about 4,000 of them, so that such a flood still reaches our
 * handler and its 400; libmicrohttpd touches the whole of it once a
 * connection has had a request, so it is also what each costs in memory
 * (1,024 connections: 256 MiB at most). */
#define CONNECTION_MEMORY (256 * 1024)

static void
usage(FILE *to)
{
	fputs(_("usage: pvd-searchd --socket PATH [OPTION]...\n"), to);
}

/* --help: every option, what it does and its default. */
static void
help(void)
{
	usage(stdout);
	fputs(_("Answer searches over HTTP on a Unix socket, for a web page.\n"
		"\n"
		"  --socket PATH      the socket to listen on (required, unless "
		"systemd\n"
		"                     passes one)\n"
		"  --db DIR           the index (repeat to search several as one);\n"
		"                     default $PVD_DB, else "
		"$XDG_DATA_HOME/pvd/index\n"
		"  --threads N        answer N requests at once (default: one per "
		"core)\n"
		"  --mode MODE        the socket's permissions, in octal (default "
		"0660)\n"
		"  --docs DIR=URL     give the hits under DIR a url: URL followed "
		"by\n"
		"                     the rest of their path; repeatable\n"
		"  -q, --quiet        no log line per request\n"
		"  -h, --help         show this help and exit\n"
		"  --version          show the version and exit\n"),
	      stdout);
}

static int
connect_to(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	/* A listener whose queue is full makes connect() wait: 2 s at most,
	 * then EAGAIN, which is not "stale" either. */
	struct timeval tv = {2, 0};
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	int rc = connect(fd, (struct sockaddr *)&sa, sizeof sa);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* Bind path for us: refuse when a live daemon answers there, replace a
 * stale socket (one nobody listens on: ECONNREFUSED), never remove
 * anything that is not a socket, nor one we cannot tell (EACCES, EAGAIN
 * from a full queue...). */
static int
bind_socket(const char *path, mode_t mode)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof sa.sun_path) {
		fprintf(stderr,
			_("pvd-searchd: %s: socket path too long (at most %zu bytes)\n"),
			path, sizeof sa.sun_path - 1);
		return -1;
	}
	strcpy(sa.sun_path, path);
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			fprintf(stderr,
				_("pvd-searchd: %s exists and is not a socket: not "
				  "touching it\n"),
				path);
			return -1;
		}
		if (connect_to(path) == 0) {
			fprintf(
			    stderr,
			    _("pvd-searchd: %s: a running pvd-searchd answers there\n"),
			    path);
			return -1;
		}
		if (errno != ECONNREFUSED && errno != ENOENT) {
			fprintf(
			    stderr,
			    _("pvd-searchd: %s: cannot tell whether a daemon serves it "
			      "(%s): "
			      "not replacing it\n"),
			    path, strerror(errno));
			return -1;
		}
		if (unlink(path) != 0) {
			fprintf(
			    stderr,
			    _("pvd-searchd: %s: cannot remove the stale socket: %s\n"),
			    path, strerror(errno));
			return -1;
		}
	}
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, _("pvd-searchd: socket: %s\n"), strerror(errno));
		return -1;
	}
	/* No moment where the socket is open to all: bind under a umask
	 * that is the mode's complement (it replaces the caller's, so the
	 * file gets exactly the mode).  No chmod() after: through the path it
	 * would follow a symlink swapped in meanwhile, and fchmod() on a
	 * socket changes the socket, not its file. */
	mode_t old = umask(~mode & 0777);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof sa);
	umask(old);
	if (rc != 0 || listen(fd, 512) != 0) {
		fprintf(stderr, "pvd-searchd: %s: %s\n", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* A socket systemd passed (socket activation), or -1. */
static int
activated_socket(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
	if (!pid || !fds || atol(pid) != (long)getpid() || atoi(fds) < 1)
		return -1;
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return 3; /* SD_LISTEN_FDS_START */
}

/* What the command line asks for, beside what goes into searchd. */
struct options {
	const char *socket;
	unsigned threads;
	mode_t mode;
	int listen_fd;	  /* the socket systemd passed, or -1 */
	char *default_db; /* ours to free: the index when no --db is given */
};

/* What the start-up and the stop free, whichever step failed. */
static void
release(searchd *sd, struct options *o)
{
	searchd_docs_free(sd);
	free(sd->dbs);
	free(o->default_db);
}

/* The options, into sd and o: -1 to go on, or the exit status.  The
 * socket may come from systemd instead of --socket. */
static int
parse_options(int argc, char **argv, searchd *sd, struct options *o)
{
	static const struct option opts[] = {{"socket", required_argument, NULL, 's'},
					     {"db", required_argument, NULL, 'd'},
					     {"threads", required_argument, NULL, 't'},
					     {"mode", required_argument, NULL, 'm'},
					     {"docs", required_argument, NULL, 'D'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"help", no_argument, NULL, 'h'},
					     {"version", no_argument, NULL, 'V'},
					     {NULL, 0, NULL, 0}};
	int c;

	opterr = 0; /* our own words, without the program's path */
	while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
		char *end;
		long n;
		switch (c) {
		case 's':
			o->socket = optarg;
			break;
		case 'd':
			sd->dbs[sd->n_dbs++] = optarg;
			break;
		case 't':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256) {
				fprintf(stderr, _("pvd-searchd: --threads takes a number "
						  "from 1 to 256\n"));
				return 2;
			}
			o->threads = (unsigned)n;
			break;
		case 'm':
			n = strtol(optarg, &end, 8);
			if (*end || n < 0 || n > 0777) {
				fprintf(stderr,
					_("pvd-searchd: --mode takes an octal mode "
					  "such as 0660\n"));
				return 2;
			}
			o->mode = (mode_t)n;
			break;
		case 'D':
			if (searchd_docs_add(sd, optarg) != 0)
				return 2;
			break;
		case 'q':
			sd->quiet = 1;
			break;
		case 'h':
			help();
			return 0;
		case 'V':
			printf("pvd-searchd %s\n", pvd_version());
			return 0;
		default:
			cli_bad_option("pvd-searchd", c, argv);
			usage(stderr);
			return 2;
		}
	}
	if (!o->socket && o->listen_fd < 0) {
		fprintf(stderr, _("pvd-searchd: --socket PATH is required\n"));
		usage(stderr);
		return 2;
	}
	if (sd->n_dbs == 0) {
		if (!(o->default_db = pvd_default_db_path())) {
			fprintf(stderr, _("pvd-searchd: no index location: give --db DIR "
					  "or set PVD_DB\n"));
			return 2;
		}
		sd->dbs[sd->n_dbs++] = o->default_db;
	}
	return -1;
}

/* The index must be there at start: a daemon that can only say 503 is
 * better not started.  0, or -1 with a message. */
static int
check_index(const searchd *sd)
{
	pvd_index *probe = NULL;
	char *err = NULL;
	pvd_status st = pvd_index_open(&probe, sd->dbs, sd->n_dbs, &err);
	if (st != PVD_OK) {
		fprintf(stderr, "pvd-searchd: %s%s\n", err ? err : pvd_status_str(st),
			st == PVD_ENOENT ? _(": run pvd-index to create it") : "");
		free(err);
		return -1;
	}
	pvd_index_close(probe);
	return 0;
}

/* One thread does the HTTP (libmicrohttpd's); the workers, each with its
 * own index, take the searches from one queue, so that no connection waits
 * behind another while a worker is free.  How many started (0: none). */
static unsigned
start_workers(searchd *sd, pthread_t *workers, unsigned threads)
{
	unsigned started = 0;
	while (workers && started < threads &&
	       pthread_create(&workers[started], NULL, searchd_worker, sd) == 0)
		started++;
	return started;
}

static struct MHD_Daemon *
start_http(searchd *sd, int listen_fd)
{
	/* the answers for when memory runs out exist before any request */
	if (searchd_http_init() != 0)
		return NULL;
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_POLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL,
	    searchd_handle, sd, MHD_OPTION_LISTEN_SOCKET, listen_fd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)MAX_CONNECTIONS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
	    MHD_OPTION_URI_LOG_CALLBACK, searchd_begin, sd, MHD_OPTION_NOTIFY_COMPLETED,
	    searchd_end, sd, MHD_OPTION_NOTIFY_CONNECTION, searchd_connection, sd,
	    MHD_OPTION_END);
	if (!d)
		searchd_http_free();
	return d;
}

/* Stop taking connections, but serve the requests in flight: those begun
 * (read, being answered, or their answer still being written) and those
 * whose connection waits in the socket's queue, taken from it here.  Until
 * 5 rounds of 10 ms pass with nothing in flight, for up to 10 s. */
static void
drain(struct MHD_Daemon *d, searchd *sd)
{
	MHD_socket lfd = MHD_quiesce_daemon(d);
	if (lfd != MHD_INVALID_SOCKET)
		fcntl(lfd, F_SETFL, fcntl(lfd, F_GETFL) | O_NONBLOCK);
	int quiet_rounds = 0;
	for (int i = 0; i < 1000 && quiet_rounds < 5; i++) {
		int taken = 0;
		for (;;) {
			struct sockaddr_un peer;
			socklen_t len = sizeof peer;
			int fd = lfd == MHD_INVALID_SOCKET
				     ? -1
				     : accept4(lfd, (struct sockaddr *)&peer, &len,
					       SOCK_NONBLOCK | SOCK_CLOEXEC);
			if (fd < 0)
				break;
			if (MHD_add_connection(d, fd, (struct sockaddr *)&peer, len) !=
			    MHD_YES)
				close(fd);
			taken++;
		}
		quiet_rounds =
		    taken || atomic_load(&sd->inflight) > 0 ? 0 : quiet_rounds + 1;
		usleep(10000);
	}
}

/* Wake the workers from the queue and wait for them to end. */
static void
stop_workers(searchd *sd, pthread_t *workers, unsigned started)
{
	pthread_mutex_lock(&sd->lock);
	sd->stopping = 1;
	pthread_cond_broadcast(&sd->ready);
	pthread_mutex_unlock(&sd->lock);
	for (unsigned i = 0; i < started; i++)
		pthread_join(workers[i], NULL);
}

int
main(int argc, char **argv)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	struct options o = {.threads = cores > 0 ? (unsigned)cores : 1,
			    .mode = 0660,
			    .listen_fd = activated_socket()};
	searchd sd = {0};

	keep_freed_memory();
	cli_init();
	if (!(sd.dbs = calloc((size_t)argc + 1, sizeof *sd.dbs)))
		return 2;
	int rc = parse_options(argc, argv, &sd, &o);
	if (rc >= 0) {
		release(&sd, &o);
		return rc;
	}
	int listen_fd = o.listen_fd;
	int owned = listen_fd < 0;
	if (check_index(&sd) != 0 ||
	    (owned && (listen_fd = bind_socket(o.socket, o.mode)) < 0)) {
		release(&sd, &o);
		return 2;
	}

	/* Signals go to sigwait() below, not to the workers. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	sd.started = time(NULL);
	pthread_mutex_init(&sd.lock, NULL);
	pthread_mutex_init(&sd.conns_lock, NULL);
	pthread_cond_init(&sd.ready, NULL);
	pthread_t *workers = calloc(o.threads, sizeof *workers);
	unsigned started = start_workers(&sd, workers, o.threads);
	struct MHD_Daemon *d = NULL;
	if (started == 0)
		fprintf(stderr, _("pvd-searchd: cannot start worker threads\n"));
	else if (!(d = start_http(&sd, listen_fd)))
		fprintf(stderr, _("pvd-searchd: cannot start the HTTP server\n"));
	if (!d) {
		stop_workers(&sd, workers, started);
		free(workers);
		if (owned) {
			close(listen_fd);
			unlink(o.socket);
		}
		release(&sd, &o);
		return 2;
	}
	pthread_t guard;
	int guarded = pthread_create(&guard, NULL, searchd_guard, &sd) == 0;
	if (!sd.quiet)
		fprintf(stderr, _("pvd-searchd: serving %s on %s with %u threads\n"),
			sd.dbs[0], owned ? o.socket : _("the socket systemd passed"),
			o.threads);

	int sig;
	sigwait(&stop, &sig);
	drain(d, &sd);
	stop_workers(&sd, workers, started);
	if (guarded)
		pthread_join(guard, NULL);
	free(workers);
	MHD_stop_daemon(d);
	searchd_http_free();
	if (owned) {
		close(listen_fd);
		unlink(o.socket);
	}
	if (!sd.quiet)
		fprintf(stderr, _("pvd-searchd: stopped (%s), %lu requests served\n"),
			sig == SIGTERM ? "SIGTERM" : "SIGINT",
			(unsigned long)atomic_load(&sd.requests));
	release(&sd, &o);
	return 0;
}
