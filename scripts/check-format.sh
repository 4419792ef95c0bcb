#!/bin/sh
# check-format.sh: fails, naming each file, when a tracked C or C++ file
# differs from what clang-format (Debian's clang-format 14, .clang-format)
# makes of it. `sh scripts/check-format.sh --fix` rewrites them instead.
set -eu
cd "$(dirname "$0")/.."
fix=${1:-}
bad=0
for f in $(git ls-files '*.c' '*.h' '*.cc'); do
	if [ "$fix" = --fix ]; then
		clang-format -i "$f"
	elif ! clang-format "$f" | cmp -s - "$f"; then
		echo "check-format: $f differs from .clang-format (sh scripts/check-format.sh --fix)"
		bad=1
	fi
done
exit $bad
