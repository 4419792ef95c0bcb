/*
 * recognise.c: the precision and recall of the communes recognised in text
 * (lib/recognise.c) over a labelled set of sentences (communes.tsv:
 * sentence<TAB>INSEE codes or "-").  Prints every sentence where the answer
 * differs, then the totals; fails when precision or recall is below the
 * thresholds given.
 *
 * usage: test_recognise TABLE MIN_PRECISION MIN_RECALL
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "places.h"

static int
listed(const char *list, const char *code)
{
	size_t n = strlen(code);
	for (const char *p = list; (p = strstr(p, code)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: test_recognise TABLE MIN_PRECISION MIN_RECALL\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 2;
	}
	double min_p = atof(argv[2]), min_r = atof(argv[3]);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long tp = 0, fp = 0, fn = 0, rows = 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		char *want = strchr(line, '\t');
		if (!want) {
			printf("FAIL malformed row: %s\n", line);
			return 2;
		}
		*want++ = '\0';
		rows++;
		uint32_t got[64];
		size_t n = pvdi_recognise_communes(NULL, line, strlen(line), got, 64);
		if (n == (size_t)-1) {
			printf("FAIL out of memory recognising: %s\n", line);
			return 2;
		}
		char found[64 * 8] = "";
		int bad = 0;
		for (size_t i = 0; i < n; i++) {
			const char *code = pvdi_cog_communes[got[i]].code;
			strcat(found, i ? " " : "");
			strcat(found, code);
			if (strcmp(want, "-") && listed(want, code)) {
				tp++;
			} else {
				fp++;
				bad = 1;
			}
		}
		if (strcmp(want, "-")) {
			char *copy = strdup(want), *save = NULL;
			for (char *c = strtok_r(copy, " ", &save); c;
			     c = strtok_r(NULL, " ", &save))
				if (!listed(found, c)) {
					fn++;
					bad = 1;
				}
			free(copy);
		}
		if (bad)
			printf("DIFF %s\n     wanted %s, got %s\n", line, want,
			       n ? found : "-");
	}
	free(line);
	fclose(f);
	double p = tp + fp ? (double)tp / (double)(tp + fp) : 1;
	double r = tp + fn ? (double)tp / (double)(tp + fn) : 1;
	printf("%ld sentences: precision %.3f (%ld right, %ld wrong), recall %.3f (%ld "
	       "missed)\n",
	       rows, p, tp, fp, r, fn);
	if (p < min_p || r < min_r) {
		printf("FAIL below the thresholds: precision %.2f, recall %.2f\n", min_p,
		       min_r);
		return 1;
	}
	return 0;
}
