#!/bin/sh
# install-deps.sh: the Debian 12 packages pvd needs to build and test,
# installed when missing.  Run as root, or as a user who may sudo.
set -eu
PACKAGES="build-essential cmake pkg-config g++
 libxapian-dev libutf8proc-dev libmagic-dev libxml2-dev libjansson-dev
 libcmocka-dev python3 util-linux libpoppler-glib-dev libzip-dev xapian-tools
 libmicrohttpd-dev libzstd-dev curl"
missing=
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -n "$missing" ] || exit 0
SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
