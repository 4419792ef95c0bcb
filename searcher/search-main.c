/*
 * search-main.c: pvd-search, one query on the command line.  The search
 * itself, the snippets and the JSON live in libpvd, so that pvd-searchd
 * gives the very same answers.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pvd.h"
#include "render.h"

enum { EXIT_HITS = 0, EXIT_NO_HIT = 1, EXIT_ERROR = 2 };

static void
usage(FILE *to)
{
	fputs(_("usage: pvd-search [OPTION]... QUERY...\n"
		"       pvd-search [OPTION]... --like PATH [QUERY...]\n"
		"       pvd-search [OPTION]... FILTER...   (no QUERY: newest first)\n"),
	      to);
}

/* --help: every option, what it does and its default. */
static void
help(void)
{
	usage(stdout);
	fputs(_("Search the pvd index for documents, best first.\n"
		"\n"
		"  --db DIR           the index (repeat to search several as one);\n"
		"                     default $PVD_DB, else "
		"$XDG_DATA_HOME/pvd/index\n"
		"  -n, --limit N      list N documents (default 10)\n"
		"  --offset N         skip the first N documents (default 0)\n"
		"  --type T           article, catalogue or texte (any case, plural)\n"
		"  --commune C        a commune: name in any spelling, or INSEE code\n"
		"  --departement D    a département: code (31, 2A) or name\n"
		"  --region R         a région: name in any spelling\n"
		"  --since DATE       documents dated DATE or later\n"
		"  --until DATE       documents dated DATE or earlier\n"
		"  --file-dates       let --since and --until count dates estimated\n"
		"                     from file times (default: they do not)\n"
		"  --sort ORDER       relevance (or pertinence) or date, newest "
		"first\n"
		"                     (default relevance; date with filters alone)\n"
		"  --like PATH        documents about the same things as the "
		"indexed\n"
		"                     document PATH\n"
		"  --facets           also count the documents by type, commune and "
		"year\n"
		"  --json             one JSON object instead of text\n"
		"  -h, --help         show this help and exit\n"
		"  --version          show the version and exit\n"
		"\n"
		"A DATE is YYYY, YYYY-MM or YYYY-MM-DD.  A filter given twice keeps "
		"the\n"
		"documents of either value; filters of different kinds must all "
		"hold.\n"
		"Exit status: 0 documents listed, 1 none listed, 2 error.\n"),
	      stdout);
}

static int
parse_count(const char *opt, const char *s, uint64_t min, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s == '-' || !*s || *end || errno || v < min) {
		fprintf(stderr,
			min ? _("pvd-search: %s takes a whole number from 1 up, not "
				"\"%s\"\n")
			    : _("pvd-search: %s takes a whole number, not \"%s\"\n"),
			opt, s);
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
		unsigned long n = (unsigned long)total;
		if (shown++ == 0 && *req->query)
			printf(ngettext("about %llu document for “%s”\n\n",
					"about %llu documents for “%s”\n\n", n),
			       (unsigned long long)total, req->query);
		else if (shown == 1 && !req->like)
			printf(ngettext("%llu document, newest first\n\n",
					"%llu documents, newest first\n\n", n),
			       (unsigned long long)total);
		else if (shown == 1)
			printf(ngettext("%llu document like “%s”\n\n",
					"%llu documents like “%s”\n\n", n),
			       (unsigned long long)total, req->like);
		if (h->missing_word && !missing_seen++)
			printf(_("Without every word:\n\n"));
		render_hit(stdout, &st, h);
	}
	if (s != PVD_DONE) {
		fprintf(stderr, "pvd-search: %s\n", pvd_results_errmsg(r));
		return EXIT_ERROR;
	}
	if (shown == 0)
		printf(total ? _("No document at this position (%llu in all).\n")
			     : _("No document matches.\n"),
		       (unsigned long long)total);
	if (pvd_results_suggestion(r))
		printf(_("%sTry: %s\n"), shown ? "" : "\n", pvd_results_suggestion(r));
	/* a script paging until the status changes stops past the end */
	return shown ? EXIT_HITS : EXIT_NO_HIT;
}

/* Whether dir is a folder with something in it: pvd-index makes an index
 * only in an empty or new folder. */
static int
holds_files(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int any = 0;
	while (!any && (e = readdir(d)))
		any = strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return any;
}

/* No index where we looked: say how to make one, with a command that
 * pvd-index accepts. */
static void
say_no_index(const char *const *dbs, size_t n_dbs, const char *err)
{
	fprintf(stderr, "pvd-search: %s\n", err ? err : pvd_status_str(PVD_ENOENT));
	if (n_dbs != 1)
		fprintf(stderr, _("pvd-search: run pvd-index --db DIR PATH... to create "
				  "each missing index\n"));
	else if (holds_files(dbs[0]))
		fprintf(stderr,
			_("pvd-search: %s holds other files, where pvd-index will not "
			  "write: make the index in a folder of its own with\n"
			  "  pvd-index --db %s/index PATH...\n"
			  "then search it with --db %s/index\n"),
			dbs[0], dbs[0], dbs[0]);
	else
		fprintf(stderr,
			_("pvd-search: run pvd-index --db %s PATH... to create it\n"),
			dbs[0]);
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
		fprintf(stderr, _("pvd-search: out of memory\n"));
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
	opterr = 0; /* our own words, without the program's path */
	while ((c = getopt_long(argc, argv, ":n:h", opts, NULL)) != -1) {
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
			if (!strcasecmp(optarg, "date")) {
				req->sort = PVD_SORT_DATE;
			} else if (strcasecmp(optarg, "relevance") &&
				   strcasecmp(optarg, "pertinence")) {
				fprintf(stderr,
					_("pvd-search: --sort is relevance (or "
					  "pertinence) or date, not \"%s\"\n"),
					optarg);
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
			help();
			return 1;
		case 'V':
			printf("pvd-search %s\n", pvd_version());
			return 1;
		default:
			cli_bad_option("pvd-search", c, argv);
			usage(stderr);
			return -1;
		}
	}
	if (optind >= argc && !req->like && !has_filter(req)) {
		fprintf(stderr, _("pvd-search: no query: give words to search for, "
				  "or a filter\n"));
		usage(stderr);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	cli_init();
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
			fprintf(stderr, _("pvd-search: no index location: give --db "
					  "DIR or set PVD_DB\n"));
			free_options(&o);
			return EXIT_ERROR;
		}
		dbs[n_dbs++] = fallback;
	}
	char *query = join_args(argc - optind, argv + optind);
	if (!query) {
		fprintf(stderr, _("pvd-search: out of memory\n"));
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
		say_no_index(dbs, n_dbs, err);
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
		fprintf(stderr, _("pvd-search: writing the results: %s\n"),
			strerror(errno));
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
