# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""Referral intake driven as real users: a School Referrer of school A, a PRT Officer, a
Panel Chair. Time is frozen on Thursday 14 January 2027, the deadline day of the panel on
Wednesday 20 January 2027 (R1)."""

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from ap_provision.exceptions import (
	AnnualReviewDueError,
	EHCEvidenceIncompleteError,
	InvalidUPNError,
	MissingEvidenceError,
	NotReferableError,
	PupilNotPermittedError,
	ReceivedOnOverrideError,
	ReferralLockedError,
)
from ap_provision.tests import factories

DEADLINE_DAY = "2027-01-14 10:00:00"  # Thursday: deadline of the 20 January panel
DAY_AFTER = "2027-01-15 09:00:00"  # Friday: too late for 20 January, in time for 3 February
SCHOOL_A = "school-a-referrer@example.org"
SCHOOL_B = "school-b-referrer@example.org"
PRT = "prt-officer@example.org"
CHAIR = "panel-chair@example.org"
MEMBER = "panel-member@example.org"
BOSS_REPORT = "boss report"  # uploaded as the referrer when the referral is made (new_referral)


class TestReferral(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.school_a = factories.make_school("100001", "Alder Primary").name
		cls.school_b = factories.make_school("100002", "Birch Academy").name
		factories.make_user(SCHOOL_A, ["School Referrer"], school=cls.school_a)
		factories.make_user(SCHOOL_B, ["School Referrer"], school=cls.school_b)
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(CHAIR, ["Panel Chair"])
		factories.make_user(MEMBER, ["Panel Member"])
		cls.panels = [factories.make_panel(d).name for d in ("2027-01-20", "2027-02-03", "2027-02-17")]

	def tearDown(self):
		frappe.set_user("Administrator")

	# -- helpers --------------------------------------------------------------------------

	def new_referral(self, user=SCHOOL_A, pupil=None, **values):
		pupil = pupil or factories.make_pupil(self.school_a, "Year 5").name
		with self.set_user(user):
			if values.get("boss_report") == BOSS_REPORT:
				values["boss_report"] = factories.boss_report()
			return frappe.get_doc({"doctype": "Referral", "pupil": pupil, **values}).insert()

	def act(self, referral, action, user):
		with self.set_user(user):
			doc = frappe.get_doc("Referral", referral.name)
			return apply_workflow(doc, action)

	# -- R1 -------------------------------------------------------------------------------

	def test_panel_deadline_is_thursday_of_the_week_before(self):
		self.assertEqual(str(frappe.db.get_value("Panel", self.panels[0], "referral_deadline")), "2027-01-14")
		self.assertEqual(str(frappe.db.get_value("Panel", self.panels[1], "referral_deadline")), "2027-01-28")

	def test_on_time_referral_goes_to_the_next_panel(self):
		with self.freeze_time(DEADLINE_DAY):
			referral = self.new_referral(boss_report=BOSS_REPORT, reason_for_referral="Escalating incidents")
			submitted = self.act(referral, "Submit", SCHOOL_A)
		self.assertEqual(submitted.workflow_state, "Submitted")
		self.assertEqual(submitted.panel, self.panels[0])
		self.assertEqual(submitted.late_referral, 0)
		self.assertEqual(str(submitted.received_on)[:10], "2027-01-14")

	def test_late_referral_rolls_to_the_following_panel_and_says_why(self):
		with self.freeze_time(DAY_AFTER):
			referral = self.new_referral(boss_report=BOSS_REPORT)
			submitted = self.act(referral, "Submit", SCHOOL_A)
		self.assertEqual(submitted.panel, self.panels[1])
		self.assertEqual(submitted.late_referral, 1)
		self.assertIn("20 January 2027", submitted.panel_note)
		self.assertIn("3 February 2027", submitted.panel_note)

	def test_school_cannot_set_received_on(self):
		with self.freeze_time(DAY_AFTER):
			referral = self.new_referral(boss_report=BOSS_REPORT)
			with self.set_user(SCHOOL_A):
				doc = frappe.get_doc("Referral", referral.name)
				doc.received_on = "2027-01-01 09:00:00"
				doc.received_on_override = "2027-01-01 09:00:00"
				doc.received_on_override_reason = "We sent it earlier"
				doc.save()
				self.assertIsNone(doc.received_on)
				self.assertIsNone(doc.received_on_override)
			submitted = self.act(referral, "Submit", SCHOOL_A)
		self.assertEqual(str(submitted.received_on)[:10], "2027-01-15")
		self.assertEqual(submitted.panel, self.panels[1])

	def test_prt_correction_of_received_on_needs_a_reason(self):
		with self.freeze_time(DAY_AFTER):
			referral = self.act(self.new_referral(boss_report=BOSS_REPORT), "Submit", SCHOOL_A)
			with self.set_user(PRT):
				doc = frappe.get_doc("Referral", referral.name)
				doc.received_on_override = "2027-01-14 16:30:00"
				self.assertRaises(ReceivedOnOverrideError, doc.save)
				doc.reload()
				doc.received_on_override = "2027-01-14 16:30:00"
				doc.received_on_override_reason = "Emailed to PRT inbox on Thursday; logged late."
				doc.save()
		self.assertEqual(str(doc.received_on), "2027-01-14 16:30:00")
		self.assertEqual(doc.panel, self.panels[0])
		self.assertEqual(doc.late_referral, 0)

	def test_prt_correction_of_received_on_is_in_the_version_log(self):
		# Not frozen: Frappe's version log is checked on the real clock.
		today = frappe.utils.getdate()
		factories.make_panel(frappe.utils.add_days(today, 28))
		referral = self.act(self.new_referral(boss_report=BOSS_REPORT), "Submit", SCHOOL_A)
		corrected = frappe.utils.add_to_date(referral.received_on, hours=-2)
		with self.set_user(PRT):
			doc = frappe.get_doc("Referral", referral.name)
			doc.received_on_override = corrected
			doc.received_on_override_reason = "Hand-delivered to reception earlier that day."
			doc.save(ignore_version=False)  # the test runner skips versions unless asked
		changes = [
			change
			for data in frappe.get_all(
				"Version", filters={"ref_doctype": "Referral", "docname": doc.name}, pluck="data"
			)
			for change in frappe.parse_json(data).get("changed", [])
		]
		changed_fields = {field for field, _old, _new in changes}
		self.assertTrue(
			{"received_on", "received_on_override", "received_on_override_reason"} <= changed_fields
		)

	def test_no_scheduled_panel_refuses_submission(self):
		# After every panel on the site (a shared test site keeps other runs' panels).
		latest = frappe.db.sql("select max(panel_date) from `tabPanel`")[0][0]
		day = max(getdate("2027-03-01"), add_days(getdate(latest), 30) if latest else getdate("2027-03-01"))
		with self.freeze_time(f"{day} 09:00:00"):
			referral = self.new_referral(boss_report=BOSS_REPORT)
			with self.assertRaises(frappe.ValidationError) as caught:
				self.act(referral, "Submit", SCHOOL_A)
		self.assertIn("panel", str(caught.exception).lower())
		self.assertEqual(frappe.db.get_value("Referral", referral.name, "workflow_state"), "Draft")

	# -- R2 -------------------------------------------------------------------------------

	def test_submit_needs_boss_report_or_named_specialist_advice(self):
		with self.freeze_time(DEADLINE_DAY):
			referral = self.new_referral()
			self.assertRaises(MissingEvidenceError, self.act, referral, "Submit", SCHOOL_A)
			self.assertEqual(frappe.db.get_value("Referral", referral.name, "workflow_state"), "Draft")
			self.assertIsNone(frappe.db.get_value("Referral", referral.name, "received_on"))
			with self.set_user(SCHOOL_A):
				doc = frappe.get_doc("Referral", referral.name)
				doc.specialist_advice = factories.boss_report("ep-report.pdf")
				doc.save()
			self.assertRaises(MissingEvidenceError, self.act, referral, "Submit", SCHOOL_A)
			with self.set_user(SCHOOL_A):
				doc.reload()
				doc.specialist_advice_source = "Educational psychologist, Dr J Smith, 3 December 2026"
				doc.save()
			self.assertEqual(self.act(referral, "Submit", SCHOOL_A).workflow_state, "Submitted")

	# -- R3 -------------------------------------------------------------------------------

	def test_key_stage_and_referral_type_follow_the_year_group(self):
		with self.freeze_time(DEADLINE_DAY):
			ks2 = self.new_referral(pupil=factories.make_pupil(self.school_a, "Year 6").name)
			ks4 = self.new_referral(pupil=factories.make_pupil(self.school_a, "Year 10").name)
		self.assertEqual(
			(ks2.year_group, ks2.key_stage, ks2.referral_type), ("Year 6", "KS2", "Intervention Placement")
		)
		self.assertEqual(
			(ks4.year_group, ks4.key_stage, ks4.referral_type), ("Year 10", "KS4", "Alternative Pathway")
		)

	def test_eyfs_and_post16_pupils_are_refused(self):
		with self.freeze_time(DEADLINE_DAY):
			reception = factories.make_pupil(self.school_a, "Reception")
			self.assertEqual(reception.key_stage, "EYFS")
			self.assertRaises(NotReferableError, self.new_referral, pupil=reception.name)
			older = factories.make_pupil(self.school_a, "Year 11")
			frappe.db.set_value("Pupil", older.name, "date_of_birth", "2009-06-01")  # Year 12 in 2026/27
			self.assertRaises(NotReferableError, self.new_referral, pupil=older.name)

	def test_out_of_cohort_year_group_needs_a_reason(self):
		with self.freeze_time(DEADLINE_DAY):
			pupil = factories.make_pupil(self.school_a, "Year 7")
			pupil.year_group_override = 1
			pupil.override_year_group = "Year 6"
			pupil.year_group_override_reason = ""
			self.assertRaises(frappe.ValidationError, pupil.save)
			pupil.reload()
			pupil.update(
				{
					"year_group_override": 1,
					"override_year_group": "Year 6",
					"year_group_override_reason": "Kept back a year on EP advice",
				}
			)
			pupil.save()
			self.assertEqual((pupil.year_group, pupil.key_stage), ("Year 6", "KS2"))
			self.assertEqual(self.new_referral(pupil=pupil.name).key_stage, "KS2")

	def test_date_of_birth_in_the_future_is_refused(self):
		with self.freeze_time(DEADLINE_DAY):
			with self.assertRaises(frappe.ValidationError) as caught:
				factories.make_pupil(self.school_a, date_of_birth="2027-06-01")
		self.assertIn("future", str(caught.exception))

	# -- UPN ------------------------------------------------------------------------------

	def test_upn_check_letter_and_duplicates(self):
		good = factories.make_upn()
		wrong_letter = ("A" if good[0] != "A" else "B") + good[1:]
		self.assertRaises(InvalidUPNError, factories.make_pupil, self.school_a, upn=wrong_letter)
		factories.make_pupil(self.school_a, upn=good.lower())
		self.assertRaises(InvalidUPNError, factories.make_pupil, self.school_b, upn=good)

	# -- isolation between schools ----------------------------------------------------------

	def test_school_cannot_refer_another_schools_pupil(self):
		other = factories.make_pupil(self.school_a, "Year 4")
		with self.freeze_time(DEADLINE_DAY):
			self.assertRaises(
				(PupilNotPermittedError, frappe.PermissionError),
				self.new_referral,
				SCHOOL_B,
				other.name,
				boss_report=BOSS_REPORT,
			)
			referral = self.new_referral(boss_report=BOSS_REPORT, pupil=other.name)
			self.assertRaises(frappe.PermissionError, self.act, referral, "Submit", SCHOOL_B)
		with self.set_user(SCHOOL_B):
			self.assertNotIn(referral.name, frappe.get_list("Referral", pluck="name"))

	def test_school_cannot_change_a_submitted_referral_or_decide_it(self):
		with self.freeze_time(DEADLINE_DAY):
			referral = self.act(self.new_referral(boss_report=BOSS_REPORT), "Submit", SCHOOL_A)
			with self.set_user(SCHOOL_A):
				doc = frappe.get_doc("Referral", referral.name)
				doc.reason_for_referral = "Changed after submission"
				self.assertRaises(ReferralLockedError, doc.save)
			self.assertRaises(WorkflowTransitionError, self.act, referral, "Accept", SCHOOL_A)
			accepted = self.act(referral, "Accept", PRT)
			self.assertEqual(accepted.workflow_state, "Accepted for Panel")
			self.assertRaises(WorkflowTransitionError, self.act, referral, "Approve", MEMBER)

	def test_more_information_then_resubmit(self):
		with self.freeze_time(DEADLINE_DAY):
			referral = self.act(self.new_referral(boss_report=BOSS_REPORT), "Submit", SCHOOL_A)
			self.act(referral, "Request Information", PRT)
			with self.set_user(SCHOOL_A):
				doc = frappe.get_doc("Referral", referral.name)
				doc.support_already_given = "Pastoral support plan since September"
				doc.save()
			self.assertEqual(self.act(referral, "Submit", SCHOOL_A).workflow_state, "Submitted")

	def test_deferred_referral_goes_to_the_next_panel_when_accepted_again(self):
		with self.freeze_time(DEADLINE_DAY):
			referral = self.act(self.new_referral(boss_report=BOSS_REPORT), "Submit", SCHOOL_A)
			self.act(referral, "Accept", PRT)
		factories.decide(referral.name, "Deferred", CHAIR)  # on the panel's date, 20 January
		with self.freeze_time("2027-01-21 09:00:00"):
			again = self.act(referral, "Accept", PRT)
		self.assertEqual(again.workflow_state, "Accepted for Panel")
		self.assertEqual(again.panel, self.panels[1])

	# -- EHC: R7, R8, R9, R11 ---------------------------------------------------------------

	def ehc_referral(self, year_group: str):
		pupil = factories.make_pupil(
			self.school_a, year_group, has_ehc_plan=1, next_annual_review_due="2027-11-01"
		)
		referral = self.new_referral(pupil=pupil.name, boss_report=BOSS_REPORT)
		self.assertTrue(referral.ehc_assessment)
		return referral

	def save_assessment_as_school(self, referral, **overrides):
		with self.set_user(SCHOOL_A):
			assessment = frappe.get_doc("EHC Assessment", referral.ehc_assessment)
			factories.complete_ehc_answers(assessment, today=frappe.utils.today(), **overrides)
			assessment.save()
			return assessment

	def test_ehc_ks1_3_checklist_must_be_complete_with_recent_advice(self):
		with self.freeze_time(DEADLINE_DAY):
			referral = self.ehc_referral("Year 4")
			assessment = frappe.get_doc("EHC Assessment", referral.ehc_assessment)
			self.assertEqual(assessment.pathway, "KS1-3")
			self.assertFalse(assessment.is_complete)
			self.assertRaises(EHCEvidenceIncompleteError, self.act, referral, "Submit", SCHOOL_A)
			# R9: advice older than 12 months does not count
			assessment = self.save_assessment_as_school(referral, advice_date="2025-12-01")
			self.assertFalse(assessment.is_complete)
			self.assertIn("12 months", assessment.missing_items)
			self.assertRaises(EHCEvidenceIncompleteError, self.act, referral, "Submit", SCHOOL_A)
			# R8: resources likely within 6 months need a recorded caseworker discussion
			assessment = self.save_assessment_as_school(
				referral,
				resources_likely_next_6_months="Yes",
				caseworker_discussion_date=None,
				caseworker_discussion_notes=None,
			)
			self.assertIn("discussion", assessment.missing_items.lower())
			self.assertRaises(EHCEvidenceIncompleteError, self.act, referral, "Submit", SCHOOL_A)
			self.save_assessment_as_school(
				referral,
				resources_likely_next_6_months="Yes",
				caseworker_discussion_date="2027-01-05",
				caseworker_discussion_notes="Agreed with caseworker to request top-up funding at review.",
			)
			referral.reload()
			self.assertIn("answered", referral.ehc_completeness)
			self.assertEqual(self.act(referral, "Submit", SCHOOL_A).workflow_state, "Submitted")

	def test_ehc_annual_review_inside_placement_window_blocks_submit(self):
		with self.freeze_time(DEADLINE_DAY):
			referral = self.ehc_referral("Year 8")
			self.save_assessment_as_school(referral, next_annual_review_due="2027-03-01")
			self.assertEqual(
				frappe.db.get_value("Pupil", referral.pupil, "next_annual_review_due").isoformat(),
				"2027-03-01",
			)
			self.assertRaises(AnnualReviewDueError, self.act, referral, "Submit", SCHOOL_A)
			self.assertEqual(frappe.db.get_value("Referral", referral.name, "workflow_state"), "Draft")
			# The review is held early: the next one falls a year later, outside the window.
			self.save_assessment_as_school(
				referral,
				annual_review_held="Yes",
				last_annual_review_date="2027-01-12",
				next_annual_review_due="2028-01-12",
			)
			self.assertEqual(self.act(referral, "Submit", SCHOOL_A).workflow_state, "Submitted")

	def test_ehc_ks4_checklist_asks_the_ks4_questions(self):
		with self.freeze_time(DEADLINE_DAY):
			referral = self.ehc_referral("Year 10")
			assessment = self.save_assessment_as_school(
				referral, pupil_views="", preparation_for_adulthood=""
			)
			self.assertEqual(assessment.pathway, "KS4")
			self.assertFalse(assessment.is_complete)
			self.assertRaises(EHCEvidenceIncompleteError, self.act, referral, "Submit", SCHOOL_A)
			self.save_assessment_as_school(referral)
			self.assertEqual(self.act(referral, "Submit", SCHOOL_A).workflow_state, "Submitted")
