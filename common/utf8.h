/*
 * utf8.h: well-formed UTF-8, and text made safe for one line of a terminal
 * (common/utf8.c).  Built into libpvd and into the programs.
 */
#ifndef PVD_UTF8_H
#define PVD_UTF8_H

#include <stddef.h>

/* The length of the well-formed UTF-8 sequence at s[0..len) (no overlong
 * form, no surrogate, nothing past U+10FFFF), or 0 when it starts none. */
size_t utf8_seq_len(const char *s, size_t len);

/* Whether s[0..len) is well-formed UTF-8 from end to end. */
int utf8_valid(const char *s, size_t len);

/* s fit for one line of a terminal: the C0 and C1 control characters and
 * DEL, which could drive the terminal, written \n, \t, \xNN (C0, DEL) or
 * \u00NN (C1), and, with bad_bytes, each byte that is not part of
 * well-formed UTF-8 written \xNN too (else it is copied).  malloc'ed, NULL
 * when out of memory. */
char *utf8_escape_controls(const char *s, int bad_bytes);

/* s[0..len) without case or accents, as Unicode folds them (NFD, marks
 * stripped, case-folded): "Arrêtés" → "arretes".  malloc'ed; NULL when s
 * is not UTF-8 or when out of memory. */
char *utf8_fold(const char *s, size_t len);

#endif
