#!/usr/bin/env bash
# The performance benchmark: one command, on a bench, prints the table and writes it to
# benchmarks/results/<date>-<size>.md (see docs/performance.md).
#
#   bash benchmarks/run.sh --size 10000            # generate (or reuse) 10k referrals, measure
#   bash benchmarks/run.sh --size 100000 --fresh   # regenerate even if the site holds that size
#
# Options: --site (default ap-perf.localhost, created when missing), --size, --seed, --fresh,
# --workflow-n (referrals taken through the workflow, default 20), --load-seconds (per load
# scenario, default 15), --port (gunicorn on 127.0.0.1, default 8090), --no-load, --repeat
# (runs of each report, best taken, default 3; the first run is cold), --report-timeout (seconds
# a report run may take before it is stopped and counted as a miss, default 600),
# --generate-only (make the data, measure nothing).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=../scripts/lib.sh
source scripts/lib.sh

SITE=ap-perf.localhost
SIZE=10000
SEED=20261127
FRESH=false
WORKFLOW_N=20
LOAD_SECONDS=15
PORT=8090
LOAD=1
REPEAT=3
REPORT_TIMEOUT=600
GENERATE_ONLY=0
while [ $# -gt 0 ]; do
	case $1 in
	--site) SITE=$2; shift ;;
	--size) SIZE=$2; shift ;;
	--seed) SEED=$2; shift ;;
	--fresh) FRESH=true ;;
	--workflow-n) WORKFLOW_N=$2; shift ;;
	--load-seconds) LOAD_SECONDS=$2; shift ;;
	--port) PORT=$2; shift ;;
	--no-load) LOAD=0 ;;
	--repeat) REPEAT=$2; shift ;;
	--report-timeout) REPORT_TIMEOUT=$2; shift ;;
	--generate-only) GENERATE_ONLY=1 ;;
	*) die "unknown option $1" ;;
	esac
	shift
done

BENCH=$(default_bench_path)
[ -d "$BENCH" ] || die "no bench at $BENCH: run scripts/setup.sh first"
resolve_bench_cli
ensure_mariadb_running
ensure_bench_redis
command -v wrk >/dev/null 2>&1 || { say "installing wrk (Debian package)"; as_root apt-get install -y -qq wrk >/dev/null; }

WORK=$(mktemp -d /tmp/ap-perf.XXXXXX)
chmod 777 "$WORK"
GUNICORN_PID=
# gunicorn runs as the bench user under a wrapper: stop it through its own pid file.
stop_gunicorn() {
	[ -s "$WORK/gunicorn.pid" ] && kill "$(cat "$WORK/gunicorn.pid")" 2>/dev/null || true
	[ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null || true
}
cleanup() {
	stop_gunicorn
	rm -rf "$WORK"
}
trap cleanup EXIT

# Run a Python function of the app on the site, as the bench user; errors are shown as they are.
site_call() {
	in_bench env/bin/python "$REPO_DIR/benchmarks/call.py" "$SITE" "$@"
}

site_exists "$SITE" || ensure_site "$SITE" >"$WORK/site.log" 2>&1 || { tail -20 "$WORK/site.log"; die "could not create $SITE"; }
in_bench bench --site "$SITE" set-config ap_perf_site 1 >/dev/null
in_bench bench --site "$SITE" migrate >"$WORK/migrate.log" 2>&1 || { tail -20 "$WORK/migrate.log"; die "migrate failed"; }

say "data: $SIZE referrals on $SITE (seed $SEED)"
site_call ap_provision.tests.perf.harness.prepare "{\"size\": $SIZE, \"seed\": $SEED, \"fresh\": $FRESH, \"token_file\": \"$WORK/token\"}" | tail -1
[ "$GENERATE_ONLY" = 1 ] && { say "data ready on $SITE (--generate-only: nothing measured)"; exit 0; }

say "in-process measurements (workflow, reports, portal list, query plans)"
LOAD_AT_START=$(uptime)
site_call ap_provision.tests.perf.harness.measure "{\"output\": \"$WORK/measure.json\", \"workflow_n\": $WORKFLOW_N, \"repeat\": $REPEAT, \"report_timeout\": $REPORT_TIMEOUT}" | tail -1

if [ "$LOAD" = 1 ]; then
	say "REST under load: gunicorn -w 2 on 127.0.0.1:$PORT, wrk $LOAD_SECONDS s a scenario"
	# a server left on the port would be measured instead of this one
	curl -s -o /dev/null "http://127.0.0.1:$PORT/" && die "port $PORT is in use: stop that server or pass --port"
	in_bench bash -c "cd sites && exec ../env/bin/gunicorn -w 2 -b 127.0.0.1:$PORT -t 120 -p $WORK/gunicorn.pid --preload frappe.app:application" \
		>"$WORK/gunicorn.log" 2>&1 &
	GUNICORN_PID=$!
	for _ in $(seq 1 60); do
		curl -s -o /dev/null -H "Host: $SITE" "http://127.0.0.1:$PORT/api/method/ping" && break
		sleep 1
	done
	bash benchmarks/load.sh "$SITE" "$PORT" "$(cat "$WORK/token")" "$LOAD_SECONDS" "$WORK/load.json" \
		"$(site_call ap_provision.tests.perf.harness.sample_referral | tail -1)"
	stop_gunicorn
	wait "$GUNICORN_PID" 2>/dev/null || true
	GUNICORN_PID=
	rm -f "$WORK/gunicorn.pid"
fi

OUT="benchmarks/results/$(date +%Y-%m-%d)-$SIZE.md"
[ "$LOAD" = 1 ] || : >"$WORK/load.json"
python3 benchmarks/report.py "$WORK/measure.json" "$([ "$LOAD" = 1 ] && echo "$WORK/load.json")" >"$OUT"
# how busy the machine was (other engineers' tests share its 2 CPUs)
printf 'Machine load (uptime) before the in-process measurements: %s; after the run: %s.\n' \
	"$(sed 's/^ *//' <<<"$LOAD_AT_START")" "$(uptime | sed 's/^ *//')" >>"$OUT"
# the raw figures beside the table, for comparing sizes and runs
python3 -c 'import json, sys; json.dump({"measure": json.load(open(sys.argv[1])), "load": json.load(open(sys.argv[2])) if sys.argv[3] == "1" else []}, open(sys.argv[4], "w"), indent=1)' \
	"$WORK/measure.json" "$WORK/load.json" "$LOAD" "${OUT%.md}.json"
cat "$OUT"
say "written to $OUT"
