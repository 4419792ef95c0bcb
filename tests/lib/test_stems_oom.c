/*
 * test_stems_oom.c: an allocation that fails while a word is stemmed is
 * said (pvdi_stems_of() returns -1), never taken for a word without stems,
 * and leaves nothing behind: once memory is back, the word has its stems.
 * Before, the failure read as "no stem" and the per-thread cache kept that
 * answer, so the thread's later queries and documents lost the word's other
 * forms for good.  Each N runs in a new thread (a new stemmer and cache):
 * the Nth allocation fails, for N = 1, 2, ... until stemming makes fewer.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failalloc.h"
#include "pvd-private.h"

/* Longer than the C++ library keeps without allocating (15 bytes). */
#define WORD "intercommunalit\xc3\xa9s"

typedef struct trial {
	long nth;
	int rc, fired, rc_after;
	pvdi_stems during, after;
} trial;

static void *
stem_twice(void *arg)
{
	trial *t = arg;
	pvdi_forms f;
	if (pvdi_fold_word(&f, WORD, strlen(WORD)) != 0)
		return NULL;
	failalloc_arm(t->nth);
	t->rc = pvdi_stems_of(&t->during, &f);
	t->fired = failalloc_fired();
	failalloc_arm(0);
	t->rc_after = pvdi_stems_of(&t->after, &f);
	return NULL;
}

static void
run(trial *t)
{
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, stem_twice, t), 0);
	assert_int_equal(pthread_join(th, NULL), 0);
}

static void
same_stems(const pvdi_stems *got, const pvdi_stems *want, long nth)
{
	if (got->n != want->n)
		fail_msg("N = %ld: %d stems, want %d", nth, got->n, want->n);
	for (int i = 0; i < want->n; i++)
		assert_string_equal(got->s[i], want->s[i]);
}

static void
failure_is_said_and_not_kept(void **state)
{
	(void)state;
	trial base = {0};
	run(&base);
	assert_int_equal(base.rc, 0);
	assert_true(base.during.n >= 1); /* intercommunal... */
	int failed_once = 0;
	for (long nth = 1; nth < 10000; nth++) {
		trial t = {.nth = nth};
		run(&t);
		if (!t.fired) /* stemming needed fewer allocations: done */
			break;
		if (t.rc == 0)
			same_stems(&t.during, &base.during, nth);
		else
			failed_once = 1;
		assert_int_equal(t.rc_after, 0);
		same_stems(&t.after, &base.during, nth);
	}
	/* the stemmer's own allocations were reached at least once */
	assert_true(failed_once);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(failure_is_said_and_not_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
