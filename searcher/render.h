/*
 * render.h: pvd-search's human output, made for an 80-column terminal.
 */
#ifndef PVD_RENDER_H
#define PVD_RENDER_H

#include <stdio.h>

#include "cli.h"
#include "pvd.h"

typedef struct render_style {
	const char *hl_on, *hl_off; /* around highlighted words */
	int width;		    /* columns to wrap at */
} render_style;

/* Bold on a terminal unless NO_COLOR is set, [word] otherwise. */
render_style render_style_for(FILE *out);

void render_hit(FILE *out, const render_style *st, const pvd_hit *h);
void render_facets(FILE *out, const pvd_results *r);

#endif
