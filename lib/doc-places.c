/*
 * doc-places.c: a document's communes, départements and régions, as the
 * index files them: official spellings, INSEE codes, and the names shown.
 * Filters given by users go through the same keys (pvdi_place_filter).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "places.h"
#include "pvd-private.h"

#define MAX_COMMUNES 64 /* recognised in a text: the most cited */

/* Append name to a '\n'-joined list unless it is there already. */
static int
list_add(char **list, const char *name)
{
	size_t n = strlen(name), len = *list ? strlen(*list) : 0;
	for (const char *p = *list; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		if (l == n && !memcmp(p, name, n))
			return 0;
		p += l + (nl != NULL);
	}
	char *v = realloc(*list, len + n + 2);
	if (!v)
		return -1;
	if (len)
		v[len++] = '\n';
	memcpy(v + len, name, n + 1);
	*list = v;
	return 0;
}

static int
add_term(pvdi_strset *b, const char *prefix, const char *value)
{
	return value[0] ? pvdi_strset_add_prefixed(b, prefix, value) : 0;
}

/* One commune: an official entry (c >= 0), else a name as written. */
static int
add_commune(pvdi_strset *b, long c, const char *written, char **communes, char **depts,
	    char **regions)
{
	char key[PVDI_PLACE_KEY_CAP];
	const char *name = written;
	if (c >= 0) {
		const pvdi_cog_commune *cc = &pvdi_cog_communes[c];
		const pvdi_cog_dept *dp = &pvdi_cog_depts[cc->dept];
		const pvdi_cog_region *rg = &pvdi_cog_regions[dp->region];
		name = PVDI_COG_STR(cc->name);
		if (add_term(b, PVDI_P_INSEE, cc->code) ||
		    add_term(b, PVDI_P_DEPT, dp->code) ||
		    add_term(b, PVDI_P_REGION, rg->code) ||
		    list_add(depts, PVDI_COG_STR(dp->name)) ||
		    list_add(regions, PVDI_COG_STR(rg->name)))
			return -1;
	}
	pvdi_place_key(key, sizeof key, name, strlen(name));
	return add_term(b, PVDI_P_COMMUNE, key) || list_add(communes, name);
}

int
pvdi_doc_places(const pvd_doc *d, pvdi_strset *b, char **communes, char **depts,
		char **regions)
{
	*communes = *depts = *regions = NULL;
	int rc = 0;
	if (d->n_communes) {
		long *found = malloc(d->n_communes * sizeof *found);
		if (!found)
			return -1;
		rc = pvdi_resolve_named(d->communes, d->n_communes, d->text,
					d->text ? d->text_len : 0, found);
		for (size_t i = 0; !rc && i < d->n_communes; i++)
			rc = add_commune(b, found[i], d->communes[i], communes, depts,
					 regions);
		free(found);
	} else {
		uint32_t found[MAX_COMMUNES];
		size_t n = pvdi_recognise_communes(
		    d->title, d->text, d->text ? d->text_len : 0, found, MAX_COMMUNES);
		if (n == (size_t)-1)
			rc = -1;
		for (size_t i = 0; !rc && i < n; i++)
			rc = add_commune(b, (long)found[i], NULL, communes, depts,
					 regions);
	}
	if (!rc) {
		char **all[3] = {communes, depts, regions};
		for (int i = 0; i < 3; i++)
			if (!*all[i] && !(*all[i] = strdup("")))
				rc = -1;
	}
	if (rc) {
		free(*communes);
		free(*depts);
		free(*regions);
		*communes = *depts = *regions = NULL;
	}
	return rc;
}

int
pvdi_place_filter(char *out, size_t cap, const char *kind, const char *value)
{
	char key[PVDI_PLACE_KEY_CAP];
	if (!strcmp(kind, "commune")) {
		long c = pvdi_commune_by_code(value);
		if (c >= 0) {
			snprintf(out, cap, "%s%s", PVDI_P_INSEE,
				 pvdi_cog_communes[c].code);
			return 1;
		}
		size_t first;
		pvdi_place_key(key, sizeof key, value, strlen(value));
		snprintf(out, cap, "%s%s", PVDI_P_COMMUNE, key);
		return pvdi_communes_by_key(key, &first) > 0;
	}
	if (!strcmp(kind, "departement")) {
		long dp = pvdi_dept_find(value);
		pvdi_place_key(key, sizeof key, value, strlen(value));
		snprintf(out, cap, "%s%s", PVDI_P_DEPT,
			 dp >= 0 ? pvdi_cog_depts[dp].code : key);
		return dp >= 0;
	}
	if (!strcmp(kind, "region")) {
		long rg = pvdi_region_find(value);
		pvdi_place_key(key, sizeof key, value, strlen(value));
		snprintf(out, cap, "%s%s", PVDI_P_REGION,
			 rg >= 0 ? pvdi_cog_regions[rg].code : key);
		return rg >= 0;
	}
	return -1;
}
