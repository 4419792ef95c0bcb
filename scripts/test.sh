#!/bin/sh
# test.sh: installs what is missing, builds pvd with AddressSanitizer and
# UndefinedBehaviorSanitizer, warnings as errors, and runs every test; then
# the daemon's tests under ThreadSanitizer (build-tsan/).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=ASan -DPVD_WERROR=ON >/dev/null
cmake --build build-asan -j "$(nproc)"
# Xapian is not built with the sanitizers; leak checks stay on for our code.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
t0=$(date +%s)
(cd build-asan && ctest --output-on-failure -j "$(nproc)")
echo "test.sh: ASan+UBSan suite: $(($(date +%s) - t0)) s"

# The daemon under ThreadSanitizer: its own build of what the daemon tests
# run (libpvd, pvd-searchd, pvd-index, pvd-search), and those tests alone.
t0=$(date +%s)
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=TSan -DPVD_WERROR=ON >/dev/null
for target in pvd-searchd pvd-index pvd-search; do
	cmake --build build-tsan -j "$(nproc)" --target "$target"
done
(cd build-tsan && PVD_TSAN=1 TSAN_OPTIONS=halt_on_error=1 \
	ctest --output-on-failure -R '^daemon$')
echo "test.sh: ThreadSanitizer daemon tests: $(($(date +%s) - t0)) s"
