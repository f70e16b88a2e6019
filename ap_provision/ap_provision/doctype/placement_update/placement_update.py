# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Max
from frappe.utils import getdate, today

from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.ap_provision.doctype.placement_alert import placement_alert as alerts
from ap_provision.exceptions import PlacementUpdateError
from ap_provision.rules import attendance, placements
from ap_provision.rules._i18n import english_date


class PlacementUpdate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ap_provision.ap_provision.doctype.placement_attendance_day.placement_attendance_day import (
			PlacementAttendanceDay,
		)

		attainment: DF.Text | None
		attendance: DF.Table[PlacementAttendanceDay]
		attendance_percent: DF.Percent
		authorised_absences: DF.Int
		behaviour_incidents: DF.Int
		behaviour_summary: DF.SmallText | None
		late_sessions: DF.Int
		naming_series: DF.Literal["PLU-.YYYY.-.#####"]
		period_end: DF.Date
		period_start: DF.Date
		placement: DF.Link
		progress: DF.Text | None
		provider: DF.Link | None
		pupil: DF.Link | None
		pupil_name: DF.Data | None
		safeguarding_concern: DF.Check
		safeguarding_details: DF.Text | None
		school: DF.Link | None
		sessions_attended: DF.Int
		sessions_possible: DF.Int
		unexplained_absences: DF.Int
	# end: auto-generated types

	def validate(self):
		self.set_placement_details()
		self.validate_provider_scope()
		self.validate_placement_running()
		self.validate_period()
		self.validate_marks()
		self.validate_content()
		self.summarise_attendance()
		self.validate_safeguarding_details()

	def on_update(self):
		self.update_placement_dates()
		self.alert_safeguarding_concern()
		self.alert_unexplained_absences()

	# -- checks -------------------------------------------------------------------------

	def set_placement_details(self):
		"""The placement's row is locked until this report is saved: two reports of one
		placement (two members of the provider's staff at once) are checked one after the
		other, so overlapping periods cannot both be saved."""
		self._placement = (
			frappe.db.get_value(
				"Placement",
				self.placement,
				["pupil", "pupil_name", "provider", "school", "status", "start_date", "last_update_date"],
				as_dict=True,
				for_update=True,
			)
			if self.placement
			else None
		)
		if not self._placement:  # validate runs before Frappe's mandatory and link checks
			frappe.throw(
				_("Choose the placement this report is for."),
				frappe.MandatoryError,
				title=_("Missing information"),
			)
		self.update({k: self._placement[k] for k in ("pupil", "pupil_name", "provider", "school")})

	def validate_provider_scope(self):
		"""Provider staff report only on their own provider's placements, in every channel
		(web forms insert with ignore_permissions, so it is checked here)."""
		if frappe.session.user == "Administrator":
			return
		if "AP Provider User" in frappe.get_roles() and not frappe.has_permission(
			"Placement", "read", doc=self.placement
		):
			frappe.throw(
				_("Placement {0} is not with your provider.").format(self.placement),
				frappe.PermissionError,
				title=_("Not your placement"),
			)

	def validate_placement_running(self):
		if self._placement.status not in placements.RUNNING_STATUSES:
			frappe.throw(
				_("Placement {0} is {1}: reports are made while it is Active or Reintegrating.").format(
					self.placement, _(self._placement.status)
				),
				PlacementUpdateError,
			)

	def validate_period(self):
		problem = attendance.period_problem(
			getdate(self.period_start) if self.period_start else None,
			getdate(self.period_end) if self.period_end else None,
			getdate(self._placement.start_date),
			getdate(today()),
		)
		if problem:
			frappe.throw(problem, PlacementUpdateError, title=_("Reporting period"))
		# A locking read sees reports committed since this transaction began (a plain read
		# would see its snapshot, and miss a report saved at the same moment).
		overlapping = frappe.db.get_value(
			"Placement Update",
			{
				"placement": self.placement,
				"name": ("!=", self.name),
				"period_start": ("<=", self.period_end),
				"period_end": (">=", self.period_start),
			},
			["name", "period_start", "period_end"],
			as_dict=True,
			for_update=True,
		)
		if overlapping:
			frappe.throw(
				_("Report {0} already covers {1} to {2}: report each day once.").format(
					overlapping.name,
					english_date(getdate(overlapping.period_start)),
					english_date(getdate(overlapping.period_end)),
				),
				PlacementUpdateError,
				title=_("Reporting period"),
			)

	def days(self) -> list[attendance.Day]:
		return [
			attendance.Day(
				getdate(row.attendance_date), row.am_mark, row.am_reason, row.pm_mark, row.pm_reason
			)
			for row in self.attendance
			if row.attendance_date
		]

	def validate_marks(self):
		for row in self.attendance:
			# A reason belongs to an absence only.
			if row.am_mark != attendance.ABSENT:
				row.am_reason = None
			if row.pm_mark != attendance.ABSENT:
				row.pm_reason = None
		problems = attendance.day_problems(self.days(), getdate(self.period_start), getdate(self.period_end))
		if problems:
			frappe.throw("<br>".join(problems), PlacementUpdateError, title=_("Attendance marks"))

	def validate_content(self):
		"""R5: attendance for every weekday of the period, progress and attainment. Only a
		complete report counts (it moves on when the next one is due)."""
		if problem := attendance.report_content_problem(
			self.days(), getdate(self.period_start), getdate(self.period_end), self.progress, self.attainment
		):
			frappe.throw(problem, PlacementUpdateError, title=_("Report incomplete"))

	def summarise_attendance(self):
		summary = attendance.summarise(self.days())
		self.sessions_possible = summary.sessions_possible
		self.sessions_attended = summary.sessions_attended
		self.authorised_absences = summary.authorised_absences
		self.unexplained_absences = summary.unexplained_absences
		self.late_sessions = summary.late_sessions
		self.attendance_percent = summary.attendance_percent

	def validate_safeguarding_details(self):
		if self.safeguarding_concern and not (self.safeguarding_details or "").strip():
			frappe.throw(
				_("Describe the safeguarding concern so the PRT can act on it."),
				PlacementUpdateError,
				title=_("Safeguarding concern"),
			)

	# -- after saving ---------------------------------------------------------------------

	def update_placement_dates(self):
		"""R5: the placement's latest report and when the next one is due."""
		table = frappe.qb.DocType("Placement Update")
		last = (
			frappe.qb.from_(table)
			.select(Max(table.period_end))
			.where(table.placement == self.placement)
			.run()
		)[0][0] or self.period_end
		frappe.db.set_value(
			"Placement",
			self.placement,
			{
				"last_update_date": last,
				"next_update_due": placements.next_due(
					getdate(last), getdate(self._placement.start_date), get_settings().update_interval_days
				),
			},
			update_modified=False,
		)

	def alert_safeguarding_concern(self):
		"""A safeguarding concern alerts the PRT and the pupil's school (its designated
		safeguarding lead works through the school's referrers) at once."""
		if not self.safeguarding_concern:
			return
		subject = _("Safeguarding concern: {0} at {1}").format(self.pupil_name, self.provider)
		alerts.send(
			alerts.SAFEGUARDING_CONCERN,
			f"safeguarding:{self.name}",
			placement=self.placement,
			subject=subject,
			message=_(
				"{0} has reported a safeguarding concern about {1} in report {2} ({3} to {4}). Open the report "
				"and act on it today."
			).format(
				self.provider,
				self.pupil_name,
				self.name,
				english_date(getdate(self.period_start)),
				english_date(getdate(self.period_end)),
			),
			users=alerts.prt_users() + alerts.school_users(self.school),
			reference_doctype=self.doctype,
			reference_name=self.name,
		)

	def alert_unexplained_absences(self):
		"""An unexplained absence alerts the school and the PRT the same day (once a day)."""
		for day, sessions in _by_day(attendance.unexplained_absences(self.days())).items():
			alerts.send(
				alerts.UNEXPLAINED_ABSENCE,
				f"unexplained-absence:{self.placement}:{day}",
				placement=self.placement,
				subject=_("Unexplained absence: {0} on {1}").format(self.pupil_name, english_date(day)),
				message=_(
					"{0} was absent without explanation from {1} on {2} ({3} session). Please contact the "
					"family today and tell the provider what you find."
				).format(self.pupil_name, self.provider, english_date(day, weekday=True), "/".join(sessions)),
				users=alerts.prt_users() + alerts.school_users(self.school),
				reference_doctype=self.doctype,
				reference_name=self.name,
			)


def _by_day(absences):
	out = {}
	for day, session in absences:
		out.setdefault(day, []).append(session)
	return out
