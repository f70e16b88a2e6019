# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""Placement Register, Reintegration Outcomes, AP Funding Impact, EHC Statutory Compliance
and the AP census CSV against a hand-built fixture in the 2033-34 school year:

- provider P (Pupil Referral Unit, URN 330001, UKPRN 10033001);
- school A (URN 330101): KS3 placement 5 days from Mon 12 Sep 2033, live; KS2 placement
  from 12 Sep 2033 completed (reintegrated) on Fri 9 Dec 2033; KS3 placement from
  12 Sep 2033 ended early on Fri 21 Oct 2033;
- school B (URN 330102): KS4 EHC placement 5 days (EHC funding ceases) and KS4 EHC
  placement 3 days (funding continues), both from Mon 19 Sep 2033, live.
"""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from ap_provision.ap_provision.report.ap_funding_impact import ap_funding_impact
from ap_provision.ap_provision.report.ehc_statutory_compliance import ehc_statutory_compliance
from ap_provision.ap_provision.report.placement_register import placement_register
from ap_provision.ap_provision.report.provider_sufficiency import provider_sufficiency
from ap_provision.ap_provision.report.reintegration_outcomes import reintegration_outcomes
from ap_provision.census import census_csv, census_rows
from ap_provision.tests import factories
from ap_provision.tests.factories import at
from ap_provision.tests.test_reports import count_queries, wipe_school_cases

PRT = "placement-reports-prt@example.org"
CHAIR = "placement-reports-chair@example.org"
SCHOOL_A_USER = "placement-reports-school-a@example.org"


class TestPlacementReports(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		factories.mute_notification_emails(cls.addClassCleanup)
		cls.school_a = factories.make_school("330101", "Placement Reports Ash Primary").name
		cls.school_b = factories.make_school("330102", "Placement Reports Bay Academy").name
		cls.school_c = factories.make_school("330103", "Placement Reports Cove School").name
		wipe_school_cases([cls.school_a, cls.school_b, cls.school_c])
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(CHAIR, ["Panel Chair"])
		factories.make_user(SCHOOL_A_USER, ["School Referrer"], school=cls.school_a)
		cls.provider = factories.make_checked_provider(
			"Placement Reports Provider P", places=10, urn="330001", ukprn="10033001", expires_on="2040-01-01"
		).name
		cls.p = {}
		cls.p["a_ks3_live"] = cls.placement(cls.school_a, "Year 8", "2033-09-12")
		cls.p["a_ks2_done"] = cls.placement(
			cls.school_a, "Year 5", "2033-09-12", end=("Completed", "2033-12-09")
		)
		# Referred in August: judged at the September start, a Year 8 pupil then is in Year 9 (KS3).
		cls.p["a_ks3_early"] = cls.placement(
			cls.school_a, "Year 8", "2033-09-12", end=("Ended Early", "2033-10-21")
		)
		cls.p["b_ks4_5days"] = cls.placement(cls.school_b, "Year 10", "2033-09-19", ehc=True)
		cls.p["b_ks4_3days"] = cls.placement(cls.school_b, "Year 10", "2033-09-19", ehc=True, days=3)

	@classmethod
	def placement(cls, school, year_group, start, ehc=False, days=5, end=None, provider=None):
		from freezegun import freeze_time

		with freeze_time(at(add_days(start, -21))):
			pupil_values = {"has_ehc_plan": 1} if ehc else {}
			referral = factories.make_accepted_referral(school, year_group, **pupil_values)
		factories.decide(
			referral.name, "Approved", CHAIR, provider=provider or cls.provider, expected_start_date=start
		)
		frappe.set_user(PRT)
		try:
			with freeze_time(at(add_days(start, -7))):
				placement = factories.make_placement(referral.name, days_per_week=days)
			with freeze_time(at(start)):
				doc = frappe.get_doc("Placement", placement.name)
				factories.prepare_start(doc)
				doc.status = "Active"
				doc.save()
			if end:
				status, day = end
				with freeze_time(at(day, "15:00:00")):
					doc = frappe.get_doc("Placement", placement.name)
					doc.status = status
					doc.save()
		finally:
			frappe.set_user("Administrator")
		return placement.name

	def tearDown(self):
		frappe.set_user("Administrator")

	def ours(self, rows):
		return [r for r in rows if r.get("name") in self.p.values()]

	# -- Placement Register -----------------------------------------------------------------

	def test_register_lists_live_placements_on_a_date(self):
		_c, data, _m, chart, summary = placement_register.execute(
			{"as_on": "2033-11-01", "provider": self.provider}
		)
		names = {r.name for r in data}
		self.assertEqual(
			names, {self.p[k] for k in ("a_ks3_live", "a_ks2_done", "b_ks4_5days", "b_ks4_3days")}
		)
		row = next(r for r in data if r.name == self.p["b_ks4_3days"])
		self.assertEqual((row.days_per_week, row.start_date), (3, getdate("2033-09-19")))
		values = {s["label"]: s["value"] for s in summary}
		self.assertEqual(values["Live Placements"], 4)
		self.assertEqual(values["Pupil Days per Week"], 18)
		# No provider update since the start; the completed placement no longer expects any.
		self.assertEqual(values["Updates Overdue"], 3)
		self.assertEqual(chart["data"]["labels"], ["Placement Reports Provider P"])
		_c, data, *_rest = placement_register.execute({"as_on": "2033-12-20", "provider": self.provider})
		self.assertNotIn(self.p["a_ks2_done"], {r.name for r in data})

	def test_register_of_a_school_user_holds_its_school_only(self):
		frappe.set_user(SCHOOL_A_USER)
		_c, data, *_rest = placement_register.execute({"as_on": "2033-10-01"})
		self.assertEqual(
			{r.name for r in data}, {self.p[k] for k in ("a_ks3_live", "a_ks2_done", "a_ks3_early")}
		)

	# -- Reintegration Outcomes -------------------------------------------------------------

	def test_outcomes_by_key_stage(self):
		filters = {"from_date": "2033-09-01", "to_date": "2034-08-31", "provider": self.provider}
		_c, data, _m, _chart, summary = reintegration_outcomes.execute({**filters, "group_by": "Key Stage"})
		rows = {r.group: r for r in data}
		self.assertEqual((rows["KS2"].reintegrated, rows["KS2"].avg_days_to_reintegration), (1, 88.0))
		self.assertEqual((rows["KS3"].ended_early, rows["KS3"].reintegration_rate), (1, 0.0))
		total = data[-1]
		self.assertEqual((total.ended, total.reintegrated, total.ended_early), (2, 1, 1))
		self.assertEqual(total.reintegration_rate, 50.0)

	# -- AP Funding Impact ------------------------------------------------------------------

	def test_funding_by_school_and_term(self):
		_c, data, *_rest = ap_funding_impact.execute({"from_date": "2033-09-01", "school": self.school_b})
		row, total = data
		self.assertEqual((row.school, row.term), (self.school_b, "Autumn 2033"))
		self.assertEqual(
			(row.placements, row.funding_ceased, row.funding_continues, row.awpu_retained), (2, 1, 1, 2)
		)
		self.assertEqual(total.ceased_share, 50.0)

	# -- EHC Statutory Compliance -----------------------------------------------------------

	def test_ehc_compliance_covers_ehc_placements(self):
		_c, data, *_rest = ehc_statutory_compliance.execute(
			{"as_on": "2033-11-01", "from_date": "2033-09-01", "provider": self.provider}
		)
		self.assertEqual({r.name for r in data}, {self.p["b_ks4_5days"], self.p["b_ks4_3days"]})
		for row in data:
			self.assertEqual(row.advice_status, "Current")
			self.assertIsNotNone(row.newest_advice)

	# -- Provider Sufficiency (placements hold their places) ------------------------------

	def test_sufficiency_counts_running_placements(self):
		panel = factories.make_panel("2033-11-02").name
		_c, data, *_rest = provider_sufficiency.execute(
			{"from_date": "2033-11-02", "to_date": "2033-11-02", "provider": self.provider}
		)
		rows = {r.key_stage: r for r in data if r.panel == panel}
		# KS3: the live placement (the other ended early on 21 October); KS2: the one that
		# ends in December; KS4: both EHC placements. Each key stage has 10 places.
		self.assertEqual((rows["KS3"].in_use, rows["KS3"].free_before), (1, 9))
		self.assertEqual(rows["KS2"].in_use, 1)
		self.assertEqual((rows["KS4"].in_use, rows["KS4"].utilisation), (2, 20.0))

	# -- AP census --------------------------------------------------------------------------

	def test_census_rows_one_by_one(self):
		rows = [r for r in census_rows("2034-01-19") if r["placement"] in self.p.values()]
		pupil = {
			k: frappe.db.get_value("Pupil", frappe.db.get_value("Placement", v, "pupil"), ["upn"])
			for k, v in self.p.items()
		}
		expected = {
			"a_ks3_live": ("330101", "Intervention", "2033-09-12", None, "Full time", 10),
			"a_ks2_done": ("330101", "Intervention", "2033-09-12", "2033-12-09", "Full time", 10),
			"a_ks3_early": ("330101", "Intervention", "2033-09-12", "2033-10-21", "Full time", 10),
			"b_ks4_5days": ("330102", "Alternative", "2033-09-19", None, "Full time", 10),
			"b_ks4_3days": ("330102", "Alternative", "2033-09-19", None, "Part time", 6),
		}
		self.assertEqual(len(rows), 5)
		by_placement = {r["placement"]: r for r in rows}
		for key, (urn, kind, entry, leaving, pattern, sessions) in expected.items():
			row = by_placement[self.p[key]]
			self.assertEqual(row["home_school_urn"], urn, key)
			self.assertEqual(row["upn"], pupil[key], key)
			self.assertEqual((row["provider_urn"], row["provider_ukprn"]), ("330001", "10033001"), key)
			self.assertEqual(row["setting_type"], "PRU: pupil referral unit", key)
			self.assertIn("BEH:" if kind == "Intervention" else "ALT:", row["reason"], key)
			self.assertEqual(str(row["entry_date"]), entry, key)
			self.assertEqual(str(row["leaving_date"]) if row["leaving_date"] else None, leaving, key)
			self.assertEqual((row["attendance_pattern"], row["sessions_per_week"]), (pattern, sessions), key)
		self.assertEqual([r["home_school_urn"] for r in rows], sorted(r["home_school_urn"] for r in rows))

	def test_census_window_and_csv(self):
		before = [r for r in census_rows("2033-09-15") if r["placement"] in self.p.values()]
		self.assertEqual(len(before), 3)  # school B's placements start on the 19th
		self.assertTrue(all(r["leaving_date"] is None for r in before))
		lines = census_csv("2034-01-19").splitlines()
		self.assertEqual(lines[0].split(",")[:3], ["Home school URN", "Pupil UPN", "Surname"])
		upn = frappe.db.get_value(
			"Pupil", frappe.db.get_value("Placement", self.p["b_ks4_3days"], "pupil"), "upn"
		)
		line = next(line for line in lines if upn in line)
		cells = line.split(",")
		self.assertEqual(cells[0], "330102")
		self.assertEqual(cells[5:7], ["330001", "10033001"])
		self.assertEqual(cells[9:], ["2033-09-19", "", "Part time", "6"])

	def test_queries_do_not_grow_with_placements(self):
		runs = {
			"register": lambda: placement_register.execute({"as_on": "2033-11-01"}),
			"outcomes": lambda: reintegration_outcomes.execute({"from_date": "2033-09-01"}),
			"funding": lambda: ap_funding_impact.execute({"from_date": "2033-09-01"}),
			"ehc": lambda: ehc_statutory_compliance.execute({"from_date": "2033-09-01"}),
			"census": lambda: census_rows("2034-01-19"),
		}
		for run in runs.values():
			run()
		before = {k: count_queries(run) for k, run in runs.items()}
		other = factories.make_checked_provider(
			"Placement Reports Provider Q", places=10, urn="330002", expires_on="2040-01-01"
		).name
		for i in range(3):
			self.placement(
				self.school_c,
				"Year 10",
				"2033-10-03",
				ehc=bool(i % 2),
				end=("Ended Early", "2033-11-04"),
				provider=other,
			)
		after = {k: count_queries(run) for k, run in runs.items()}
		self.assertEqual(before, after)
