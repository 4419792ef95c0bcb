#!/bin/sh
# serve.sh: the search page over the sample corpus on http://127.0.0.1:8080/
# (docs/WEB.md).  Installs what is missing, builds, indexes the corpus into
# a temporary folder, starts pvd-searchd and an nginx of the current user
# with the shipped configuration (scripts/site-conf.sh), prints the address,
# and on Ctrl-C (or SIGTERM) stops both and removes the temporary folder.
#
#   sh scripts/serve.sh [--port N] [--corpus DIR] [--build DIR] [--no-build]
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
port=8080 corpus=corpus build=build setup=1
while [ $# -gt 0 ]; do
	case $1 in
	--port) port=$2; shift 2 ;;
	--corpus) corpus=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	--no-build) setup=0; shift ;;
	-h | --help) sed -n '2,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "serve.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
done
case $port in '' | *[!0-9]*) echo "serve.sh: --port takes a number" >&2; exit 2 ;; esac
if [ "$setup" -eq 1 ]; then
	sh scripts/install-deps.sh
	cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$build" -j "$(nproc)" >/dev/null
fi
corpus=$(realpath "$corpus")
css=$root/node_modules/@picocss/pico/css
[ -f "$css/pico.classless.min.css" ] || { echo "serve.sh: $css: run sh scripts/install-deps.sh" >&2; exit 2; }
command -v nginx >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" 2>/dev/null; then
	echo "serve.sh: something already answers on 127.0.0.1:$port: stop it or give --port N" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pvd-serve.XXXXXX")
searchd_pid= nginx_pid=
stop() {
	trap - EXIT INT TERM HUP
	for p in $nginx_pid $searchd_pid; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $nginx_pid $searchd_pid; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap 'stop; exit 0' INT TERM HUP
trap 'stop' EXIT

"$build/pvd-index" --quiet --db "$tmp/index" "$corpus"
"$build/pvd-searchd" --socket "$tmp/pvd.sock" --db "$tmp/index" --docs "$corpus=/docs/" \
	2>"$tmp/pvd-searchd.log" </dev/null &
searchd_pid=$!
sh scripts/site-conf.sh "$tmp" "$port" "$tmp/pvd.sock" "$root/web" "$css" "$corpus"
nginx -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf" </dev/null &
nginx_pid=$!

# Up when a search answers through nginx (20 s at most).
i=0
until curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$port/api/search?q=ville"; do
	i=$((i + 1))
	if [ $i -ge 100 ] || ! kill -0 "$searchd_pid" 2>/dev/null || ! kill -0 "$nginx_pid" 2>/dev/null; then
		echo "serve.sh: the site did not come up; logs:" >&2
		cat "$tmp/pvd-searchd.log" "$tmp/error.log" >&2 2>/dev/null || true
		exit 1
	fi
	sleep 0.2
done
echo "pvd : la page de recherche est servie sur http://127.0.0.1:$port/ ($corpus)"
echo "Ctrl-C pour arrêter."
# Either one stopping ends the run; Ctrl-C lands in the trap.
while kill -0 "$searchd_pid" 2>/dev/null && kill -0 "$nginx_pid" 2>/dev/null; do
	sleep 1 &
	wait $! || true
done
echo "serve.sh: pvd-searchd or nginx stopped; logs in the output above" >&2
cat "$tmp/pvd-searchd.log" "$tmp/error.log" >&2 2>/dev/null || true
exit 1
