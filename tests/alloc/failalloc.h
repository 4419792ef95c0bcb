/*
 * failalloc.h: a test-only allocation-failure hook.  Linked with
 * -Wl,--wrap for malloc and its kin (see tests/CMakeLists.txt), it counts
 * every allocation made by the code linked into the test (libpvd's
 * objects, the test) and every operator new (Xapian and the C++ library
 * too), and makes the Nth fail: NULL with errno ENOMEM, or std::bad_alloc.
 * For a server, PVD_FAIL_ALLOC_EVERY=K makes every Kth fail between a
 * SIGUSR1 and a SIGUSR2 (failalloc.c).
 */
#ifndef PVD_FAILALLOC_H
#define PVD_FAILALLOC_H

#ifdef __cplusplus
extern "C" {
#endif

/* Fail the nth allocation from now (1 is the next one), once; 0: none. */
void failalloc_arm(long nth);
/* Fail every allocation from the nth on: memory that does not come back. */
void failalloc_arm_from(long nth);
/* Allocations counted since the last failalloc_arm(). */
long failalloc_count(void);
/* Whether the armed failure happened. */
int failalloc_fired(void);

#ifdef __cplusplus
}
#endif
#endif
