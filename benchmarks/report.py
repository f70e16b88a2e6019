"""Render the benchmark's measurements as Markdown tables, with a verdict per target.

python3 benchmarks/report.py MEASURE.json [LOAD.json]

Every verdict can fail: a report that errored or ran out of time, a ratio that is missing, a
SQL baseline that does not give the report's figures, a load run with errors or without a
summary, a plan with a full scan: each is a miss, never left out of the worst figure.
"""

import json
import sys

WORKFLOW_TARGET = 2.0  # app path per document at most 2x the plain document
SQL_TARGET = 2.0  # report at most 2x the hand-written SQL computing the same figures (docs/performance.md)
REPORT_TARGET = 1.5  # report at most 1.5x the get_list calls returning the same rows (docs/performance.md)
REPORT_TARGET_SIZE = 100_000  # the report targets are set at 100k referrals and up
BOUNDED_FACTOR, BOUNDED_SLACK = 2, 1000  # desk filters: rows read <= 2x the SQL's + 1,000
PORTAL_TARGET = 1.5
LOAD_TARGET = 0.5  # throughput at least 0.5x the same request on ToDo
# each REST scenario against the plain-Frappe request of the same kind on a ToDo table as large
LOAD_BASELINES = {
	"referral_list": "todo_list",
	"portal_referral_list": "todo_list",
	"referral_form": "todo_form",
}


def verdict(ok) -> str:
	return "meets" if ok else "**misses**"


def ratio_text(value) -> str:
	return f"{value:.2f}x" if isinstance(value, int | float) else "none"


def report_problems(r: dict) -> list[str]:
	"""Why a report's figures cannot count as meeting a target (empty when they can)."""
	if r.get("timed_out"):
		return [f"timed out ({r.get('error')})"]
	if r.get("error"):
		return [f"error: {r['error']}"]
	problems = []
	if not isinstance(r.get("sql_ratio"), int | float):
		problems.append("no ratio to the SQL limit")
	if not isinstance(r.get("ratio"), int | float):
		problems.append("no ratio to get_list")
	sql = r.get("sql") or {}
	if not sql.get("same_figures"):
		problems.append(f"the SQL baseline gives other figures: {sql.get('difference') or 'not compared'}")
	return problems


def report_verdicts(reports: list[dict]) -> dict:
	"""The worst ratio to the SQL limit and to get_list (over every run), and whether each
	target is met: a report with a problem (error, time-out, no ratio, other figures) misses."""
	problems = {f"{r['report']} ({r.get('run', '')})": report_problems(r) for r in reports}
	problems = {k: v for k, v in problems.items() if v}
	measured = [r for r in reports if not report_problems(r)]
	worst_sql = max(measured, key=lambda r: r["sql_ratio"], default=None)
	worst_list = max(measured, key=lambda r: r["ratio"], default=None)
	unbounded = [
		r
		for r in measured
		if r.get("run") == "desk filters"
		and r["db_rows_read"] > BOUNDED_FACTOR * r["sql"]["db_rows_read"] + BOUNDED_SLACK
	]
	ok = bool(reports) and not problems
	return {
		"problems": problems,
		"worst_sql": worst_sql,
		"worst_get_list": worst_list,
		"sql_ok": ok and worst_sql is not None and worst_sql["sql_ratio"] <= SQL_TARGET,
		"get_list_ok": ok and worst_list is not None and worst_list["ratio"] <= REPORT_TARGET,
		"unbounded": unbounded,
		"bounded_ok": ok and not unbounded,
	}


def load_verdict(load: list[dict]) -> tuple[bool, list[str]]:
	"""Each referral scenario against its ToDo counterpart: at least LOAD_TARGET of its
	throughput, every request answered (no non-2xx, no socket error), a complete wrk run."""
	by = {x["scenario"]: x for x in load}
	misses = []
	for scenario, baseline in LOAD_BASELINES.items():
		x, b = by.get(scenario), by.get(baseline)
		if not x or not b:
			misses.append(f"{scenario}: not measured against {baseline}")
			continue
		for run in (x, b):
			if not run.get("complete", True) or not run.get("rps"):
				misses.append(f"{run['scenario']}: wrk gave no figures")
			if run.get("status") not in (200, "200"):
				misses.append(f"{run['scenario']}: HTTP {run.get('status')}")
			if run.get("non_2xx"):
				misses.append(f"{run['scenario']}: {run['non_2xx']} non-2xx responses")
			if run.get("socket_errors"):
				misses.append(f"{run['scenario']}: {run['socket_errors']} socket errors")
		if x.get("rps") and b.get("rps") and x["rps"] / b["rps"] < LOAD_TARGET:
			misses.append(f"{scenario}: {x['rps'] / b['rps']:.2f}x {baseline}")
	return not misses, sorted(set(misses))


def plan_verdict(plans: dict) -> tuple[bool, list[str]]:
	problems = [f"{label}: {p}" for label, entry in plans.items() for p in entry.get("problems", [])]
	return not problems, problems


def report_table(w, reports):
	w(
		"| report | filters | rows | rows read (get_list) | rows read (database) | queries | runs | report (ms) "
		"| SQL limit (ms) | SQL rows read (database) | vs SQL | get_list replay (ms) | vs get_list |"
	)
	w("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for r in reports:
		filters = ", ".join(f"{k} {v}" for k, v in (r.get("filters") or {}).items()) or "none"
		problems = report_problems(r)
		if r.get("error"):
			w(f"| {r['report']} | {filters} | **{'; '.join(problems)}** | | | | | | | | | | |")
			continue
		sql = r["sql"]
		mark = "" if sql.get("same_figures") else " (**other figures**)"
		w(
			f"| {r['report']} | {filters} | {r['rows']:,} | {r['rows_read']:,} | {r['db_rows_read']:,} | "
			f"{r['queries']} | {r.get('attempts', '')} | {r['ms']:.0f} | {sql['ms']:.0f}{mark} | {sql['db_rows_read']:,} | "
			f"**{ratio_text(r.get('sql_ratio'))}** | {r['baseline_ms']:.0f} | {ratio_text(r.get('ratio'))} |"
		)


def main(measure_path, load_path=None):
	m = json.load(open(measure_path))
	load = json.load(open(load_path)) if load_path else []
	out = []
	w = out.append
	g = m.get("generated") or {}
	size = int(m["size"])
	w(f"# Benchmark at {size:,} referrals")
	w("")
	w(
		f"Run {m['started'][:19]} to {m['finished'][:19]}; data seed {g.get('seed')}, generated for {g.get('today')} "
		f"over {g.get('years')} years in {g.get('seconds')} s."
	)
	w("")
	mc = m["machine"]
	w(
		f"Machine: {mc['cpu']} ({mc['cpus']} CPUs), {mc['memory_gib']} GiB, {mc['os']}; Python {mc['python']}, "
		f"Frappe {mc['frappe']}, MariaDB {mc['mariadb']} (InnoDB buffer pool {mc['innodb_buffer_pool_mib']} MiB); "
		f"load average at the start {', '.join(f'{x:.1f}' for x in mc['load_average'])}"
		+ (
			f", at the end {', '.join(f'{x:.1f}' for x in m['load_average_end'])}"
			if m.get("load_average_end")
			else ""
		)
		+ "."
	)
	w("")
	w("Rows: " + ", ".join(f"{k} {v:,}" for k, v in m["counts"].items()) + ".")
	w("")

	wf = m["workflow"]
	w(f"## Workflow path per document (median of {wf['n']}), against a plain document of the same width")
	w("")
	w(
		"The baseline is a custom DocType with the Referral's fields, the same Workflow, no controller, no hooks, "
		"written by the same users: insert, Submit, Accept, save + Approve (submit), then a second insert for the placement."
	)
	w("")
	w("| step | app (ms) | baseline (ms) | ratio |")
	w("|---|---:|---:|---:|")
	for step, s in wf["steps"].items():
		w(f"| {step} | {s['app_ms']:.0f} | {s['baseline_ms']:.0f} | {s['ratio']:.2f}x |")
	t = wf["total"]
	w(
		f"| **create -> Submit -> Accept -> Approve -> placement** | {t['app_ms']:.0f} | {t['baseline_ms']:.0f} | "
		f"**{t['ratio']:.2f}x** (target <= {WORKFLOW_TARGET}x: {verdict(t['ratio'] <= WORKFLOW_TARGET)}) |"
	)
	w("")
	bg = wf.get("background")
	if bg:
		w(
			f"Not in these figures: the notifications these steps fire are sent after the commit by a background job "
			f"(a worker's time, not the user's): {bg['jobs']} jobs, {bg['jobs_per_referral']:.1f} a referral, median "
			f"{bg['median_ms']:.0f} ms each, {bg['per_referral_ms']:.0f} ms of worker time a referral (run one by one "
			f"after the timed steps)."
		)
		w("")

	reports = m["reports"]
	w(
		f"## Script reports (best of {m.get('repeat', 3)} runs or more; ratios: the median of the runs' own) against the "
		"database's limit and against get_list"
	)
	w("")
	w(
		"Each report through `frappe.desk.query_report.run` as the PRT Officer, against (1) the SQL limit: one "
		"hand-written query computing the same figures (`ap_provision/tests/perf/sql_limits.py`; the harness checks it "
		"gives the report's figures), and (2) the report's own `frappe.get_list` calls replayed on their own. "
		"Each run takes the report, then its get_list calls, then its SQL, back to back; times are the best run's, "
		"each ratio the median of the runs' own ratios; a report that takes a fraction of a second is run until "
		"about 5 s are spent, at most 15 times (runs: how many). Rows read (get_list): the rows those calls return; rows "
		"read (database): MariaDB's `Rows_read` for the run (rows examined). A run over "
		f"{m.get('report_timeout') or 'no'} s is stopped and counted as a miss."
	)
	w("")
	for label in ("whole history", "desk filters"):
		runs = [r for r in reports if r.get("run", "whole history") == label]
		if not runs:
			continue
		w(
			"### Over the whole history (no filter)"
			if label == "whole history"
			else "### With the filters each report opens with on the desk"
		)
		w("")
		report_table(w, runs)
		w("")
	v = report_verdicts(reports)
	at_target = size >= REPORT_TARGET_SIZE
	note = (
		""
		if at_target
		else f" (the target is set at {REPORT_TARGET_SIZE:,} referrals: with fewer rows Frappe's fixed cost of running a report weighs more)"
	)
	for name, problems in v["problems"].items():
		w(f"- {name}: **{'; '.join(problems)}** (a miss)")
	ws, wg = v["worst_sql"], v["worst_get_list"]
	w(
		"- Worst report against the SQL limit: "
		+ (f"{ws['sql_ratio']:.2f}x, {ws['report']} ({ws['run']})" if ws else "none measured")
		+ f" (target <= {SQL_TARGET}x: {verdict(v['sql_ok']) if at_target else 'not judged'}){note}."
	)
	w(
		"- Worst report against its get_list replay: "
		+ (f"{wg['ratio']:.2f}x, {wg['report']} ({wg['run']})" if wg else "none measured")
		+ f" (target <= {REPORT_TARGET}x: {verdict(v['get_list_ok']) if at_target else 'not judged'})."
	)
	unbounded = ", ".join(
		f"{r['report']} {r['db_rows_read']:,} against {r['sql']['db_rows_read']:,}" for r in v["unbounded"]
	)
	w(
		f"- Rows read bounded by the filters (desk filters: the database reads at most {BOUNDED_FACTOR}x the rows "
		f"the SQL limit reads, + {BOUNDED_SLACK:,}): {verdict(v['bounded_ok'])}"
		+ (f" ({unbounded})" if unbounded else "")
		+ "."
	)
	w("")

	p = m["portal_list"]
	w("## School portal referral list (web form list, 20 rows, best of 5)")
	w("")
	w(
		"The endpoint as a request resolves it (`frappe.www.list.get_list_data`, overridden by the app), against "
		"`frappe.get_list` of the same page with the same columns."
	)
	w("")
	w(
		"| school's referrals | rows | columns | queries | baseline queries | portal (ms) | get_list (ms) | ratio |"
	)
	w("|---:|---:|---:|---:|---:|---:|---:|---:|")
	w(
		f"| {p['school_referrals']:,} | {p['rows']} | {p.get('columns', '')} | {p['queries']} | {p['baseline_queries']} | "
		f"{p['ms']:.1f} | {p['baseline_ms']:.1f} | {p['ratio']:.2f}x |"
	)
	w("")
	w(f"Target: at most {PORTAL_TARGET}x: {verdict(p['ratio'] <= PORTAL_TARGET)}.")
	w("")
	if load:
		w(
			"## REST under load (gunicorn, 2 workers; wrk, 1 thread, 4 connections, loopback; school user's API key)"
		)
		w("")
		todo = m["counts"].get("ToDo")
		w(
			f"Each referral scenario against the same kind of request on ToDo, Frappe's own doctype, as the same "
			f"user: the lists against the ToDo list, the form against a ToDo form; the ToDo table holds "
			f"{todo:,} rows against {m['counts']['Referral']:,} referrals."
			if todo is not None
			else "Each referral scenario against the same kind of request on ToDo."
		)
		w("")
		by = {x["scenario"]: x for x in load}
		w(
			"| scenario | HTTP | req/s | against | ratio | p50 | p99 | requests | non-2xx | socket errors (connect/read/write/timeout) |"
		)
		w("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|")
		for x in load:
			baseline = LOAD_BASELINES.get(x["scenario"])
			b = by.get(baseline) if baseline else None
			ratio = f"{x['rps'] / b['rps']:.2f}x" if b and b.get("rps") else ""
			kinds = x.get("socket_error_kinds") or {}
			kind_text = "/".join(str(kinds.get(k, 0)) for k in ("connect", "read", "write", "timeout"))
			w(
				f"| {x['scenario']} | {x['status']} | {x['rps']:.1f} | {baseline or ''} | {ratio} | {x['p50']} | "
				f"{x['p99']} | {x['requests']:,} | {x['non_2xx']} | {x['socket_errors']} ({kind_text}) |"
			)
		w("")
		ok, misses = load_verdict(load)
		w(
			f"Target: each referral scenario at least {LOAD_TARGET}x its ToDo counterpart's throughput, with every "
			f"request answered (0 non-2xx, 0 socket errors): {verdict(ok)}"
			+ (f" ({'; '.join(misses)})" if misses else "")
			+ "."
		)
		w("")
	w("## Query plans of the hottest queries (EXPLAIN)")
	w("")
	w("| query | table | access | key | rows examined (estimate) |")
	w("|---|---|---|---|---:|")
	for label, entry in m["plans"].items():
		for step in entry["plan"]:
			key = step["key"]
			if not key and "optimized away" in str(step.get("extra") or ""):
				key = "answered from an index alone (Select tables optimized away)"
			w(
				f"| {label} | {step['table'] or ''} | {step['type'] or ''} | {key or '**none**'} | {step['rows'] or ''} |"
			)
	w("")
	ok, problems = plan_verdict(m["plans"])
	w(
		f"Target: no row of any plan reads a whole table of more than 1,000 rows (`type` ALL): {verdict(ok)}"
		+ (f" ({'; '.join(problems)})" if problems else "")
		+ "."
	)
	w("")
	print("\n".join(out))


if __name__ == "__main__":
	main(*[a for a in sys.argv[1:] if a])
