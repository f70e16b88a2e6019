# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""The process right over time, as an LA officer sees it. Each class is one numbered
problem of the issue, told as a story with people acting days apart (time frozen per step, the
daily jobs run between steps), as real users: a School Referrer, a PRT Officer, a Panel Chair,
a provider's staff.

Each class works in its own weeks of the 2040s so that its panels meet no other test's."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from ap_provision import dashboard
from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.ap_provision.doctype.panel.panel import close_agendas
from ap_provision.ap_provision.doctype.placement.placement import make_review
from ap_provision.ap_provision.doctype.pupil.pupil import YEAR_GROUPS_ROLLED_KEY, roll_year_groups
from ap_provision.ap_provision.doctype.referral.referral import withdraw
from ap_provision.exceptions import (
	AnnualReviewDueError,
	NotReferableError,
	OpenReferralExistsError,
	PanelDecisionError,
	PanelStatusError,
	PlacementError,
	PlacementStartError,
	PlacementUpdateError,
	WithdrawalError,
)
from ap_provision.tests import factories
from ap_provision.tests.factories import at

SCHOOL_USER = "overtime-school@example.org"
PRT = "overtime-prt@example.org"
CHAIR = "overtime-chair@example.org"
PROVIDER_USER = "overtime-provider@example.org"
CASEWORKER = "overtime-caseworker@example.org"
BOSS = "overtime-boss@example.org"


class OverTimeCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.school = factories.make_school("100915", "Over Time Academy").name
		# Checks valid through the 2040s, when these stories happen.
		cls.provider = factories.make_checked_provider(
			factories.unique("Overtime AP "), places=20, expires_on="2049-12-31"
		).name
		factories.make_user(SCHOOL_USER, ["School Referrer"], school=cls.school)
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(CHAIR, ["Panel Chair"])
		factories.make_user(PROVIDER_USER, ["AP Provider User"], provider=cls.provider)
		factories.make_user(CASEWORKER, ["SEND Caseworker"])
		factories.make_user(BOSS, ["BOSS Practitioner"])
		factories.make_email_account()

	def setUp(self):
		factories.mute_notification_emails(self.addCleanup)

	def tearDown(self):
		frappe.set_user("Administrator")

	# -- helpers ----------------------------------------------------------------------------

	def settings(self, **values):
		"""Change AP Settings for this test only (restored afterwards)."""
		settings = frappe.get_single("AP Settings")
		old = {k: settings.get(k) for k in values}
		settings.update(values)
		settings.save(ignore_permissions=True)

		def restore():
			s = frappe.get_single("AP Settings")
			s.update(old)
			s.save(ignore_permissions=True)

		self.addCleanup(restore)

	def panels(self, *dates):
		return [factories.make_panel(d).name for d in dates]

	def draft(self, year_group="Year 5", when=None, user=SCHOOL_USER, **pupil_values):
		"""A pupil and a draft referral written by the school, at `when` (frozen)."""
		with self.freeze_time(when):
			pupil = factories.make_pupil(self.school, year_group, **pupil_values)
			with self.set_user(user):
				return frappe.get_doc(
					{
						"doctype": "Referral",
						"pupil": pupil.name,
						"boss_report": factories.boss_report(),
						"reason_for_referral": "Escalating incidents despite support.",
					}
				).insert()

	def act(self, name, action, user, when, **values):
		"""A workflow action as `user` at `when`; `values` are saved with it (a withdrawal's
		reason through the endpoint the form uses)."""
		with self.freeze_time(when), self.set_user(user):
			if action == "Withdraw":
				return withdraw(name, values.get("withdrawal_reason"))
			doc = frappe.get_doc("Referral", name)
			if values:
				doc.update(values)
				doc.save()
			return apply_workflow(doc, action)

	def nightly(self, day):
		"""The daily jobs of the night after `day` (run at 01:00 the next morning)."""
		with self.freeze_time(at(add_days(day, 1), "01:00:00")):
			close_agendas()

	def referral(self, name):
		return frappe.get_doc("Referral", name)

	def on_agenda(self, panel, referral):
		return bool(
			frappe.db.exists(
				"Panel Agenda Item", {"parenttype": "Panel", "parent": panel, "referral": referral}
			)
		)

	def hold(self, panel, day):
		with self.freeze_time(at(day, "09:00:00")):
			doc = frappe.get_doc("Panel", panel)
			doc.chair = CHAIR
			doc.status = "Held"
			doc.save(ignore_permissions=True)


class TestReceiptNotTriage(OverTimeCase):
	"""1. R1 is about when the PRT receives a referral: one received by the deadline keeps its
	panel however many days later it is triaged, until that panel is held."""

	def fortnight(self, first):
		"""Two Wednesday panels a fortnight apart for one story (each story its own weeks)."""
		self.first, self.second = self.panels(first, add_days(first, 14))

	def test_received_thursday_afternoon_triaged_friday_keeps_its_panel(self):
		self.fortnight("2041-01-16")  # deadline Thursday 10 January, papers Friday 11th
		referral = self.draft(when="2041-01-08 10:00:00")
		submitted = self.act(referral.name, "Submit", SCHOOL_USER, "2041-01-10 15:00:00")
		self.assertEqual(submitted.panel, self.first)
		# The night after Friday (the papers' day), the agenda closes and the papers go out.
		self.nightly("2041-01-11")
		self.assertEqual(frappe.db.get_value("Panel", self.first, "status"), "Agenda Closed")
		# The PRT triages on Monday: still the panel of 16 January, on its agenda, not late.
		accepted = self.act(referral.name, "Accept", PRT, "2041-01-14 09:30:00")
		self.assertEqual(accepted.panel, self.first)
		self.assertEqual(accepted.late_referral, 0)
		self.assertIn("16 January 2041", accepted.panel_note)
		self.assertTrue(self.on_agenda(self.first, referral.name))
		self.assertFalse(self.on_agenda(self.second, referral.name))

	def test_received_at_23_59_on_the_deadline_thursday_is_on_time(self):
		self.fortnight("2041-05-15")  # deadline Thursday 9 May
		referral = self.draft(when="2041-05-08 10:00:00")
		submitted = self.act(referral.name, "Submit", SCHOOL_USER, "2041-05-09 23:59:00")
		self.nightly("2041-05-10")
		accepted = self.act(referral.name, "Accept", PRT, "2041-05-14 16:00:00")
		self.assertEqual(
			(submitted.panel, accepted.panel, accepted.late_referral), (self.first, self.first, 0)
		)

	def test_a_prt_correction_after_the_deadline_day_keeps_the_panel_the_referral_was_in_time_for(self):
		self.fortnight("2041-02-13")  # deadline Thursday 7 February
		referral = self.draft(when="2041-02-06 10:00:00")
		late = self.act(referral.name, "Submit", SCHOOL_USER, "2041-02-08 08:10:00")
		self.assertEqual((late.panel, late.late_referral), (self.second, 1))
		self.nightly("2041-02-08")
		# On Monday the PRT finds it was e-mailed on Thursday evening.
		with self.freeze_time("2041-02-11 11:00:00"), self.set_user(PRT):
			doc = frappe.get_doc("Referral", referral.name)
			doc.received_on_override = "2041-02-07 18:05:00"
			doc.received_on_override_reason = "E-mailed to the PRT inbox on Thursday evening."
			doc.save()
		self.assertEqual((doc.panel, doc.late_referral), (self.first, 0))
		accepted = self.act(referral.name, "Accept", PRT, "2041-02-11 11:05:00")
		self.assertEqual(accepted.panel, self.first)
		self.assertTrue(self.on_agenda(self.first, referral.name))

	def test_accepted_after_its_panel_was_held_it_goes_to_the_next_not_marked_late(self):
		self.fortnight("2041-03-13")  # deadline Thursday 7 March
		referral = self.draft(when="2041-03-06 10:00:00")
		self.act(referral.name, "Submit", SCHOOL_USER, "2041-03-07 12:00:00")
		self.nightly("2041-03-08")
		self.hold(self.first, "2041-03-13")
		accepted = self.act(referral.name, "Accept", PRT, "2041-03-14 10:00:00")
		self.assertEqual((accepted.panel, accepted.late_referral), (self.second, 0))
		self.assertIn("met before", accepted.panel_note)

	def test_the_workspace_shows_on_time_referrals_not_yet_triaged_for_the_next_panel(self):
		self.fortnight("2041-04-03")  # deadline Thursday 28 March
		waiting = self.draft(when="2041-03-25 10:00:00")
		self.act(waiting.name, "Submit", SCHOOL_USER, "2041-03-28 17:00:00")
		triaged = self.draft(when="2041-03-25 10:00:00")
		self.act(triaged.name, "Submit", SCHOOL_USER, "2041-03-26 17:00:00")
		self.act(triaged.name, "Accept", PRT, "2041-03-27 09:00:00")
		self.nightly("2041-03-29")
		with self.freeze_time("2041-04-01 08:00:00"), self.set_user(PRT):
			card = dashboard.to_triage_for_next_panel()
		self.assertEqual(card["route_options"], {"workflow_state": "Submitted", "panel": self.first})
		with self.set_user(PRT):
			names = frappe.get_list("Referral", filters=card["route_options"], pluck="name")
		self.assertIn(waiting.name, names)
		self.assertNotIn(triaged.name, names)
		self.assertEqual(card["value"], len(names))

	def test_agenda_papers_can_close_a_number_of_open_days_before_the_panel(self):
		self.settings(agenda_papers_close="Open days before the panel", papers_open_days_before_panel=2)
		self.fortnight("2041-06-12")  # deadline Thursday 6 June
		panel = frappe.get_doc("Panel", self.first)
		self.assertEqual(str(panel.papers_close_on), "2041-06-10")  # Monday before Wednesday 12th
		self.nightly("2041-06-07")  # Friday after the deadline: still open
		self.assertEqual(frappe.db.get_value("Panel", self.first, "status"), "Scheduled")
		self.nightly("2041-06-10")
		self.assertEqual(frappe.db.get_value("Panel", self.first, "status"), "Agenda Closed")


class TestResubmission(OverTimeCase):
	"""2. A resubmission after more information was requested keeps the first receipt and any
	PRT correction of it (AP Settings may count it as a new receipt instead, and then says so)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.mar13, cls.mar27 = (factories.make_panel(d).name for d in ("2041-03-13", "2041-03-27"))

	def corrected_then_asked(self):
		referral = self.draft(when="2041-03-04 10:00:00")
		self.act(referral.name, "Submit", SCHOOL_USER, "2041-03-08 09:00:00")  # after Thursday 7th
		with self.freeze_time("2041-03-08 11:00:00"), self.set_user(PRT):
			doc = frappe.get_doc("Referral", referral.name)
			doc.received_on_override = "2041-03-07 16:45:00"
			doc.received_on_override_reason = "Handed in at reception on Thursday."
			doc.save()
		self.assertEqual(doc.panel, self.mar13)
		self.act(referral.name, "Request Information", PRT, "2041-03-08 11:30:00")
		return referral

	def test_the_first_receipt_and_the_prt_correction_survive_a_resubmission(self):
		referral = self.corrected_then_asked()
		again = self.act(
			referral.name,
			"Submit",
			SCHOOL_USER,
			"2041-03-11 14:00:00",
			support_already_given="Pastoral support plan since January.",
		)
		self.assertEqual(str(again.received_on), "2041-03-07 16:45:00")
		self.assertEqual(str(again.received_on_override), "2041-03-07 16:45:00")
		self.assertEqual((again.panel, again.late_referral), (self.mar13, 0))

	def test_where_the_la_counts_a_resubmission_as_new_the_correction_is_replaced_and_said(self):
		self.settings(resubmission_receipt="Is a new receipt")
		referral = self.corrected_then_asked()
		again = self.act(referral.name, "Submit", SCHOOL_USER, "2041-03-11 14:00:00")
		self.assertEqual(str(again.received_on), "2041-03-11 14:00:00")
		self.assertIsNone(again.received_on_override)
		self.assertEqual((again.panel, again.late_referral), (self.mar27, 1))
		comments = frappe.get_all(
			"Comment",
			filters={"reference_doctype": "Referral", "reference_name": referral.name},
			pluck="content",
		)
		self.assertTrue(any("no longer applies" in c for c in comments), comments)


class TestPanelsMovedAndClosedDays(OverTimeCase):
	"""3. Deadlines off bank holidays and closures; a moved panel re-checks and tells its
	referrals; a panel can be cancelled, its referrals going to the next one."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from ap_provision.ap_provision.doctype.la_closure.la_closure import insert_bank_holidays

		insert_bank_holidays([2025, 2026])
		frappe.get_doc(
			{
				"doctype": "LA Closure",
				"closure_name": "Christmas holiday 2025",
				"closure_type": "School Holiday",
				"start_date": "2025-12-22",
				"end_date": "2026-01-02",
			}
		).insert(ignore_permissions=True)
		cls.apr10, cls.apr24, cls.may8 = (
			factories.make_panel(d).name for d in ("2041-04-10", "2041-04-24", "2041-05-08")
		)

	def test_the_panel_of_7_january_2026_does_not_have_its_deadline_on_new_years_day(self):
		panel = factories.make_panel("2026-01-07")
		self.assertEqual(str(panel.referral_deadline), "2025-12-19")  # the last open day before
		self.settings(deadline_on_closed_day="The open day after")
		panel.save(ignore_permissions=True)
		self.assertEqual(str(panel.referral_deadline), "2026-01-05")

	def test_moving_a_panel_re_checks_its_referrals_and_tells_their_school(self):
		referral = self.draft(when="2041-04-01 10:00:00")
		self.act(referral.name, "Submit", SCHOOL_USER, "2041-04-03 10:00:00")
		self.act(referral.name, "Accept", PRT, "2041-04-04 10:00:00")
		self.assertEqual(self.referral(referral.name).panel, self.apr10)
		with self.freeze_time("2041-04-05 12:00:00"), self.set_user(PRT):
			panel = frappe.get_doc("Panel", self.apr10)
			panel.panel_date = "2041-04-12"  # postponed two days, same week
			panel.save()
		self.assertEqual(str(panel.moved_from), "2041-04-10")
		moved = self.referral(referral.name)
		self.assertEqual((moved.panel, str(moved.panel_date)), (self.apr10, "2041-04-12"))
		self.assertTrue(self.on_agenda(self.apr10, referral.name))
		told = frappe.get_all(
			"Notification Log",
			filters={"for_user": SCHOOL_USER, "document_type": "Referral", "document_name": referral.name},
			pluck="subject",
		)
		self.assertTrue(told)

	def test_cancelling_a_panel_sends_its_referrals_to_the_next_one_on_time(self):
		on_time = self.draft(when="2041-04-15 10:00:00")
		self.act(on_time.name, "Submit", SCHOOL_USER, "2041-04-18 16:00:00")
		self.act(on_time.name, "Accept", PRT, "2041-04-19 10:00:00")
		waiting = self.draft(when="2041-04-15 10:00:00")
		self.act(waiting.name, "Submit", SCHOOL_USER, "2041-04-17 16:00:00")
		with self.freeze_time("2041-04-22 09:00:00"), self.set_user(PRT):
			panel = frappe.get_doc("Panel", self.apr24)
			panel.status = "Cancelled"
			self.assertRaises(PanelStatusError, panel.save)
			panel = frappe.get_doc("Panel", self.apr24)
			panel.status = "Cancelled"
			panel.cancellation_reason = "The chair is ill and no substitute is available."
			panel.save()
		for name, state in ((on_time.name, "Accepted for Panel"), (waiting.name, "Submitted")):
			doc = self.referral(name)
			self.assertEqual((doc.panel, doc.late_referral, doc.workflow_state), (self.may8, 0, state))
		self.assertTrue(self.on_agenda(self.may8, on_time.name))
		self.assertFalse(self.on_agenda(self.apr24, on_time.name))

	def test_the_last_panel_cannot_be_cancelled_while_referrals_wait_for_it(self):
		referral = self.draft(when="2041-04-29 10:00:00")
		self.act(referral.name, "Submit", SCHOOL_USER, "2041-05-02 10:00:00")
		with self.freeze_time("2041-05-03 09:00:00"), self.set_user(PRT):
			panel = frappe.get_doc("Panel", self.may8)
			panel.status = "Cancelled"
			panel.cancellation_reason = "Venue flooded."
			with self.assertRaisesRegex(PanelStatusError, "without a panel"):
				panel.save()
		self.assertEqual(self.referral(referral.name).panel, self.may8)


class TestYearGroupAtTheStart(OverTimeCase):
	"""4. The key stage and pathway are judged at the start; Year 6 and Year 11 ends are flagged;
	a Year 11 draft can still be withdrawn after 1 September; year groups move on 1 September."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.get_doc(
			{
				"doctype": "LA Closure",
				"closure_name": "Summer holiday 2041",
				"closure_type": "School Holiday",
				"start_date": "2041-07-22",
				"end_date": "2041-09-03",
			}
		).insert(ignore_permissions=True)
		cls.jun12, cls.jul10 = (factories.make_panel(d).name for d in ("2041-06-12", "2041-07-10"))

	def test_a_year_9_pupil_referred_in_june_for_september_is_judged_in_year_10(self):
		referral = self.draft(
			"Year 9", when="2041-06-24 10:00:00", has_ehc_plan=1, send_caseworker=CASEWORKER
		)
		self.assertEqual((referral.year_group, referral.year_group_at_start), ("Year 9", "Year 10"))
		self.assertEqual((referral.key_stage, referral.referral_type), ("KS4", "Alternative Pathway"))
		self.assertEqual(str(referral.start_basis_date), "2041-09-04")  # after the summer closure
		self.assertEqual(frappe.db.get_value("EHC Assessment", referral.ehc_assessment, "pathway"), "KS4")

	def test_the_panel_sees_a_placement_running_past_the_end_of_year_6(self):
		referral = self.draft("Year 6", when="2041-06-03 10:00:00")
		self.assertEqual(referral.year_group_at_start, "Year 6")
		self.assertIn("finishes Year 6 on Friday 19 July 2041", referral.end_of_phase_warning)
		submitted = self.act(referral.name, "Submit", SCHOOL_USER, "2041-06-04 10:00:00")
		self.assertIn("Year 6", submitted.end_of_phase_warning)

	def test_a_year_11_draft_can_be_withdrawn_after_1_september(self):
		referral = self.draft("Year 11", when="2041-05-20 10:00:00")
		with self.freeze_time("2041-09-10 10:00:00"), self.set_user(SCHOOL_USER):
			self.assertRaises(
				NotReferableError, apply_workflow, frappe.get_doc("Referral", referral.name), "Submit"
			)
		withdrawn = self.act(
			referral.name,
			"Withdraw",
			SCHOOL_USER,
			"2041-09-10 10:05:00",
			withdrawal_reason="The pupil has left for college.",
		)
		self.assertEqual(withdrawn.workflow_state, "Withdrawn")

	def test_year_groups_move_on_1_september(self):
		with self.freeze_time("2041-07-01 10:00:00"):
			pupil = factories.make_pupil(self.school, "Year 5")
			leaver = factories.make_pupil(self.school, "Year 11")
		old = frappe.db.get_default(YEAR_GROUPS_ROLLED_KEY)
		self.addCleanup(frappe.db.set_default, YEAR_GROUPS_ROLLED_KEY, old or "")
		frappe.db.set_default(YEAR_GROUPS_ROLLED_KEY, "2040")  # rolled for 2040/41 already
		with self.freeze_time("2041-08-31 23:00:00"):
			self.assertEqual(roll_year_groups(), 0)
		self.assertEqual(frappe.db.get_value("Pupil", pupil.name, "year_group"), "Year 5")
		with self.freeze_time("2041-09-01 02:00:00"):
			self.assertGreaterEqual(roll_year_groups(), 2)
			self.assertEqual(roll_year_groups(), 0)  # once a year
		self.assertEqual(
			frappe.db.get_value("Pupil", pupil.name, ["year_group", "key_stage"]), ("Year 6", "KS2")
		)
		self.assertEqual(frappe.db.get_value("Pupil", leaver.name, "year_group"), None)


class TestAnnualReviewsOverThePlacement(OverTimeCase):
	"""5. R7 runs to the placement's planned end (term time lasts longer), is checked again at
	the start, and the next annual review is within 12 months of the last."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.get_doc(
			{
				"doctype": "LA Closure",
				"closure_name": "Easter holiday 2042",
				"closure_type": "School Holiday",
				"start_date": "2042-03-31",
				"end_date": "2042-04-11",
			}
		).insert(ignore_permissions=True)
		cls.jan15, cls.jan29 = (factories.make_panel(d).name for d in ("2042-01-15", "2042-01-29"))

	def ehc_draft(self, next_review, when="2042-01-05 10:00:00"):
		referral = self.draft(
			"Year 5",
			when=when,
			has_ehc_plan=1,
			send_caseworker=CASEWORKER,
			last_annual_review_date="2041-06-01",
			next_annual_review_due=next_review,
		)
		with self.freeze_time(when), self.set_user(SCHOOL_USER):
			assessment = frappe.get_doc("EHC Assessment", referral.ehc_assessment)
			factories.complete_ehc_answers(assessment)
			assessment.last_annual_review_date = "2041-06-01"
			assessment.next_annual_review_due = next_review
			assessment.save()
		return referral

	def test_r7_counts_to_the_end_of_a_term_time_placement(self):
		# Panel 15 January, start 26 January: 16 calendar weeks end 17 May, term time 1 June.
		self.settings(term_time_placements=1)
		referral = self.ehc_draft("2042-05-25")
		with self.assertRaises(AnnualReviewDueError):
			self.act(referral.name, "Submit", SCHOOL_USER, "2042-01-08 10:00:00")

	def test_the_annual_review_is_checked_again_when_the_placement_starts(self):
		referral = self.ehc_draft("2042-05-31")
		self.act(referral.name, "Submit", SCHOOL_USER, "2042-01-08 10:00:00")
		self.act(referral.name, "Accept", PRT, "2042-01-09 10:00:00")
		approved = factories.decide(referral.name, "Approved", CHAIR, provider=self.provider)
		with self.set_user(PRT), self.freeze_time("2042-01-16 10:00:00"):
			placement = factories.make_placement(approved.name)
		# The caseworker brings the review forward into the placement.
		with self.set_user(CASEWORKER):
			frappe.db.set_value("Pupil", approved.pupil, "next_annual_review_due", "2042-03-02")
		with self.set_user(PRT), self.freeze_time(at(placement.start_date)):
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.status = "Active"
			with self.assertRaisesRegex(PlacementStartError, "annual review"):
				doc.save()

	def test_the_next_annual_review_is_within_12_months_of_the_last(self):
		with self.freeze_time("2042-01-05 10:00:00"):
			pupil = factories.make_pupil(self.school, "Year 5", has_ehc_plan=1)
		with self.freeze_time("2042-01-05 11:00:00"):
			pupil.reload()
			pupil.last_annual_review_date = "2041-06-01"
			pupil.next_annual_review_due = "2042-06-02"
			self.assertRaises(AnnualReviewDueError, pupil.save)
			pupil.reload()
			pupil.last_annual_review_date = "2041-06-01"
			pupil.next_annual_review_due = "2042-06-01"
			pupil.save()


class TestKS4DaysAndFunding(OverTimeCase):
	"""6. The panel decides a KS4 placement's days; the funding timeline follows every change."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.feb12 = factories.make_panel("2042-02-12").name

	def accepted_ks4(self):
		referral = self.draft(
			"Year 10", when="2042-02-02 10:00:00", has_ehc_plan=1, send_caseworker=CASEWORKER
		)
		with self.freeze_time("2042-02-02 10:00:00"), self.set_user(SCHOOL_USER):
			assessment = frappe.get_doc("EHC Assessment", referral.ehc_assessment)
			factories.complete_ehc_answers(assessment).save()
		self.act(referral.name, "Submit", SCHOOL_USER, "2042-02-03 10:00:00")
		return self.act(referral.name, "Accept", PRT, "2042-02-04 10:00:00")

	def test_a_ks4_approval_needs_the_days_and_the_placement_takes_them(self):
		referral = self.accepted_ks4()
		with self.assertRaisesRegex(PanelDecisionError, "1 to 5 days"):
			factories.decide(referral.name, "Approved", CHAIR, provider=self.provider, days_per_week=None)
		approved = factories.decide(referral.name, "Approved", CHAIR, provider=self.provider, days_per_week=3)
		with self.set_user(PRT), self.freeze_time("2042-02-13 10:00:00"):
			placement = factories.make_placement(approved.name)
		self.assertEqual(placement.days_per_week, 3)
		self.assertEqual(placement.ehc_funding_ceased, 0)
		self.assertIn("continues", placement.funding_note)

	def test_the_funding_timeline_ceases_and_restores(self):
		referral = self.accepted_ks4()
		approved = factories.decide(referral.name, "Approved", CHAIR, provider=self.provider, days_per_week=5)
		with self.set_user(PRT), self.freeze_time("2042-02-13 10:00:00"):
			placement = factories.make_placement(approved.name)
		start = getdate(placement.start_date)
		self.assertEqual((placement.ehc_funding_ceased, placement.ehc_funding_ceased_from), (1, start))
		with self.set_user(PRT), self.freeze_time(at(start)):
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.status = "Active"
			doc.save()
		drop = add_days(start, 21)
		with self.set_user(PRT), self.freeze_time(at(drop)):
			doc = frappe.get_doc("Placement", placement.name)
			doc.days_per_week = 3
			doc.save()
		self.assertEqual((doc.ehc_funding_ceased, doc.ehc_funding_ceased_from), (0, start))
		self.assertEqual(getdate(doc.ehc_funding_restored_on), drop)
		back = add_days(start, 35)
		with self.set_user(PRT), self.freeze_time(at(back)):
			doc = frappe.get_doc("Placement", placement.name)
			doc.days_per_week = 5
			doc.save()
		self.assertEqual((doc.ehc_funding_ceased, getdate(doc.ehc_funding_ceased_from)), (1, back))
		self.assertIsNone(doc.ehc_funding_restored_on)
		end = add_days(start, 60)
		with self.set_user(PRT), self.freeze_time(at(end)):
			doc = frappe.get_doc("Placement", placement.name)
			doc.status = "Transitioned"
			doc.save()
		self.assertEqual(getdate(doc.ehc_funding_restored_on), add_days(end, 1))
		self.assertEqual(doc.ehc_funding_ceased, 0)

	def test_a_ks4_placement_without_the_panels_days_asks_for_them(self):
		referral = self.accepted_ks4()
		approved = factories.decide(referral.name, "Approved", CHAIR, provider=self.provider, days_per_week=4)
		frappe.db.set_value(
			"Referral", approved.name, "days_per_week", 0
		)  # decided before the panel decided the days
		with self.set_user(PRT), self.freeze_time("2042-02-13 10:00:00"):
			with self.assertRaisesRegex(PlacementError, "1 to 5 whole days"):
				factories.make_placement(approved.name)


class TestWorkflowDeadEnds(OverTimeCase):
	"""7. Withdraw from any state before a decision; one open referral per pupil; re-referral
	to BOSS after reintegration for any pupil; a KS4 pupil may reintegrate."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.mar12, cls.mar26 = (factories.make_panel(d).name for d in ("2042-03-12", "2042-03-26"))

	def test_withdraw_from_each_state_before_a_decision_with_a_reason(self):
		for steps in (
			[("Submit", SCHOOL_USER), ("Request Information", PRT)],
			[("Submit", SCHOOL_USER), ("Accept", PRT)],
		):
			referral = self.draft(when="2042-03-02 10:00:00")
			for action, user in steps:
				self.act(referral.name, action, user, "2042-03-03 10:00:00")
			with self.assertRaises(WithdrawalError):
				self.act(referral.name, "Withdraw", SCHOOL_USER, "2042-03-04 10:00:00")
			withdrawn = self.act(
				referral.name,
				"Withdraw",
				SCHOOL_USER,
				"2042-03-04 10:00:00",
				withdrawal_reason="The family has moved out of the area.",
			)
			self.assertEqual(withdrawn.workflow_state, "Withdrawn")
			self.assertFalse(self.on_agenda(self.mar12, referral.name))

	def test_a_deferred_referral_can_be_withdrawn(self):
		referral = self.draft(when="2042-03-02 10:00:00")
		self.act(referral.name, "Submit", SCHOOL_USER, "2042-03-03 10:00:00")
		self.act(referral.name, "Accept", PRT, "2042-03-04 10:00:00")
		factories.decide(referral.name, "Deferred", CHAIR)
		withdrawn = self.act(
			referral.name,
			"Withdraw",
			PRT,
			"2042-03-13 10:00:00",
			withdrawal_reason="Needs met in school now.",
		)
		self.assertEqual(withdrawn.workflow_state, "Withdrawn")

	def test_a_pupil_has_one_open_referral_at_a_time(self):
		first = self.draft(when="2042-03-02 10:00:00")
		with self.freeze_time("2042-03-02 11:00:00"), self.set_user(SCHOOL_USER):
			second = frappe.get_doc(
				{"doctype": "Referral", "pupil": first.pupil, "boss_report": factories.boss_report()}
			)
			with self.assertRaisesRegex(OpenReferralExistsError, first.name):
				second.insert()
		self.act(first.name, "Withdraw", SCHOOL_USER, "2042-03-02 12:00:00", withdrawal_reason="Duplicate.")
		with self.freeze_time("2042-03-02 13:00:00"), self.set_user(SCHOOL_USER):
			frappe.get_doc(
				{"doctype": "Referral", "pupil": first.pupil, "boss_report": factories.boss_report()}
			).insert()

	def running(self, year_group, days_per_week=None):
		referral = self.draft(year_group, when="2042-03-02 10:00:00")
		self.act(referral.name, "Submit", SCHOOL_USER, "2042-03-03 10:00:00")
		self.act(referral.name, "Accept", PRT, "2042-03-04 10:00:00")
		approved = factories.decide(
			referral.name, "Approved", CHAIR, provider=self.provider, days_per_week=days_per_week
		)
		with self.set_user(PRT), self.freeze_time("2042-03-13 10:00:00"):
			placement = factories.make_placement(approved.name)
		with self.set_user(PRT), self.freeze_time(at(placement.start_date)):
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.status = "Active"
			doc.save()
		return doc

	def review(self, placement, on, outcome, **values):
		with self.set_user(PRT), self.freeze_time(at(on, "14:00:00")):
			doc = make_review(placement)
			doc.review_date = getdate(on)
			doc.next_review_date = add_days(on, 42)
			doc.outcome = outcome
			doc.update(values)
			for row in doc.attendees:
				row.attended = 1
			doc.insert()
			doc = frappe.get_doc("Review", doc.name)
			doc.submit()
			return doc

	def test_a_reintegrated_pupil_without_an_ehc_plan_can_be_re_referred_to_boss(self):
		placement = self.running("Year 4")
		self.review(placement.name, add_days(placement.start_date, 30), "Reintegrated")
		self.assertEqual(frappe.db.get_value("Placement", placement.name, "status"), "Completed")
		follow_up = self.review(
			placement.name,
			add_days(placement.start_date, 60),
			"Re-refer to BOSS",
			outcome_notes="Incidents again since the return.",
		)
		self.assertEqual(follow_up.review_type, "Follow-up")
		self.assertTrue(follow_up.boss_task)

	def test_a_ks4_pupil_can_return_to_mainstream(self):
		placement = self.running("Year 10", days_per_week=3)
		with self.assertRaisesRegex(frappe.ValidationError, "usually"):
			self.review(placement.name, add_days(placement.start_date, 30), "Begin Reintegration")
		self.review(
			placement.name,
			add_days(placement.start_date, 30),
			"Begin Reintegration",
			outcome_notes="Year 10 pupil settled; the school has a place in a smaller group.",
		)
		self.assertEqual(frappe.db.get_value("Placement", placement.name, "status"), "Reintegrating")
		self.review(
			placement.name,
			add_days(placement.start_date, 50),
			"Reintegrated",
			outcome_notes="Back full time.",
		)
		self.assertEqual(frappe.db.get_value("Placement", placement.name, "status"), "Completed")


class TestProviderReports(OverTimeCase):
	"""8. An empty report does not reset the overdue clock; a safeguarding concern reaches the
	pupil's school as well as the PRT."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.may14 = factories.make_panel("2042-05-14").name

	def running(self):
		referral = self.draft("Year 8", when="2042-05-04 10:00:00")
		self.act(referral.name, "Submit", SCHOOL_USER, "2042-05-05 10:00:00")
		self.act(referral.name, "Accept", PRT, "2042-05-06 10:00:00")
		approved = factories.decide(referral.name, "Approved", CHAIR, provider=self.provider)
		with self.set_user(PRT), self.freeze_time("2042-05-15 10:00:00"):
			placement = factories.make_placement(approved.name)
		with self.set_user(PRT), self.freeze_time(at(placement.start_date)):
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.status = "Active"
			doc.save()
		return doc

	def report(self, placement, rows, **values):
		start = rows[0]["attendance_date"] if rows else placement.start_date
		end = rows[-1]["attendance_date"] if rows else add_days(placement.start_date, 4)
		with self.set_user(PROVIDER_USER), self.freeze_time(at(end, "16:00:00")):
			return frappe.get_doc(
				{
					"doctype": "Placement Update",
					"placement": placement.name,
					"period_start": start,
					"period_end": end,
					"attendance": rows,
					**values,
				}
			).insert()

	def test_a_report_without_attendance_progress_or_attainment_does_not_count(self):
		placement = self.running()
		due = frappe.db.get_value("Placement", placement.name, "next_update_due")
		rows = factories.attendance_rows(placement.start_date, 5)
		for attendance, values in (
			([], {"progress": "Settling in"}),  # no attendance
			(rows[:2] + rows[3:], {"progress": "Settling in"}),  # a weekday unmarked
			(rows, {"progress": "", "attainment": " "}),  # nothing on progress or attainment
		):
			with self.assertRaises(PlacementUpdateError):
				self.report(placement, attendance, **values)
		self.assertEqual(frappe.db.get_value("Placement", placement.name, "next_update_due"), due)
		self.report(placement, rows, progress="Settling in", attainment="Reading age 10")
		self.assertGreater(frappe.db.get_value("Placement", placement.name, "next_update_due"), due)

	def test_a_safeguarding_concern_alerts_the_school_too(self):
		placement = self.running()
		report = self.report(
			placement,
			factories.attendance_rows(placement.start_date, 5),
			progress="Settling in",
			attainment="Reading age 10",
			safeguarding_concern=1,
			safeguarding_details="Disclosure at lunch; DSL informed.",
		)
		recipients = frappe.db.get_value("Placement Alert", f"safeguarding:{report.name}", "recipients")
		self.assertIn(SCHOOL_USER, recipients)
		self.assertIn(PRT, recipients)


class TestChecklistForThePanel(OverTimeCase):
	"""9. The KS4 checklist asks in the seed's KS4 words; answers that need the panel's
	attention reach the referral; the resources windows of AP Settings are applied."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.jun11 = factories.make_panel("2042-06-11").name

	def test_a_no_to_meeting_needs_or_section_f_is_flagged_on_the_referral(self):
		referral = self.draft(
			"Year 5", when="2042-06-01 10:00:00", has_ehc_plan=1, send_caseworker=CASEWORKER
		)
		with self.freeze_time("2042-06-01 11:00:00"), self.set_user(SCHOOL_USER):
			assessment = frappe.get_doc("EHC Assessment", referral.ehc_assessment)
			factories.complete_ehc_answers(
				assessment, can_continue_to_meet_needs="No", section_f_implemented="No"
			)
			assessment.save()
		flags = self.referral(referral.name).ehc_panel_flags
		self.assertIn("not be able to continue to meet", flags)
		self.assertIn("section F", flags)

	def test_the_ks4_checklist_has_its_own_wording(self):
		meta = frappe.get_meta("EHC Assessment")
		self.assertIn("with robust discussions", meta.get_field("annual_review_held_ks4").label)
		self.assertIn("being followed", meta.get_field("section_f_reviewed_ks4").label)
		self.assertIn("inadvertently", meta.get_field("reasonable_adjustments_made").label)

	def test_the_resources_window_of_ap_settings_applies(self):
		referral = self.draft(
			"Year 5", when="2042-06-01 10:00:00", has_ehc_plan=1, send_caseworker=CASEWORKER
		)
		with self.freeze_time("2042-06-01 11:00:00"), self.set_user(SCHOOL_USER):
			assessment = frappe.get_doc("EHC Assessment", referral.ehc_assessment)
			factories.complete_ehc_answers(
				assessment,
				resources_likely_next_6_months="Yes",
				caseworker_discussion_date="2041-10-01",  # 8 months before
				caseworker_discussion_notes="Top-up funding to be requested.",
			)
			assessment.save()
		with self.assertRaisesRegex(frappe.ValidationError, "more than 6 months ago"):
			self.act(referral.name, "Submit", SCHOOL_USER, "2042-06-02 10:00:00")
		self.settings(resources_window_months=9)
		self.assertEqual(
			self.act(referral.name, "Submit", SCHOOL_USER, "2042-06-02 10:00:00").workflow_state, "Submitted"
		)


class TestEnglishSiteDefaults(OverTimeCase):
	"""11. A site that has not chosen otherwise runs on Europe/London with dd-mm-yyyy dates, GBP
	and the United Kingdom; R1's end of the deadline day is midnight in London."""

	def test_install_sets_english_defaults_only_where_the_site_has_not_chosen(self):
		from ap_provision.setup.install import set_english_defaults

		settings = frappe.get_single("System Settings")
		kept = {f: settings.get(f) for f in ("time_zone", "date_format", "country", "number_format")}

		def restore():
			s = frappe.get_single("System Settings")
			s.update(kept)
			s.flags.ignore_mandatory = True
			s.save(ignore_permissions=True)
			if hasattr(frappe.local, "system_settings"):
				del frappe.local.system_settings

		self.addCleanup(restore)
		settings.update({"time_zone": "", "date_format": "", "country": "", "number_format": ""})
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)
		set_english_defaults()
		settings = frappe.get_single("System Settings")
		self.assertEqual(
			(settings.time_zone, settings.date_format, settings.country),
			("Europe/London", "dd-mm-yyyy", "United Kingdom"),
		)
		self.assertEqual(frappe.db.get_default("currency"), "GBP")
		settings.time_zone = "America/New_York"
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)
		set_english_defaults()
		self.assertEqual(frappe.db.get_single_value("System Settings", "time_zone"), "America/New_York")

	def test_the_deadline_ends_at_midnight_in_london(self):
		"""Thursday 11 July 2030 is in British Summer Time: 22:30 UTC is 23:30 in London, on
		time; 23:30 UTC is 00:30 on Friday, late. (Frappe's own default, Asia/Kolkata, would
		make both late. Frappe reads time zones through pytz, which knows British Summer Time
		only up to 2037: the story is set before then.)"""
		from freezegun import freeze_time

		self.assertEqual(frappe.utils.get_system_timezone(), "Europe/London")
		factories.make_panel("2030-07-17")
		factories.make_panel("2030-07-24")
		on_time = self.draft(when="2030-07-08 10:00:00")
		late = self.draft(when="2030-07-08 10:00:00")
		for referral, utc, panel in (
			(on_time, "2030-07-11 22:30:00", "PANEL-2030-07-17"),
			(late, "2030-07-11 23:30:00", "PANEL-2030-07-24"),
		):
			with freeze_time(utc), self.set_user(SCHOOL_USER):
				submitted = apply_workflow(frappe.get_doc("Referral", referral.name), "Submit")
			self.assertEqual(submitted.panel, panel)
			self.assertEqual(submitted.late_referral, int(referral is late))
