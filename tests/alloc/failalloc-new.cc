/*
 * failalloc-new.cc: the C++ half of the allocation-failure hook: the
 * program's own operator new, which every library's new resolves to, and
 * which fails when failalloc.c says so.
 */
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <link.h>
#include <new>

extern "C" int failalloc_now(void);
/* malloc itself: -Wl,--wrap=malloc sends std::malloc through the counter. */
extern "C" void *__real_malloc(std::size_t n);

/*
 * Xapian allocates inside functions it declares noexcept (a commit's
 * clean-up, for one): a bad_alloc there ends the program in Xapian, before
 * any code of ours can answer.  Its own direct operator new calls are
 * therefore spared; ours, and the library's calls on our behalf, fail.
 */
static std::uintptr_t xapian_lo, xapian_hi;

static int
find_xapian(struct dl_phdr_info *info, size_t, void *)
{
	if (!info->dlpi_name || !std::strstr(info->dlpi_name, "libxapian"))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) &ph = info->dlpi_phdr[i];
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		std::uintptr_t lo = info->dlpi_addr + ph.p_vaddr;
		if (!xapian_lo || lo < xapian_lo)
			xapian_lo = lo;
		if (lo + ph.p_memsz > xapian_hi)
			xapian_hi = lo + ph.p_memsz;
	}
	return 1;
}

static bool
from_xapian(const void *caller)
{
	/* (looked for once, whatever the number of threads) */
	static const bool looked = dl_iterate_phdr(find_xapian, nullptr) >= 0;
	(void)looked;
	std::uintptr_t a = (std::uintptr_t)caller;
	return a >= xapian_lo && a < xapian_hi;
}

static void *
allocate(std::size_t n, const void *caller)
{
	if (!from_xapian(caller) && failalloc_now())
		return nullptr;
	return __real_malloc(n ? n : 1);
}

void *
operator new(std::size_t n)
{
	void *p = allocate(n, __builtin_return_address(0));
	if (!p)
		throw std::bad_alloc();
	return p;
}

void *
operator new[](std::size_t n)
{
	void *p = allocate(n, __builtin_return_address(0));
	if (!p)
		throw std::bad_alloc();
	return p;
}

void *
operator new(std::size_t n, const std::nothrow_t &) noexcept
{
	return allocate(n, __builtin_return_address(0));
}

void *
operator new[](std::size_t n, const std::nothrow_t &) noexcept
{
	return allocate(n, __builtin_return_address(0));
}

void
operator delete(void *p) noexcept
{
	std::free(p);
}

void
operator delete[](void *p) noexcept
{
	std::free(p);
}

void
operator delete(void *p, std::size_t) noexcept
{
	std::free(p);
}

void
operator delete[](void *p, std::size_t) noexcept
{
	std::free(p);
}
