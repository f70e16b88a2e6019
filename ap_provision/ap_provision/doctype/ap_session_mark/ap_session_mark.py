# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime, today

from ap_provision import register as register_records
from ap_provision.ap_provision.doctype.placement_alert import placement_alert as alerts
from ap_provision.ap_provision.doctype.pupil_social_care.pupil_social_care import social_worker_emails
from ap_provision.exceptions import SessionMarkError
from ap_provision.rules import placements, register
from ap_provision.rules._i18n import english_date

# Who may correct a mark after the provider's days to do so have passed.
CORRECTING_ROLES = ("PRT Officer", "AP Administrator", "System Manager")


class APSessionMark(Document):
	"""One session of the daily register: the provider marks a placed pupil Present, Late or
	Absent (with a reason). Named placement-date-session, so each session has one mark."""

	def autoname(self):
		self.name = f"{self.placement}-{getdate(self.mark_date)}-{self.session}"

	def validate(self):
		self.set_placement_details()
		self.validate_provider_scope()
		self.validate_mark()
		self.validate_amendment()
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

	def validate_amendment(self):
		"""A recorded mark changes only with the reason for the change, within the provider's days
		to correct it (AP Settings) or by the PRT; who and when are the server's. The version
		history keeps the original mark beside the new one."""
		if self.is_new():  # a first mark is no correction
			for fieldname in ("amendment_reason", "amended_by", "amended_on"):
				self.set(fieldname, None)
			return
		before = self.get_doc_before_save()
		if before is None:  # validated outside a save: nothing to compare
			return
		changed = (before.mark, before.absence_reason or None) != (self.mark, self.absence_reason or None)
		if not changed:
			# The reason, who and when move only with a change of the mark.
			for fieldname in ("amendment_reason", "amended_by", "amended_on"):
				self.set(fieldname, before.get(fieldname))
			return
		reason = (self.amendment_reason or "").strip()
		problems = register.amendment_problems(
			changed=True,
			reason_given=bool(reason) and reason != (before.amendment_reason or "").strip(),
			day=getdate(self.mark_date),
			today=getdate(today()),
			amend_days=register_records.amend_days(),
			may_amend_late=bool(set(frappe.get_roles()).intersection(CORRECTING_ROLES)),
		)
		if problems:
			frappe.throw(
				_("{0}: {1}").format(self.pupil_name, " ".join(problems)),
				SessionMarkError,
				title=_("Changing a mark"),
			)
		self.amendment_reason = reason
		self.amended_by = frappe.session.user
		self.amended_on = now_datetime()

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
