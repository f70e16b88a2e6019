#!/usr/bin/env bash
# REST under concurrent load on loopback: wrk against the bench's gunicorn, as the school
# user (API key), each scenario for a bounded time. Writes one JSON object per scenario.
#   load.sh SITE PORT TOKEN SECONDS OUTPUT REFERRAL
set -euo pipefail
SITE=$1 PORT=$2 TOKEN=$3 SECONDS_EACH=$4 OUTPUT=$5 REFERRAL=$6
BASE="http://127.0.0.1:$PORT"
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
		-H "Authorization: token $TOKEN" "$url")
	rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
	total=$(awk '/requests in/ {print $1}' <<<"$out")
	non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
	sockerr=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' <<<"$out")
	p50=$(awk '$1=="50%" {print $2}' <<<"$out")
	p99=$(awk '$1=="99%" {print $2}' <<<"$out")
	[ $first = 1 ] || echo "," >>"$OUTPUT"
	first=0
	printf '{"scenario": "%s", "status": %s, "rps": %s, "requests": %s, "non_2xx": %s, "socket_errors": %s, "p50": "%s", "p99": "%s"}' \
		"$name" "$code" "${rps:-0}" "${total:-0}" "${non2xx:-0}" "${sockerr:-0}" "$p50" "$p99" >>"$OUTPUT"
	echo "  $name: HTTP $code, ${rps:-0} req/s, p50 $p50, p99 $p99, non-2xx ${non2xx:-0}, socket errors ${sockerr:-0}"
done
echo "]" >>"$OUTPUT"
