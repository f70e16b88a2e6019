#!/usr/bin/env bash
# REST under concurrent load on loopback: wrk against the bench's gunicorn, as the school
# user (API key), each scenario for a bounded time. Writes one JSON object per scenario.
# The ToDo scenarios are the plain-Frappe baselines: the generator makes the ToDo table as
# large as the referral table, perf-todo-001 is one of the school user's.
#   load.sh SITE PORT TOKEN SECONDS OUTPUT REFERRAL
set -euo pipefail
SITE=$1 PORT=$2 TOKEN=$3 SECONDS_EACH=$4 OUTPUT=$5 REFERRAL=$6
BASE="http://127.0.0.1:$PORT"
HERE=$(cd "$(dirname "$0")" && pwd)
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
declare -A PATHS=(
	[todo_list]="/api/resource/ToDo?limit_page_length=20&fields=$(enc '["name","status","description","date"]')"
	[referral_list]="/api/resource/Referral?limit_page_length=20&order_by=$(enc 'modified desc')&fields=$(enc '["name","pupil_name","workflow_state","panel_date","key_stage"]')"
	[portal_referral_list]="/api/method/frappe.www.list.get_list_data?doctype=Referral&web_form_name=school-referrals&limit=20"
	[todo_form]="/api/resource/ToDo/perf-todo-001"
	[referral_form]="/api/resource/Referral/$REFERRAL"
)
echo "[" >"$OUTPUT"
first=1
for name in todo_list referral_list portal_referral_list todo_form referral_form; do
	url="$BASE${PATHS[$name]}"
	code=$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $SITE" -H "Authorization: token $TOKEN" "$url")
	# warm up, then measure
	timeout 60 wrk -t1 -c4 -d3s -H "Host: $SITE" -H "Authorization: token $TOKEN" "$url" >/dev/null
	out=$(timeout $((SECONDS_EACH + 60)) wrk -t1 -c4 -d"${SECONDS_EACH}s" --latency -H "Host: $SITE" \
		-H "Authorization: token $TOKEN" "$url" || true)
	[ $first = 1 ] || echo "," >>"$OUTPUT"
	first=0
	# wrk's figures, socket errors summed over connect, read, write and timeout (wrk_summary.py)
	# (the JSON goes to OUTPUT, a line for the reader to stderr)
	python3 "$HERE/wrk_summary.py" "$name" "$code" <<<"$out" >>"$OUTPUT"
done
echo "]" >>"$OUTPUT"
