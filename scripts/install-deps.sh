#!/bin/sh
# install-deps.sh: the Debian 12 packages pvd needs to build and test,
# installed when missing, then the pinned npm packages (package-lock.json)
# with `npm ci`.  Run as root, or as a user who may sudo.
set -eu
cd "$(dirname "$0")/.."
PACKAGES="build-essential cmake pkg-config g++
 libxapian-dev libutf8proc-dev libmagic-dev libxml2-dev libjansson-dev
 libcmocka-dev python3 util-linux libpoppler-glib-dev libzip-dev xapian-tools
 libmicrohttpd-dev libzstd-dev libmimalloc-dev curl wfrench wamerican clang libclang-rt-14-dev
 dpkg-dev zlib1g-dev uuid-dev
 nginx-light chromium chromium-driver python3-selenium gettext locales"
missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
# Node.js may come from another package than Debian's: only its commands count.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
if [ -n "$missing" ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
# The French locale, for messages in French with LANG=fr_FR.UTF-8 (glibc
# uses only locales that were generated).
if ! locale -a 2>/dev/null | grep -qix 'fr_FR\.utf-\?8'; then
	echo "generating the fr_FR.UTF-8 locale"
	$SUDO sed -i 's/^# *\(fr_FR\.UTF-8 UTF-8\)/\1/' /etc/locale.gen
	grep -q '^fr_FR\.UTF-8 UTF-8' /etc/locale.gen ||
		echo 'fr_FR.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
	$SUDO locale-gen >/dev/null
fi
# The web page's stylesheet, the COG's places and axe-core, as pinned.
if [ ! -f node_modules/.package-lock.json ] ||
	! cmp -s package-lock.json node_modules/.pvd-lock; then
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error </dev/null
	cp package-lock.json node_modules/.pvd-lock
fi
# Xapian as a static library, for pvd-search alone (its launches): built
# once from Debian's source of the installed libxapian-dev.  Without it,
# pvd-search links the shared library (CMakeLists.txt, PVD_SEARCH_XAPIAN).
sh scripts/build-xapian-static.sh ||
	echo "install-deps.sh: no static Xapian: pvd-search will load the shared one" >&2
