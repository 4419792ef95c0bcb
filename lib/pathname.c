/*
 * pathname.c: a file's path as people read it, and as a program opens it.
 * The index keeps a path's bytes as the file system has them; a name that
 * is not UTF-8 (Latin-1 from an old Samba share) is shown with its other
 * bytes read as Windows-1252, and also given percent-encoded, byte for
 * byte, so that the file can still be opened.
 */
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "pvd-private.h"
#include "utf8.h"

int
pvdi_path_is_utf8(const char *path)
{
	size_t len = strlen(path);
	for (size_t i = 0, n; i < len; i += n)
		if ((unsigned char)path[i] < 0x80)
			n = 1;
		else if (!(n = utf8_seq_len(path + i, len - i)))
			return 0;
	return 1;
}

/* One byte read as Windows-1252, appended to o; the five bytes the code
 * page leaves undefined become U+FFFD. */
static char *
put_cp1252(iconv_t cd, char *o, unsigned char byte)
{
	char in[1] = {(char)byte}, *ip = in, *op = o;
	size_t il = 1, ol = 4;
	if (cd == (iconv_t)-1 || iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
		iconv(cd, NULL, NULL, NULL, NULL);
		return stpcpy(o, "\xef\xbf\xbd");
	}
	return op;
}

char *
pvd_path_display(const char *path)
{
	size_t len = strlen(path);
	char *out = malloc(4 * len + 1), *o = out;
	if (!out)
		return NULL;
	iconv_t cd = (iconv_t)-1;
	for (size_t i = 0, n; i < len; i += n) {
		unsigned char c = (unsigned char)path[i];
		n = c < 0x80 ? 1 : utf8_seq_len(path + i, len - i);
		if (n) {
			memcpy(o, path + i, n);
			o += n;
			continue;
		}
		n = 1;
		if (cd == (iconv_t)-1)
			cd = iconv_open("UTF-8", "WINDOWS-1252");
		o = put_cp1252(cd, o, c);
	}
	*o = '\0';
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return out;
}

char *
pvd_path_bytes(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(path);
	char *out = malloc(3 * len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)path[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return out;
}
