// api_cxx.cc: include/pvd.h must compile as C++ too, with nothing of C++
// in it (the extern "C" guards): this program only links to the library.
#include "pvd.h"

#include <cstdio>

int
main()
{
	std::printf("%s\n", pvd_status_str(PVD_OK));
	return pvd_version()[0] ? 0 : 1;
}
