# testlib.sh: what the shell tests share (sourced, not run): counting the
# checks and saying which failed, checks of a command's exit status, of a
# file's text and of JSON, and the start-up (test_start).  Each test ends
# with its own "NAME: N passed, M failed" line.
# The programs speak English unless a test asks for another language.
export LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES
passed=0
failed=0
ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...: the command succeeds
	local what=$1
	shift
	if "$@"; then ok; else ko "$what"; fi
}
expect_rc() { # expect_rc WANT DESCRIPTION CMD...: output in $TMP/out, $TMP/err
	local want=$1 what=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err" </dev/null
	local rc=$?
	if [ "$rc" -eq "$want" ]; then ok; else ko "$what: exit $rc, want $want; stderr: $(head -c 300 "$TMP/err")"; fi
}
contains() { # contains FILE STRING DESCRIPTION
	if grep -qF -- "$2" "$1"; then ok; else ko "$3: no \"$2\" in $(basename "$1"): $(head -c 600 "$1")"; fi
}
json_check() { # json_check FILE PYTHON-EXPRESSION-OVER-d DESCRIPTION
	if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1" 2>"$TMP/pyerr"; then
		ok
	else
		ko "$3: $(head -c 300 "$TMP/pyerr") $(head -c 600 "$1")"
	fi
}

# test_start NAME BUILD_DIR: the scratch folder $TMP, and I and S, the
# build's pvd-index and pvd-search.  At exit the background jobs the test
# left (daemons, servers) are stopped and $TMP is removed, unreadable
# corners included, unless KEEP is set (to look at it after a failure).
test_start() {
	TMP=$(mktemp -d "${TMPDIR:-/tmp}/pvd-$1-XXXXXX") || exit 2
	I="$2/pvd-index"
	S="$2/pvd-search"
	trap test_cleanup EXIT
}
test_cleanup() {
	# shellcheck disable=SC2046
	kill $(jobs -p) 2>/dev/null
	chmod -R u+rwX "$TMP" 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$TMP"
}
