#!/bin/sh
# test.sh: installs what is missing, checks the C format, builds pvd with AddressSanitizer and
# UndefinedBehaviorSanitizer, warnings as errors, and runs every test: the
# daemon's tests again under ThreadSanitizer (build-tsan/), each libFuzzer
# target for a short run (scripts/fuzz.sh), the indexing tests again with
# the Release build (build-release/, whose pvd-index has mimalloc and
# whose pvd-search has Xapian linked in), then the whole ctest suite.
# Each part prints how long it took, so CI's time budget stays visible; a
# part that fails does not stop the others, and fails the script.
set -eu
cd "$(dirname "$0")/.."
t0=$(date +%s)
part() { # part NAME: prints the seconds since the last part
	t1=$(date +%s)
	echo "== $1: $((t1 - t0)) s"
	t0=$t1
}
failed=
sh scripts/install-deps.sh
part "install"
# The house format: a C or C++ file that differs from .clang-format fails.
sh scripts/check-format.sh || failed="$failed format"
part "format check"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=ASan -DPVD_WERROR=ON >/dev/null
cmake --build build-asan -j "$(nproc)"
part "build (ASan+UBSan)"

# The daemon under ThreadSanitizer: its own build of what the daemon tests
# run (libpvd, pvd-searchd, pvd-index, pvd-search), and those tests alone.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=TSan -DPVD_WERROR=ON >/dev/null
for target in pvd-searchd pvd-index pvd-search; do
	cmake --build build-tsan -j "$(nproc)" --target "$target"
done
(cd build-tsan && PVD_TSAN=1 TSAN_OPTIONS=halt_on_error=1 \
	ctest --output-on-failure -R '^daemon$') || failed="$failed tsan"
part "ThreadSanitizer daemon tests"

# Every libFuzzer target for 45 s, two at a time (docs/RELIABILITY.md).
sh scripts/fuzz.sh 45 2 || failed="$failed fuzz"
part "fuzzing"

# The programs as built for use (Release), whose pvd-index has mimalloc
# and whose pvd-search has Xapian linked in, which the sanitizer builds
# leave out: the indexing tests, and the tests that hold pvd-search's
# answers to libpvd's (the daemon's, the reference's), with them.
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DPVD_WERROR=ON \
	-DPVD_SEARCH_XAPIAN=static >/dev/null
cmake --build build-release -j "$(nproc)"
(cd build-release && ctest --output-on-failure -j "$(nproc)" \
	-R '^(index_corpus|allocator|indexing|compact|paths|bad_input|disk_full|watch|search_linkage|daemon|cli|shards)$') ||
	failed="$failed release"
part "build, indexing and search tests (Release)"

# Xapian is not built with the sanitizers; leak checks stay on for our code.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-asan && ctest --output-on-failure -j "$(nproc)") || failed="$failed tests"
part "tests (ASan+UBSan)"
if [ -n "$failed" ]; then
	echo "test.sh: failed:$failed"
	exit 1
fi
