/*
 * budget.c: what one query may cost, decided before any search work.  A
 * query typed by a person is a few words; one pasted by an attacker can
 * be tens of thousands of operands, each of which Xapian would open a
 * posting list for, with no time limit applying while it builds them.
 * So: a cap on the query's length once normalised (NFKC may turn one
 * character into eighteen), on its operands once expanded (stems,
 * synonyms) and de-duplicated, and on its wildcards, whose expansions
 * share one total.  Past any of them the query is refused with a message
 * naming the limit: PVD_EQUERY, a 400 in pvd-searchd, exit 2 in
 * pvd-search.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "pvd-private.h"

pvd_status
pvdi_budget_length(const char *text, char **errmsg)
{
	const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
	utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(text), i = 0;
	size_t chars = 0;
	while (i < len) {
		utf8proc_int32_t c, buf[32];
		utf8proc_ssize_t n = utf8proc_iterate(s + i, len - i, &c);
		if (n <= 0) {
			n = 1; /* a stray byte counts as one character */
			c = 0xFFFD;
		}
		i += n;
		utf8proc_ssize_t m = utf8proc_decompose_char(
		    c, buf, 32, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT, NULL);
		chars += m > 0 ? (size_t)m : 1;
		if (chars > PVDI_MAX_QUERY_CHARS) {
			if (errmsg &&
			    asprintf(
				errmsg,
				_("the query is too long: at most %d characters once "
				  "normalised (NFKC)"),
				PVDI_MAX_QUERY_CHARS) < 0)
				*errmsg = NULL;
			return PVD_EQUERY;
		}
	}
	return PVD_OK;
}

/* ---- de-duplication ----------------------------------------------------- */

typedef struct keyed {
	char *key; /* the kid's description, NULL when out of memory */
	size_t at; /* its place among the kids */
} keyed;

static int
by_key(const void *a, const void *b)
{
	const keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->at > y->at) - (x->at < y->at);
}

static void
qnode_free(pvdi_qnode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_kids; i++)
		qnode_free(n->kids[i]);
	free(n->kids);
	free(n->term);
	free(n);
}

/* Drop the kids of n that repeat an earlier kid ("co* OU co* OU co*" is
 * one co*), keeping the order of the first of each.  -1 when out of
 * memory (n is then left as it was). */
static int
dedup_kids(pvdi_qnode *n)
{
	if (n->n_kids < 2)
		return 0;
	size_t count = n->n_kids;
	keyed *k = calloc(count, sizeof *k);
	if (!k)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < count; i++) {
		k[i].at = i;
		if (!(k[i].key = pvdi_query_describe(n->kids[i])))
			rc = -1;
	}
	if (rc == 0) {
		qsort(k, count, sizeof *k, by_key);
		for (size_t i = 1; i < count; i++)
			if (!strcmp(k[i].key, k[i - 1].key)) {
				qnode_free(n->kids[k[i].at]);
				n->kids[k[i].at] = NULL;
			}
		size_t w = 0;
		for (size_t i = 0; i < count; i++)
			if (n->kids[i])
				n->kids[w++] = n->kids[i];
		n->n_kids = w;
	}
	for (size_t i = 0; i < count; i++)
		free(k[i].key);
	free(k);
	return rc;
}

/* What the tree under n costs: its leaves (terms and wildcards), and the
 * distinct wildcard prefixes.  Repeated kids of AND, OR and SYNONYM
 * groups are dropped on the way.  -1 when out of memory. */
static int
weigh(pvdi_qnode *n, size_t *leaves, pvdi_strset *wildcards)
{
	switch (n->kind) {
	case PVDI_Q_TERM:
	case PVDI_Q_FILTER:
		(*leaves)++;
		return 0;
	case PVDI_Q_WILDCARD:
		(*leaves)++;
		return pvdi_strset_add(wildcards, n->term) ? -1 : 0;
	case PVDI_Q_ALL:
		return 0;
	case PVDI_Q_AND:
	case PVDI_Q_OR:
	case PVDI_Q_SYNONYM:
		if (dedup_kids(n))
			return -1;
		break;
	default:
		break;
	}
	for (size_t i = 0; i < n->n_kids; i++)
		if (weigh(n->kids[i], leaves, wildcards))
			return -1;
	return 0;
}

pvd_status
pvdi_query_budget(pvdi_query *q, char **errmsg)
{
	size_t leaves = 0;
	pvdi_strset wildcards = {NULL, 0, 0};
	if (weigh(q->root, &leaves, &wildcards)) {
		pvdi_strset_clear(&wildcards);
		return PVD_ENOMEM;
	}
	size_t n_wild = wildcards.n;
	pvdi_strset_clear(&wildcards);
	int rc = 0;
	if (leaves > PVDI_MAX_TERMS)
		rc = errmsg ? asprintf(
				  errmsg,
				  _("the query has too many words: at most %d terms once "
				    "expanded (stems, synonyms), it has %zu"),
				  PVDI_MAX_TERMS, leaves)
			    : 0;
	else if (n_wild > PVDI_MAX_WILDCARDS)
		rc = errmsg
			 ? asprintf(
			       errmsg,
			       _("the query has too many wildcards: at most %d different "
				 "word* prefixes, it has %zu"),
			       PVDI_MAX_WILDCARDS, n_wild)
			 : 0;
	else {
		/* The wildcards share one total of expansions. */
		size_t each =
		    n_wild ? PVDI_MAX_EXPANSIONS / n_wild : PVDI_MAX_PER_WILDCARD;
		q->wildcard_limit =
		    (unsigned)(each < PVDI_MAX_PER_WILDCARD ? each
							    : PVDI_MAX_PER_WILDCARD);
		return PVD_OK;
	}
	if (rc < 0 && errmsg)
		*errmsg = NULL;
	return PVD_EQUERY;
}
