# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""From "Approved" to the end of a placement, as real users: a PRT officer makes and runs
the placement, the provider reports, reviews are recorded, caseworkers and BOSS get their
tasks. Each rule is shown refusing and then allowing. Dates are frozen relative to the
placement's start (the referral factory approves at the next real panel)."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from ap_provision.ap_provision.doctype.ap_provider.ap_provider import places_taken
from ap_provision.ap_provision.doctype.placement import placement_jobs
from ap_provision.ap_provision.doctype.placement.placement import Placement, make_review
from ap_provision.exceptions import (
	PlacementError,
	PlacementExistsError,
	PlacementStartError,
	PlacementStatusError,
	PlacementUpdateError,
	ProviderDueDiligenceError,
	ReviewError,
)
from ap_provision.tests import factories
from ap_provision.tests.factories import at

PRT = "placement-prt@example.org"
CASEWORKER = "placement-caseworker@example.org"
BOSS = "placement-boss@example.org"
SCHOOL_USER = "placement-school@example.org"
PROVIDER_USER = "placement-provider@example.org"
OTHER_PROVIDER_USER = "placement-other-provider@example.org"


class PlacementTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.school = factories.make_school("100501", "Rowan High").name
		cls.provider = factories.make_checked_provider(factories.unique("Oak Tree AP ")).name
		cls.other_provider = factories.make_checked_provider(factories.unique("Elm AP ")).name
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(CASEWORKER, ["SEND Caseworker"])
		factories.make_user(BOSS, ["BOSS Practitioner"])
		factories.make_user(SCHOOL_USER, ["School Referrer"], school=cls.school)
		factories.make_user(PROVIDER_USER, ["AP Provider User"], provider=cls.provider)
		factories.make_user(OTHER_PROVIDER_USER, ["AP Provider User"], provider=cls.other_provider)
		if hasattr(factories, "make_email_account"):
			factories.make_email_account()

	def setUp(self):
		# Frappe emails an assignment at once in tests (sendmail now=True), and sending
		# commits: the ToDos for BOSS and the caseworker would leak the test's records.
		factories.mute_notification_emails(self.addCleanup)

	def tearDown(self):
		frappe.set_user("Administrator")

	# -- helpers ----------------------------------------------------------------------------

	def approved(self, year_group="Year 8", provider=None, **pupil_values):
		pupil_values.setdefault("has_ehc_plan", 1)
		pupil_values.setdefault("send_caseworker", CASEWORKER)
		referral = factories.make_accepted_referral(self.school, year_group, **pupil_values)
		panel_date = frappe.db.get_value("Panel", referral.panel, "panel_date")
		chair = factories.make_user("factory-panel-chair@example.org", ["Panel Chair"])
		return factories.decide(
			referral.name,
			"Approved",
			chair,
			provider=provider or self.provider,
			expected_start_date=str(add_days(panel_date, 7)),
		)

	def placed(self, referral, **values):
		with self.set_user(PRT):
			return factories.make_placement(referral.name, **values)

	def started(self, placement, on=None):
		on = on or placement.start_date
		with self.set_user(PRT), self.freeze_time(at(on)):
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.status = "Active"
			doc.save()
			return doc

	def report(self, placement, start, days=5, user=PROVIDER_USER, absent=None, **values):
		start = getdate(start)
		rows = factories.attendance_rows(start, days, absent)
		end = rows[-1]["attendance_date"]
		with self.set_user(user), self.freeze_time(at(end, "16:00:00")):
			return frappe.get_doc(
				{
					"doctype": "Placement Update",
					"placement": placement.name,
					"period_start": start,
					"period_end": end,
					"attendance": rows,
					"behaviour_incidents": values.pop("behaviour_incidents", 1),
					"progress": "Settling in",
					**values,
				}
			).insert()

	def new_review(self, placement, on, **values):
		with self.set_user(PRT), self.freeze_time(at(on)):
			doc = make_review(placement.name)
			doc.review_date = getdate(on)
			doc.next_review_date = add_days(on, 42)
			doc.update(values)
			for row in doc.attendees:
				row.attended = 1
			return doc.insert()

	def submit_review(self, review, on=None):
		with self.set_user(PRT), self.freeze_time(at(on or review.review_date, "15:00:00")):
			doc = frappe.get_doc("Review", review.name)
			doc.submit()
			return doc

	def alerts(self, placement, alert_type=None):
		filters = {"placement": placement}
		if alert_type:
			filters["alert_type"] = alert_type
		return frappe.get_all("Placement Alert", filters=filters, pluck="alert_key")


class TestPlacementKS3EHC(PlacementTestCase):
	"""A Year 8 pupil with an EHC plan: Intervention Placement, 16 weeks, reintegration."""

	def test_walk_from_approved_to_reintegrated(self):
		referral = self.approved("Year 8")
		self.assertEqual(referral.key_stage, "KS3")
		before = places_taken(self.provider, "KS3")

		# Create Placement from the approved referral (mapped doc), once.
		placement = self.placed(referral)
		start = getdate(placement.start_date)
		self.assertEqual(placement.status, "Planned")
		self.assertEqual(placement.placement_type, "Intervention Placement")
		self.assertEqual(getdate(placement.planned_end_date), add_days(start, 16 * 7 - 1))
		self.assertEqual(placement.pupil, referral.pupil)
		self.assertEqual(placement.has_ehc_plan, 1)
		self.assertEqual(placement.ehc_funding_ceased, 0)  # KS3: EHC funding continues (R12)
		self.assertEqual(placement.awpu_retained, 1)
		self.assertIn("SEND Caseworker", [r.stakeholder_role for r in placement.stakeholders])
		# The place the referral held is now held by the placement: not counted twice.
		self.assertEqual(places_taken(self.provider, "KS3"), before)
		with self.set_user(PRT):
			self.assertRaises(PlacementExistsError, factories.make_placement, referral.name)

		# R4 / R5: the placement cannot start until everything is recorded.
		with self.set_user(PRT), self.freeze_time(at(add_days(start, -1))):
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc, meeting_date=add_days(start, -3))
			doc.status = "Active"
			self.assertRaises(PlacementStartError, doc.save)  # before the start date
		# The safeguarding record exists but says nothing yet.
		frappe.db.set_value("Placement Safeguarding", placement.name, "safeguarding_arrangements", "")
		with self.set_user(PRT), self.freeze_time(at(start)):
			doc = frappe.get_doc("Placement", placement.name)
			doc.status = "Active"
			with self.assertRaisesRegex(PlacementStartError, "safeguarding"):
				doc.save()
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.admission_meeting_date = None
			doc.status = "Active"
			with self.assertRaisesRegex(PlacementStartError, "admission meeting"):
				doc.save()
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.stakeholders[0].confirmed = 0
			doc.status = "Active"
			with self.assertRaisesRegex(PlacementStartError, "confirm"):
				doc.save()
			self.assertEqual(frappe.db.get_value("Placement", placement.name, "status"), "Planned")
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.status = "Active"
			doc.save()
		self.assertEqual(doc.status, "Active")
		self.assertEqual(getdate(doc.next_update_due), add_days(start, 7))
		self.assertEqual(getdate(doc.next_review_date), add_days(start, 42))

		# R5: provider reports; every absence needs a reason.
		with self.assertRaisesRegex(PlacementUpdateError, "reason"):
			self.report(placement, start, absent={1: ("", None)})
		with self.assertRaises(frappe.PermissionError):
			self.report(placement, start, user=OTHER_PROVIDER_USER)
		first = self.report(placement, start, absent={1: ("Illness", "Unexplained")})
		self.assertEqual((first.sessions_possible, first.sessions_attended), (10, 8))
		self.assertEqual((first.authorised_absences, first.unexplained_absences), (1, 1))
		self.assertEqual(first.provider, self.provider)
		self.assertEqual(first.school, self.school)
		absent_day = factories.attendance_rows(start, 2)[1]["attendance_date"]
		self.assertEqual(
			self.alerts(placement.name, "Unexplained Absence"),
			[f"unexplained-absence:{placement.name}:{absent_day}"],
		)
		recipients = frappe.db.get_value(
			"Placement Alert", f"unexplained-absence:{placement.name}:{absent_day}", "recipients"
		)
		self.assertIn(SCHOOL_USER, recipients)
		self.assertIn(PRT, recipients)
		with self.assertRaisesRegex(PlacementUpdateError, "already covers"):
			self.report(placement, add_days(getdate(first.period_end), -1))
		second_start = add_days(getdate(first.period_end), 3)
		second = self.report(
			placement,
			second_start,
			behaviour_incidents=2,
			safeguarding_concern=1,
			safeguarding_details="Disclosure during lunch; DSL informed.",
		)
		self.assertEqual(self.alerts(placement.name, "Safeguarding Concern"), [f"safeguarding:{second.name}"])
		self.assertIn(
			PRT, frappe.db.get_value("Placement Alert", f"safeguarding:{second.name}", "recipients")
		)
		self.assertEqual(
			getdate(frappe.db.get_value("Placement", placement.name, "next_update_due")),
			add_days(getdate(second.period_end), 7),
		)

		# R6 / R10: an interim review with the right people, EHC amendments recorded.
		review_day = add_days(getdate(second.period_end), 3)
		review = self.new_review(
			placement, review_day, concerns_remain=1, outcome="Re-refer to BOSS", outcome_notes="Escalating"
		)
		self.assertEqual(review.updates_count, 2)
		self.assertEqual(review.sessions_possible, 20)
		self.assertEqual(review.sessions_attended, 18)
		self.assertEqual(review.behaviour_incidents, 3)
		self.assertEqual(review.unexplained_absences, 1)
		with self.set_user(PRT):
			review = frappe.get_doc("Review", review.name)
			review.attendees = [r for r in review.attendees if r.attendee_role != "SEND Caseworker"]
			review.save()
		with self.assertRaisesRegex(ReviewError, "caseworker"):
			self.submit_review(review)
		with self.set_user(PRT):
			review = frappe.get_doc("Review", review.name)
			review.append("attendees", {"attendee_role": "SEND Caseworker", "user": CASEWORKER, "invited": 1})
			review.append("actions", {"action": "Call parent", "due_date": add_days(review_day, 7)})
			review.save()
		with self.assertRaisesRegex(ReviewError, "amendments"):
			self.submit_review(review)
		with self.set_user(PRT):
			review = frappe.get_doc("Review", review.name)
			review.ehc_amendments_considered = "No amendments needed"
			review.save()
		with self.assertRaisesRegex(ReviewError, "owner"):
			self.submit_review(review)
		with self.set_user(PRT):
			review = frappe.get_doc("Review", review.name)
			review.actions[0].action_owner = PRT
			review.save()
		review = self.submit_review(review)
		# Re-referral to BOSS: a real task for the BOSS Practitioners.
		self.assertTrue(review.boss_task)
		todo = frappe.get_doc(
			"ToDo", {"reference_type": "Review", "reference_name": review.name, "allocated_to": BOSS}
		)
		with self.set_user(BOSS):
			self.assertIn(todo.name, frappe.get_list("ToDo", pluck="name"))
		self.assertEqual(
			getdate(frappe.db.get_value("Placement", placement.name, "last_review_date")), review_day
		)

		# Extension: a reason is needed.
		end = getdate(frappe.db.get_value("Placement", placement.name, "planned_end_date"))
		ext_day = add_days(review_day, 28)
		extend = self.new_review(
			placement,
			ext_day,
			outcome="Extend",
			new_planned_end_date=add_days(end, 28),
			ehc_amendments_considered="No amendments needed",
		)
		with self.assertRaisesRegex(ReviewError, "reason"):
			self.submit_review(extend)
		with self.set_user(PRT):
			extend = frappe.get_doc("Review", extend.name)
			extend.extension_reason = "Needs four more weeks to consolidate progress"
			extend.save()
		self.submit_review(extend)
		doc = frappe.get_doc("Placement", placement.name)
		self.assertEqual(getdate(doc.planned_end_date), add_days(end, 28))
		self.assertEqual(getdate(doc.extended_from), end)

		# Reintegration, then back full time: the caseworker gets the annual review (R10).
		reint_day = add_days(ext_day, 42)
		begin = self.new_review(
			placement,
			reint_day,
			review_type="Reintegration Planning",
			outcome="Begin Reintegration",
			ehc_amendments_considered="Amendments proposed",
			ehc_amendments="Section F: phased return timetable",
		)
		self.submit_review(begin)
		self.assertEqual(frappe.db.get_value("Placement", placement.name, "status"), "Reintegrating")
		with self.set_user(PRT), self.freeze_time(at(reint_day)):
			doc = frappe.get_doc("Placement", placement.name)
			doc.status = "Transitioned"
			self.assertRaises(PlacementStatusError, doc.save)

		final_day = add_days(reint_day, 28)
		with self.set_user(PRT):
			frappe.db.set_value("Pupil", referral.pupil, "send_caseworker", None)
			frappe.db.set_value("Placement", placement.name, "send_caseworker", None)
		final = self.new_review(
			placement,
			final_day,
			review_type="Final",
			outcome="Reintegrated",
			ehc_amendments_considered="No amendments needed",
		)
		with self.assertRaisesRegex(ReviewError, "caseworker"):
			self.submit_review(final)
		frappe.db.set_value("Pupil", referral.pupil, "send_caseworker", CASEWORKER)
		frappe.db.set_value("Placement", placement.name, "send_caseworker", CASEWORKER)
		with self.set_user(PRT):
			final = frappe.get_doc("Review", final.name)
			final.save()
		final = self.submit_review(final)
		doc = frappe.get_doc("Placement", placement.name)
		self.assertEqual(doc.status, "Completed")
		self.assertEqual(getdate(doc.actual_end_date), final_day)
		self.assertIsNone(doc.next_review_date)
		annual = frappe.get_doc("Review", final.annual_review)
		self.assertEqual(annual.review_type, "EHC Annual Review")
		self.assertEqual(annual.docstatus, 0)
		self.assertEqual(getdate(annual.review_date), add_days(final_day, 42))

		# Reintegration Outcomes counts it from the reviews that say so: re-referred to BOSS
		# (which outranks the reintegration) and extended.
		from ap_provision.ap_provision.report.reintegration_outcomes import reintegration_outcomes

		_c, data, *_rest = reintegration_outcomes.execute(
			{"provider": doc.provider, "from_date": final_day, "to_date": final_day, "group_by": "Key Stage"}
		)
		total = data[-1]
		self.assertEqual((total.ended, total.re_referred, total.extended, total.reintegrated), (1, 1, 1, 0))
		self.assertTrue(
			frappe.db.exists(
				"ToDo",
				{"reference_type": "Review", "reference_name": annual.name, "allocated_to": CASEWORKER},
			)
		)
		# The place is free again.
		self.assertEqual(places_taken(self.provider, "KS3"), before - 1)
		# Only an annual review can follow an ended placement.
		with self.set_user(PRT), self.assertRaises(ReviewError):
			frappe.get_doc(
				{
					"doctype": "Review",
					"placement": placement.name,
					"review_date": final_day,
					"review_type": "Interim",
				}
			).insert()
		# Reports stop once the placement has ended.
		with self.assertRaisesRegex(PlacementUpdateError, "Completed"):
			self.report(placement, add_days(final_day, -4), days=1)

		# The school reads its placement and reviews; the other provider does not.
		with self.set_user(SCHOOL_USER):
			self.assertIn(placement.name, frappe.get_list("Placement", pluck="name"))
			self.assertIn(final.name, frappe.get_list("Review", pluck="name"))
		with self.set_user(OTHER_PROVIDER_USER):
			self.assertNotIn(placement.name, frappe.get_list("Placement", pluck="name"))
			self.assertNotIn(first.name, frappe.get_list("Placement Update", pluck="name"))

	def test_one_placement_per_referral_even_when_two_officers_race(self):
		referral = self.approved("Year 7")
		with self.set_user(PRT):
			first = factories.new_placement(referral.name)
			second = factories.new_placement(referral.name)
			first.insert()
			# The second officer's form passed its check before the first was saved: the
			# unique index on Placement.referral refuses it with the same clear message.
			with patch.object(Placement, "validate_one_placement_per_referral", lambda self: None):
				with self.assertRaisesRegex(PlacementExistsError, first.name):
					second.insert()
		self.assertEqual(frappe.db.count("Placement", {"referral": referral.name}), 1)

	def test_only_approved_referrals_are_placed(self):
		referral = factories.make_accepted_referral(self.school, "Year 7")
		with self.set_user(PRT):
			doc = frappe.get_doc(
				{
					"doctype": "Placement",
					"referral": referral.name,
					"provider": self.provider,
					"start_date": "2027-01-11",
				}
			)
			self.assertRaises(PlacementError, doc.insert)

	def test_term_time_counting_skips_closures(self):
		referral = self.approved("Year 5", has_ehc_plan=0, send_caseworker=None)
		start = getdate(referral.expected_start_date)
		closure = frappe.get_doc(
			{
				"doctype": "LA Closure",
				"closure_name": "Test half term",
				"closure_type": "School Holiday",
				"start_date": add_days(start, 14),
				"end_date": add_days(start, 20),
			}
		).insert(ignore_permissions=True)
		placement = self.placed(referral, term_time_only=1)
		# 80 school days, with a closed week in the middle: one week later than 16 calendar
		# weeks would make it, ending on a school day.
		end = getdate(placement.planned_end_date)
		self.assertLess(end.weekday(), 5)
		self.assertGreater(end, add_days(start, 16 * 7 - 1))
		closure.delete(ignore_permissions=True)

	def test_provider_due_diligence(self):
		# Expired safeguarding checks: no placement until they are renewed.
		expired = factories.make_checked_provider(expires_on=add_days(frappe.utils.today(), -1)).name
		referral = self.approved("Year 6", provider=self.provider)
		with self.set_user(PRT):
			with self.assertRaisesRegex(ProviderDueDiligenceError, "expired"):
				factories.make_placement(referral.name, provider=expired)
		provider = frappe.get_doc("AP Provider", expired)
		for row in provider.safeguarding_checks:
			row.expires_on = add_days(frappe.utils.today(), 365)
		provider.save(ignore_permissions=True)
		placement = self.placed(referral, provider=expired)
		self.assertEqual(placement.provider, expired)

		# Unregistered provider, full time, a pupil with an EHC plan: flagged, and the PRT
		# confirms what was checked before it starts.
		unregistered = factories.make_checked_provider(registration_status="Unregistered").name
		referral = self.approved("Year 4", provider=unregistered)
		placement = self.placed(referral)
		self.assertIn("unregistered", placement.due_diligence_flag)
		with self.set_user(PRT), self.freeze_time(at(placement.start_date)):
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.status = "Active"
			self.assertRaises(ProviderDueDiligenceError, doc.save)
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.due_diligence_acknowledged = 1
			doc.due_diligence_note = "Provider confirmed registration application; DfE contacted."
			doc.status = "Active"
			doc.save()
		self.assertEqual(doc.status, "Active")

		# Part time (18 hours or fewer) is not full time: no flag.
		part_time = factories.make_checked_provider(registration_status="Unregistered").name
		referral = self.approved("Year 3", provider=part_time)
		with self.set_user(PRT):
			doc = factories.new_placement(referral.name, hours_per_week=15)
			doc.insert()
		self.assertFalse(doc.due_diligence_flag)

	def test_registered_provider_needs_urn(self):
		with self.assertRaisesRegex(frappe.ValidationError, "URN"):
			factories.make_checked_provider(urn="")


class TestPlacementKS4EHC(PlacementTestCase):
	"""A Year 10 pupil with an EHC plan: Alternative Pathway, R12 funding, R13 reviews."""

	def test_walk_from_approved_to_transitioned(self):
		referral = self.approved("Year 10")
		self.assertEqual(referral.key_stage, "KS4")
		with self.set_user(PRT):
			with self.assertRaises(PlacementError):
				factories.make_placement(referral.name, days_per_week=6)
			placement = factories.make_placement(referral.name, days_per_week=5)
		start = getdate(placement.start_date)
		self.assertEqual(placement.placement_type, "Alternative Pathway")
		# R12: 5 days for a KS4 EHC pupil: EHC funding ceases from the start date; AWPU stays.
		self.assertEqual(placement.ehc_funding_ceased, 1)
		self.assertEqual(getdate(placement.ehc_funding_ceased_from), start)
		self.assertEqual(placement.awpu_retained, 1)

		# KS4 needs no admission meeting, but safeguarding arrangements before it starts.
		with self.set_user(PRT), self.freeze_time(at(start)):
			doc = frappe.get_doc("Placement", placement.name)
			doc.status = "Active"
			self.assertRaises(PlacementStartError, doc.save)
			factories.record_safeguarding(placement.name, "DSLs named; weekly call between settings.")
			doc = frappe.get_doc("Placement", placement.name)
			self.assertEqual(doc.safeguarding_recorded, 1)
			doc.status = "Active"
			doc.save()
		self.assertEqual(doc.status, "Active")

		# Fewer days: EHC funding is restored from that day (the timeline keeps when it ceased);
		# back to 5: ceases again from that day. Audited.
		change_day = add_days(start, 21)
		with self.set_user(PRT), self.freeze_time(at(change_day)):
			doc = frappe.get_doc("Placement", placement.name)
			doc.days_per_week = 3
			doc.save(ignore_version=False)
			self.assertEqual(doc.ehc_funding_ceased, 0)
			self.assertEqual(getdate(doc.ehc_funding_ceased_from), start)
			self.assertEqual(getdate(doc.ehc_funding_restored_on), change_day)
			self.assertIn("restored from", doc.funding_note)
		back_day = add_days(change_day, 14)
		with self.set_user(PRT), self.freeze_time(at(back_day)):
			doc = frappe.get_doc("Placement", placement.name)
			doc.days_per_week = 5
			doc.save(ignore_version=False)
		self.assertEqual(doc.ehc_funding_ceased, 1)
		self.assertEqual(getdate(doc.ehc_funding_ceased_from), back_day)
		self.assertEqual(doc.awpu_retained, 1)
		comments = frappe.get_all(
			"Comment",
			filters={
				"reference_doctype": "Placement",
				"reference_name": placement.name,
				"comment_type": "Info",
			},
			pluck="content",
		)
		self.assertTrue(any("from 5 to 3" in c for c in comments))
		self.assertTrue(any("from 3 to 5" in c for c in comments))
		self.assertTrue(frappe.db.exists("Version", {"ref_doctype": "Placement", "docname": placement.name}))

		# R13: the KS4 statutory annual review continues, with the school attending.
		review_day = add_days(back_day, 7)
		annual = self.new_review(
			placement,
			review_day,
			review_type="EHC Annual Review",
			outcome="Continue",
			ehc_amendments_considered="No amendments needed",
			next_review_date=add_days(review_day, 42),
		)
		with self.set_user(PRT):
			annual = frappe.get_doc("Review", annual.name)
			for row in annual.attendees:
				row.attended = 0
			annual.save()
		with self.assertRaisesRegex(ReviewError, "R13"):
			self.submit_review(annual)
		with self.set_user(PRT):
			annual = frappe.get_doc("Review", annual.name)
			for row in annual.attendees:
				row.attended = row.attendee_role == "School"
			annual.save()
		self.submit_review(annual)
		self.assertEqual(
			getdate(frappe.db.get_value("Pupil", referral.pupil, "last_annual_review_date")), review_day
		)

		# KS4 pupils do not usually return to mainstream: a review beginning it says why.
		later = add_days(review_day, 14)
		reint = self.new_review(
			placement, later, outcome="Begin Reintegration", ehc_amendments_considered="No amendments needed"
		)
		with self.assertRaisesRegex(ReviewError, "usually"):
			self.submit_review(reint)
		with self.set_user(PRT), self.freeze_time(at(later)):
			doc = frappe.get_doc("Placement", placement.name)
			doc.status = "Transitioned"
			doc.save()
		self.assertEqual(doc.status, "Transitioned")
		self.assertEqual(getdate(doc.actual_end_date), later)
		# The funding that ceased on the return to 5 days comes back the day after the end (R12).
		self.assertEqual(getdate(doc.ehc_funding_restored_on), add_days(later, 1))
		self.assertEqual(doc.ehc_funding_ceased, 0)


class TestPlacementJobs(PlacementTestCase):
	"""The daily jobs with frozen dates: each alert once, however often they run."""

	def test_daily_jobs_alert_once(self):
		referral = self.approved("Year 9")
		placement = self.started(self.placed(referral))
		start = getdate(placement.start_date)
		name = placement.name
		frappe.db.set_value("Pupil", referral.pupil, "next_annual_review_due", add_days(start, 60))

		def run_all(day):
			with self.freeze_time(at(day, "06:00:00")):
				return (
					placement_jobs.flag_overdue_updates(),
					placement_jobs.remind_reviews_due(),
					placement_jobs.plan_reintegration_for_ending_placements(),
					placement_jobs.flag_annual_reviews_in_placements(),
				)

		# Day 7: the first report is due today, not overdue; the annual review (day 60)
		# falls inside the placement: the caseworker and PRT are told.
		run_all(add_days(start, 7))
		self.assertEqual(self.alerts(name, "Update Overdue"), [])
		self.assertEqual(
			self.alerts(name, "Annual Review In Placement"), [f"annual-review:{name}:{add_days(start, 60)}"]
		)
		recipients = frappe.db.get_value(
			"Placement Alert", f"annual-review:{name}:{add_days(start, 60)}", "recipients"
		)
		self.assertIn(CASEWORKER, recipients)

		# Day 8: overdue, flagged to the PRT and the school; a second run sends nothing.
		emails_before = frappe.db.count("Email Queue", {"reference_name": name})
		logs_before = frappe.db.count("Notification Log", {"document_name": name})
		run_all(add_days(start, 8))
		key = f"update-overdue:{name}:{add_days(start, 7)}"
		self.assertEqual(self.alerts(name, "Update Overdue"), [key])
		recipients = frappe.db.get_value("Placement Alert", key, "recipients")
		self.assertIn(PRT, recipients)
		self.assertIn(SCHOOL_USER, recipients)
		emails = frappe.db.count("Email Queue", {"reference_name": name})
		logs = frappe.db.count("Notification Log", {"document_name": name})
		self.assertGreater(logs, logs_before)
		if frappe.db.exists("Email Account", {"enable_outgoing": 1, "default_outgoing": 1}):
			self.assertGreater(emails, emails_before)
		self.assertEqual(run_all(add_days(start, 8)), (0, 0, 0, 0))
		run_all(add_days(start, 9))
		self.assertEqual(frappe.db.count("Email Queue", {"reference_name": name}), emails)
		self.assertEqual(frappe.db.count("Notification Log", {"document_name": name}), logs)

		# A report arrives: nothing overdue until the next due date passes.
		self.report(placement, start)
		self.assertEqual(run_all(add_days(start, 10))[0], 0)

		# Review due within a week (day 42): announced once from day 35.
		self.assertEqual(self.alerts(name, "Review Due"), [])
		run_all(add_days(start, 35))
		run_all(add_days(start, 36))
		self.assertEqual(self.alerts(name, "Review Due"), [f"review-due:{name}:{add_days(start, 42)}"])

		# Ending within two weeks: reintegration planning, once.
		end = getdate(placement.planned_end_date)
		run_all(add_days(end, -15))
		self.assertEqual(self.alerts(name, "Placement Ending"), [])
		run_all(add_days(end, -14))
		run_all(add_days(end, -13))
		self.assertEqual(self.alerts(name, "Placement Ending"), [f"placement-ending:{name}:{end}"])


class TestPlacementPrint(PlacementTestCase):
	def test_placement_agreement_and_review_record_render_to_pdf(self):
		from ap_provision.tests.pdf import render_pdf

		referral = self.approved("Year 8")
		placement = self.started(self.placed(referral))
		review = self.new_review(placement, add_days(placement.start_date, 14), outcome="Continue")
		# The parents' and the pupil's views at the admission meeting are on the agreement.
		frappe.db.set_value(
			"Placement",
			placement.name,
			{
				"parent_views_at_admission": "Mum wants a fresh start <b>and</b> weekly calls.",
				"pupil_views_at_admission": "Likes the practical sessions.",
			},
		)
		html = frappe.get_print("Placement", placement.name, "Placement Agreement")
		self.assertIn("Parents' or carers' views", html)
		self.assertIn("Mum wants a fresh start &lt;b&gt;and&lt;/b&gt; weekly calls.", html)
		self.assertIn("Likes the practical sessions.", html)
		self.assertIn("Roles and responsibilities", html)
		self.assertIn(self.provider, html)
		self.assertIn("DSLs named", html)
		html = frappe.get_print("Review", review.name, "Review Record")
		self.assertIn("Since the last review", html)
		self.assertTrue(render_pdf("Placement", placement.name, "Placement Agreement").startswith(b"%PDF"))
		self.assertTrue(render_pdf("Review", review.name, "Review Record").startswith(b"%PDF"))
