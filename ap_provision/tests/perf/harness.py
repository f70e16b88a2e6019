"""In-process measurements of the benchmark (benchmarks/run.sh calls these through
``bench --site <site> execute``). Each figure is measured side by side with a Frappe
baseline in the same run; nothing here asserts a time.

- ``prepare``: generate (or reuse) the data of a size on the benchmark site.
- ``measure``: the referral's workflow path per document against plain Frappe documents
  of the same width; every script report (time, queries, rows the database read) against
  the hand-written SQL that computes the same figures (``sql_limits``: the database's own
  limit) and against the ``frappe.get_list`` calls it makes, replayed on their own, over the
  whole history and with the desk's default filters; the school portal's list; the query
  plans of the hottest queries, each checked for full scans (``plans``). Writes JSON for
  benchmarks/report.py.
"""

import json
import signal
import statistics
import time
from contextlib import contextmanager
from datetime import datetime

import frappe
from frappe.utils import add_days, add_months, getdate, today

from ap_provision.tests.channels import whitelisted_method
from ap_provision.tests.perf import generate as gen
from ap_provision.tests.perf import sql_limits
from ap_provision.tests.perf.plans import plan_problems

BASELINE_DOCTYPE = "AP Perf Baseline"
BENCH_PROVIDER = "Benchmark AP Centre"
REPORT_DIR = "ap_provision/ap_provision/report"


# -- data --------------------------------------------------------------------------------------


def prepare(size: int, seed: int = gen.DEFAULT_SEED, fresh: bool = False, token_file: str | None = None):
	"""Generate `size` referrals on the benchmark site unless it already holds them."""
	current = frappe.db.get_default("ap_perf_size")
	out = {"size": size, "reused": False}
	if fresh or str(current) != str(size):
		frappe.db.set_default("ap_perf_size", "")  # an interrupted generation is not reused
		frappe.db.commit()
		gen.reset()
		out["generated"] = gen.generate(referrals=size, seed=seed, verbose=True)
		frappe.db.set_default("ap_perf_size", str(size))
		frappe.db.set_default("ap_perf_generated", json.dumps(out["generated"]))
		frappe.db.commit()
		analyze_tables()
	else:
		out["reused"] = True
		out["generated"] = json.loads(frappe.db.get_default("ap_perf_generated") or "{}")
	ensure_baseline_doctype()
	ensure_baseline_workflow()
	ensure_bench_provider()
	if token_file:
		with open(token_file, "w") as f:
			f.write(api_token(gen.SCHOOL_USER))
	frappe.db.commit()
	print(json.dumps(out))
	return out


def analyze_tables():
	"""Fresh index statistics after the bulk inserts, as a database that grew over years has
	(InnoDB recomputes them on its own only after enough changes, and in the background)."""
	for doctype in (*gen.RESET_DOCTYPES, "ToDo"):
		frappe.db.sql(f"analyze table `tab{doctype}`")


def api_token(user: str) -> str:
	"""`api_key:api_secret` of a user, for the load test's Authorization header."""
	doc = frappe.get_doc("User", user)
	secret = frappe.generate_hash(length=15)
	if not doc.api_key:
		doc.api_key = frappe.generate_hash(length=15)
	doc.api_secret = secret
	doc.flags.ignore_permissions = True
	doc.save()
	return f"{doc.api_key}:{secret}"


def ensure_baseline_doctype():
	"""A custom, submittable DocType with the Referral's fields and no controller: what a
	plain Frappe document of the same width costs (same naming, links, versions, roles)."""
	if frappe.db.exists("DocType", BASELINE_DOCTYPE):
		return
	referral = frappe.get_meta("Referral")
	fields = []
	for df in referral.fields:
		if df.fieldname in ("amended_from",) or df.fieldtype in ("Tab Break",):
			continue
		field = {
			"fieldname": df.fieldname,
			"label": df.label,
			"fieldtype": df.fieldtype,
			"options": df.options,
			"reqd": 0,
			"default": df.default,
			"search_index": df.search_index,
		}
		if df.fieldname == "workflow_state":
			field.update(fieldtype="Data", options=None)
		if df.fieldname == "naming_series":
			field.update(options="APB-.YYYY.-.#####", default="APB-.YYYY.-.#####")
		fields.append(field)
	fields.append(
		{"fieldname": "amended_from", "fieldtype": "Link", "options": BASELINE_DOCTYPE, "read_only": 1}
	)
	roles = ["School Referrer", "PRT Officer", "Panel Chair", "System Manager"]
	frappe.get_doc(
		{
			"doctype": "DocType",
			"name": BASELINE_DOCTYPE,
			"module": "Custom",
			"custom": 1,
			"is_submittable": 1,
			"track_changes": 1,
			"autoname": "naming_series:",
			"fields": fields,
			"permissions": [
				{"role": r, "read": 1, "write": 1, "create": 1, "submit": 1, "cancel": 1} for r in roles
			],
		}
	).insert(ignore_permissions=True)


def ensure_baseline_workflow():
	"""The Referral's workflow (states, transitions, roles) on the baseline doctype: Frappe's
	own Workflow machinery on both sides, so the difference is the app's logic."""
	if frappe.db.exists("Workflow", BASELINE_DOCTYPE):
		return
	source = frappe.get_doc("Workflow", "Referral")
	doc = frappe.copy_doc(source)
	doc.workflow_name = BASELINE_DOCTYPE
	doc.document_type = BASELINE_DOCTYPE
	doc.send_email_alert = 0
	doc.insert(ignore_permissions=True)


def ensure_bench_provider():
	if frappe.db.exists("AP Provider", BENCH_PROVIDER):
		return
	frappe.get_doc(
		{
			"doctype": "AP Provider",
			"provider_name": BENCH_PROVIDER,
			"provider_type": "Pupil Referral Unit",
			"is_active": 1,
			"registration_status": "Registered school",
			"urn": "499999",
			"safeguarding_checks": [
				{
					"check_type": check,
					"checked_on": add_days(today(), -30),
					"expires_on": add_days(today(), 730),
					"checked_by": "Benchmark",
				}
				for check in ("Enhanced DBS checks of staff", "Safeguarding policy")
			],
			**{f"serves_ks{n}": 1 for n in range(1, 5)},
			**{f"capacity_ks{n}": 100000 for n in range(1, 5)},
		}
	).insert(ignore_permissions=True)


# -- counting ----------------------------------------------------------------------------------------


class QueryCounter:
	def __init__(self):
		self.count = 0
		self.queries = []


@contextmanager
def counting_queries(keep=False):
	counter = QueryCounter()
	original = frappe.db.sql

	def sql(query, *args, **kwargs):
		counter.count += 1
		if keep:
			counter.queries.append(str(query))
		return original(query, *args, **kwargs)

	frappe.db.sql = sql
	try:
		yield counter
	finally:
		frappe.db.sql = original


def timed(fn, *args, **kwargs):
	started = time.perf_counter()
	result = fn(*args, **kwargs)
	return time.perf_counter() - started, result


def session_rows_read() -> int:
	return int(frappe.db.sql("show session status like 'Rows_read'")[0][1])


@contextmanager
def db_rows_read():
	"""The rows the database read for the block (MariaDB's session counter Rows_read: rows
	examined, not rows returned), less what reading the counter itself adds."""
	counter = {"rows": 0}
	before = session_rows_read()
	own = session_rows_read() - before  # what one look at the counter reads
	before = session_rows_read()
	try:
		yield counter
	finally:
		counter["rows"] = max(0, session_rows_read() - before - own)


class ReportTimeout(Exception):
	pass


@contextmanager
def time_limit(seconds: float | None):
	"""Raise ReportTimeout in the block after `seconds` (none: no limit)."""
	if not seconds:
		yield
		return

	def expire(_signum, _frame):
		raise ReportTimeout(f"timed out after {seconds:g} s")

	previous = signal.signal(signal.SIGALRM, expire)
	signal.setitimer(signal.ITIMER_REAL, seconds)
	try:
		yield
	finally:
		signal.setitimer(signal.ITIMER_REAL, 0)
		signal.signal(signal.SIGALRM, previous)


def reset_connection():
	"""After an interrupted query: a fresh connection (the old one may hold half a result)."""
	try:
		frappe.db.close()
	except Exception:
		pass
	frappe.db._conn = None
	frappe.db._cursor = None
	frappe.db.connect()


# -- the workflow path ------------------------------------------------------------------------------


def measure_workflow(n: int = 20) -> dict:
	"""Create, Submit, Accept, Approve and map the placement of `n` referrals through the
	controllers as the real users, against a plain document of the same width going through
	the same number of writes (insert, save, save, submit, insert) as the same users."""
	from frappe.model.workflow import apply_workflow
	from freezegun import freeze_time

	from ap_provision.ap_provision.doctype.placement.placement import make_placement
	from ap_provision.ap_provision.doctype.referral.referral import record_decision

	pupils = [make_bench_pupil(i) for i in range(n)]
	frappe.db.commit()
	panel = frappe.get_all(
		"Panel",
		filters={"status": "Scheduled", "referral_deadline": (">=", add_days(today(), 1))},
		fields=["name", "panel_date", "referral_deadline"],
		order_by="panel_date asc",
		limit=1,
	)[0]
	before_deadline = f"{panel.referral_deadline} 09:00:00"
	on_panel_day = f"{panel.panel_date} 11:00:00"
	ignore = ["ap_provision.tests.perf.harness"]
	jobs = BackgroundJobs("ap_provision.notifications.send_alerts")
	steps = {k: [] for k in ("create", "submit", "accept", "approve", "placement")}
	base = {k: [] for k in ("create", "submit", "accept", "approve", "placement")}
	referrals, baselines = [], []
	with freeze_time(before_deadline, tick=True, ignore=ignore), jobs.recording():
		for pupil in pupils:
			frappe.set_user(gen.SCHOOL_USER)
			boss_report = upload_boss_report(pupil)
			t, doc = timed(
				lambda p=pupil, url=boss_report: frappe.get_doc(
					{
						"doctype": "Referral",
						"pupil": p,
						"boss_report": url,
						"reason_for_referral": "Benchmark referral.",
						"support_already_given": "Behaviour plan and BOSS outreach.",
					}
				).insert()
			)
			steps["create"].append(t)
			t, doc = timed(apply_workflow, doc, "Submit")
			steps["submit"].append(t)
			frappe.set_user(gen.PRT_USER)
			t, doc = timed(apply_workflow, frappe.get_doc("Referral", doc.name), "Accept")
			steps["accept"].append(t)
			referrals.append(doc.name)
			# the baseline: the same user, the same values, no app logic
			values = {
				k: v
				for k, v in doc.as_dict().items()
				if k not in frappe.model.default_fields
				and k not in ("naming_series", "amended_from", "workflow_state")
				and not isinstance(v, list)
			}
			frappe.set_user(gen.SCHOOL_USER)
			values["boss_report"] = upload_boss_report(f"{pupil}-baseline")
			t, b = timed(lambda v=values: frappe.get_doc({"doctype": BASELINE_DOCTYPE, **v}).insert())
			base["create"].append(t)
			t, b = timed(apply_workflow, frappe.get_doc(BASELINE_DOCTYPE, b.name), "Submit")
			base["submit"].append(t)
			frappe.set_user(gen.PRT_USER)
			t, b = timed(apply_workflow, frappe.get_doc(BASELINE_DOCTYPE, b.name), "Accept")
			base["accept"].append(t)
			baselines.append(b.name)
			frappe.db.commit()
	with freeze_time(on_panel_day, tick=True, ignore=ignore), jobs.recording():
		for name, bname in zip(referrals, baselines, strict=True):
			frappe.set_user(gen.CHAIR_USER)
			t, _ = timed(
				record_decision,
				name,
				"Approved",
				provider=BENCH_PROVIDER,
				expected_start_date=str(add_days(panel.panel_date, 7)),
			)
			steps["approve"].append(t)
			frappe.set_user(gen.PRT_USER)
			t, placement = timed(lambda r=name: make_placement(r).insert())
			steps["placement"].append(t)
			frappe.set_user(gen.CHAIR_USER)
			b = frappe.get_doc(BASELINE_DOCTYPE, bname)
			b.provider = BENCH_PROVIDER
			b.expected_start_date = add_days(panel.panel_date, 7)

			def approve(b=b):
				b.save()
				return apply_workflow(frappe.get_doc(BASELINE_DOCTYPE, b.name), "Approve")

			t, b = timed(approve)
			base["approve"].append(t)
			frappe.set_user(gen.PRT_USER)
			values = {
				k: v
				for k, v in placement.as_dict().items()
				if k in b.as_dict()
				and k not in frappe.model.default_fields
				and not isinstance(v, list)
				and k not in ("naming_series", "amended_from", "workflow_state")
			}
			t, _ = timed(lambda v=values: frappe.get_doc({"doctype": BASELINE_DOCTYPE, **v}).insert())
			base["placement"].append(t)
			frappe.db.commit()
	job_times = jobs.run()
	frappe.db.rollback()  # the job's Communications and e-mails are not kept
	frappe.set_user("Administrator")
	out = {"n": n, "steps": {}}
	for step in steps:
		app, plain = statistics.median(steps[step]), statistics.median(base[step])
		out["steps"][step] = {"app_ms": app * 1000, "baseline_ms": plain * 1000, "ratio": app / plain}
	app_total = statistics.median([sum(x) for x in zip(*steps.values(), strict=True)])
	base_total = statistics.median([sum(x) for x in zip(*base.values(), strict=True)])
	out["total"] = {
		"app_ms": app_total * 1000,
		"baseline_ms": base_total * 1000,
		"ratio": app_total / base_total,
	}
	out["background"] = {
		"jobs": len(job_times),
		"jobs_per_referral": len(job_times) / n,
		"median_ms": statistics.median(job_times) * 1000 if job_times else 0,
		"per_referral_ms": sum(job_times) * 1000 / n,
	}
	return out


class BackgroundJobs:
	"""The jobs of `method` the timed requests queue, recorded instead of queued (so the
	benchmark site's queue stays empty) and then run one by one as a worker would, as the user
	who queued each, to time the work taken out of the requests."""

	def __init__(self, method: str):
		self.method, self.calls = method, []

	@contextmanager
	def recording(self):
		real = frappe.enqueue

		def enqueue(method, *args, **kwargs):
			if method != self.method:
				return real(method, *args, **kwargs)
			for key in ("queue", "enqueue_after_commit", "now", "timeout", "job_id", "deduplicate"):
				kwargs.pop(key, None)
			self.calls.append((frappe.session.user, kwargs))

		# The app queues no notifications while e-mail is muted (measure() mutes it so the jobs'
		# e-mails are never sent): unmuted while recording, as on a live site.
		muted, frappe.flags.mute_emails = frappe.flags.mute_emails, False
		frappe.enqueue = enqueue
		try:
			yield self
		finally:
			frappe.enqueue = real
			frappe.flags.mute_emails = muted

	def run(self) -> list[float]:
		times = []
		for user, kwargs in self.calls:
			frappe.set_user(user)
			times.append(timed(frappe.get_attr(self.method), **kwargs)[0])
		return times


def upload_boss_report(label: str) -> str:
	"""The BOSS report the school user uploads before filling in the form (a separate request,
	not timed): a private File of theirs, as the Attach field expects. A URL with no File
	behind it would make Frappe log an error on every save of either doctype."""
	return (
		frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"bench-boss-{label}.pdf",
				"is_private": 1,
				"content": b"%PDF-1.4\n% benchmark BOSS report\n",
			}
		)
		.insert()
		.file_url
	)


def make_bench_pupil(i: int) -> str:
	"""A Year 8 pupil on the benchmark school's roll (through the Pupil controller)."""
	from stdnum.gb import upn as stdnum_upn

	on = getdate(today())
	start_year = on.year if (on.month, on.day) >= (9, 1) else on.year - 1
	stamp = int(time.time() * 1000) % 10**9
	body = f"204{(stamp + i) % 10**9:09d}"
	return (
		frappe.get_doc(
			{
				"doctype": "Pupil",
				"first_name": f"Bench{i}",
				"last_name": "Pupil",
				"date_of_birth": f"{start_year - 13}-01-15",
				"upn": stdnum_upn.calc_check_digit(body) + body,
				"school": str(gen.PERF_URN_BASE),
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


# -- reports and the portal list --------------------------------------------------------------------


def script_reports() -> list[str]:
	return sorted(
		frappe.get_all(
			"Report",
			filters={"module": "AP Provision", "report_type": "Script Report", "is_standard": "Yes"},
			pluck="name",
		)
	)


@contextmanager
def recording_reads():
	"""Record the report's reads (reporting.scoped_list / scoped_child_list: its get_list calls)."""
	from ap_provision import reporting

	calls = []
	originals = reporting.scoped_list, reporting.scoped_child_list

	def scoped_list(*args, **kwargs):
		calls.append((originals[0], args, kwargs))
		return originals[0](*args, **kwargs)

	def scoped_child_list(*args, **kwargs):
		calls.append((originals[1], args, kwargs))
		return originals[1](*args, **kwargs)

	reporting.scoped_list, reporting.scoped_child_list = scoped_list, scoped_child_list
	try:
		yield calls
	finally:
		reporting.scoped_list, reporting.scoped_child_list = originals


MAX_ATTEMPTS, MIN_SECONDS = 15, 5.0


def desk_filters(report: str, on=None) -> dict:
	"""The filters the report opens with on the desk (its .js defaults), on `on` (today)."""
	on = getdate(on or today())

	def months(n):
		return str(add_months(on, n))

	return {
		"AP Funding Impact": {"from_date": months(-12)},
		"EHC Statutory Compliance": {"as_on": str(on), "from_date": months(-12)},
		"Panel Outcomes": {"from_date": months(-12), "to_date": str(on), "group_by": "Panel"},
		"Placement Register": {"as_on": str(on)},
		"Provider Sufficiency": {"from_date": months(-3), "to_date": months(3)},
		"Referral Tracker": {"from_date": months(-12), "to_date": str(on)},
		"Reintegration Outcomes": {"from_date": months(-12), "to_date": str(on), "group_by": "Provider"},
	}[report]


def measure_report(
	report: str,
	user: str,
	repeat: int = 3,
	filters: dict | None = None,
	timeout: float | None = None,
	more_if_quick: bool = False,
) -> dict:
	"""A report through query_report.run as `user` with `filters`: best of `repeat` runs (each
	ratio the median of the runs' own ratios), the last run's query count, the rows it returned, the rows its get_list calls returned and
	the rows the database read (Rows_read), against (1) the hand-written SQL computing the
	same figures (`sql_limits`; checked to give them) and (2) the same get_list calls
	replayed on their own. A run over `timeout` seconds raises ReportTimeout."""
	from frappe.desk.query_report import run

	filters = dict(filters or {})
	frappe.set_user(user)
	frappe.clear_cache(user=user)
	times, base_times, sql_times = [], [], []
	attempts, started_all = repeat, time.perf_counter()
	while len(times) < attempts:
		# Every attempt runs the report, then its reads on their own, then its SQL: the first
		# attempt also pays for the caches `clear_cache` emptied, so take 2 or more. With
		# `more_if_quick` a quick report gets more attempts (up to MAX_ATTEMPTS, about
		# MIN_SECONDS in all): on a shared machine a few runs of a fraction of a second say little.
		with recording_reads() as calls, counting_queries() as counter, db_rows_read() as db:
			with time_limit(timeout):
				t, result = timed(run, report, filters=dict(filters), ignore_prepared_report=True)
		times.append(t)
		queries, examined = counter.count, db["rows"]
		rows = len([r for r in result.get("result") or [] if isinstance(r, dict)])
		read = 0
		started = time.perf_counter()
		with counting_queries() as base_counter:
			for fn, args, kwargs in calls:
				read += len(fn(*args, **kwargs))
		base_times.append(time.perf_counter() - started)
		with counting_queries() as sql_counter, db_rows_read() as sql_db:
			with time_limit(timeout):
				ts, sql_rows = timed(sql_limits.run, report, filters)
		sql_times.append(ts)
		if more_if_quick and len(times) == repeat:
			spent = time.perf_counter() - started_all
			attempts = max(repeat, min(MAX_ATTEMPTS, int(repeat * MIN_SECONDS / spent) if spent else repeat))
	difference = sql_limits.same_figures(
		sql_limits.report_figures(report, result.get("result") or []), sql_rows
	)
	frappe.set_user("Administrator")
	app, base, sql = min(times), min(base_times), min(sql_times)
	# Each ratio is the median of the attempts' own ratios (the report and its baselines run
	# back to back): on a shared machine a busy moment then weighs on both sides of one ratio.
	sql_ratios = [a / b for a, b in zip(times, sql_times, strict=True) if b]
	base_ratios = [a / b for a, b in zip(times, base_times, strict=True) if b]
	return {
		"report": report,
		"user": user,
		"filters": filters,
		"rows": rows,
		"rows_read": read,
		"db_rows_read": examined,
		"queries": queries,
		"ms": app * 1000,
		"baseline_queries": base_counter.count,
		"baseline_ms": base * 1000,
		"ratio": statistics.median(base_ratios) if base_ratios else None,
		"ratios": base_ratios,
		"sql": {
			"ms": sql * 1000,
			"queries": sql_counter.count,
			"rows": len(sql_rows),
			"db_rows_read": sql_db["rows"],
			"same_figures": not difference,
			"difference": difference[:300],
		},
		"sql_ratio": statistics.median(sql_ratios) if sql_ratios else None,
		"sql_ratios": sql_ratios,
		"attempts": len(times),
	}


def measure_reports(repeat: int = 3, timeout: float | None = None) -> list[dict]:
	"""Every script report as the PRT Officer (portal users have no report permission), over
	the whole history and with the filters it opens with on the desk. A report that fails or
	runs out of time is recorded with its error (a miss in benchmarks/report.py)."""
	out = []
	for label, filters_of in (("whole history", lambda r: {}), ("desk filters", desk_filters)):
		for report in script_reports():
			filters = filters_of(report)
			entry = {"report": report, "user": gen.PRT_USER, "run": label, "filters": filters}
			try:
				entry.update(
					measure_report(
						report,
						gen.PRT_USER,
						repeat=repeat,
						filters=filters,
						timeout=timeout,
						more_if_quick=True,
					)
				)
			except ReportTimeout as e:
				reset_connection()
				entry.update(error=str(e), timed_out=True)
			except Exception as e:
				entry.update(error=repr(e)[:300])
			entry["run"] = label
			frappe.set_user("Administrator")
			frappe.db.rollback()
			out.append(entry)
	return out


def measure_portal_list(repeat: int = 5) -> dict:
	"""The school portal's referral list (the web form list endpoint, as a request resolves it:
	after the apps' overrides) as the school user, against frappe.get_list of the same page of
	the same user's referrals with the same columns."""
	endpoint = whitelisted_method("frappe.www.list.get_list_data")
	columns = [
		"name",
		*(c.fieldname for c in frappe.get_cached_doc("Web Form", "school-referrals").list_columns),
	]
	frappe.set_user(gen.SCHOOL_USER)
	times, base_times = [], []
	for _ in range(repeat):
		frappe.local.form_dict = frappe._dict()
		with counting_queries() as counter:
			t, rows = timed(endpoint, "Referral", limit_start=0, limit=20, web_form_name="school-referrals")
		times.append(t)
		with counting_queries() as base_counter:
			tb, base_rows = timed(
				frappe.get_list, "Referral", fields=columns, order_by="modified desc", limit_page_length=20
			)
		base_times.append(tb)
	if [r.name for r in rows] != [r.name for r in base_rows]:
		frappe.throw(f"the portal list and its baseline differ: {len(rows)} against {len(base_rows)} rows")
	total = frappe.db.count("Referral", {"school": str(gen.PERF_URN_BASE)})
	frappe.set_user("Administrator")
	return {
		"rows": len(rows),
		"columns": len(rows[0]) if rows else 0,
		"school_referrals": total,
		"queries": counter.count,
		"baseline_queries": base_counter.count,
		"ms": min(times) * 1000,
		"baseline_ms": min(base_times) * 1000,
		"ratio": min(times) / min(base_times),
	}


# -- query plans ---------------------------------------------------------------------------------------


def hot_queries() -> dict[str, str]:
	"""The SQL of the hottest queries, as Frappe builds them for the school user or the jobs."""
	school = str(gen.PERF_URN_BASE)
	frappe.set_user(gen.SCHOOL_USER)
	out = {
		"portal referral list (school user)": frappe.get_list(
			"Referral", fields=["name"], order_by="modified desc", limit_page_length=20, run=0
		),
		"referral tracker (school user)": frappe.get_list(
			"Referral",
			fields=["name", "workflow_state"],
			order_by="creation desc",
			limit_page_length=0,
			run=0,
		),
	}
	frappe.set_user("Administrator")
	provider = frappe.db.get_value("AP Provider", {"name": ("!=", BENCH_PROVIDER)}, "name")
	out.update(
		{
			"places taken: live placements": f"""select count(*) from `tabPlacement`
				where provider = {frappe.db.escape(provider)} and key_stage = 'KS3'
				and status in ('Planned', 'Active', 'Reintegrating')""",
			"places taken: approved waiting": f"""select count(r.name) from `tabReferral` r
				left join `tabPlacement` p on p.referral = r.name
				where r.provider = {frappe.db.escape(provider)} and r.key_stage = 'KS3'
				and r.workflow_state = 'Approved' and r.docstatus = 1 and p.name is null""",
			"daily job: overdue provider reports": frappe.get_all(
				"Placement",
				filters={"status": ("in", ("Active", "Reintegrating")), "next_update_due": ("<", today())},
				fields=["name"],
				run=0,
			),
			"latest report of a placement": "select max(period_end) from `tabPlacement Update` where placement = "
			+ frappe.db.escape(frappe.db.get_value("Placement Update", {}, "placement") or ""),
			"reviews of a placement": "select max(review_date) from `tabReview` where placement = "
			+ frappe.db.escape(frappe.db.get_value("Placement", {}, "name") or "")
			+ " and docstatus = 1",
			"a school's pupils": "select name from `tabPupil` where school = " + frappe.db.escape(school),
		}
	)
	return out


def explain(sql: str) -> list[dict]:
	return [
		{k.lower(): v for k, v in row.items()} for row in frappe.db.sql("explain " + str(sql), as_dict=True)
	]


def table_rows() -> dict[str, int]:
	"""Rows in each table of the site (InnoDB's estimate; `table` as EXPLAIN names it)."""
	return {
		name: int(rows or 0)
		for name, rows in frappe.db.sql(
			"select table_name, table_rows from information_schema.tables where table_schema = database()"
		)
	}


def measure_plans() -> dict:
	out = {}
	sizes = table_rows()
	for label, sql in hot_queries().items():
		plan = [
			{
				"table": p.get("table"),
				"type": p.get("type"),
				"key": p.get("key"),
				"possible_keys": p.get("possible_keys"),
				"rows": p.get("rows"),
				"extra": p.get("extra"),
			}
			for p in explain(sql)
		]
		out[label] = {"plan": plan, "problems": plan_problems(plan, sql, sizes)}
	return out


# -- the whole in-process run ---------------------------------------------------------------------------


def sample_referral() -> str:
	"""A referral of the benchmark school (the load test's form)."""
	return frappe.db.get_value(
		"Referral", {"school": str(gen.PERF_URN_BASE)}, "name", order_by="modified desc"
	)


def machine() -> dict:
	import os
	import platform

	cpu = ""
	try:
		with open("/proc/cpuinfo") as f:
			cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
	except OSError:
		pass
	memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
	db = frappe.db.sql("select version(), @@innodb_buffer_pool_size", as_list=True)[0]
	return {
		"cpu": cpu,
		"cpus": os.cpu_count(),
		"memory_gib": round(memory, 1),
		"os": platform.platform(),
		"python": platform.python_version(),
		"frappe": frappe.__version__,
		"mariadb": db[0],
		"innodb_buffer_pool_mib": int(db[1]) // 2**20,
		"load_average": os.getloadavg(),
	}


def measure(output: str, workflow_n: int = 20, repeat: int = 3, report_timeout: float = 600):
	frappe.flags.mute_emails = True
	out = {
		"machine": machine(),
		"size": frappe.db.get_default("ap_perf_size"),
		"generated": json.loads(frappe.db.get_default("ap_perf_generated") or "{}"),
		"counts": {
			d: frappe.db.count(d)
			for d in (
				"Referral",
				"Placement",
				"Placement Update",
				"Review",
				"Pupil",
				"School",
				"Panel",
				"ToDo",
			)
		},
		"started": str(datetime.now()),
		"repeat": repeat,
		"report_timeout": report_timeout,
		"todo_form": frappe.db.get_value("ToDo", "perf-todo-001", ["allocated_to"], as_dict=True),
	}
	out["reports"] = measure_reports(repeat=repeat, timeout=report_timeout)
	out["portal_list"] = measure_portal_list()
	out["plans"] = measure_plans()
	out["workflow"] = measure_workflow(workflow_n)
	out["finished"] = str(datetime.now())
	out["load_average_end"] = __import__("os").getloadavg()
	with open(output, "w") as f:
		json.dump(out, f, indent=1, default=str)
	print(json.dumps({k: out[k] for k in ("size", "workflow")}, default=str))
	return "ok"
