/*
 * search-main.c: pvd-search, one query on the command line.  The search
 * itself, the snippets and the JSON live in libpvd, so that pvd-searchd
 * gives the very same answers.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd.h"
#include "render.h"

enum { EXIT_HITS = 0, EXIT_NO_HIT = 1, EXIT_ERROR = 2 };

static void
usage(FILE *to)
{
	fprintf(to,
		"usage: pvd-search [--db DIR]... [-n|--limit N] [--offset N] [--type T]\n"
		"                  [--commune C] [--departement D] [--region R]\n"
		"                  [--since DATE] [--until DATE] [--file-dates]\n"
		"                  [--sort relevance|date] [--facets] [--json] QUERY...\n"
		"       pvd-search [options above] --like PATH [QUERY...]\n"
		"       pvd-search [options above] FILTER...   (no QUERY: newest first)\n"
		"A DATE is YYYY, YYYY-MM or YYYY-MM-DD.  A filter given twice keeps the\n"
		"documents of either value; filters of different kinds must all hold.\n");
}

static int
parse_count(const char *opt, const char *s, uint64_t min, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s == '-' || !*s || *end || errno || v < min) {
		fprintf(stderr, "pvd-search: %s takes a whole number%s, not \"%s\"\n",
			opt, min ? " from 1 up" : "", s);
		return -1;
	}
	*out = v;
	return 0;
}

/* The words of the query, joined by spaces. */
static char *
join_args(int argc, char **argv)
{
	size_t len = 1;
	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *q = malloc(len), *o = q;
	if (!q)
		return NULL;
	*o = '\0';
	for (int i = 0; i < argc; i++) {
		if (i)
			*o++ = ' ';
		o = stpcpy(o, argv[i]);
	}
	return q;
}

static int
print_human(pvd_results *r, const pvd_request *req)
{
	render_style st = render_style_for(stdout);
	uint64_t total = pvd_results_total(r);
	const pvd_hit *h;
	pvd_status s;
	uint64_t shown = 0;
	int missing_seen = 0;

	if (req->facets)
		render_facets(stdout, r);
	while ((s = pvd_results_next(r, &h)) == PVD_OK) {
		if (shown++ == 0 && *req->query)
			printf("%llu document%s environ pour « %s »\n\n",
			       (unsigned long long)total, total > 1 ? "s" : "",
			       req->query);
		else if (shown == 1 && !req->like)
			printf("%llu document%s, du plus récent au plus ancien\n\n",
			       (unsigned long long)total, total > 1 ? "s" : "");
		else if (shown == 1)
			printf("%llu document%s semblable%s à « %s »\n\n",
			       (unsigned long long)total, total > 1 ? "s" : "",
			       total > 1 ? "s" : "", req->like);
		if (h->missing_word && !missing_seen++)
			printf("Sans tous les mots :\n\n");
		render_hit(stdout, &st, h);
	}
	if (s != PVD_DONE) {
		fprintf(stderr, "pvd-search: %s\n", pvd_results_errmsg(r));
		return EXIT_ERROR;
	}
	if (shown == 0)
		printf(total ? "Aucun document à cette position (%llu en tout).\n"
			     : "Aucun document ne correspond.\n",
		       (unsigned long long)total);
	if (pvd_results_suggestion(r))
		printf("%sEssayez : %s\n", shown ? "" : "\n", pvd_results_suggestion(r));
	/* a script paging until the status changes stops past the end */
	return shown ? EXIT_HITS : EXIT_NO_HIT;
}

typedef struct options {
	pvd_request req;
	const char **dbs;
	size_t n_dbs;
	int json;
	char *joined[4]; /* repeated --type, --commune, --departement, --region */
} options;

/* One more value for a filter: repeated, its values are joined by
 * PVD_FILTER_SEP (any of them will do). */
static int
add_value(char **owned, const char **field, const char *v)
{
	if (!*field) {
		*field = v;
		return 0;
	}
	char *both;
	if (asprintf(&both, "%s%c%s", *field, PVD_FILTER_SEP, v) < 0) {
		fprintf(stderr, "pvd-search: out of memory\n");
		return -1;
	}
	free(*owned);
	*owned = both;
	*field = both;
	return 0;
}

static void
free_options(options *o)
{
	for (int i = 0; i < 4; i++)
		free(o->joined[i]);
	free(o->dbs);
}

static int
has_filter(const pvd_request *r)
{
	return r->type || r->commune || r->departement || r->region || r->since ||
	       r->until;
}

/* Fill o from the command line: 0 to go on, 1 to exit with status 0
 * (--help, --version), -1 after a usage message. */
static int
parse_options(options *o, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"limit", required_argument, NULL, 'n'},
	    {"offset", required_argument, NULL, 'o'},
	    {"type", required_argument, NULL, 't'},
	    {"commune", required_argument, NULL, 'c'},
	    {"since", required_argument, NULL, 's'},
	    {"until", required_argument, NULL, 'u'},
	    {"sort", required_argument, NULL, 'S'},
	    {"facets", no_argument, NULL, 'f'},
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"file-dates", no_argument, NULL, 'F'},
	    {"departement", required_argument, NULL, 'D'},
	    {"region", required_argument, NULL, 'R'},
	    {"like", required_argument, NULL, 'L'},
	    {NULL, 0, NULL, 0}};
	pvd_request *req = &o->req;
	int c;

	req->limit = 10;
	while ((c = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->dbs[o->n_dbs++] = optarg;
			break;
		case 'n':
			if (parse_count("--limit", optarg, 1, &req->limit))
				return -1;
			break;
		case 'o':
			if (parse_count("--offset", optarg, 0, &req->offset))
				return -1;
			break;
		/* libpvd checks the values */
		case 't':
			if (add_value(&o->joined[0], &req->type, optarg))
				return -1;
			break;
		case 'c':
			if (add_value(&o->joined[1], &req->commune, optarg))
				return -1;
			break;
		case 'D':
			if (add_value(&o->joined[2], &req->departement, optarg))
				return -1;
			break;
		case 'R':
			if (add_value(&o->joined[3], &req->region, optarg))
				return -1;
			break;
		case 'L':
			req->like = optarg;
			break;
		case 's':
			req->since = optarg;
			break;
		case 'u':
			req->until = optarg;
			break;
		case 'S':
			if (!strcmp(optarg, "date")) {
				req->sort = PVD_SORT_DATE;
			} else if (strcmp(optarg, "relevance")) {
				fprintf(stderr,
					"pvd-search: --sort is relevance or date\n");
				return -1;
			}
			break;
		case 'f':
			req->facets = 1;
			break;
		case 'F':
			req->file_dates = 1;
			break;
		case 'j':
			o->json = 1;
			break;
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf("pvd-search %s\n", pvd_version());
			return 1;
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind >= argc && !req->like && !has_filter(req)) {
		fprintf(stderr, "pvd-search: no query\n");
		usage(stderr);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	options o = {.dbs = calloc((size_t)argc + 1, sizeof(const char *))};
	if (!o.dbs)
		return EXIT_ERROR;
	int parsed = parse_options(&o, argc, argv);
	if (parsed != 0) {
		free_options(&o);
		return parsed > 0 ? 0 : EXIT_ERROR;
	}
	pvd_request req = o.req;
	const char **dbs = o.dbs;
	size_t n_dbs = o.n_dbs;
	int json = o.json;

	char *fallback = NULL;
	if (n_dbs == 0) {
		if (!(fallback = pvd_default_db_path())) {
			fprintf(stderr, "pvd-search: no index location: give --db DIR or "
					"set PVD_DB\n");
			free_options(&o);
			return EXIT_ERROR;
		}
		dbs[n_dbs++] = fallback;
	}
	char *query = join_args(argc - optind, argv + optind);
	if (!query) {
		fprintf(stderr, "pvd-search: out of memory\n");
		free(fallback);
		free_options(&o);
		return EXIT_ERROR;
	}
	req.query = query;

	int rc = EXIT_ERROR;
	char *err = NULL;
	pvd_index *ix = NULL;
	pvd_results *r = NULL;
	pvd_status st = pvd_index_open(&ix, dbs, n_dbs, &err);
	if (st == PVD_ENOENT) {
		fprintf(stderr,
			"pvd-search: %s: run pvd-index%s%s PATH... to create it\n",
			err ? err : "no index", n_dbs == 1 ? " --db " : "",
			n_dbs == 1 ? dbs[0] : "");
	} else if (st != PVD_OK) {
		fprintf(stderr, "pvd-search: %s\n", err ? err : pvd_status_str(st));
	} else if ((st = pvd_search(&r, ix, &req)) != PVD_OK) {
		fprintf(stderr, "pvd-search: %s\n", pvd_index_errmsg(ix));
	} else if (json) {
		char *text = NULL;
		st = pvd_results_json(r, &text);
		if (st == PVD_OK) {
			puts(text);
			/* as in print_human: 1 when no hit is listed */
			rc = strstr(text, "\"hits\":[]") ? EXIT_NO_HIT : EXIT_HITS;
		} else {
			fprintf(stderr, "pvd-search: %s\n", pvd_results_errmsg(r));
		}
		free(text);
	} else {
		rc = print_human(r, &req);
	}
	if (fflush(stdout) != 0 && rc != EXIT_ERROR) {
		fprintf(stderr, "pvd-search: writing the results: %s\n", strerror(errno));
		rc = EXIT_ERROR;
	}
	pvd_results_free(r);
	pvd_index_close(ix);
	free(err);
	free(query);
	free(fallback);
	free_options(&o);
	return rc;
}
