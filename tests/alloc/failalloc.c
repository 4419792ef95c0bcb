/*
 * failalloc.c: the C half of the allocation-failure hook (failalloc.h):
 * the wrappers that -Wl,--wrap=malloc,... route our objects' calls to.
 * PVD_FAIL_ALLOC=N in the environment arms it at start (for programs).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"

static long armed, counted;
static int fired;

void
failalloc_arm(long nth)
{
	armed = nth;
	counted = 0;
	fired = 0;
}

long
failalloc_count(void)
{
	return counted;
}

int
failalloc_fired(void)
{
	return fired;
}

__attribute__((constructor)) static void
arm_from_environment(void)
{
	const char *n = getenv("PVD_FAIL_ALLOC");
	if (n && *n)
		failalloc_arm(strtol(n, NULL, 10));
}

/* Whether this allocation is the one to fail; shared with failalloc-new.cc. */
int failalloc_now(void);

int
failalloc_now(void)
{
	/* Counting is not thread-safe: the runs that arm it are single-threaded. */
	if (++counted != armed || armed <= 0)
		return 0;
	fired = 1;
	errno = ENOMEM;
	return 1;
}

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
int __real_vasprintf(char **out, const char *fmt, va_list ap);

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);
int __wrap_vasprintf(char **out, const char *fmt, va_list ap);
int __wrap_asprintf(char **out, const char *fmt, ...);

void *
__wrap_malloc(size_t n)
{
	return failalloc_now() ? NULL : __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t size)
{
	return failalloc_now() ? NULL : __real_calloc(n, size);
}

void *
__wrap_realloc(void *p, size_t n)
{
	return failalloc_now() ? NULL : __real_realloc(p, n);
}

char *
__wrap_strdup(const char *s)
{
	return failalloc_now() ? NULL : __real_strdup(s);
}

char *
__wrap_strndup(const char *s, size_t n)
{
	return failalloc_now() ? NULL : __real_strndup(s, n);
}

int
__wrap_vasprintf(char **out, const char *fmt, va_list ap)
{
	/* glibc leaves *out undefined on failure; callers here read it */
	if (failalloc_now()) {
		*out = NULL;
		return -1;
	}
	return __real_vasprintf(out, fmt, ap);
}

int
__wrap_asprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = __wrap_vasprintf(out, fmt, ap);
	va_end(ap);
	return rc;
}
