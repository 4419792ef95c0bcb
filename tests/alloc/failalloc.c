/*
 * failalloc.c: the C half of the allocation-failure hook (failalloc.h):
 * the wrappers that -Wl,--wrap=malloc,... route our objects' calls to.
 * PVD_FAIL_ALLOC=N in the environment arms it at start (for programs).
 * PVD_FAIL_ALLOC_EVERY=K (for servers) makes every Kth allocation fail
 * from each SIGUSR1 on, until a SIGUSR2: the program starts whole, then a
 * test turns the failures on and off around its requests.
 * PVD_FAIL_ALLOC_TRACE=1 prints the stack of each allocation made to fail
 * (to find which caller took a failure for something else).
 */
#include <errno.h>
#include <execinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "failalloc.h"

static long armed;
static atomic_long counted;
static atomic_int fired;
static long every_k;	  /* PVD_FAIL_ALLOC_EVERY */
static atomic_long every; /* every_k between SIGUSR1 and SIGUSR2, else 0 */

static int persist; /* every allocation from the armed one fails */
static int trace;   /* PVD_FAIL_ALLOC_TRACE */

/* ASan's symbolizing stack printer, when the test is built with it. */
extern void __sanitizer_print_stack_trace(void) __attribute__((weak));

static void
print_stack(void)
{
	static const char head[] = "failalloc: this allocation fails:\n";
	(void)!write(2, head, sizeof head - 1);
	if (__sanitizer_print_stack_trace) {
		__sanitizer_print_stack_trace();
		return;
	}
	void *frames[32];
	backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
}

void
failalloc_arm_from(long nth)
{
	failalloc_arm(nth);
	persist = nth > 0;
}

void
failalloc_arm(long nth)
{
	persist = 0;
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

/* The switch, and a line on stderr once it is thrown, which the test waits
 * for: on a busy machine a signal may be handled well after kill() returns. */
static void
on_signal(int sig)
{
	static const char on[] = "failalloc: failures on\n",
			  off[] = "failalloc: failures off\n";
	int e = errno;
	atomic_store(&every, sig == SIGUSR1 ? every_k : 0);
	if (sig == SIGUSR1)
		(void)!write(2, on, sizeof on - 1);
	else
		(void)!write(2, off, sizeof off - 1);
	errno = e;
}

__attribute__((constructor)) static void
arm_from_environment(void)
{
	const char *n = getenv("PVD_FAIL_ALLOC");
	if (n && *n)
		failalloc_arm(strtol(n, NULL, 10));
	const char *t = getenv("PVD_FAIL_ALLOC_TRACE");
	trace = t && *t == '1';
	const char *k = getenv("PVD_FAIL_ALLOC_EVERY");
	if (k && *k && (every_k = strtol(k, NULL, 10)) > 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_signal;
		sa.sa_flags = SA_RESTART;
		sigaction(SIGUSR1, &sa, NULL);
		sigaction(SIGUSR2, &sa, NULL);
	}
}

/* Whether this allocation is the one to fail; shared with failalloc-new.cc. */
int failalloc_now(void);

int
failalloc_now(void)
{
	long n = atomic_fetch_add(&counted, 1) + 1;
	long k = atomic_load(&every);
	if (k > 0		   ? n % k != 0
	    : persist && armed > 0 ? n < armed
				   : n != armed || armed <= 0)
		return 0;
	fired = 1;
	/* (the printers allocate in libc or ASan, which are not wrapped) */
	if (trace && (!persist || n == armed))
		print_stack();
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
