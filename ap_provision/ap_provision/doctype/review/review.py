# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""A review meeting of a placement. A draft is a scheduled review; submitting records it
as held and applies its outcome to the placement (R6, R10, R13)."""

import frappe
from frappe import _
from frappe.desk.form import assign_to
from frappe.model.document import Document
from frappe.query_builder.functions import Count, Max, Sum
from frappe.utils import add_days, add_years, getdate, today

from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.ap_provision.doctype.placement_alert.placement_alert import users_with_role
from ap_provision.exceptions import ReviewError
from ap_provision.rules import attendance, placements, reviews
from ap_provision.rules._i18n import english_date


class Review(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ap_provision.ap_provision.doctype.review_action.review_action import ReviewAction
		from ap_provision.ap_provision.doctype.review_attendee.review_attendee import ReviewAttendee

		actions: DF.Table[ReviewAction]
		amended_from: DF.Link | None
		annual_review: DF.Link | None
		attendance_percent: DF.Percent
		attendees: DF.Table[ReviewAttendee]
		behaviour_incidents: DF.Int
		boss_task: DF.Link | None
		concerns_remain: DF.Check
		ehc_amendments: DF.SmallText | None
		ehc_amendments_considered: DF.Literal["", "No amendments needed", "Amendments proposed"]
		extension_reason: DF.SmallText | None
		has_ehc_plan: DF.Check
		key_stage: DF.Literal["", "EYFS", "KS1", "KS2", "KS3", "KS4"]
		naming_series: DF.Literal["REV-.YYYY.-.#####"]
		new_planned_end_date: DF.Date | None
		next_review_date: DF.Date | None
		outcome: DF.Literal[
			"",
			"Continue",
			"Extend",
			"Begin Reintegration",
			"Reintegrated",
			"Re-refer to BOSS",
			"End Placement",
		]
		outcome_notes: DF.SmallText | None
		parent_views: DF.SmallText | None
		placement: DF.Link
		placement_type: DF.Literal["", "Intervention Placement", "Alternative Pathway"]
		provider: DF.Link | None
		provider_views: DF.SmallText | None
		pupil: DF.Link | None
		pupil_name: DF.Data | None
		pupil_views: DF.SmallText | None
		review_date: DF.Date
		review_type: DF.Literal[
			"Interim", "Reintegration Planning", "Final", "EHC Annual Review", "Follow-up"
		]
		school: DF.Link | None
		school_views: DF.SmallText | None
		send_caseworker: DF.Link | None
		sessions_attended: DF.Int
		sessions_possible: DF.Int
		summary_from: DF.Date | None
		unexplained_absences: DF.Int
		updates_count: DF.Int
	# end: auto-generated types

	def validate(self):
		self.set_placement_details()
		self.validate_review_of_ended_placement()
		self.summarise_updates()

	def before_submit(self):
		self.validate_attendees()
		self.validate_ehc_plan_amendments()
		self.validate_actions()
		self.validate_outcome()
		self.validate_caseworker_for_annual_review()

	def on_submit(self):
		self.apply_outcome()
		self.re_refer_to_boss()
		self.schedule_annual_review()
		self.record_annual_review()

	def on_cancel(self):
		if self.changed_placement():
			frappe.throw(
				_(
					"This review changed placement {0} ({1}), so it cannot be cancelled. Record a new review, or ask the PRT to correct the placement."
				).format(self.placement, _(self.outcome)),
				ReviewError,
			)

	# -- details --------------------------------------------------------------------------

	def set_placement_details(self):
		self._placement = frappe.get_doc("Placement", self.placement)
		p = self._placement
		self.update(
			{
				"pupil": p.pupil,
				"pupil_name": p.pupil_name,
				"school": p.school,
				"provider": p.provider,
				"key_stage": p.key_stage,
				"placement_type": p.placement_type,
				"has_ehc_plan": p.has_ehc_plan,
				"send_caseworker": p.send_caseworker,
			}
		)

	def validate_review_of_ended_placement(self):
		"""After the placement: a follow-up review (any pupil: how the return is going, and a
		re-referral to BOSS if needed) or an EHC annual review."""
		if (
			self._placement.status in placements.ENDED_STATUSES
			and self.review_type not in reviews.AFTER_PLACEMENT_TYPES
		):
			frappe.throw(
				_("Placement {0} has ended ({1}): record a follow-up review or an EHC annual review.").format(
					self.placement, _(self._placement.status)
				),
				ReviewError,
			)

	def summarise_updates(self):
		"""Attendance and behaviour from the provider's reports since the last review."""
		if self.docstatus != 0 or not self.review_date:
			return
		review = frappe.qb.DocType("Review")
		last = (
			frappe.qb.from_(review)
			.select(Max(review.review_date))
			.where(
				(review.placement == self.placement)
				& (review.docstatus == 1)
				& (review.name != (self.name or ""))
				& (review.review_date < self.review_date)
			)
			.run()
		)[0][0]
		since = add_days(last, 1) if last else self._placement.start_date
		update = frappe.qb.DocType("Placement Update")
		row = (
			frappe.qb.from_(update)
			.select(
				Count(update.name),
				Sum(update.sessions_possible),
				Sum(update.sessions_attended),
				Sum(update.authorised_absences),
				Sum(update.unexplained_absences),
				Sum(update.late_sessions),
				Sum(update.behaviour_incidents),
			)
			.where(
				(update.placement == self.placement)
				& (update.period_end >= since)
				& (update.period_end <= self.review_date)
			)
			.run()
		)[0]
		summary = attendance.Summary(*(int(v or 0) for v in row[1:6]))
		self.summary_from = since
		self.updates_count = int(row[0] or 0)
		self.sessions_possible = summary.sessions_possible
		self.sessions_attended = summary.sessions_attended
		self.unexplained_absences = summary.unexplained_absences
		self.attendance_percent = summary.attendance_percent
		self.behaviour_incidents = int(row[6] or 0)

	# -- before submit ----------------------------------------------------------------------

	def validate_attendees(self):
		problem = reviews.attendee_problem(
			review_type=self.review_type,
			key_stage=self.key_stage,
			has_ehc_plan=bool(self.has_ehc_plan),
			concerns_remain=bool(self.concerns_remain),
			attendees=[
				reviews.Attendee(row.attendee_role, bool(row.invited), bool(row.attended))
				for row in self.attendees
			],
		)
		if problem:
			frappe.throw(problem, ReviewError, title=_("Attendees"))

	def validate_ehc_plan_amendments(self):
		if problem := reviews.ehc_amendment_problem(
			bool(self.has_ehc_plan), self.ehc_amendments_considered, self.ehc_amendments
		):
			frappe.throw(problem, ReviewError, title=_("EHC plan"))

	def validate_actions(self):
		problems = reviews.action_problems(
			reviews.Action(row.action, row.action_owner, row.due_date) for row in self.actions
		)
		if problems:
			frappe.throw("<br>".join(problems), ReviewError, title=_("Actions"))

	def validate_outcome(self):
		p = self._placement
		problem = reviews.outcome_problem(
			outcome=self.outcome,
			review_type=self.review_type,
			placement_type=p.placement_type,
			placement_status=p.status,
			review_date=getdate(self.review_date),
			planned_end=getdate(p.planned_end_date) if p.planned_end_date else None,
			new_end=getdate(self.new_planned_end_date) if self.new_planned_end_date else None,
			extension_reason=self.extension_reason,
			next_review_date=getdate(self.next_review_date) if self.next_review_date else None,
			outcome_notes=self.outcome_notes,
		)
		if problem:
			frappe.throw(problem, ReviewError, title=_("Outcome"))
		if getdate(self.review_date) > getdate(today()):
			frappe.throw(
				_("The review is on {0}: record it once it has been held.").format(
					english_date(getdate(self.review_date))
				),
				ReviewError,
			)

	def validate_caseworker_for_annual_review(self):
		"""R10: the annual review after a return to school is the caseworker's to hold."""
		if self.has_ehc_plan and self.outcome == reviews.REINTEGRATED and not self.send_caseworker:
			frappe.throw(
				_(
					"Record the pupil's SEND caseworker on the pupil first: once the pupil is back full time, "
					"their annual review is scheduled and assigned to the caseworker (R10)."
				),
				ReviewError,
				title=_("SEND caseworker"),
			)

	# -- on submit --------------------------------------------------------------------------

	def changed_placement(self) -> bool:
		return self.outcome == reviews.EXTEND or bool(
			reviews.status_after(self.outcome, getdate(self.review_date), None)
		)

	def apply_outcome(self):
		"""The outcome moves the placement on: its status, end date and next review."""
		p = self._placement
		if p.status in placements.ENDED_STATUSES:
			return
		if self.outcome == reviews.EXTEND:
			p.planned_end_date = self.new_planned_end_date
			p.extension_reason = self.extension_reason
		new_status = reviews.status_after(
			self.outcome,
			getdate(self.review_date),
			getdate(p.planned_end_date) if p.planned_end_date else None,
		)
		if new_status:
			p.status = new_status
			if new_status in placements.ENDED_STATUSES:
				p.actual_end_date = self.review_date
		p.last_review_date = self.review_date
		p.next_review_date = None if self.outcome in reviews.CLOSING_OUTCOMES else self.next_review_date
		p.add_comment("Info", _("Review {0}: {1}.").format(self.name, _(self.outcome)))
		p.flags.ignore_permissions = True
		p.save()

	def re_refer_to_boss(self):
		"""Re-referral to BOSS: a task for the BOSS Practitioners."""
		if self.outcome != reviews.RE_REFER:
			return
		description = _("Re-referral to BOSS from review {0} of {1} ({2}): {3}").format(
			self.name, self.pupil_name, self.school, self.outcome_notes or _("see the review")
		)
		users = users_with_role("BOSS Practitioner")
		due = add_days(today(), 5)
		if users:
			assign_to.add(
				{
					"assign_to": users,
					"doctype": self.doctype,
					"name": self.name,
					"description": description,
					"date": due,
					"priority": "High",
				},
				ignore_permissions=True,
			)
			todo = frappe.db.get_value(
				"ToDo",
				{"reference_type": self.doctype, "reference_name": self.name, "allocated_to": ("in", users)},
				"name",
			)
		else:
			todo = (
				frappe.get_doc(
					{
						"doctype": "ToDo",
						"role": "BOSS Practitioner",
						"reference_type": self.doctype,
						"reference_name": self.name,
						"description": description,
						"date": due,
						"priority": "High",
					}
				)
				.insert(ignore_permissions=True)
				.name
			)
		self.db_set("boss_task", todo)

	def schedule_annual_review(self):
		"""R10: once an EHC pupil is back full time, an annual review follows one
		assess-plan-do-review cycle later, assigned to the caseworker."""
		if not self.has_ehc_plan or self.outcome != reviews.REINTEGRATED:
			return
		review_date = reviews.annual_review_after_return(
			getdate(self.review_date), get_settings().review_interval_days
		)
		annual = frappe.get_doc(
			{
				"doctype": "Review",
				"placement": self.placement,
				"review_type": reviews.ANNUAL_REVIEW,
				"review_date": review_date,
				"attendees": [
					{"attendee_role": "School", "invited": 1},
					{"attendee_role": "Parent/Carer", "invited": 1},
					{"attendee_role": "Pupil", "invited": 1},
					{"attendee_role": "SEND Caseworker", "user": self.send_caseworker, "invited": 1},
				],
			}
		)
		annual.insert(ignore_permissions=True)
		assign_to.add(
			{
				"assign_to": [self.send_caseworker],
				"doctype": "Review",
				"name": annual.name,
				"description": _(
					"Hold the EHC annual review of {0} on {1}, after their return to school full time (R10)."
				).format(self.pupil_name, english_date(review_date)),
				"date": review_date,
			},
			ignore_permissions=True,
		)
		self.db_set("annual_review", annual.name)

	def record_annual_review(self):
		"""A held EHC annual review sets the pupil's last and next annual review dates."""
		if self.review_type != reviews.ANNUAL_REVIEW or not self.pupil:
			return
		pupil = frappe.get_doc("Pupil", self.pupil)
		pupil.last_annual_review_date = self.review_date
		pupil.next_annual_review_due = add_years(self.review_date, 1)
		pupil.flags.ignore_permissions = True
		pupil.save()
