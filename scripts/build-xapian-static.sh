#!/bin/sh
# build-xapian-static.sh: Debian's own xapian-core source, of the very version
# of the installed libxapian-dev, built as a static library of position-
# independent code, for pvd-search alone (CMakeLists.txt, PVD_SEARCH_XAPIAN).
#
#   scripts/build-xapian-static.sh [DIR]
#
# DIR (default $PVD_XAPIAN_STATIC_DIR, else ~/.cache/pvd/xapian-static) gets
# libxapian.a and a file "version" with the Debian version it was built from;
# nothing is done when both are there and the version is the installed one.
#
# Why: a launch of pvd-search spends most of its instructions in the dynamic
# loader relocating libstdc++ and libxapian (docs/PERFORMANCE.md, issue 16,
# seventh pass).  With both linked in, the loader has little left to do and a
# launch costs less than quest's.  The daemon and pvd-index keep Debian's
# shared library, which the security updates reach; pvd-search gets them when
# this is run again (scripts/install-deps.sh runs it) and pvd rebuilt.
#
# The source comes from the Debian archive the machine already uses: its
# "deb" entries are read again as "deb-src" for this one download, through a
# sources file removed at the end.  Exit 0 when the library is ready; 1, with
# a message, when it cannot be made (pvd-search then links the shared one).
set -eu
dir=${1:-${PVD_XAPIAN_STATIC_DIR:-${HOME:-/nonexistent}/.cache/pvd/xapian-static}}
version=$(dpkg-query -W -f='${Version}' libxapian-dev 2>/dev/null) || {
	echo "build-xapian-static.sh: libxapian-dev is not installed" >&2
	exit 1
}
if [ -f "$dir/libxapian.a" ] && [ "$(cat "$dir/version" 2>/dev/null)" = "$version" ]; then
	exit 0
fi
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
work=$(mktemp -d)
src_list=/etc/apt/sources.list.d/pvd-xapian-src.sources
cleanup() {
	rm -rf "$work"
	[ ! -f "$src_list" ] || $SUDO rm -f "$src_list"
}
trap cleanup EXIT

# The deb-src twins of the machine's deb entries, in one deb822 file.
{
	for f in /etc/apt/sources.list.d/*.sources; do
		if [ ! -f "$f" ] || [ "$f" = "$src_list" ]; then
			continue
		fi
		sed -n 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb-src/; /^#/d; p' "$f"
		echo
	done
	if [ -f /etc/apt/sources.list ]; then
		# one-line entries: "deb [opts] URI SUITE COMPONENT...", the
		# options' signed-by kept
		awk '$1 == "deb" {
			i = 2; key = ""
			if ($2 ~ /^\[/) {
				while (i <= NF && $i !~ /\]$/) { if ($i ~ /signed-by=/) key = $i; i++ }
				if ($i ~ /signed-by=/) key = $i
				i++
			}
			if (i + 2 > NF) next
			printf "Types: deb-src\nURIs: %s\nSuites: %s\nComponents:", $i, $(i + 1)
			for (j = i + 2; j <= NF; j++) printf " %s", $j
			printf "\n"
			if (key != "") { sub(/.*signed-by=/, "", key); sub(/\]$/, "", key); printf "Signed-By: %s\n", key }
			printf "\n"
		}' /etc/apt/sources.list
	fi
} >"$work/src.sources"
grep -q '^Types: deb-src' "$work/src.sources" || {
	echo "build-xapian-static.sh: no Debian archive in the apt sources" >&2
	exit 1
}
$SUDO cp "$work/src.sources" "$src_list"
$SUDO apt-get update -qq >/dev/null 2>&1 || true

# apt's download user writes into the folder it fetches to.
mkdir "$work/src"
if id _apt >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	chown _apt "$work/src"
fi
upstream=${version%%-*}
upstream=${upstream#*:}
if ! (cd "$work/src" && apt-get source -qq --only-source "xapian-core=$version" \
	>"$work/source.log" 2>&1); then
	echo "build-xapian-static.sh: cannot fetch the source of xapian-core $version:" >&2
	tail -n 5 "$work/source.log" >&2
	exit 1
fi
tree=$work/src/xapian-core-$upstream
[ -d "$tree" ] || {
	echo "build-xapian-static.sh: no $tree after apt-get source" >&2
	exit 1
}

# Debian's flags for C++ (hardening included), as position-independent
# code for pvd-search (a PIE), without debugging sections.
cxxflags="$(dpkg-buildflags --get CXXFLAGS) -fPIC -g0"
cppflags=$(dpkg-buildflags --get CPPFLAGS)
echo "building xapian-core $version as a static library (for pvd-search)"
if ! (cd "$tree" && ./configure -q --disable-shared --enable-static \
	--disable-documentation CXXFLAGS="$cxxflags" CPPFLAGS="$cppflags" \
	>"$work/configure.log" 2>&1 &&
	make -j "$(nproc)" libxapian.la >"$work/make.log" 2>&1); then
	echo "build-xapian-static.sh: the build of xapian-core failed:" >&2
	tail -n 20 "$work/configure.log" "$work/make.log" >&2 2>/dev/null
	exit 1
fi
mkdir -p "$dir"
cp "$tree/.libs/libxapian.a" "$dir/libxapian.a.new"
mv "$dir/libxapian.a.new" "$dir/libxapian.a"
echo "$version" >"$dir/version"
echo "xapian-core $version: $dir/libxapian.a"
