# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""The panel cycle driven as real users: a School Referrer, a PRT Officer, the chairs of
two panels and a Panel Member. Panels meet on Wednesdays 9 June (P), 23 June (Q) and
7 July 2027 (R); P's referral deadline is Thursday 3 June."""

import threading

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase

from ap_provision.ap_provision.doctype.la_closure.la_closure import add_bank_holidays, insert_bank_holidays
from ap_provision.ap_provision.doctype.panel.panel import close_agendas, generate_schedule
from ap_provision.ap_provision.doctype.referral.referral import record_decision
from ap_provision.exceptions import (
	AgendaFrozenError,
	PanelDecisionError,
	PanelStatusError,
	ReferralAlreadyDecidedError,
)
from ap_provision.tests import factories
from ap_provision.tests.pdf import render_pdf

SCHOOL = "panel-school-referrer@example.org"
PRT = "panel-prt-officer@example.org"
CHAIR_P = "chair-of-p@example.org"
CHAIR_Q = "chair-of-q@example.org"
MEMBER = "panel-member-p@example.org"
CASEWORKER = "panel-send-caseworker@example.org"
P_DATE, Q_DATE, R_DATE = "2027-06-09", "2027-06-23", "2027-07-07"
BEFORE_P_DEADLINE = "2027-06-02 10:00:00"
ON_P = "2027-06-09 10:00:00"


class TestPanel(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.school = factories.make_school("100301", "Cedar Primary").name
		factories.make_user(SCHOOL, ["School Referrer"], school=cls.school)
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(CHAIR_P, ["Panel Chair"])
		factories.make_user(CHAIR_Q, ["Panel Chair"])
		factories.make_user(MEMBER, ["Panel Member"])
		factories.make_user(CASEWORKER, ["SEND Caseworker"])
		cls.p, cls.q, cls.r = (factories.make_panel(d).name for d in (P_DATE, Q_DATE, R_DATE))
		frappe.db.set_value("Panel", cls.p, "chair", CHAIR_P)
		frappe.db.set_value("Panel", cls.q, "chair", CHAIR_Q)
		frappe.db.set_value("Panel", cls.r, "chair", CHAIR_P)
		cls.provider = factories.make_provider("Juniper Learning Centre", places=20).name
		factories.make_email_account()

	def setUp(self):
		frappe.db.savepoint("panel_test")

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="panel_test")

	# -- helpers --------------------------------------------------------------------------

	def accepted(self, year_group="Year 8", at=BEFORE_P_DEADLINE, **pupil_values):
		"""A referral submitted by the school and accepted by the PRT at `at`."""
		pupil = factories.make_pupil(self.school, year_group, on=at[:10], **pupil_values)
		with self.freeze_time(at):
			with self.set_user(SCHOOL):
				referral = frappe.get_doc(
					{
						"doctype": "Referral",
						"pupil": pupil.name,
						"boss_report": factories.boss_report(),
						"reason_for_referral": "Repeated suspensions this term",
					}
				).insert()
				if referral.ehc_assessment:
					assessment = frappe.get_doc("EHC Assessment", referral.ehc_assessment)
					factories.complete_ehc_answers(assessment, today=at[:10]).save()
				apply_workflow(frappe.get_doc("Referral", referral.name), "Submit")
			with self.set_user(PRT):
				return apply_workflow(frappe.get_doc("Referral", referral.name), "Accept")

	def decide_as(self, user, referral, decision, at=ON_P, **details):
		with self.freeze_time(at), self.set_user(user):
			return record_decision(referral.name, decision, **details)

	def approval(self, **overrides):
		return {"provider": self.provider, "expected_start_date": "2027-06-21", **overrides}

	def agenda(self, panel):
		return frappe.get_doc("Panel", panel).agenda

	# -- decisions: who, when, what ---------------------------------------------------------

	def test_chair_of_another_panel_cannot_decide(self):
		referral = self.accepted()
		self.assertEqual(referral.panel, self.p)
		with self.assertRaisesRegex(PanelDecisionError, "Only the chair of panel PANEL-2027-06-09"):
			self.decide_as(CHAIR_Q, referral, "Approved", **self.approval())
		self.assertEqual(
			frappe.db.get_value("Referral", referral.name, "workflow_state"), "Accepted for Panel"
		)

	def test_chair_cannot_decide_before_the_panel_date(self):
		referral = self.accepted()
		with self.assertRaisesRegex(PanelDecisionError, "Wednesday 9 June 2027"):
			self.decide_as(CHAIR_P, referral, "Approved", at="2027-06-08 16:00:00", **self.approval())
		decided = self.decide_as(CHAIR_P, referral, "Approved", **self.approval())
		self.assertEqual(decided.workflow_state, "Approved")
		self.assertEqual(decided.decided_by, CHAIR_P)

	def test_panel_member_cannot_decide_at_all(self):
		referral = self.accepted()
		with self.freeze_time(ON_P), self.set_user(MEMBER):
			with self.assertRaises(frappe.PermissionError):
				record_decision(referral.name, "Declined", decision_reason="No")
			with self.assertRaises((frappe.PermissionError, WorkflowTransitionError)):
				apply_workflow(frappe.get_doc("Referral", referral.name), "Decline")
		self.assertEqual(
			frappe.db.get_value("Referral", referral.name, "workflow_state"), "Accepted for Panel"
		)

	def test_decline_and_defer_need_reasons(self):
		referral = self.accepted()
		for decision in ("Declined", "Deferred"):
			with self.assertRaisesRegex(PanelDecisionError, "Give the panel's reasons"):
				self.decide_as(CHAIR_P, referral, decision)
		declined = self.decide_as(
			CHAIR_P, referral, "Declined", decision_reason="Needs are met by the school's own plan"
		)
		self.assertEqual(declined.docstatus, 1)

	def test_approve_needs_a_provider_with_a_place_and_a_start_date(self):
		referral = self.accepted()
		with self.assertRaisesRegex(PanelDecisionError, "Choose the AP provider"):
			self.decide_as(CHAIR_P, referral, "Approved", expected_start_date="2027-06-21")
		with self.assertRaisesRegex(PanelDecisionError, "expected start date"):
			self.decide_as(CHAIR_P, referral, "Approved", provider=self.provider)
		primary_only = factories.make_provider(
			"Rowan Primary Outreach", places=3, key_stages=("KS1", "KS2")
		).name
		with self.assertRaisesRegex(PanelDecisionError, "no free KS3 place"):
			self.decide_as(CHAIR_P, referral, "Approved", **self.approval(provider=primary_only))
		self.assertEqual(
			self.decide_as(CHAIR_P, referral, "Approved", **self.approval()).provider, self.provider
		)

	def test_a_full_provider_cannot_take_another_pupil(self):
		full = factories.make_provider("Hazel House", places=1, key_stages=("KS3",)).name
		first, second = self.accepted(), self.accepted()
		self.decide_as(CHAIR_P, first, "Approved", **self.approval(provider=full))
		with self.assertRaisesRegex(PanelDecisionError, "Hazel House has no free KS3 place"):
			self.decide_as(CHAIR_P, second, "Approved", **self.approval(provider=full))

	def test_a_decision_already_made_is_reported_with_who_made_it(self):
		referral = self.accepted()
		self.decide_as(CHAIR_P, referral, "Approved", **self.approval())
		with self.freeze_time(ON_P), self.set_user(CHAIR_P):
			with self.assertRaisesRegex(ReferralAlreadyDecidedError, "already been decided \\(Approved\\)"):
				frappe.call(
					"ap_provision.workflow.apply_workflow",
					doc=frappe.get_doc("Referral", referral.name).as_dict(),
					action="Decline",
				)

	def test_stale_copy_cannot_overwrite_a_decision(self):
		referral = self.accepted()
		with self.freeze_time(ON_P), self.set_user(CHAIR_P):
			stale = frappe.get_doc("Referral", referral.name)
			stale.decision_reason = "Not enough evidence"
		self.decide_as(CHAIR_P, referral, "Approved", **self.approval())
		with self.freeze_time(ON_P), self.set_user(CHAIR_P):
			stale.workflow_state = "Declined"
			with self.assertRaises(ReferralAlreadyDecidedError):
				stale.submit()
		self.assertEqual(frappe.db.get_value("Referral", referral.name, "workflow_state"), "Approved")

	# -- agenda ---------------------------------------------------------------------------

	def test_agenda_fills_in_received_order_and_shows_decisions(self):
		first = self.accepted(at="2027-05-31 09:00:00")
		second = self.accepted(at="2027-06-01 09:00:00", has_ehc_plan=1, send_caseworker=CASEWORKER)
		rows = self.agenda(self.p)
		self.assertEqual([r.referral for r in rows], [first.name, second.name])
		self.assertEqual(rows[1].has_ehc_plan, 1)
		self.assertEqual(rows[1].key_stage, "KS3")
		self.decide_as(CHAIR_P, second, "Deferred", decision_reason="Awaiting the EP report")
		row = self.agenda(self.p)[1]
		self.assertEqual((row.decision, row.decision_reason), ("Deferred", "Awaiting the EP report"))

	def test_agenda_keeps_received_order_when_acceptance_comes_out_of_order(self):
		"""A referral received first but accepted last goes to its place, not the end: the
		order is the rule's (panels.agenda_sort_key), numbered 1, 2, 3."""
		from ap_provision.rules.panels import agenda_sort_key

		pupil = factories.make_pupil(self.school, "Year 8", on="2027-05-31")
		with self.freeze_time("2027-05-31 09:00:00"), self.set_user(SCHOOL):
			early = frappe.get_doc(
				{
					"doctype": "Referral",
					"pupil": pupil.name,
					"boss_report": factories.boss_report(),
					"reason_for_referral": "Received first, accepted last",
				}
			).insert()
			apply_workflow(frappe.get_doc("Referral", early.name), "Submit")
		middle = self.accepted(at="2027-06-01 09:00:00")
		last = self.accepted(at="2027-06-02 09:00:00")
		with self.freeze_time("2027-06-03 09:00:00"), self.set_user(PRT):
			apply_workflow(frappe.get_doc("Referral", early.name), "Accept")
		rows = self.agenda(self.p)
		ours = [r.referral for r in rows if r.referral in (early.name, middle.name, last.name)]
		self.assertEqual(ours, [early.name, middle.name, last.name])
		received = dict(
			frappe.get_all(
				"Referral",
				filters={"name": ("in", [r.referral for r in rows])},
				fields=["name", "received_on"],
				as_list=True,
			)
		)
		self.assertEqual(
			[r.referral for r in rows],
			sorted((r.referral for r in rows), key=lambda name: agenda_sort_key(received.get(name), name)),
		)
		self.assertEqual([r.idx for r in rows], list(range(1, len(rows) + 1)))

	def test_decision_recorded_on_the_agenda_moves_the_referral(self):
		referral = self.accepted()
		with self.freeze_time(ON_P), self.set_user(CHAIR_P):
			panel = frappe.get_doc("Panel", self.p)
			row = next(r for r in panel.agenda if r.referral == referral.name)
			row.update({"decision": "Approved", **self.approval(), "decision_conditions": "Weekly contact"})
			panel.save()
		saved = frappe.get_doc("Referral", referral.name)
		self.assertEqual(
			(saved.workflow_state, saved.provider, saved.decision_conditions, saved.decided_by),
			("Approved", self.provider, "Weekly contact", CHAIR_P),
		)

	def test_agenda_decision_by_the_wrong_chair_saves_nothing(self):
		referral = self.accepted()
		with self.freeze_time(ON_P), self.set_user(CHAIR_Q):
			panel = frappe.get_doc("Panel", self.p)
			row = next(r for r in panel.agenda if r.referral == referral.name)
			row.update({"decision": "Declined", "decision_reason": "No"})
			with self.assertRaises(PanelDecisionError):
				panel.save()

	def test_agenda_rows_cannot_be_added_or_removed_by_hand(self):
		self.accepted()
		with self.set_user(PRT):
			panel = frappe.get_doc("Panel", self.p)
			panel.agenda = panel.agenda[1:]
			with self.assertRaises(AgendaFrozenError):
				panel.save()
			panel = frappe.get_doc("Panel", self.p)
			panel.append("agenda", {"referral": panel.agenda[0].referral})
			with self.assertRaises(AgendaFrozenError):
				panel.save()

	def test_held_panel_freezes_its_agenda(self):
		on_p = self.accepted()
		with self.freeze_time(ON_P), self.set_user(PRT):
			panel = frappe.get_doc("Panel", self.p)
			panel.status = "Held"
			panel.save()
		late = self.accepted(at="2027-06-09 15:00:00")
		self.assertEqual(late.panel, self.q)
		self.assertEqual([r.referral for r in self.agenda(self.p)], [on_p.name])
		self.assertIn(late.name, [r.referral for r in self.agenda(self.q)])

	def test_deferred_referral_appears_on_the_next_panels_agenda(self):
		referral = self.accepted()
		self.decide_as(CHAIR_P, referral, "Deferred", decision_reason="Await the BOSS review")
		with self.freeze_time("2027-06-10 09:00:00"), self.set_user(PRT):
			again = apply_workflow(frappe.get_doc("Referral", referral.name), "Accept")
		self.assertEqual(again.panel, self.q)
		self.assertIn(referral.name, [r.referral for r in self.agenda(self.q)])
		# The first panel keeps its record of the deferral.
		row = next(r for r in self.agenda(self.p) if r.referral == referral.name)
		self.assertEqual(row.decision, "Deferred")
		approved = self.decide_as(
			CHAIR_Q,
			referral,
			"Approved",
			at="2027-06-23 10:00:00",
			**self.approval(expected_start_date="2027-06-28"),
		)
		self.assertEqual(approved.workflow_state, "Approved")

	# -- status and schedule --------------------------------------------------------------

	def test_agenda_closes_after_the_deadline_and_members_are_told(self):
		panel = frappe.get_doc("Panel", self.p)
		panel.append("members", {"member": MEMBER, "panel_role": "LA Officer"})
		panel.save()
		self.accepted()
		frappe.db.delete("Email Queue")
		# The papers close at the end of the open day after the deadline (Friday 4 June, AP
		# Settings' default): the PRT has that day to triage the last referrals.
		with self.freeze_time("2027-06-04 18:00:00"):
			close_agendas()
		self.assertEqual(frappe.db.get_value("Panel", self.p, "status"), "Scheduled")
		with self.freeze_time("2027-06-05 06:00:00"):
			close_agendas()
			close_agendas()
		self.assertEqual(frappe.db.get_value("Panel", self.p, "status"), "Agenda Closed")
		recipients = frappe.get_all(
			"Email Queue Recipient",
			filters={"parent": ("in", frappe.get_all("Email Queue", pluck="name"))},
			pluck="recipient",
		)
		self.assertIn(MEMBER, recipients)
		self.assertIn(CHAIR_P, recipients)
		self.assertEqual(recipients.count(MEMBER), 1)

	def test_status_moves_forward_only_and_not_too_early(self):
		with self.set_user(PRT):
			panel = frappe.get_doc("Panel", self.q)
			with self.freeze_time("2027-06-22 10:00:00"):
				panel.status = "Held"
				with self.assertRaisesRegex(PanelStatusError, "cannot be marked Held before then"):
					panel.save()
			with self.freeze_time("2027-06-23 10:00:00"):
				panel.reload()
				panel.status = "Held"
				panel.save()
				panel.reload()
				panel.status = "Scheduled"
				with self.assertRaisesRegex(PanelStatusError, "only moves forward"):
					panel.save()
				panel.reload()
				panel.status = "Closed"
				with self.assertRaisesRegex(PanelStatusError, "minutes"):
					panel.save()
				panel.reload()
				panel.status = "Closed"
				panel.minutes = "<p>All referrals decided.</p>"
				panel.save()
				self.assertEqual(frappe.db.get_value("Panel", self.q, "status"), "Closed")

	def test_schedule_skips_closures_moves_off_bank_holidays_and_never_duplicates(self):
		insert_bank_holidays([2028])
		frappe.get_doc(
			{
				"doctype": "LA Closure",
				"closure_name": "Spring half term",
				"closure_type": "School Holiday",
				"start_date": "2028-02-14",
				"end_date": "2028-02-18",
			}
		).insert()
		with self.set_user(PRT):
			# Mondays, fortnightly from 3 January 2028 (New Year's Day observed) to 13 March.
			result = generate_schedule("2028-01-03", "2028-03-13")
			again = generate_schedule("2028-01-03", "2028-03-13")
		dates = [
			str(d)
			for d in sorted(
				frappe.get_all("Panel", filters={"name": ("in", result["created"])}, pluck="panel_date")
			)
		]
		self.assertEqual(dates, ["2028-01-04", "2028-01-17", "2028-01-31", "2028-02-28", "2028-03-13"])
		self.assertTrue(any("Spring half term" in reason for reason in result["skipped"]), result)
		self.assertEqual(result["moved"], [{"from": "2028-01-03", "to": "2028-01-04"}])
		moved = frappe.get_doc("Panel", "PANEL-2028-01-04")
		self.assertEqual(str(moved.referral_deadline), "2027-12-30")
		self.assertEqual(again["created"], [])
		self.assertEqual(len(again["existing"]), len(result["created"]))

	def test_bad_schedule_and_bank_holiday_input_is_refused_clearly(self):
		before = frappe.db.count("LA Closure"), frappe.db.count("Panel")
		with self.set_user(PRT):
			for year in ("abc", "1850", "2027.5", "-1"):
				with self.assertRaisesRegex(frappe.ValidationError, "Give a year between 2000 and 2100"):
					add_bank_holidays(year)
			with self.assertRaisesRegex(frappe.ValidationError, "must end on or after its first panel"):
				generate_schedule("2028-03-01", "2028-01-01")
			with self.assertRaisesRegex(frappe.ValidationError, "on a weekday"):
				generate_schedule("2028-01-08", "2028-03-01")
			with self.assertRaisesRegex(frappe.ValidationError, "one academic year at a time"):
				generate_schedule("2028-01-03", "2030-01-01")
		self.assertEqual((frappe.db.count("LA Closure"), frappe.db.count("Panel")), before)

	def test_schedule_generation_needs_panel_create_permission(self):
		with self.set_user(MEMBER), self.assertRaises(frappe.PermissionError):
			generate_schedule("2028-09-06", "2028-10-06")

	# -- print formats and notifications ------------------------------------------------

	def test_print_formats_render_to_pdf_for_every_kind_of_decision(self):
		frappe.get_doc("AP Settings").update(
			{
				"la_name": "Example County Council",
				"la_address": "County Hall\nMarket Street\nExampleton EX1 1AA",
				"la_email": "prt@example.org",
				"letter_signatory": "A. Officer",
			}
		).save()
		panel = frappe.get_doc("Panel", self.p)
		panel.venue = "County Hall, Committee Room 2"
		panel.append("members", {"member": MEMBER, "panel_role": "LA Officer", "attendance": "Attended"})
		panel.save()
		approved = self.accepted(has_ehc_plan=1, send_caseworker=CASEWORKER)
		declined, deferred = self.accepted(), self.accepted(year_group="Year 10")
		self.decide_as(CHAIR_P, approved, "Approved", **self.approval(), decision_conditions="Weekly contact")
		self.decide_as(CHAIR_P, declined, "Declined", decision_reason="Needs met by the school's plan")
		self.decide_as(CHAIR_P, deferred, "Deferred", decision_reason="<script>alert(1)</script>")
		undecided = self.accepted()
		html = frappe.get_print("Panel", self.p, "Panel Agenda")
		self.assertIn("Example County Council", html)
		self.assertIn("Needs met by the school", html)
		self.assertIn("alert(1)", html)
		self.assertNotIn("<script>alert(1)</script>", html)
		self.assertIn(undecided.name, html)
		pdf = render_pdf("Panel", self.p, "Panel Agenda", keep_as="panel-agenda")
		self.assertTrue(pdf.startswith(b"%PDF"))
		texts = {}
		for label, referral in zip(
			("approved", "declined", "deferred", "undecided"),
			(approved, declined, deferred, undecided),
			strict=True,
		):
			texts[referral.name] = frappe.get_print("Referral", referral.name, "Panel Decision Letter")
			pdf = render_pdf(
				"Referral", referral.name, "Panel Decision Letter", keep_as=f"decision-letter-{label}"
			)
			self.assertTrue(pdf.startswith(b"%PDF"))
		self.assertIn("admission meeting", texts[approved.name])
		self.assertIn("Juniper Learning Centre", texts[approved.name])
		self.assertIn("did not approve", texts[declined.name])
		self.assertIn("deferred its decision", texts[deferred.name])
		self.assertNotIn("<script>alert(1)</script>", texts[deferred.name])
		self.assertIn("No panel decision has been recorded", texts[undecided.name])

	def test_decision_is_sent_to_the_referrer_and_the_caseworker(self):
		frappe.db.delete("Email Queue")
		referral = self.accepted(has_ehc_plan=1, send_caseworker=CASEWORKER)
		self.assertEqual(referral.send_caseworker, CASEWORKER)
		self.decide_as(CHAIR_P, referral, "Approved", **self.approval())
		queued = frappe.get_all("Email Queue", fields=["name", "message"])
		recipients = frappe.get_all(
			"Email Queue Recipient", filters={"parent": ("in", [q.name for q in queued])}, pluck="recipient"
		)
		self.assertIn(SCHOOL, recipients)
		self.assertIn(CASEWORKER, recipients)
		self.assertTrue(any("Panel decision for" in (q.message or "") for q in queued))


class TestPanelDecisionRace(FrappeTestCase):
	"""Two sessions of the chair decide the same referral at the same moment. The threads
	have their own database connections, so this test commits its data and deletes it all
	afterwards."""

	def test_two_decisions_at_once_give_one_decision_and_one_clear_error(self):
		site = frappe.local.site
		school = factories.make_school("100399", "Race Test School").name
		factories.make_user(CHAIR_P, ["Panel Chair"])
		provider = factories.make_provider("Race Test Provider", places=5).name
		panel = factories.make_panel("2029-03-07")
		panel.db_set("chair", CHAIR_P)
		pupil = factories.make_pupil(school, "Year 8", on="2029-02-20")
		with self.freeze_time("2029-02-20 10:00:00"):
			referral = frappe.get_doc(
				{"doctype": "Referral", "pupil": pupil.name, "boss_report": factories.boss_report()}
			).insert()
			apply_workflow(frappe.get_doc("Referral", referral.name), "Submit")
			apply_workflow(frappe.get_doc("Referral", referral.name), "Accept")
		frappe.db.commit()
		barrier = threading.Barrier(2)
		outcomes = {}

		def decide(decision, details):
			frappe.init(site=site)
			frappe.connect()
			try:
				frappe.set_user(CHAIR_P)
				doc = frappe.get_doc("Referral", referral.name)
				doc.update(details)
				doc.workflow_state = decision
				barrier.wait(timeout=10)
				doc.submit()
				frappe.db.commit()
				outcomes[decision] = "won"
			except Exception as error:
				frappe.db.rollback()
				outcomes[decision] = error
			finally:
				frappe.destroy()

		try:
			with self.freeze_time("2029-03-07 10:00:00"):
				threads = [
					threading.Thread(
						target=decide,
						args=("Approved", {"provider": provider, "expected_start_date": "2029-03-19"}),
					),
					threading.Thread(
						target=decide, args=("Declined", {"decision_reason": "Needs met in school"})
					),
				]
				for t in threads:
					t.start()
				for t in threads:
					t.join(timeout=60)
			winners = [d for d, outcome in outcomes.items() if outcome == "won"]
			losers = [outcome for outcome in outcomes.values() if outcome != "won"]
			self.assertEqual(len(winners), 1, outcomes)
			self.assertEqual(len(losers), 1, outcomes)
			self.assertIsInstance(losers[0], ReferralAlreadyDecidedError)
			self.assertIn("already been decided", str(losers[0]))
			self.assertEqual(frappe.db.get_value("Referral", referral.name, "workflow_state"), winners[0])
		finally:
			frappe.db.rollback()
			for doctype, filters in (
				("Panel Agenda Item", {"referral": referral.name}),
				("Version", {"ref_doctype": "Referral", "docname": referral.name}),
				("Comment", {"reference_doctype": "Referral", "reference_name": referral.name}),
				("Email Queue", {"reference_doctype": "Referral", "reference_name": referral.name}),
				("Referral", {"name": referral.name}),
				("Pupil", {"name": pupil.name}),
				("Panel", {"name": panel.name}),
				("AP Provider", {"name": provider}),
				("School", {"name": school}),
			):
				frappe.db.delete(doctype, filters)
			frappe.db.commit()
