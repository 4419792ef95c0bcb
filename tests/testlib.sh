# testlib.sh: what the shell tests share (sourced, not run): counting the
# checks, and saying which failed.  Each test ends with its own
# "NAME: N passed, M failed" line.
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
