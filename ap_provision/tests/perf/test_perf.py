"""Bench tier: the scale generator makes valid documents, reports issue a fixed number of
queries whatever the rows, the hottest queries use indexes (reads on a real replica:
ap_provision/tests/test_read_replica.py).

No wall-clock time is asserted here: times are the benchmark's (benchmarks/run.sh).
"""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import get_datetime, getdate

from ap_provision.ap_provision.doctype.placement.placement import default_end_date
from ap_provision.rules import deadlines, ehc, reviews
from ap_provision.setup.indexes import COMPOSITE_INDEXES
from ap_provision.tests.perf import generate as gen
from ap_provision.tests.perf import harness
from ap_provision.tests.perf.plans import plan_problems, table_names

TODAY = "2031-03-12"  # far from the dates other tests use, so generated panels do not collide
REFERRALS = 240


def generated(referrals, seed=11):
	return gen.generate(referrals=referrals, seed=seed, today=TODAY, batch=100, commit=False)


def ours(doctype, filters=None) -> dict:
	"""`filters` narrowed to the generated records (their schools, their panels' chair): a test
	site may hold other tests' records, which are not the generator's to answer for."""
	scope = (
		{"chair": gen.CHAIR_USER}
		if doctype == "Panel"
		else {"school": ("in", gen.generated_schools(REFERRALS))}
	)
	return {**scope, **(filters or {})}


def sampled(rows: list, what: str) -> list:
	"""`rows`, or a failure when there are none: a check looped over nothing checks nothing."""
	if not rows:
		raise AssertionError(f"nothing to check: no {what} in the generated data")
	return rows


def sample(doctype, filters=None, n=25):
	return [
		frappe.get_doc(doctype, name)
		for name in sampled(
			frappe.get_all(doctype, filters=ours(doctype, filters), pluck="name", order_by="name", limit=n),
			f"{doctype} {filters or ''}",
		)
	]


class TestGeneratedData(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.counts = generated(REFERRALS)["rows"]

	def assert_framework_valid(self, doc):
		doc._action = "save"
		doc._validate_mandatory()
		doc._validate_links()
		doc._validate_selects()
		doc._validate_length()
		for row in doc.get_all_children():
			row._validate_selects()
			row._validate_length()

	def test_sampling_nothing_fails(self):
		"""The sampling checks fail when their sample is empty instead of passing over nothing."""
		with self.assertRaises(AssertionError):
			sample("Review", {"docstatus": 7})
		self.assertTrue(sample("Review", {"docstatus": 1}))

	def test_todo_table_as_large_as_the_referrals(self):
		"""The load test's plain-Frappe baseline: a ToDo table of the referral table's size, the
		school user holding as many ToDos as their school has referrals (perf-todo-001 among them)."""
		generated_todos = frappe.db.count("ToDo", {"name": ("like", "perf-todo-%")})
		self.assertGreaterEqual(generated_todos, REFERRALS)
		school_referrals = frappe.db.count("Referral", {"school": str(gen.PERF_URN_BASE)})
		self.assertTrue(school_referrals)
		self.assertEqual(frappe.db.count("ToDo", {"allocated_to": gen.SCHOOL_USER}), school_referrals)
		self.assertEqual(frappe.db.get_value("ToDo", "perf-todo-001", "allocated_to"), gen.SCHOOL_USER)

	def test_every_kind_of_document_is_made(self):
		for doctype in (
			"School",
			"Pupil",
			"Referral",
			"Referral Triage",
			"EHC Assessment",
			"Panel",
			"Panel Agenda Item",
			"Placement",
			"Placement Safeguarding",
			"Placement Stakeholder",
			"Placement Update",
			"Placement Attendance Day",
			"Review",
			"Review Attendee",
			"Placement Session",
			"Part-time Arrangement",
			"Pupil Social Care",
			"AP Session Mark",
		):
			self.assertGreater(self.counts.get(doctype, 0), 0, doctype)
		states = set(frappe.get_all("Referral", filters=ours("Referral"), pluck="workflow_state"))
		self.assertTrue({"Approved", "Declined", "Withdrawn"} <= states, states)

	def test_documents_pass_the_framework_checks(self):
		for doctype in (
			"Pupil",
			"Referral",
			"EHC Assessment",
			"Placement",
			"Placement Update",
			"Review",
			"Panel",
			"Part-time Arrangement",
			"AP Session Mark",
		):
			for doc in sample(doctype, n=10):
				self.assert_framework_valid(doc)

	def test_pupils_are_as_their_controller_makes_them(self):
		for pupil in sample("Pupil", {"upn": ("like", f"_{gen.PERF_LA}%")}):
			before = (pupil.full_name, pupil.year_group, pupil.key_stage, pupil.upn)
			with patch("ap_provision.ap_provision.doctype.pupil.pupil.today", return_value=TODAY):
				pupil.validate()
			self.assertEqual(before, (pupil.full_name, pupil.year_group, pupil.key_stage, pupil.upn))

	def test_referrals_went_to_the_panel_r1_chooses(self):
		panels = [
			deadlines.PanelSlot(p.name, getdate(p.panel_date), getdate(p.referral_deadline))
			for p in frappe.get_all(
				"Panel", filters={"chair": gen.CHAIR_USER}, fields=["name", "panel_date", "referral_deadline"]
			)
		]
		referrals = frappe.get_all(
			"Referral",
			filters=ours(
				"Referral",
				{"received_on": ("is", "set"), "workflow_state": ("in", ("Submitted", "Withdrawn"))},
			),
			fields=["name", "received_on", "panel", "late_referral"],
			limit=40,
		)
		self.assertTrue(referrals)
		for r in referrals:
			choice = deadlines.choose_panel(get_datetime(r.received_on), panels)
			self.assertEqual((choice.panel.name, int(choice.is_late)), (r.panel, r.late_referral), r.name)

	def test_agenda_rows_for_accepted_and_decided_referrals(self):
		for r in sampled(
			frappe.get_all(
				"Referral",
				filters=ours(
					"Referral", {"workflow_state": ("in", ("Accepted for Panel", "Approved", "Declined"))}
				),
				fields=["name", "panel", "workflow_state"],
				limit=40,
			),
			"accepted or decided referrals",
		):
			row = frappe.db.get_value(
				"Panel Agenda Item", {"parent": r.panel, "referral": r.name}, ["decision"], as_dict=True
			)
			self.assertTrue(row, r.name)
			self.assertEqual(row.decision or "Accepted for Panel", r.workflow_state)

	def test_approved_referrals_are_submitted_and_placed_once(self):
		approved = frappe.get_all(
			"Referral", filters=ours("Referral", {"workflow_state": "Approved"}), fields=["name", "docstatus"]
		)
		self.assertTrue(approved)
		self.assertEqual({r.docstatus for r in approved}, {1})
		for name in sampled(
			frappe.get_all("Placement", filters=ours("Placement"), pluck="referral"), "placements"
		):
			self.assertEqual(frappe.db.count("Placement", {"referral": name}), 1)

	def test_placements_dates_and_funding_follow_the_rules(self):
		for p in sample("Placement"):
			self.assertEqual(getdate(p.planned_end_date), default_end_date(getdate(p.start_date)))
			before = (p.ehc_funding_ceased, p.awpu_retained, p.funding_note)
			p.set_funding()
			self.assertEqual(before, (p.ehc_funding_ceased, p.awpu_retained, p.funding_note), p.name)

	def test_placement_hours_are_as_the_hook_makes_them(self):
		from ap_provision import hours as hours_hook
		from ap_provision.rules import register

		checked = 0
		for p in sample("Placement", n=40):
			before = tuple(
				p.get(f) for f in ("total_hours_per_week", "full_time_hours", "hours_gap", "below_full_time")
			)
			sessions = hours_hook.sessions_of(p)
			self.assertEqual(len(sessions), 10, p.name)
			year_group = frappe.db.get_value("Pupil", p.pupil, "year_group")
			week = hours_hook.hours.weekly_hours(sessions, hours_hook.hours.full_time_hours(year_group))
			self.assertEqual(
				before, (week.total, week.full_time or 0, week.gap, int(week.below_full_time)), p.name
			)
			checked += 1
		self.assertTrue(checked)
		for m in sample("AP Session Mark"):
			self.assertEqual(m.register_code, register.register_code(m.mark, m.absence_reason))

	def test_updates_summarise_their_marks(self):
		for u in sample("Placement Update"):
			u._placement = frappe._dict(
				start_date=frappe.db.get_value("Placement", u.placement, "start_date")
			)
			u.validate_marks()
			before = (u.sessions_possible, u.sessions_attended, u.unexplained_absences, u.authorised_absences)
			u.summarise_attendance()
			self.assertEqual(
				before,
				(u.sessions_possible, u.sessions_attended, u.unexplained_absences, u.authorised_absences),
			)

	def test_reviews_summarise_the_updates_since_the_last(self):
		for review in sample("Review", {"docstatus": 1}):
			stored = (review.updates_count, review.sessions_possible, review.sessions_attended)
			review.docstatus = 0
			review.set_placement_details()
			review.summarise_updates()
			self.assertEqual(
				stored, (review.updates_count, review.sessions_possible, review.sessions_attended)
			)
			self.assertIsNone(
				reviews.attendee_problem(
					review_type=review.review_type,
					key_stage=review.key_stage,
					has_ehc_plan=bool(review.has_ehc_plan),
					concerns_remain=bool(review.concerns_remain),
					attendees=[
						reviews.Attendee(a.attendee_role, bool(a.invited), bool(a.attended))
						for a in review.attendees
					],
				)
			)

	def test_ehc_evidence_counts_its_answers(self):
		for a in sample("EHC Assessment"):
			answered, required = ehc.completeness(a.pathway, a.as_dict(), a.professional_advice)
			self.assertEqual((answered, required), (a.answered_count, a.required_count))

	def test_naming_series_continue_after_the_generated_names(self):
		for doctype, prefix in (("Referral", "REF-"), ("Placement", "PLC-"), ("Review", "REV-")):
			name = frappe.get_all(
				doctype, filters={"name": ("like", f"{prefix}%")}, pluck="name", order_by="name desc", limit=1
			)[0]
			series = name.rsplit("-", 1)[0] + "-"
			self.assertGreaterEqual(
				frappe.db.sql("select current from `tabSeries` where name = %s", series)[0][0],
				int(name.rsplit("-", 1)[1]),
			)


class TestReproducible(FrappeTestCase):
	def test_same_seed_same_rows(self):
		def rows(seed):
			captured = []
			generator = gen.Generator(30, seed=seed, today=TODAY, commit=False)
			generator.flush = (
				lambda: captured.extend(
					(d, tuple(sorted((k, str(v)) for k, v in r.items())))
					for d, rs in generator.rows.items()
					for r in rs
				)
				or generator.rows.clear()
			)
			generator.save_counters = lambda: None
			with patch.object(gen, "ensure_user"):
				generator.run()
			kept = ("Pupil", "Referral", "Panel Agenda Item", "Placement", "Placement Update", "Review")
			return [c for c in captured if c[0] in kept]

		first = rows(5)
		self.assertTrue(first)
		self.assertEqual(first, rows(5))
		self.assertNotEqual(first, rows(6))


class TestScale(FrappeTestCase):
	"""Reports and the portal list at two sizes: the query count does not grow with rows."""

	def query_counts(self):
		counts = {}
		for report in harness.script_reports():
			for user in (gen.PRT_USER,):
				harness.measure_report(report, user, repeat=1)  # warm caches
				result = harness.measure_report(report, user, repeat=1)
				counts[(report, user)] = result["queries"]
		counts["portal list"] = harness.measure_portal_list(repeat=2)["queries"]
		return counts

	def test_query_counts_do_not_grow_with_rows(self):
		generated(40, seed=21)
		small = self.query_counts()
		rows_small = frappe.db.count("Referral")
		generated(160, seed=22)
		self.assertGreater(frappe.db.count("Referral"), rows_small + 150)
		self.assertEqual(small, self.query_counts())

	def test_hot_queries_have_indexes(self):
		"""No row of a hot query's plan scans a whole table of more than 1,000 rows. The
		benchmark applies the same check at 10k, 100k and 1M referrals; here, with 300, it
		holds the tables that are already large (provider updates, attendance, attendees): at
		a thousand referrals the benchmark's busy school holds a quarter of them, and the
		optimizer rightly reads the table rather than the index."""
		generated(300, seed=23)
		for label, sql in harness.hot_queries().items():
			plan = harness.explain(sql)
			sizes = {
				table: frappe.db.sql(f"select count(*) from `{table}`")[0][0]
				for table in set(table_names(str(sql)).values())
			}
			self.assertEqual(plan_problems(plan, str(sql), sizes), [], f"{label}: {plan}")

	def test_indexes_exist(self):
		for doctype, indexes in COMPOSITE_INDEXES.items():
			for _columns, name in indexes:
				self.assertTrue(frappe.db.has_index(f"tab{doctype}", name), f"{doctype}: {name}")
		for doctype, field in (
			("Referral", "school"),
			("Referral", "workflow_state"),
			("Referral", "panel"),
			("Placement", "status"),
			("Placement", "provider"),
			("Placement Update", "placement"),
			("Review", "placement"),
			("Pupil", "school"),
		):
			self.assertTrue(frappe.get_meta(doctype).get_field(field).search_index, f"{doctype}.{field}")
			self.assertTrue(
				frappe.db.sql(f"show index from `tab{doctype}` where Column_name = %s", field),
				f"{doctype}.{field}",
			)


class TestSqlLimits(FrappeTestCase):
	"""Each report's hand-written SQL baseline (the benchmark's "SQL limit") gives the report's
	own figures, over the whole history and with the desk's date filters."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		generated(REFERRALS, seed=31)

	def test_sql_baselines_give_the_reports_figures(self):
		from frappe.desk.query_report import run

		from ap_provision.tests.perf import sql_limits

		cases = {
			"AP Funding Impact": [{}, {"from_date": "2030-01-01", "to_date": TODAY}],
			"EHC Statutory Compliance": [
				{"as_on": TODAY},
				{"as_on": TODAY, "from_date": "2030-06-01", "to_date": "2030-12-31"},
			],
			"Panel Outcomes": [{}, {"from_date": "2030-01-01", "to_date": "2030-12-31"}],
			"Part-time and Hours": [{"include_full_time": 1}, {"include_full_time": 1, "key_stage": "KS4"}],
			"Placement Register": [{"as_on": TODAY}, {"as_on": "2030-06-17"}, {"as_on": "2029-11-05"}],
			"Provider Sufficiency": [{}, {"from_date": "2030-09-01", "to_date": "2031-01-31"}],
			"Referral Tracker": [{}, {"from_date": "2030-03-01", "to_date": "2030-09-30"}],
			"Reintegration Outcomes": [{}, {"from_date": "2030-01-01", "to_date": "2030-12-31"}],
		}
		self.assertEqual(set(cases), set(harness.script_reports()))
		frappe.set_user(gen.PRT_USER)
		try:
			for report, runs in cases.items():
				for filters in runs:
					result = run(report, filters=dict(filters), ignore_prepared_report=True)["result"]
					figures = sql_limits.report_figures(report, result)
					self.assertTrue(figures, f"{report} {filters}: no rows to compare")
					difference = sql_limits.same_figures(figures, sql_limits.run(report, filters))
					self.assertEqual(difference, "", f"{report} {filters}")
		finally:
			frappe.set_user("Administrator")

	def test_a_date_range_bounds_the_placements_read(self):
		"""Placement Register on a date and Provider Sufficiency over a date range read the
		placements that overlap it, not every placement."""
		from frappe.desk.query_report import run

		def placements_read(report, filters):
			with harness.recording_reads() as calls:
				run(report, filters=filters, ignore_prepared_report=True)
			return sum(len(fn(*args, **kwargs)) for fn, args, kwargs in calls if args[0] == "Placement")

		everything = frappe.db.count("Placement", {"status": ("!=", "Planned")})
		on = "2030-06-17"
		live = frappe.db.sql(
			"""select count(*) from `tabPlacement` where status != 'Planned' and start_date <= %(on)s
			and (actual_end_date is null or actual_end_date >= %(on)s)""",
			{"on": on},
		)[0][0]
		first, last = "2030-09-01", "2030-10-31"
		overlapping = frappe.db.sql(
			"""select count(*) from `tabPlacement` where status != 'Planned' and start_date < %(last)s
			and (actual_end_date is null or actual_end_date > %(first)s)""",
			{"first": first, "last": last},
		)[0][0]
		self.assertTrue(0 < live < everything / 2 and 0 < overlapping < everything / 2, (live, overlapping))
		frappe.set_user(gen.PRT_USER)
		try:
			self.assertEqual(placements_read("Placement Register", {"as_on": on}), live)
			read = placements_read("Provider Sufficiency", {"from_date": first, "to_date": last})
			# the panels' own dates bound it (the first and last panel in the range)
			self.assertLessEqual(read, overlapping)
			self.assertGreater(read, 0)
		finally:
			frappe.set_user("Administrator")
