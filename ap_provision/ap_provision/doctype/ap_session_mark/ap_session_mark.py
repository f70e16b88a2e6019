# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from ap_provision.ap_provision.doctype.placement_alert import placement_alert as alerts
from ap_provision.ap_provision.doctype.pupil_social_care.pupil_social_care import social_worker_emails
from ap_provision.exceptions import SessionMarkError
from ap_provision.rules import placements, register
from ap_provision.rules._i18n import english_date


class APSessionMark(Document):
	"""One session of the daily register: the provider marks a placed pupil Present, Late or
	Absent (with a reason). Named placement-date-session, so each session has one mark."""

	def autoname(self):
		self.name = f"{self.placement}-{getdate(self.mark_date)}-{self.session}"

	def validate(self):
		self.set_placement_details()
		self.validate_provider_scope()
		self.validate_mark()
		self.set_register_code()

	def on_update(self):
		self.alert_unexplained_absence()

	def set_placement_details(self):
		"""Pupil, school and provider are the placement's (the server's, never the client's)."""
		self._placement = (
			frappe.db.get_value(
				"Placement",
				self.placement,
				["pupil", "pupil_name", "school", "provider", "status", "start_date", "actual_end_date"],
				as_dict=True,
			)
			if self.placement
			else None
		)
		if not self._placement:
			frappe.throw(_("Choose the placement of the pupil you are marking."), frappe.MandatoryError)
		self.update({k: self._placement[k] for k in ("pupil", "pupil_name", "school", "provider")})

	def validate_provider_scope(self):
		"""Provider staff mark only their own provider's pupils (checked on the placement too)."""
		if frappe.session.user != "Administrator" and not frappe.has_permission(
			"Placement", "read", doc=self.placement
		):
			frappe.throw(
				_("Placement {0} is not with your provider.").format(self.placement),
				frappe.PermissionError,
				title=_("Not your placement"),
			)

	def validate_mark(self):
		if self.mark != register.ABSENT:
			self.absence_reason = None
		day = getdate(self.mark_date) if self.mark_date else None
		problems = register.mark_problems(self.mark, self.absence_reason, day, getdate(today()))
		if self._placement.status not in placements.RUNNING_STATUSES:
			problems.append(
				_(
					"{0}'s placement is {1}: the register is marked while it is Active or Reintegrating."
				).format(self.pupil_name, _(self._placement.status))
			)
		elif day and self._placement.start_date and day < getdate(self._placement.start_date):
			problems.append(
				_("{0}'s placement starts on {1}.").format(
					self.pupil_name, english_date(getdate(self._placement.start_date))
				)
			)
		if problems:
			frappe.throw(
				_("{0}: {1}").format(self.pupil_name, " ".join(problems)),
				SessionMarkError,
				title=_("Register"),
			)
		self.marked_by = frappe.session.user

	def set_register_code(self):
		self.register_code = register.register_code(self.mark, self.absence_reason)

	def alert_unexplained_absence(self):
		"""The home school, the PRT and the pupil's social worker are told the same day, once a day
		(the weekly report's alert has the same key, so it does not come twice)."""
		if self.mark != register.ABSENT or self.absence_reason != register.UNEXPLAINED:
			return
		day = getdate(self.mark_date)
		alerts.send(
			alerts.UNEXPLAINED_ABSENCE,
			f"unexplained-absence:{self.placement}:{day}",
			placement=self.placement,
			subject=_("Unexplained absence: {0} on {1}").format(self.pupil_name, english_date(day)),
			message=_(
				"{0} was absent without explanation from {1} on {2} ({3} session). Please contact the family "
				"today and tell the provider what you find."
			).format(self.pupil_name, self.provider, english_date(day, weekday=True), self.session),
			users=alerts.prt_users() + alerts.school_users(self.school),
			emails=social_worker_emails(self.pupil),
			reference_doctype=self.doctype,
			reference_name=self.name,
		)
