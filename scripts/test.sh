#!/bin/sh
# test.sh: installs what is missing, builds pvd with AddressSanitizer and
# UndefinedBehaviorSanitizer, warnings as errors, and runs every test.
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=ASan -DPVD_WERROR=ON >/dev/null
cmake --build build-asan -j "$(nproc)"
# Xapian is not built with the sanitizers; leak checks stay on for our code.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
cd build-asan && ctest --output-on-failure -j "$(nproc)"
