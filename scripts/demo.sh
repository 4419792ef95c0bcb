#!/bin/sh
# demo.sh: installs what is missing, builds pvd, indexes corpus/ into the
# default index and asks it for "ingénierie".
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"
./build/pvd-index corpus
./build/pvd-search "ingénierie"
