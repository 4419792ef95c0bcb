#!/bin/sh
# test.sh: installs what is missing, builds pvd with AddressSanitizer and
# UndefinedBehaviorSanitizer, warnings as errors, and runs every test.
# Each part prints how long it took, so CI's time budget stays visible.
set -eu
cd "$(dirname "$0")/.."
t0=$(date +%s)
part() { # part NAME: prints the seconds since the last part
	t1=$(date +%s)
	echo "== $1: $((t1 - t0)) s"
	t0=$t1
}
sh scripts/install-deps.sh
part "install"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=ASan -DPVD_WERROR=ON >/dev/null
cmake --build build-asan -j "$(nproc)"
part "build (ASan+UBSan)"
# Xapian is not built with the sanitizers; leak checks stay on for our code.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
(cd build-asan && ctest --output-on-failure -j "$(nproc)") || status=$?
part "tests"
exit $status
