/*
 * searchd-params.c: a /search request's parameters, read and checked.
 * The query string is read here from its raw bytes rather than through
 * libmicrohttpd's lookup, which cuts values at a %00, accepts "%zz" as it
 * is and matches names whatever their case.  Here a value is what was
 * sent or the request is refused.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "searchd-params.h"

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long
searchd_unescape(char *out, const char *in, size_t len, int plus)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)in[i];
		if (c == '%') {
			int hi = i + 1 < len ? hex((unsigned char)in[i + 1]) : -1;
			int lo = i + 2 < len ? hex((unsigned char)in[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return -1;
			c = hi * 16 + lo;
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (c == 0)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return (long)o;
}

static int bad(searchd_params *pm, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Say what is wrong in pm->msg; returns -1. */
static int
bad(searchd_params *pm, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(pm->msg, sizeof pm->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* Out of memory: not the client's fault, and said apart (pm->oom). */
static int
no_memory(searchd_params *pm)
{
	pm->oom = 1;
	return bad(pm, _("out of memory"));
}

/*
 * jansson's parser does not survive an allocation that fails: it reports
 * it as bad JSON ("invalid token"), its lexer drops the character it could
 * not keep and goes on ("chef deprojet"), and when that character was a
 * string's closing quote it writes past a buffer (a crash, found by
 * tests/daemon/test_oom.py).  So while a thread parses, an allocation that
 * fails is served from the thread's reserve instead and the parse is
 * marked as failed: the parser never meets a failure, and what it made is
 * thrown away (searchd_json_loadb()).  A body is at most 64 KiB and an
 * answer to link at most a few hundred: their parse takes far less.
 */
#define RESERVE_BYTES ((size_t)4 << 20)

static _Thread_local char *reserve;
static _Thread_local size_t reserve_used;
static _Thread_local int parsing, jansson_failed;
static pthread_key_t reserve_key;
static pthread_once_t reserve_once = PTHREAD_ONCE_INIT;

static void
make_reserve_key(void)
{
	pthread_key_create(&reserve_key, free); /* freed when its thread ends */
}

/* The thread's reserve, made at its first parse; NULL when out of memory. */
static char *
thread_reserve(void)
{
	pthread_once(&reserve_once, make_reserve_key);
	if (!reserve && (reserve = malloc(RESERVE_BYTES)) &&
	    pthread_setspecific(reserve_key, reserve)) {
		free(reserve);
		reserve = NULL;
	}
	return reserve;
}

static int
in_reserve(const void *p)
{
	return reserve && (const char *)p >= reserve &&
	       (const char *)p < reserve + RESERVE_BYTES;
}

static void *
jansson_malloc(size_t n)
{
	void *p = malloc(n);
	if (p)
		return p;
	jansson_failed = 1;
	size_t need = (n + 15) & ~(size_t)15;
	if (parsing && reserve && need >= n && need <= RESERVE_BYTES - reserve_used) {
		p = reserve + reserve_used;
		reserve_used += need;
	}
	return p;
}

static void
jansson_free(void *p)
{
	if (!in_reserve(p)) /* (the reserve is reused whole at the next parse) */
		free(p);
}

void
searchd_params_init(void)
{
	json_set_alloc_funcs(jansson_malloc, jansson_free);
}

/* A whole number in [min, max], digits only ("+5", " 5", "5x" are not). */
static int
number(searchd_params *pm, const char *name, const char *s, long long min, long long max,
       uint64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || v < min || v > max)
		return bad(pm, _("%s must be a whole number from %lld to %lld"), name,
			   min, max);
	*out = (uint64_t)v;
	return 0;
}

static int
set_sort(searchd_params *pm, const char *s)
{
	if (!strcasecmp(s, "date"))
		pm->req.sort = PVD_SORT_DATE;
	else if (strcasecmp(s, "relevance") && strcasecmp(s, "pertinence"))
		return bad(pm, _("%s is relevance (or pertinence) or date"), "sort");
	return 0;
}

/* A yes/no parameter: 1, 0, true or false (TRUE, False...); untouched
 * when absent. */
static int
flag(searchd_params *pm, const char *name, const char *v, int *out)
{
	if (!v)
		return 0;
	if (strcmp(v, "1") && strcmp(v, "0") && strcasecmp(v, "true") &&
	    strcasecmp(v, "false"))
		return bad(pm, _("%s is 1 or 0 (or true or false, in any case)"), name);
	*out = !strcmp(v, "1") || !strcasecmp(v, "true");
	return 0;
}

/* One more value for the filter in slot (0 type, 1 commune, 2 departement,
 * 3 region): several are joined by PVD_FILTER_SEP, any of them will do. */
static int
add_value(searchd_params *pm, int slot, const char **field, const char *v)
{
	if (!*field) {
		*field = v;
		return 0;
	}
	size_t a = strlen(*field), b = strlen(v);
	char *both = malloc(a + b + 2);
	if (!both)
		return no_memory(pm);
	memcpy(both, *field, a);
	both[a] = PVD_FILTER_SEP;
	memcpy(both + a + 1, v, b + 1);
	free(pm->joined[slot]);
	pm->joined[slot] = both;
	*field = both;
	return 0;
}

static int
check_common(searchd_params *pm)
{
	const pvd_request *r = &pm->req;
	const char *filters[] = {r->type,  r->commune, r->departement, r->region,
				 r->since, r->until,   r->like};
	if (r->query && *r->query)
		return 0;
	for (size_t i = 0; i < sizeof filters / sizeof *filters; i++)
		if (filters[i] && *filters[i])
			return 0; /* filters alone: libpvd lists them newest first */
	return bad(pm, _("%s is missing: the words to search for (or a filter)"), "q");
	/* type and dates are checked by libpvd, for pvd-search too */
	return 0;
}

/* ---- GET: the query string ------------------------------------------------ */

enum {
	P_Q,
	P_LIMIT,
	P_OFFSET,
	P_TYPE,
	P_COMMUNE,
	P_DEPARTEMENT,
	P_REGION,
	P_LIKE,
	P_SINCE,
	P_UNTIL,
	P_SORT,
	P_FACETS,
	P_FILE_DATES,
	P_COUNT
};
static const char *const names[P_COUNT] = {
    "q",    "limit", "offset", "type", "commune", "departement", "region",
    "like", "since", "until",  "sort", "facets",  "file_dates"};

int
searchd_params_query(searchd_params *pm, const char *qs, size_t len)
{
	const char *val[P_COUNT] = {NULL};
	pm->req.limit = 10;
	/* every name and value decoded, one after the other */
	if (!(pm->decoded = malloc(2 * len + 2)))
		return no_memory(pm);
	char *out = pm->decoded;
	size_t n = 0;
	for (size_t i = 0; i <= len && len > 0;) {
		size_t end = i;
		while (end < len && qs[end] != '&')
			end++;
		if (++n > SEARCHD_MAX_PARAMS)
			return bad(pm, _("too many parameters: %d at most"),
				   SEARCHD_MAX_PARAMS);
		const char *eq = memchr(qs + i, '=', end - i);
		const char *v = eq ? eq + 1 : qs + end;
		char *name = out;
		long nl = searchd_unescape(name, qs + i,
					   (size_t)((eq ? eq : qs + end) - (qs + i)), 1);
		int name_ok = nl >= 0 && utf8_valid(name, (size_t)nl);
		char *value = name_ok ? name + nl + 1 : out;
		long vl =
		    nl < 0 ? -1 : searchd_unescape(value, v, (size_t)(qs + end - v), 1);
		if (nl < 0 || vl < 0)
			return bad(
			    pm,
			    _("parameter %s has a NUL byte or a malformed %%-escape "
			      "(%% must be followed by two hex digits)"),
			    name_ok && nl < 32 ? name : "?");
		if (!name_ok || !utf8_valid(value, (size_t)vl))
			return bad(pm, _("parameter %s is not valid UTF-8"),
				   name_ok && nl < 32 ? name : "?");
		for (int k = 0; k < P_COUNT; k++) {
			if (strcmp(name, names[k]))
				continue;
			if (k >= P_TYPE && k <= P_REGION) {
				/* repeated: any of its values (the first of the others)
				 */
				if (add_value(pm, k - P_TYPE, &val[k], value))
					return -1;
			} else if (!val[k]) {
				val[k] = value;
			}
		}
		out = value + vl + 1;
		i = end + 1;
	}
	pvd_request *r = &pm->req;
	r->query = val[P_Q];
	if (val[P_LIMIT] && number(pm, "limit", val[P_LIMIT], 1, 100, &r->limit))
		return -1;
	if (val[P_OFFSET] &&
	    number(pm, "offset", val[P_OFFSET], 0, SEARCHD_MAX_OFFSET, &r->offset))
		return -1;
	r->type = val[P_TYPE];
	r->commune = val[P_COMMUNE];
	r->departement = val[P_DEPARTEMENT];
	r->region = val[P_REGION];
	r->like = val[P_LIKE];
	r->since = val[P_SINCE];
	r->until = val[P_UNTIL];
	if (val[P_SORT] && set_sort(pm, val[P_SORT]))
		return -1;
	if (flag(pm, "facets", val[P_FACETS], &r->facets) ||
	    flag(pm, "file_dates", val[P_FILE_DATES], &r->file_dates))
		return -1;
	return check_common(pm);
}

/* ---- POST: the JSON body ------------------------------------------------- */

/* A string field of the JSON body, or NULL; -1 when of another type. */
static int
json_str(searchd_params *pm, const char *name, const char **out)
{
	json_t *v = json_object_get(pm->json, name);
	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return bad(pm, _("%s must be a string"), name);
	*out = json_string_value(v);
	return 0;
}

static int
json_num(searchd_params *pm, const char *name, long long min, long long max,
	 uint64_t *out)
{
	json_t *v = json_object_get(pm->json, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return bad(pm, _("%s must be a whole number from %lld to %lld"), name,
			   min, max);
	*out = (uint64_t)json_integer_value(v);
	return 0;
}

/* A filter field of the JSON body: a string, or an array of strings any
 * of which will do; slot as for add_value(). */
static int
json_filter(searchd_params *pm, const char *name, int slot, const char **out)
{
	json_t *v = json_object_get(pm->json, name);
	if (!json_is_array(v))
		return json_str(pm, name, out);
	*out = NULL;
	size_t i;
	json_t *one;
	json_array_foreach(v, i, one)
	{
		if (!json_is_string(one))
			return bad(pm, _("%s must be a string or an array of strings"),
				   name);
		if (add_value(pm, slot, out, json_string_value(one)))
			return -1;
	}
	return 0;
}

/* A yes/no field of the JSON body: true, false, 1 or 0. */
static int
json_flag(searchd_params *pm, const char *name, int *out)
{
	json_t *v = json_object_get(pm->json, name);
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v) && !(json_is_integer(v) && json_integer_value(v) >= 0 &&
				     json_integer_value(v) <= 1))
		return bad(pm, _("%s is true, false, 1 or 0"), name);
	*out = json_is_true(v) || (json_is_integer(v) && json_integer_value(v) == 1);
	return 0;
}

json_t *
searchd_json_loadb(const char *buf, size_t len, size_t flags, json_error_t *err, int *oom)
{
	*oom = 1;
	if (!thread_reserve())
		return NULL;
	reserve_used = 0; /* nothing made from it before is alive */
	jansson_failed = 0;
	parsing = 1;
	json_t *j = json_loadb(buf, len, flags, err);
	parsing = 0;
	*oom = jansson_failed || (!j && json_error_code(err) == json_error_out_of_memory);
	if (*oom) {
		json_decref(j);
		return NULL;
	}
	return j;
}

int
searchd_params_body(searchd_params *pm, const char *body, size_t len)
{
	json_error_t err;
	int oom;
	/* jansson refuses invalid UTF-8 and, by default, "\u0000" */
	pm->json =
	    searchd_json_loadb(body ? body : "", len, JSON_REJECT_DUPLICATES, &err, &oom);
	if (oom)
		return no_memory(pm);
	if (!pm->json)
		return bad(pm, _("the body is not JSON: %s (line %d)"), err.text,
			   err.line);
	if (!json_is_object(pm->json))
		return bad(pm, _("the body must be a JSON object, like {\"q\": \"%s\"}"),
			   "ingénierie");
	pvd_request *r = &pm->req;
	const char *sort = NULL;
	r->limit = 10;
	if (json_str(pm, "q", &r->query) || json_num(pm, "limit", 1, 100, &r->limit) ||
	    json_num(pm, "offset", 0, SEARCHD_MAX_OFFSET, &r->offset) ||
	    json_filter(pm, "type", 0, &r->type) ||
	    json_filter(pm, "commune", 1, &r->commune) ||
	    json_filter(pm, "departement", 2, &r->departement) ||
	    json_filter(pm, "region", 3, &r->region) || json_str(pm, "like", &r->like) ||
	    json_str(pm, "since", &r->since) || json_str(pm, "until", &r->until) ||
	    json_str(pm, "sort", &sort) || (sort && set_sort(pm, sort)))
		return -1;
	if (json_flag(pm, "facets", &r->facets) ||
	    json_flag(pm, "file_dates", &r->file_dates))
		return -1;
	return check_common(pm);
}

void
searchd_params_free(searchd_params *pm)
{
	json_decref(pm->json);
	free(pm->decoded);
	for (int i = 0; i < 4; i++) {
		free(pm->joined[i]);
		pm->joined[i] = NULL;
	}
	pm->json = NULL;
	pm->decoded = NULL;
}
