"""The benchmark's verdicts can fail: wrk's errors are counted, an errored or timed-out report is
a miss, a form is judged against a form, a full scan fails a plan (portable: no Frappe).

benchmarks/load.sh is run for real with a stand-in `wrk` and `curl` that print canned output.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ap_provision.tests.perf.plans import plan_problems, table_names

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import report as bench_report
import wrk_summary

WRK_WITH_ERRORS = """Running 15s test @ http://127.0.0.1:8090/api/resource/Referral/REF-2026-00001
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    26.32ms    5.10ms  90.12ms   85.00%
    Req/Sec   150.10     20.33   202.00     70.00%
  Latency Distribution
     50%   26.32ms
     75%   28.90ms
     90%   31.02ms
     99%   42.08ms
  2253 requests in 15.02s, 3.21MB read
  Socket errors: connect 1, read 12, write 3, timeout 7
  Non-2xx or 3xx responses: 5
Requests/sec:    149.80
Transfer/sec:    218.88KB
"""

WRK_CLEAN = """Running 15s test @ http://127.0.0.1:8090/api/resource/ToDo
  1 threads and 4 connections
  Latency Distribution
     50%   18.87ms
     99%   31.82ms
  2992 requests in 15.01s, 1.23MB read
Requests/sec:    199.20
Transfer/sec:     83.00KB
"""


# -- wrk's output ---------------------------------------------------------------------------------


def test_socket_errors_are_summed_over_their_kinds():
	x = wrk_summary.summary(WRK_WITH_ERRORS, "referral_form", 200)
	assert x["socket_errors"] == 1 + 12 + 3 + 7
	assert x["socket_error_kinds"] == {"connect": 1, "read": 12, "write": 3, "timeout": 7}
	assert (x["non_2xx"], x["requests"], x["rps"]) == (5, 2253, 149.8)
	assert (x["p50"], x["p99"], x["complete"]) == ("26.32ms", "42.08ms", True)


def test_a_clean_run_has_no_errors_and_a_failed_run_is_incomplete():
	x = wrk_summary.summary(WRK_CLEAN, "todo_list", 200)
	assert (x["socket_errors"], x["non_2xx"], x["requests"], x["complete"]) == (0, 0, 2992, True)
	assert (
		wrk_summary.summary("unable to connect to 127.0.0.1:8090 Connection refused\n")["complete"] is False
	)


@pytest.fixture
def stand_ins(tmp_path):
	"""`wrk` printing the canned run with errors for the referral form, a clean one otherwise;
	`curl` answering 200."""
	bin_dir = tmp_path / "bin"
	bin_dir.mkdir()
	(tmp_path / "with-errors.txt").write_text(WRK_WITH_ERRORS)
	(tmp_path / "clean.txt").write_text(WRK_CLEAN)
	(bin_dir / "wrk").write_text(
		"#!/bin/sh\n"
		'for a in "$@"; do last="$a"; done\n'
		f'case "$last" in */Referral/REF-*) cat {tmp_path}/with-errors.txt ;; *) cat {tmp_path}/clean.txt ;; esac\n'
	)
	(bin_dir / "curl").write_text("#!/bin/sh\nprintf 200\n")
	for name in ("wrk", "curl"):
		(bin_dir / name).chmod(0o755)
	return bin_dir


def test_load_sh_counts_wrks_socket_errors(stand_ins, tmp_path):
	"""benchmarks/load.sh itself, fed wrk output with socket errors, reports them."""
	output = tmp_path / "load.json"
	env = {**os.environ, "PATH": f"{stand_ins}:{os.environ['PATH']}"}
	subprocess.run(
		[
			"bash",
			str(BENCHMARKS / "load.sh"),
			"site.localhost",
			"8090",
			"key:secret",
			"1",
			str(output),
			"REF-2026-00001",
		],
		check=True,
		env=env,
		capture_output=True,
	)
	runs = {x["scenario"]: x for x in json.loads(output.read_text())}
	assert runs["referral_form"]["socket_errors"] == 23
	assert runs["referral_form"]["non_2xx"] == 5
	assert runs["todo_list"]["socket_errors"] == 0
	ok, misses = bench_report.load_verdict(list(runs.values()))
	assert not ok
	assert "referral_form: 23 socket errors" in misses


# -- the report verdicts -----------------------------------------------------------------------------


def report_run(name, sql_ratio=1.2, ratio=1.1, **values):
	return {
		"report": name,
		"run": "whole history",
		"rows": 10,
		"rows_read": 10,
		"db_rows_read": 100,
		"queries": 8,
		"ms": 12.0,
		"baseline_ms": 11.0,
		"ratio": ratio,
		"sql_ratio": sql_ratio,
		"sql": {"ms": 10.0, "db_rows_read": 90, "same_figures": True, "difference": ""},
		**values,
	}


def test_reports_within_their_targets_meet_them():
	v = bench_report.report_verdicts([report_run("A"), report_run("B", sql_ratio=1.9, ratio=1.4)])
	assert (v["sql_ok"], v["get_list_ok"], v["bounded_ok"]) == (True, True, True)
	assert v["worst_sql"]["report"] == "B"


@pytest.mark.parametrize(
	"broken",
	[
		{"report": "B", "run": "whole history", "error": "OperationalError(2013, 'Lost connection')"},
		{"report": "B", "run": "whole history", "error": "timed out after 600 s", "timed_out": True},
		report_run("B", sql_ratio=None),
		report_run("B", ratio=None),
		report_run(
			"B", sql={"ms": 1.0, "db_rows_read": 1, "same_figures": False, "difference": "3 rows against 4"}
		),
	],
	ids=["error", "timeout", "no-sql-ratio", "no-get-list-ratio", "other-figures"],
)
def test_an_errored_timed_out_or_unmeasured_report_is_a_miss(broken):
	v = bench_report.report_verdicts([report_run("A"), broken])
	assert v["sql_ok"] is False
	assert v["get_list_ok"] is False
	assert "B (whole history)" in v["problems"]


def test_a_report_reading_past_its_filters_misses():
	bounded = report_run("A", run="desk filters")
	unbounded = report_run("B", run="desk filters", db_rows_read=250_000)
	assert bench_report.report_verdicts([bounded])["bounded_ok"] is True
	v = bench_report.report_verdicts([bounded, unbounded])
	assert v["bounded_ok"] is False
	assert [r["report"] for r in v["unbounded"]] == ["B"]


def test_a_form_is_judged_against_a_form():
	"""The referral form at 1.2x the ToDo list but 0.4x the ToDo form misses."""
	load = [
		{"scenario": "todo_list", "status": 200, "rps": 100.0, "non_2xx": 0, "socket_errors": 0},
		{"scenario": "referral_list", "status": 200, "rps": 80.0, "non_2xx": 0, "socket_errors": 0},
		{"scenario": "portal_referral_list", "status": 200, "rps": 70.0, "non_2xx": 0, "socket_errors": 0},
		{"scenario": "todo_form", "status": 200, "rps": 300.0, "non_2xx": 0, "socket_errors": 0},
		{"scenario": "referral_form", "status": 200, "rps": 120.0, "non_2xx": 0, "socket_errors": 0},
	]
	ok, misses = bench_report.load_verdict(load)
	assert not ok
	assert misses == ["referral_form: 0.40x todo_form"]
	load[3]["rps"] = 200.0
	assert bench_report.load_verdict(load) == (True, [])


def measure_file(tmp_path, reports, size=100_000, plans=None):
	measure = {
		"size": size,
		"started": "2026-12-02 10:00:00",
		"finished": "2026-12-02 10:30:00",
		"generated": {},
		"machine": {
			"cpu": "test",
			"cpus": 2,
			"memory_gib": 1,
			"os": "test",
			"python": "3",
			"frappe": "15",
			"mariadb": "10.11",
			"innodb_buffer_pool_mib": 128,
			"load_average": [0.5, 0.5, 0.5],
		},
		"counts": {"Referral": size, "ToDo": size},
		"workflow": {
			"n": 1,
			"steps": {"create": {"app_ms": 1, "baseline_ms": 1, "ratio": 1}},
			"total": {"app_ms": 1, "baseline_ms": 1, "ratio": 1.0},
		},
		"reports": reports,
		"portal_list": {
			"school_referrals": 1,
			"rows": 1,
			"columns": 5,
			"queries": 2,
			"baseline_queries": 2,
			"ms": 1,
			"baseline_ms": 1,
			"ratio": 1.0,
		},
		"plans": plans or {},
	}
	path = tmp_path / "measure.json"
	path.write_text(json.dumps(measure))
	return path


def rendered(path, capsys):
	bench_report.main(str(path))
	return capsys.readouterr().out


def test_the_table_shows_the_sql_limit_and_an_errored_report_as_a_miss(tmp_path, capsys):
	text = rendered(
		measure_file(tmp_path, [report_run("A"), {"report": "B", "run": "whole history", "error": "boom"}]),
		capsys,
	)
	assert "SQL limit (ms)" in text and "vs SQL" in text
	assert "B (whole history): **error: boom** (a miss)" in text
	assert "target <= 2.0x: **misses**" in text
	assert "target <= 1.5x: **misses**" in text


def test_a_full_scan_in_any_row_of_a_plan_fails(tmp_path, capsys):
	sql = "select count(r.name) from `tabReferral` r left join `tabPlacement` p on p.referral = r.name"
	assert table_names(sql) == {
		"tabReferral": "tabReferral",
		"r": "tabReferral",
		"tabPlacement": "tabPlacement",
		"p": "tabPlacement",
	}
	indexed = {"table": "r", "type": "ref", "key": "school", "possible_keys": "school", "rows": 40}
	# a full scan that merely lists possible keys, in the plan's second row
	scan = {"table": "p", "type": "ALL", "key": None, "possible_keys": "referral", "rows": 5000}
	sizes = {"tabReferral": 90_000, "tabPlacement": 5_000}
	assert plan_problems([indexed], sql, sizes) == []
	assert plan_problems([indexed, scan], sql, sizes) == ["full scan of tabPlacement (5,000 rows)"]
	assert plan_problems([indexed, scan], sql, {"tabPlacement": 900}) == []
	plans = {
		"places taken": {"plan": [indexed, scan], "problems": plan_problems([indexed, scan], sql, sizes)}
	}
	text = rendered(measure_file(tmp_path, [report_run("A")], plans=plans), capsys)
	assert "(`type` ALL): **misses** (places taken: full scan of tabPlacement (5,000 rows))" in text
