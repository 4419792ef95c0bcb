#!/usr/bin/env bash
# test_shards.sh: several indexes searched as one (Xapian's own
# multi-database search, one ranking), one of them remote, served by
# xapian-tcpsrv on 127.0.0.1: the answers must be those of one index of
# the whole corpus.
#
# usage: test_shards.sh BUILD_DIR CORPUS_DIR
set -u
BIN=$1
CORPUS=$2
srv=
. "$(dirname "$0")/../testlib.sh"
test_start shards "$BIN"
paths() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['total']); [print(h['path']) for h in d['hits']]"; }
scores() { python3 -c "import json,sys; d=json.load(sys.stdin); print(d['total']); [print(h['path'], h['score']) for h in d['hits']]"; }

"$I" --quiet --db "$TMP/all" "$CORPUS/articles" "$CORPUS/catalogues" "$CORPUS/textes"
"$I" --quiet --db "$TMP/a" "$CORPUS/articles"
"$I" --quiet --db "$TMP/b" "$CORPUS/catalogues" "$CORPUS/textes"

for q in ingénierie "revitalisation commerce" "ANCT" "friche OR halle"; do
	"$S" --db "$TMP/all" --json -n 100 "$q" | paths >"$TMP/one"
	"$S" --db "$TMP/a" --db "$TMP/b" --json -n 100 "$q" | paths >"$TMP/two"
	if [ "$(sort "$TMP/one")" = "$(sort "$TMP/two")" ] && [ "$(head -2 "$TMP/one")" = "$(head -2 "$TMP/two")" ]; then ok; else
		ko "two local shards, \"$q\": $(head -3 "$TMP/one" | tr '\n' ' ') vs $(head -3 "$TMP/two" | tr '\n' ' ')"
	fi
done

if ! command -v xapian-tcpsrv >/dev/null; then
	echo "SKIP: xapian-tcpsrv is not installed (package xapian-tools)"
else
	# a free port on the loopback: try until one takes
	for _ in $(seq 1 20); do
		port=$((20000 + RANDOM % 20000))
		# its own session: on SIGTERM xapian-tcpsrv signals its whole group
		setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$TMP/b" >"$TMP/srv.log" 2>&1 &
		srv=$!
		for _ in $(seq 1 50); do
			grep -q "Listening" "$TMP/srv.log" && break
			kill -0 $srv 2>/dev/null || break
			sleep 0.1
		done
		grep -q "Listening" "$TMP/srv.log" && break
		kill $srv 2>/dev/null
		srv=
	done
	if [ -z "$srv" ]; then
		ko "xapian-tcpsrv did not start: $(cat "$TMP/srv.log")"
	else
		# the same answers as the two shards opened here: the same
		# documents, in the same order, with the same scores; the title
		# share too, which xapian-tcpsrv applies from the title's count
		for q in ingénierie "revitalisation commerce" "ANCT" "friche OR halle" commerce friche "fonds friches" "petites villes de demain"; do
			"$S" --db "$TMP/a" --db "$TMP/b" --json -n 100 "$q" | scores >"$TMP/one"
			"$S" --db "$TMP/a" --db "tcp://127.0.0.1:$port" --json -n 100 "$q" | scores >"$TMP/two"
			if [ -s "$TMP/one" ] && cmp -s "$TMP/one" "$TMP/two"; then ok; else
				ko "local + remote shard, \"$q\": $(diff "$TMP/one" "$TMP/two" | head -4 | tr '\n' ' ')"
			fi
		done
		# ... and those of the single index, but for ties (equal scores may
		# come in another order)
		for q in ingénierie "revitalisation commerce" "ANCT" "friche OR halle"; do
			"$S" --db "$TMP/all" --json -n 100 "$q" | paths >"$TMP/one"
			"$S" --db "$TMP/a" --db "tcp://127.0.0.1:$port" --json -n 100 "$q" | paths >"$TMP/two"
			if [ "$(sort "$TMP/one")" = "$(sort "$TMP/two")" ] && [ "$(head -2 "$TMP/one")" = "$(head -2 "$TMP/two")" ]; then ok; else
				ko "local + remote shard against one index, \"$q\": $(head -3 "$TMP/one" | tr '\n' ' ') vs $(head -3 "$TMP/two" | tr '\n' ' ')"
			fi
		done
		# dates through a remote shard: estimated ones last, left out of a period
		for opts in "--sort date" "--since 2026-01-01" "--since 2026-01-01 --file-dates"; do
			# shellcheck disable=SC2086
			"$S" --db "$TMP/all" --json -n 100 $opts ville | paths >"$TMP/one"
			# shellcheck disable=SC2086
			"$S" --db "$TMP/a" --db "tcp://127.0.0.1:$port" --json -n 100 $opts ville | paths >"$TMP/two"
			if [ -s "$TMP/one" ] && cmp -s "$TMP/one" "$TMP/two"; then ok; else
				ko "local + remote shard, ville $opts: $(head -3 "$TMP/one" | tr '\n' ' ') vs $(head -3 "$TMP/two" | tr '\n' ' ')"
			fi
		done
		"$S" --db "$TMP/a" --db "tcp://127.0.0.1:$port" --json --facets ingénierie >"$TMP/j"
		if python3 -c "import json; d=json.load(open('$TMP/j')); assert sum(d['facets']['type'].values()) == d['total'] > 0 and d['hits'][0]['snippet_html'].count('<mark>') > 0"; then ok; else ko "facets and snippets through a remote shard: $(head -c 300 "$TMP/j")"; fi
		# The same shard named by a Xapian stub file ("remote HOST:PORT"),
		# directly and through an "auto" line: Xapian's own remote backend.
		mkdir "$TMP/stubs"
		echo "remote 127.0.0.1:$port" >"$TMP/stubs/b.stub"
		printf '# the catalogues and texts\nauto b.stub\n' >"$TMP/stubs/via-auto"
		for stub in "$TMP/stubs/b.stub" "$TMP/stubs/via-auto"; do
			for q in ingénierie "revitalisation commerce" "ANCT" "friche OR halle"; do
				"$S" --db "$TMP/a" --db "tcp://127.0.0.1:$port" --json -n 100 "$q" | paths >"$TMP/one"
				"$S" --db "$TMP/a" --db "$stub" --json -n 100 "$q" 2>"$TMP/err" | paths >"$TMP/two"
				if [ -s "$TMP/one" ] && cmp -s "$TMP/one" "$TMP/two"; then ok; else
					ko "local + stub of a remote shard ($(basename "$stub")), \"$q\": $(head -3 "$TMP/two" | tr '\n' ' ') $(cat "$TMP/err")"
				fi
			done
			"$S" --db "$TMP/a" --db "$stub" --json --facets ingénierie >"$TMP/j" 2>"$TMP/err"
			if python3 -c "import json; d=json.load(open('$TMP/j')); assert sum(d['facets']['type'].values()) == d['total'] > 0"; then ok; else ko "facets through the stub of a remote shard: $(cat "$TMP/err")"; fi
		done
		kill $srv
		wait $srv 2>/dev/null
		srv=
		"$S" --db "$TMP/a" --db "tcp://127.0.0.1:$port" ingénierie >/dev/null 2>"$TMP/err"
		if [ $? -eq 2 ] && [ -s "$TMP/err" ]; then ok; else ko "a dead remote shard is an error (exit 2, a message)"; fi
	fi
fi
"$S" --db "$TMP/a" --db "tcp://nowhere" friche >/dev/null 2>"$TMP/err"
if [ $? -eq 2 ] && grep -q "tcp://HOST:PORT" "$TMP/err"; then ok; else ko "a bad remote address is refused: $(cat "$TMP/err")"; fi

echo "shards: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
