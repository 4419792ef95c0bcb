#!/bin/sh
# fuzz.sh [SECONDS [JOBS]]: builds the libFuzzer targets (build-fuzz/, clang,
# ASan+UBSan, -DPVD_FUZZ=ON) and runs each for SECONDS (default 45), JOBS
# targets at a time (default 2), from the seeds in corpus/, tests/fixtures/
# and tests/fuzz/seeds*/.  Inputs found keep growing build-fuzz/corpora/.
# The inputs of past crashes (tests/fuzz/regressions/TARGET/) are replayed
# first.  A crash leaves build-fuzz/crashes/TARGET-* and fails the script.
# With FUZZ_CPU_SECONDS set, each target runs until it has used that much CPU
# time instead (the long runs of docs/RELIABILITY.md, which may share the
# machine: `FUZZ_CPU_SECONDS=1800 nice -n 19 sh scripts/fuzz.sh 0 2`).
# FUZZ_TARGETS="query pdf" runs only those targets.
set -eu
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-45}
JOBS=${2:-2}
ROOT=$(pwd)
OUT=$ROOT/build-fuzz
t0=$(date +%s)
CC=clang CXX=clang++ cmake -S . -B "$OUT" -DCMAKE_BUILD_TYPE=ASan -DPVD_FUZZ=ON \
	>/dev/null
FUZZERS=$(for t in query analysis params decode html markdown dates office pdf; do printf "%s_fuzzer " "$t"; done)
# shellcheck disable=SC2086
cmake --build "$OUT" -j "$(nproc)" --target $FUZZERS >/dev/null
echo "fuzz: built in $(($(date +%s) - t0)) s"

seeds() { # the seed folders of a target
	case $1 in
	query) echo tests/fuzz/seeds ;;
	params) echo tests/fuzz/seeds-params ;;
	analysis | markdown | dates) echo corpus ;;
	decode) echo corpus tests/fixtures ;;
	html) echo corpus ;;
	office | pdf) echo tests/fixtures corpus ;;
	esac
}

TARGETS=${FUZZ_TARGETS:-"query analysis params decode html markdown dates office pdf"}
mkdir -p "$OUT/crashes" "$OUT/logs"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# Regressions: each kept input must now pass.
for t in $TARGETS; do
	reg=tests/fuzz/regressions/$t
	[ -d "$reg" ] || continue
	for f in "$reg"/*; do
		"$OUT/tests/fuzz/${t}_fuzzer" "$f" >"$OUT/logs/$t-regression.log" 2>&1 || {
			echo "fuzz: $t: regression $f fails again:"
			tail -30 "$OUT/logs/$t-regression.log"
			exit 1
		}
	done
done

cpu_seconds() { # cpu_seconds PID: user + system time of a running process
	awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) / hz) }' "/proc/$1/stat" \
		2>/dev/null || echo 0
}

run_one() {
	t=$1
	mkdir -p "$OUT/corpora/$t"
	limit=$SECONDS_EACH
	# libFuzzer's -timeout is wall time: a niced long run on a busy
	# machine can wait that long for the CPU (an HTML input of 0.15 s
	# of CPU "timed out" after 25 s at load 13), so there it is 10 min.
	timeout=20
	if [ -n "${FUZZ_CPU_SECONDS:-}" ]; then
		limit=0 # no wall-clock limit
		timeout=600
	fi
	# shellcheck disable=SC2046
	"$OUT/tests/fuzz/${t}_fuzzer" -max_total_time="$limit" -timeout="$timeout" \
		-rss_limit_mb=2560 -max_len=262144 -print_final_stats=1 \
		-artifact_prefix="$OUT/crashes/$t-" "$OUT/corpora/$t" $(seeds "$t") \
		>"$OUT/logs/$t.log" 2>&1 &
	pid=$!
	if [ -n "${FUZZ_CPU_SECONDS:-}" ]; then
		# libFuzzer stops on SIGINT with its final statistics (exit 72).
		while kill -0 "$pid" 2>/dev/null; do
			if [ "$(cpu_seconds "$pid")" -ge "$FUZZ_CPU_SECONDS" ]; then
				kill -INT "$pid"
				break
			fi
			sleep 5
		done
	fi
	wait "$pid"
	rc=$?
	[ $rc -eq 72 ] && [ -n "${FUZZ_CPU_SECONDS:-}" ] && rc=0
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$OUT/logs/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$OUT/logs/$t.log" | tail -1)
	if [ $rc -eq 0 ]; then
		echo "fuzz: $t: ${runs:-?} runs, $cov, no crash$(cpu_note)"
	else
		echo "fuzz: $t: FAILED (exit $rc) after ${runs:-?} runs; $OUT/logs/$t.log:"
		grep -E 'ERROR|SUMMARY|#[0-9]+ 0x' "$OUT/logs/$t.log" | head -20
		return 1
	fi
}

cpu_note() { # the CPU budget of each target in a long run
	[ -n "${FUZZ_CPU_SECONDS:-}" ] || return 0
	printf ", %s CPU s" "$FUZZ_CPU_SECONDS"
}

t1=$(date +%s)
failed=0
set +e
# JOBS at a time: each job runs its share of the targets in turn.
pids=
for j in $(seq 1 "$JOBS"); do
	(
		k=0
		st=0
		for t in $TARGETS; do
			[ $((k % JOBS)) -eq $((j - 1)) ] && { run_one "$t" || st=1; }
			k=$((k + 1))
		done
		exit $st
	) &
	pids="$pids $!"
done
for p in $pids; do
	wait "$p" || failed=1
done
set -e
echo "fuzz: $(echo $TARGETS | wc -w) targets, $SECONDS_EACH s each, $JOBS at a time:" \
	"$(($(date +%s) - t1)) s (all: $(($(date +%s) - t0)) s)"
exit $failed
