# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""The referral-based script reports against a hand-built fixture, in the 2031-32 school
year so no other test's data falls in range:

- panel 1 on Wed 21 Jan 2032 (deadline Thu 15 Jan), panel 2 on Wed 4 Feb 2032 (deadline 29 Jan);
- school A: KS2 approved at panel 1 (provider P), KS3 EHC declined at panel 1, a draft;
- school B: KS4 approved at panel 1 (provider P), KS3 late (received 16 Jan) deferred at
  panel 2, a withdrawn draft;
- provider P offers 2 places at KS2, 1 at KS3 and 3 at KS4; inactive provider Q offers 9
  places at every key stage and counts for nothing.
"""

from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from ap_provision.ap_provision.doctype.referral.referral import withdraw
from ap_provision.ap_provision.report.panel_outcomes import panel_outcomes
from ap_provision.ap_provision.report.provider_sufficiency import provider_sufficiency
from ap_provision.ap_provision.report.referral_tracker import referral_tracker
from ap_provision.tests import factories

PANEL_1, PANEL_2 = "2032-01-21", "2032-02-04"
CHAIR = "reports-chair@example.org"
SCHOOL_A_USER = "reports-school-a@example.org"
MEMBER_A = "reports-member-school-a@example.org"
RANGE = {"from_date": "2031-12-01", "to_date": "2032-03-31"}


def wipe_school_cases(schools: list[str]):
	"""Remove what earlier runs left of a fixture's schools (referrals, their agenda rows,
	EHC evidence and placements), so its figures start from nothing. Only the fixture's own
	schools are touched."""
	referrals = frappe.get_all("Referral", filters={"school": ("in", schools)}, pluck="name")
	placements = frappe.get_all("Placement", filters={"school": ("in", schools)}, pluck="name")
	if placements:
		for doctype in ("Placement Update", "Review"):
			frappe.db.delete(doctype, {"placement": ("in", placements)})
		frappe.db.delete("Placement", {"name": ("in", placements)})
	if referrals:
		frappe.db.delete("Panel Agenda Item", {"referral": ("in", referrals)})
		frappe.db.delete("EHC Assessment", {"referral": ("in", referrals)})
		frappe.db.delete("Referral", {"name": ("in", referrals)})


def count_queries(fn) -> int:
	real_sql = frappe.db.sql
	calls = []

	def counting(*args, **kwargs):
		calls.append(args[0] if args else kwargs.get("query"))
		return real_sql(*args, **kwargs)

	with patch.object(frappe.db, "sql", counting):
		fn()
	return len(calls)


class TestReports(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.school_a = factories.make_school("310001", "Reports Alder Primary").name
		cls.school_b = factories.make_school("310002", "Reports Birch Academy").name
		cls.school_c = factories.make_school("310003", "Reports Cherry School").name
		wipe_school_cases([cls.school_a, cls.school_b, cls.school_c])
		factories.make_user(CHAIR, ["Panel Chair"])
		factories.make_user(SCHOOL_A_USER, ["School Referrer"], school=cls.school_a)
		factories.make_user(MEMBER_A, ["Panel Member"], school=cls.school_a)
		cls.provider = factories.make_provider(
			"Reports Provider P", places=0, capacity_ks2=2, capacity_ks3=1, capacity_ks4=3
		).name
		factories.make_provider("Reports Provider Q", places=9, is_active=0)
		for day in (PANEL_1, PANEL_2):
			factories.make_panel(day)
		cls.refs = {}
		with cls.frozen("2032-01-12 10:00:00"):
			cls.refs["a_ks2"] = cls.accepted(cls.school_a, "Year 5")
			cls.refs["a_ks3_ehc"] = cls.accepted(cls.school_a, "Year 8", has_ehc_plan=1)
			cls.refs["b_ks4"] = cls.accepted(cls.school_b, "Year 10")
			cls.refs["a_draft"] = cls.draft(cls.school_a, "Year 6").name
			withdrawn = cls.draft(cls.school_b, "Year 7")
			cls.refs["b_withdrawn"] = withdraw(withdrawn.name, "The family moved away.").name
		with cls.frozen("2032-01-16 09:00:00"):
			cls.refs["b_late"] = cls.accepted(cls.school_b, "Year 9")
		start = {"provider": cls.provider, "expected_start_date": "2032-01-28"}
		factories.decide(cls.refs["a_ks2"], "Approved", CHAIR, **start)
		factories.decide(cls.refs["a_ks3_ehc"], "Declined", CHAIR)
		factories.decide(cls.refs["b_ks4"], "Approved", CHAIR, **start)
		factories.decide(cls.refs["b_late"], "Deferred", CHAIR)

	@staticmethod
	def frozen(when):
		from freezegun import freeze_time

		return freeze_time(when)

	@classmethod
	def accepted(cls, school, year_group, **pupil_values):
		return factories.make_accepted_referral(school, year_group, panel_date=PANEL_1, **pupil_values).name

	@classmethod
	def draft(cls, school, year_group):
		pupil = factories.make_pupil(school, year_group)
		return frappe.get_doc(
			{"doctype": "Referral", "pupil": pupil.name, "boss_report": factories.boss_report()}
		).insert(ignore_permissions=True)

	def tearDown(self):
		frappe.set_user("Administrator")

	def ours(self, rows, key="name"):
		return [r for r in rows if r.get(key) in self.refs.values()]

	# -- Referral Tracker -----------------------------------------------------------------

	def tracker(self, **filters):
		columns, data, _m, chart, summary = referral_tracker.execute({**RANGE, **filters})
		return columns, self.ours(data), chart, summary

	def test_tracker_lists_every_state_with_timeliness(self):
		_c, rows, _chart, _s = self.tracker()
		by_name = {r.name: r for r in rows}
		self.assertEqual(len(rows), 6)
		self.assertEqual(by_name[self.refs["a_ks2"]].workflow_state, "Approved")
		self.assertEqual(by_name[self.refs["a_ks2"]].timeliness, "On time")
		self.assertEqual(by_name[self.refs["b_late"]].workflow_state, "Deferred")
		self.assertEqual(by_name[self.refs["b_late"]].timeliness, "Late")
		self.assertEqual(by_name[self.refs["a_draft"]].timeliness, "")
		self.assertEqual(by_name[self.refs["b_withdrawn"]].workflow_state, "Withdrawn")
		# received 12 January, decided at the panel on 21 January
		self.assertEqual(by_name[self.refs["a_ks2"]].days_to_decision, 9)

	def test_tracker_filters(self):
		self.assertEqual(len(self.tracker(timeliness="Late")[1]), 1)
		self.assertEqual(len(self.tracker(timeliness="On time")[1]), 3)
		self.assertEqual([r.name for r in self.tracker(has_ehc_plan="Yes")[1]], [self.refs["a_ks3_ehc"]])
		self.assertEqual(len(self.tracker(school=self.school_b)[1]), 3)
		self.assertEqual(len(self.tracker(key_stage="KS3")[1]), 3)  # EHC, late, withdrawn Year 7
		self.assertEqual(len(self.tracker(workflow_state="Approved")[1]), 2)

	def test_tracker_chart_and_summary_of_a_school(self):
		_c, rows, chart, summary = self.tracker(school=self.school_a)
		self.assertEqual(len(rows), 3)
		counts = dict(zip(chart["data"]["labels"], chart["data"]["datasets"][0]["values"], strict=True))
		self.assertEqual(counts, {"Draft": 1, "Approved": 1, "Declined": 1})
		values = {s["label"]: s["value"] for s in summary}
		self.assertEqual(values["Referrals"], 3)
		self.assertEqual(values["Approved"], 1)
		self.assertEqual(values["With EHC Plan"], 1)
		self.assertEqual(values["Late"], 0)
		self.assertEqual(values["On Time"], 100.0)

	def test_school_user_sees_only_its_school(self):
		frappe.set_user(SCHOOL_A_USER)
		_c, data, *_rest = referral_tracker.execute(dict(RANGE))
		self.assertEqual(
			sorted(r.name for r in data),
			sorted(self.refs[k] for k in ("a_ks2", "a_ks3_ehc", "a_draft")),
		)

	# -- Panel Outcomes -------------------------------------------------------------------

	def outcomes(self, **filters):
		columns, data, _m, chart, summary = panel_outcomes.execute({**RANGE, **filters})
		return columns, data, chart, summary

	def test_outcomes_per_panel_with_total(self):
		_c, data, chart, summary = self.outcomes()
		rows = {r.group: r for r in data}
		p1, p2 = f"PANEL-{PANEL_1}", f"PANEL-{PANEL_2}"
		self.assertEqual(
			(rows[p1].heard, rows[p1].approved, rows[p1].declined, rows[p1].deferred), (3, 2, 1, 0)
		)
		self.assertEqual(rows[p1].approval_rate, 66.7)
		self.assertEqual(rows[p1].ehc, 1)
		self.assertEqual((rows[p2].heard, rows[p2].deferred, rows[p2].late), (1, 1, 1))
		self.assertEqual(rows[p2].approval_rate, 0.0)
		total = data[-1]
		self.assertEqual(total.group, "Total")
		self.assertEqual((total.heard, total.approved, total.approval_rate), (4, 2, 50.0))
		self.assertEqual(chart["data"]["labels"], [PANEL_1, PANEL_2])
		self.assertEqual({s["label"]: s["value"] for s in summary}["Approval Rate"], 50.0)

	def test_outcomes_by_school_and_key_stage(self):
		_c, data, _chart, _s = self.outcomes(group_by="School")
		rows = {r.group: r for r in data}
		self.assertEqual((rows[self.school_a].approved, rows[self.school_a].declined), (1, 1))
		self.assertEqual(rows[self.school_a].label, "Reports Alder Primary")
		self.assertEqual((rows[self.school_b].approved, rows[self.school_b].deferred), (1, 1))
		_c, data, _chart, _s = self.outcomes(group_by="Key Stage")
		rows = {r.group: r for r in data}
		self.assertEqual((rows["KS3"].declined, rows["KS3"].deferred, rows["KS3"].approval_rate), (1, 1, 0.0))
		self.assertEqual(rows["KS4"].approval_rate, 100.0)
		_c, data, _chart, _s = self.outcomes(group_by="Provider", school=self.school_b)
		self.assertEqual({r.group: r.approved for r in data if r.group != "Total"}[self.provider], 1)

	def test_outcomes_restricted_to_the_users_school(self):
		frappe.set_user(MEMBER_A)
		_c, data, _chart, _s = self.outcomes(group_by="School")
		self.assertEqual([r.group for r in data], [self.school_a, "Total"])

	# -- Provider Sufficiency -------------------------------------------------------------

	def test_sufficiency_per_panel_and_key_stage(self):
		_c, data, _m, chart, _s = provider_sufficiency.execute({**RANGE, "provider": self.provider})
		rows = {(r.panel_date.isoformat(), r.key_stage): r for r in data}
		ks2_1, ks2_2 = rows[(PANEL_1, "KS2")], rows[(PANEL_2, "KS2")]
		self.assertEqual((ks2_1.capacity, ks2_1.in_use, ks2_1.approved, ks2_1.free_after), (2, 0, 1, 1))
		self.assertEqual((ks2_2.in_use, ks2_2.free_before, ks2_2.approved, ks2_2.free_after), (1, 1, 0, 1))
		ks3_2 = rows[(PANEL_2, "KS3")]
		self.assertEqual((ks3_2.capacity, ks3_2.on_agenda, ks3_2.approved, ks3_2.free_after), (1, 1, 0, 1))
		self.assertEqual(rows[(PANEL_1, "KS4")].utilisation, 33.3)
		self.assertEqual(rows[(PANEL_1, "KS1")].capacity, 0)
		self.assertEqual(chart["data"]["labels"], [PANEL_1, PANEL_2])

	def test_inactive_providers_offer_no_places(self):
		_c, data, *_rest = provider_sufficiency.execute({**RANGE, "provider": "Reports Provider Q"})
		self.assertTrue(data)
		self.assertTrue(all(r.capacity == 0 for r in data))

	# -- fixed number of queries ----------------------------------------------------------

	def test_queries_do_not_grow_with_rows(self):
		reports = {
			"tracker": lambda: referral_tracker.execute(dict(RANGE)),
			"outcomes": lambda: panel_outcomes.execute(dict(RANGE)),
			"sufficiency": lambda: provider_sufficiency.execute(dict(RANGE)),
		}
		for run in reports.values():
			run()  # warm the caches
		before = {name: count_queries(run) for name, run in reports.items()}
		with self.frozen("2032-01-26 10:00:00"):
			for i in range(8):
				ref = factories.make_accepted_referral(self.school_c, "Year 4", panel_date=PANEL_2)
				if i % 3 == 0:
					factories.decide(ref.name, "Declined", CHAIR)
		after = {name: count_queries(run) for name, run in reports.items()}
		self.assertEqual(before, after)
