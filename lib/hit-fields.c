/*
 * hit-fields.c: what a hit shows besides its passage (path, title, type,
 * dates, places), packed into the head of its stored text.  A page of hits
 * then reads one record a hit, the one its passage needs anyway, instead
 * of eight value streams; the values stay, for sorting and filtering.
 */
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"

const int pvdi_shown_slots[PVDI_SHOWN_SLOTS] = {
    PVDI_V_PATH,	PVDI_V_TITLE,	 PVDI_V_TYPE,  PVDI_V_DATE,
    PVDI_V_DATE_SOURCE, PVDI_V_COMMUNES, PVDI_V_DEPTS, PVDI_V_REGIONS,
};

int
pvdi_shown_pack(char *const values[PVDI_V_COUNT], char **out, size_t *out_len)
{
	size_t cap = 0;
	for (int k = 0; k < PVDI_SHOWN_SLOTS; k++)
		cap += 10 + strlen(values[pvdi_shown_slots[k]]);
	char *buf = malloc(cap);
	if (!buf)
		return -1;
	size_t n = 0;
	for (int k = 0; k < PVDI_SHOWN_SLOTS; k++) {
		const char *v = values[pvdi_shown_slots[k]];
		size_t len = strlen(v);
		for (size_t rest = len;; rest >>= 7) { /* 7 bits a byte, low first */
			buf[n++] = (char)((rest & 0x7f) | (rest > 0x7f ? 0x80 : 0));
			if (rest <= 0x7f)
				break;
		}
		memcpy(buf + n, v, len);
		n += len;
	}
	*out = buf;
	*out_len = n;
	return 0;
}

int
pvdi_shown_unpack(const char *head, size_t len, const char *field[PVDI_SHOWN_SLOTS],
		  size_t field_len[PVDI_SHOWN_SLOTS])
{
	size_t at = 0;
	for (int k = 0; k < PVDI_SHOWN_SLOTS; k++) {
		size_t n = 0;
		int shift = 0;
		unsigned char b;
		do {
			if (at >= len || shift > 28)
				return -1;
			b = (unsigned char)head[at++];
			n |= (size_t)(b & 0x7f) << shift;
			shift += 7;
		} while (b & 0x80);
		if (n > len - at)
			return -1;
		field[k] = head + at;
		field_len[k] = n;
		at += n;
	}
	return at == len ? 0 : -1;
}
