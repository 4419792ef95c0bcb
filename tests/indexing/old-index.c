/*
 * old-index.c: writes an index the way pvd-index did before it made paths
 * canonical: each document keyed by its path exactly as given (relative,
 * "./x", through a link), and no mark saying the paths are canonical.
 * test_paths.sh checks that the pvd-index of today converts such an index.
 *
 * usage: old-index DB FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pvd.h"

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: old-index DB FILE...\n");
		return 2;
	}
	pvd_writer *w;
	char *err = NULL;
	if (pvd_writer_open(&w, argv[1], 0, &err) != PVD_OK) {
		fprintf(stderr, "old-index: %s\n", err ? err : "cannot open");
		free(err);
		return 2;
	}
	int rc = 0;
	for (int i = 2; i < argc; i++) {
		char text[4096] = "";
		FILE *f = fopen(argv[i], "r");
		size_t n = f ? fread(text, 1, sizeof text - 1, f) : 0;
		if (f)
			fclose(f);
		text[n] = '\0';
		pvd_doc doc = {.path = argv[i],
			       .title = argv[i],
			       .type = "article",
			       .text = text,
			       .text_len = n};
		if (pvd_writer_add(w, &doc) != PVD_OK) {
			fprintf(stderr, "old-index: %s: %s\n", argv[i],
				pvd_writer_errmsg(w));
			rc = 1;
		}
	}
	if (pvd_writer_finish(w) != PVD_OK) {
		fprintf(stderr, "old-index: %s\n", pvd_writer_errmsg(w));
		rc = 1;
	}
	pvd_writer_close(w);
	return rc;
}
