#!/usr/bin/env bash
# The test command: both test tiers, with a plain account of what ran.
#
#   scripts/test.sh [--portable-only] [--bench-only] [-- extra run-tests arguments]
#
# 1. Portable tier, always: ruff (lint and format) and pytest over tests/, in a virtualenv
#    at .venv-tests made from pyproject's [test] extra. No Frappe needed.
# 2. Bench tier, when a bench is found (BENCH_PATH, else ~/frappe-bench, else
#    /home/frappe/frappe-bench): this checkout is installed into the bench, the test site
#    (TEST_SITE, default ap-test.localhost) is created or migrated, and Frappe's own runner
#    runs the app's tests: bench --site $TEST_SITE run-tests --app ap_provision.
#    MariaDB and the bench's Redis are started when installed but not running.
# 3. Browser tier, with the bench tier when Debian's chromium is installed (CHROMIUM, default
#    /usr/bin/chromium) and no run-tests arguments were given: pytest browser_tests/ serves the
#    test site on a free port and drives it with playwright; screenshots in
#    test-artifacts/screenshots/. BROWSER_TESTS=0 skips it.
#
# Exit status: non-zero when any tier that ran failed.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

RUN_PORTABLE=1
RUN_BENCH=1
EXTRA_ARGS=()
while [ $# -gt 0 ]; do
	case "$1" in
	--portable-only) RUN_BENCH=0 ;;
	--bench-only) RUN_PORTABLE=0 ;;
	--)
		shift
		EXTRA_ARGS=("$@")
		break
		;;
	-h | --help)
		sed -n '2,15p' "$0"
		exit 0
		;;
	*) die "unknown option: $1 (see --help)" ;;
	esac
	shift
done

TEST_SITE=${TEST_SITE:-ap-test.localhost}
LOG_DIR="$REPO_DIR/test-artifacts"
mkdir -p "$LOG_DIR"
# Logs are named after the test site, so runs against different sites can go side by side.
PORTABLE_LOG="$LOG_DIR/portable-$TEST_SITE.log"
BENCH_LOG="$LOG_DIR/bench-$TEST_SITE.log"
portable_status="not run"
bench_status="not run"
browser_status="not run"
passed=0
failed=0
skipped=0
rc=0

count() { grep -oE "[0-9]+ $1" <<<"$2" | tail -n 1 | grep -oE '^[0-9]+' || echo 0; }

# 1. Portable tier ------------------------------------------------------------------------
if [ "$RUN_PORTABLE" = 1 ]; then
	cd "$REPO_DIR" || exit 1
	VENV="$REPO_DIR/.venv-tests"
	if [ ! -x "$VENV/bin/pytest" ] || [ pyproject.toml -nt "$VENV/.installed" ]; then
		say "portable tier: preparing $VENV"
		python3 -m venv "$VENV" || die "python3 -m venv failed (install python3-venv)"
		"$VENV/bin/python" -m pip install -q --disable-pip-version-check -e ".[test]" || die "pip install failed"
		touch "$VENV/.installed"
	fi
	say "portable tier: ruff"
	lint_rc=0
	"$VENV/bin/ruff" check . || lint_rc=1
	"$VENV/bin/ruff" format --check . || lint_rc=1
	say "portable tier: pytest"
	"$VENV/bin/python" -m pytest tests -q -p no:cacheprovider 2>&1 | tee "$PORTABLE_LOG"
	py_rc=${PIPESTATUS[0]}
	summary=$(tail -n 1 "$PORTABLE_LOG")
	p=$(count passed "$summary")
	f=$(($(count failed "$summary") + $(count error "$summary")))
	s=$(count skipped "$summary")
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	if [ "$py_rc" -eq 0 ] && [ "$lint_rc" -eq 0 ] && [ "$p" -gt 0 ]; then
		portable_status="passed ($p passed, $s skipped; ruff clean)"
	else
		portable_status="FAILED ($p passed, $f failed; pytest exit $py_rc; ruff $([ $lint_rc = 0 ] && echo clean || echo 'found problems'))"
		rc=1
	fi
fi

# 2. Bench tier ---------------------------------------------------------------------------
if [ "$RUN_BENCH" = 1 ]; then
	BENCH=$(default_bench_path)
	if [ ! -d "$BENCH/apps/frappe" ] || [ ! -d "$BENCH/sites" ]; then
		bench_status="skipped (no bench at $BENCH)"
		browser_status="skipped (no bench at $BENCH)"
	else
		resolve_bench_cli
		[ -x "$BENCH_CLI_BIN/bench" ] || command -v bench >/dev/null || die "no bench CLI found for $BENCH"
		ensure_mariadb_running || die "MariaDB is not installed; run scripts/setup.sh"
		ensure_bench_redis
		in_bench bench set-config -g root_password "$DB_ROOT_PASSWORD" >/dev/null
		install_checkout_into_bench
		in_bench env/bin/python -m pip install -q --disable-pip-version-check -e "apps/$APP_NAME[bench-test]"
		ensure_site "$TEST_SITE"
		in_bench bench --site "$TEST_SITE" set-config allow_tests true >/dev/null
		# Print formats rendered by the tests are kept here (as the bench's user) to be looked at.
		mkdir -p "$LOG_DIR/print" && as_root chown "$(bench_owner "$BENCH"):" "$LOG_DIR/print"
		say "bench tier: bench --site $TEST_SITE run-tests --app $APP_NAME ${EXTRA_ARGS[*]}"
		in_bench bench --site "$TEST_SITE" run-tests --app "$APP_NAME" "${EXTRA_ARGS[@]}" 2>&1 |
			tee "$BENCH_LOG"
		bt_rc=${PIPESTATUS[0]}
		ran=$(grep -oE '^Ran [0-9]+ tests?' "$BENCH_LOG" | tail -n 1 | grep -oE '[0-9]+' || echo 0)
		result=$(grep -E '^(OK|FAILED)' "$BENCH_LOG" | tail -n 1)
		bfail=$(($(grep -oE 'failures=[0-9]+' <<<"$result" | grep -oE '[0-9]+' || echo 0) + $(grep -oE 'errors=[0-9]+' <<<"$result" | grep -oE '[0-9]+' || echo 0)))
		bskip=$(grep -oE 'skipped=[0-9]+' <<<"$result" | grep -oE '[0-9]+' || echo 0)
		if [ "$bt_rc" -eq 0 ] && [ "$bfail" -eq 0 ] && [ "$ran" -gt 0 ]; then
			bench_status="passed (ran $ran tests, $bskip skipped; bench $BENCH, site $TEST_SITE)"
			passed=$((passed + ran - bskip))
		else
			bench_status="FAILED (ran $ran tests, $bfail failed or errored; exit $bt_rc; log ${BENCH_LOG#"$REPO_DIR"/})"
			passed=$((passed + ran - bfail - bskip))
			[ "$bfail" -gt 0 ] || bfail=1
			rc=1
		fi
		failed=$((failed + bfail))
		skipped=$((skipped + bskip))

		# 3. Browser tier: browser_tests/ (pytest + playwright) drives Debian's chromium against
		# the test site served by `bench serve` on a free port, as the bench user.
		CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
		if [ ${#EXTRA_ARGS[@]} -gt 0 ]; then
			browser_status="skipped (run-tests arguments given)"
		elif [ "${BROWSER_TESTS:-1}" = 0 ]; then
			browser_status="skipped (BROWSER_TESTS=0)"
		elif [ ! -x "$CHROMIUM" ]; then
			browser_status="skipped (no chromium at $CHROMIUM; apt-get install chromium)"
		else
			BROWSER_LOG="$LOG_DIR/browser-$TEST_SITE.log"
			SHOTS="$LOG_DIR/screenshots"
			mkdir -p "$SHOTS"
			chown -R "$(bench_owner "$BENCH")" "$SHOTS" 2>/dev/null || true
			say "browser tier: pytest browser_tests (chromium $CHROMIUM, site $TEST_SITE)"
			in_bench env TEST_SITE="$TEST_SITE" BENCH_PATH="$BENCH" CHROMIUM="$CHROMIUM" SCREENSHOT_DIR="$SHOTS" \
				env/bin/python -m pytest "$REPO_DIR/browser_tests" -q -p no:cacheprovider --rootdir "$REPO_DIR/browser_tests" 2>&1 |
				tee "$BROWSER_LOG"
			br_rc=${PIPESTATUS[0]}
			bsummary=$(tail -n 1 "$BROWSER_LOG")
			bp=$(count passed "$bsummary")
			bf=$(($(count failed "$bsummary") + $(count error "$bsummary")))
			bs=$(count skipped "$bsummary")
			passed=$((passed + bp))
			skipped=$((skipped + bs))
			if [ "$br_rc" -eq 0 ] && [ "$bp" -gt 0 ]; then
				browser_status="passed ($bp passed, $bs skipped; screenshots in ${SHOTS#"$REPO_DIR"/})"
			else
				[ "$bf" -gt 0 ] || bf=1
				browser_status="FAILED ($bp passed, $bf failed; pytest exit $br_rc; log ${BROWSER_LOG#"$REPO_DIR"/})"
				rc=1
			fi
			failed=$((failed + bf))
		fi
	fi
fi

echo
echo "portable tier: $portable_status"
echo "bench tier: $bench_status"
echo "browser tier: $browser_status"
echo "total: $passed passed, $failed failed, $skipped skipped"
exit $rc
