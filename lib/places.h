/*
 * places.h: the official places (COG) compiled into libpvd, and what is
 * done with them: names in any spelling to communes, départements and
 * régions (places.c), communes recognised in a text (recognise.c).
 * Private to lib/ (and the unit tests).
 */
#ifndef PVD_PLACES_H
#define PVD_PLACES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The generated tables (tools/cog-table.py): no pointers, only offsets
 * into pvdi_cog_text, so that nothing is relocated at load time. */
typedef struct pvdi_cog_region {
	uint32_t name, key;
	char code[4];
} pvdi_cog_region;

typedef struct pvdi_cog_dept {
	uint32_t name, key;
	char code[4];
	uint8_t region; /* index in pvdi_cog_regions */
} pvdi_cog_dept;

enum {
	PVDI_COG_COMMON = 1, /* the name is also a common word (Bonnes, Eu, Y) */
	PVDI_COG_USUAL = 2   /* a usual name (Luchon), not the official one */
};

typedef struct pvdi_cog_commune {
	uint32_t name, key;
	uint32_t population;
	char code[6]; /* INSEE code: 31020, 2A004 */
	uint8_t dept; /* index in pvdi_cog_depts */
	uint8_t flags;
} pvdi_cog_commune;

/* A usual name as written ("Luchon"), and its commune's INSEE code. */
typedef struct pvdi_cog_usual {
	uint32_t name;
	char code[6];
} pvdi_cog_usual;

extern const pvdi_cog_usual pvdi_cog_usuals[];
extern const size_t pvdi_cog_n_usuals;
extern const pvdi_cog_region pvdi_cog_regions[];
extern const size_t pvdi_cog_n_regions;
extern const pvdi_cog_dept pvdi_cog_depts[];
extern const size_t pvdi_cog_n_depts;
/* Sorted by key, then most populous first: homonyms are neighbours. */
extern const pvdi_cog_commune pvdi_cog_communes[];
extern const size_t pvdi_cog_n_communes;
extern const uint32_t pvdi_cog_by_code[]; /* official entries by INSEE code */
extern const size_t pvdi_cog_n_by_code;
extern const uint32_t pvdi_cog_hash[];
extern const size_t pvdi_cog_hash_size;
extern const char pvdi_cog_fold[][3];
/* A Bloom filter (2^18 bits, two FNV-1a bits per word) of the first word
 * (key) of every name: most capitalised words start none. */
extern const unsigned char pvdi_cog_first_words[];
extern const char pvdi_cog_text[];

#define PVDI_COG_STR(off) (pvdi_cog_text + (off))

/* ---- places.c ---------------------------------------------------------- */

/* Room for a place key. */
#define PVDI_PLACE_KEY_CAP 256

/* The key every spelling of a place name shares: letters folded, words
 * joined, "st"/"ste" read as "saint"/"sainte" ("St-Gaudens" →
 * "saintgaudens").  s[0..len); returns the key's length (0: no letter). */
size_t pvdi_place_key(char *out, size_t cap, const char *s, size_t len);

/* Whether some commune's or département's name may start with the word
 * s[0..len) (letters only): no means surely not. */
int pvdi_place_first_word(const char *s, size_t len);

/* The communes whose name (or usual name) has this key: *first gets the
 * index of the first, the count is returned (0: none). */
size_t pvdi_communes_by_key(const char *key, size_t *first);

/* The commune with this INSEE code, or -1. */
long pvdi_commune_by_code(const char *code);

/* The département named or numbered by s ("31", "2a", "974", "Haute
 * Garonne"), or -1. */
long pvdi_dept_find(const char *s);

/* The région named s in any spelling ("occitanie", "Île-de-France"), or
 * its code ("76"), or -1. */
long pvdi_region_find(const char *s);

/* The commune a name or INSEE code means when nothing else tells
 * homonyms apart: the only one, else -1 (*n gets how many share it). */
long pvdi_commune_resolve(const char *s, size_t *n);

/* ---- recognise.c ------------------------------------------------------- */

/* The communes a document names: indices into pvdi_cog_communes (official
 * entries), most cited first.  title may be NULL.  Returns the count (at
 * most cap) written into out, or (size_t)-1 when out of memory (never a
 * document without its places that reads as one naming none). */
size_t pvdi_recognise_communes(const char *title, const char *text, size_t len,
			       uint32_t *out, size_t cap);

/* Of the communes in names[0..n) (metadata, any spelling), the official
 * entry each means, decided among homonyms by the others and by the
 * départements the text names; -1 where it is no commune or stays
 * ambiguous.  out has n entries.  Returns 0, or -1 when out of memory. */
int pvdi_resolve_named(const char *const *names, size_t n, const char *text, size_t len,
		       long *out);

#ifdef __cplusplus
}
#endif

#endif /* PVD_PLACES_H */
