/*
 * freed-memory.h: how pvd-searchd sets glibc's allocator, shared with the
 * floor it is measured against (bench/inprocess.c).
 *
 * Each search frees what it allocated, and glibc gives the top of a
 * worker's heap back to the kernel whenever more than 128 KiB of it is
 * free: the next search then faults every page in again.  Keep up to
 * 32 MiB free at the top of each heap, and take allocations under 4 MiB
 * from the heaps rather than from mmap(), which returns them at each
 * free.  +21 % queries a second at 16 clients (docs/PERFORMANCE.md).
 */
#ifndef PVD_FREED_MEMORY_H
#define PVD_FREED_MEMORY_H

#include <malloc.h>

static inline void
keep_freed_memory(void)
{
	mallopt(M_TRIM_THRESHOLD, 32 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
}

#endif
