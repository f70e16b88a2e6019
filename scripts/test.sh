#!/usr/bin/env bash
# The test command: all three test tiers, with a plain account of what ran.
#
#   scripts/test.sh [--portable-only] [--bench-only] [-- extra run-tests arguments]
#
# 1. Portable tier: ruff (lint and format) and pytest over tests/, in a virtualenv at
#    .venv-tests made from pyproject's [test] extra. No Frappe needed.
# 2. Bench tier: the bench (BENCH_PATH, else ~/frappe-bench, else /home/frappe/frappe-bench)
#    gets this checkout installed, the test site (TEST_SITE, default ap-test.localhost) is
#    created or migrated, and Frappe's own runner runs the app's tests:
#    bench --site $TEST_SITE run-tests --app ap_provision. MariaDB and the bench's Redis are
#    started when installed but not running, and so is the read replica of the test site
#    (scripts/replica.sh: a second mariadbd following MariaDB).
# 3. Browser tier (needs the bench tier): pytest over the bench's copy of browser_tests/ serves
#    the test site on a free port and drives Debian's chromium (CHROMIUM, default
#    /usr/bin/chromium) with playwright; screenshots in test-artifacts/screenshots/.
#
# Every tier runs unless AP_TIERS says otherwise (a comma-separated list of portable, bench,
# browser; --portable-only and --bench-only set it). A tier that should run but cannot (no
# bench, no chromium) FAILS, with the command that sets it up: nothing is skipped unless you
# ask. Arguments after -- go to run-tests and leave the browser tier out.
#
# Exit status: non-zero when any tier failed or could not run.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

AP_TIERS=${AP_TIERS:-portable,bench,browser}
EXTRA_ARGS=()
while [ $# -gt 0 ]; do
	case "$1" in
	--portable-only) AP_TIERS=portable ;;
	--bench-only) AP_TIERS=bench ;;
	--)
		shift
		EXTRA_ARGS=("$@")
		break
		;;
	-h | --help)
		sed -n '2,22p' "$0"
		exit 0
		;;
	*) die "unknown option: $1 (see --help)" ;;
	esac
	shift
done
for tier in ${AP_TIERS//,/ }; do
	case "$tier" in portable | bench | browser) ;; *) die "AP_TIERS: unknown tier '$tier' (portable, bench, browser)" ;; esac
done
wants() { [[ ",$AP_TIERS," == *",$1,"* ]]; }
RUN_PORTABLE=0
RUN_BENCH=0
RUN_BROWSER=0
wants portable && RUN_PORTABLE=1
wants bench && RUN_BENCH=1
wants browser && RUN_BROWSER=1
# The browser tier serves the bench's test site: it needs the bench set up as the bench tier does.
[ "$RUN_BROWSER" = 1 ] && [ ${#EXTRA_ARGS[@]} -eq 0 ] && RUN_BENCH_SETUP=1 || RUN_BENCH_SETUP=$RUN_BENCH

# Before anything runs: a tier asked for whose prerequisites are missing fails the run now, with
# the command that sets it up, rather than after the other tiers have run for half an hour.
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
PREFLIGHT_BENCH=$(default_bench_path)
missing=()
if [ "$RUN_BENCH_SETUP" = 1 ] && { [ ! -d "$PREFLIGHT_BENCH/apps/frappe" ] || [ ! -d "$PREFLIGHT_BENCH/sites" ]; }; then
	missing+=("bench: no bench at $PREFLIGHT_BENCH: run scripts/setup.sh (or set BENCH_PATH to your bench)")
fi
if [ "$RUN_BROWSER" = 1 ] && [ ${#EXTRA_ARGS[@]} -eq 0 ] && [ ! -x "$CHROMIUM" ]; then
	missing+=("browser: no chromium at $CHROMIUM: run scripts/setup.sh, which installs Debian's chromium")
fi
if [ ${#missing[@]} -gt 0 ]; then
	echo
	for line in "${missing[@]}"; do echo "${line%%:*} tier: FAILED (cannot run:${line#*:})"; done
	echo "nothing was run: every tier in AP_TIERS=$AP_TIERS is required (AP_TIERS=portable runs the portable tier alone)"
	echo "total: 0 passed, ${#missing[@]} failed, 0 skipped"
	exit 1
fi

TEST_SITE=${TEST_SITE:-ap-test.localhost}
LOG_DIR="$REPO_DIR/test-artifacts"
mkdir -p "$LOG_DIR"
# Logs are named after the test site, so runs against different sites can go side by side.
PORTABLE_LOG="$LOG_DIR/portable-$TEST_SITE.log"
BENCH_LOG="$LOG_DIR/bench-$TEST_SITE.log"
portable_status="skipped (AP_TIERS=$AP_TIERS)"
bench_status="skipped (AP_TIERS=$AP_TIERS)"
browser_status="skipped (AP_TIERS=$AP_TIERS)"
RAN_LOGS=()
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
BENCH=$(default_bench_path)
bench_ready=0
if [ "$RUN_BENCH_SETUP" = 1 ]; then
	if [ ! -d "$BENCH/apps/frappe" ] || [ ! -d "$BENCH/sites" ]; then
		why="no bench at $BENCH: run scripts/setup.sh (or set BENCH_PATH to your bench)"
		[ "$RUN_BENCH" = 1 ] && bench_status="FAILED ($why)"
		[ "$RUN_BROWSER" = 1 ] && browser_status="FAILED ($why)"
		failed=$((failed + 1))
		rc=1
	else
		resolve_bench_cli
		[ -x "$BENCH_CLI_BIN/bench" ] || command -v bench >/dev/null || die "no bench CLI found for $BENCH: run scripts/setup.sh"
		ensure_mariadb_running || die "MariaDB is not installed; run scripts/setup.sh"
		ensure_bench_redis
		in_bench bench set-config -g root_password "$DB_ROOT_PASSWORD" >/dev/null
		install_checkout_into_bench
		in_bench env/bin/python -m pip install -q --disable-pip-version-check -e "apps/$APP_NAME[bench-test]"
		ensure_site "$TEST_SITE"
		in_bench bench --site "$TEST_SITE" set-config allow_tests true >/dev/null
		# The read replica the replica test reads (a second mariadbd following this one): started
		# when down, seeded when new. A replica that cannot start fails that test, naming the command.
		BENCH_PATH="$BENCH" bash "$REPO_DIR/scripts/replica.sh" start --site "$TEST_SITE" ||
			warn "the read replica did not start: ap_provision.tests.test_read_replica will fail"
		bench_ready=1
	fi
fi

if [ "$RUN_BENCH" = 1 ] && [ "$bench_ready" = 1 ]; then
	# Print formats rendered by the tests are kept here (as the bench's user) to be looked at.
	mkdir -p "$LOG_DIR/print"
	[ "$(id -un)" = "$(bench_owner "$BENCH")" ] || as_root chown "$(bench_owner "$BENCH"):" "$LOG_DIR/print"
	say "bench tier: bench --site $TEST_SITE run-tests --app $APP_NAME ${EXTRA_ARGS[*]}"
	in_bench bench --site "$TEST_SITE" run-tests --app "$APP_NAME" "${EXTRA_ARGS[@]}" 2>&1 |
		tee "$BENCH_LOG"
	bt_rc=${PIPESTATUS[0]}
	RAN_LOGS+=("$BENCH_LOG")
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
fi

# 3. Browser tier: pytest over the bench's copy of browser_tests/ (readable by the bench user
# wherever this checkout is, say inside root's home) drives Debian's chromium against the
# test site served by `bench serve` on a free port, as the bench user.
if [ "$RUN_BROWSER" = 1 ]; then
	if [ ${#EXTRA_ARGS[@]} -gt 0 ]; then
		browser_status="skipped (run-tests arguments given)"
	elif [ "$bench_ready" != 1 ]; then
		: # already FAILED above: no bench
	elif [ ! -x "$CHROMIUM" ]; then
		browser_status="FAILED (no chromium at $CHROMIUM: run scripts/setup.sh, which installs Debian's chromium)"
		failed=$((failed + 1))
		rc=1
	else
		BROWSER_LOG="$LOG_DIR/browser-$TEST_SITE.log"
		APP_COPY="$BENCH/apps/$APP_NAME"
		SHOTS_WORK="$APP_COPY/test-artifacts/screenshots"
		SHOTS="$LOG_DIR/screenshots"
		in_bench mkdir -p "$SHOTS_WORK"
		say "browser tier: pytest browser_tests (chromium $CHROMIUM, site $TEST_SITE)"
		in_bench env TEST_SITE="$TEST_SITE" BENCH_PATH="$BENCH" CHROMIUM="$CHROMIUM" SCREENSHOT_DIR="$SHOTS_WORK" \
			env/bin/python -m pytest "$APP_COPY/browser_tests" -q -p no:cacheprovider --rootdir "$APP_COPY/browser_tests" 2>&1 |
			tee "$BROWSER_LOG"
		br_rc=${PIPESTATUS[0]}
		RAN_LOGS+=("$BROWSER_LOG")
		if [ "$(readlink -f "$SHOTS_WORK")" != "$(readlink -f "$SHOTS" 2>/dev/null)" ]; then
			mkdir -p "$SHOTS" && cp -r "$SHOTS_WORK/." "$SHOTS/" 2>/dev/null || true
		fi
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

# Figures the tests print as "figures: <what>: <numbers>" (security suite, isolation sweep,
# year simulation, accessibility sweep) are repeated here, one line each.
FIGURE_LINES=$(cat /dev/null "${RAN_LOGS[@]}" 2>/dev/null | grep -a '^figures: ' | sed 's/^figures: //' || true)

echo
[ -n "$FIGURE_LINES" ] && printf '%s\n' "$FIGURE_LINES"
echo "portable tier: $portable_status"
echo "bench tier: $bench_status"
echo "browser tier: $browser_status"
echo "total: $passed passed, $failed failed, $skipped skipped"
exit $rc
