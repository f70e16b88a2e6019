# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from ap_provision.exceptions import InvalidUPNError, NotReferableError
from ap_provision.rules import academic, upn


class Pupil(Document):
	def validate(self):
		self.set_full_name()
		self.validate_date_of_birth()
		self.validate_upn()
		self.set_year_group()

	def set_full_name(self):
		self.first_name = (self.first_name or "").strip()
		self.last_name = (self.last_name or "").strip()
		self.full_name = f"{self.first_name} {self.last_name}".strip()

	def validate_date_of_birth(self):
		if self.date_of_birth and getdate(self.date_of_birth) > getdate(today()):
			frappe.throw(
				_("The date of birth {0} is in the future: enter the pupil's real date of birth.").format(
					frappe.format(self.date_of_birth, "Date")
				),
				frappe.ValidationError,
				title=_("Date of birth"),
			)

	def validate_upn(self):
		if not self.upn:
			return
		self.upn = upn.normalise_upn(self.upn)
		if problem := upn.upn_problem(self.upn):
			frappe.throw(problem, InvalidUPNError, title=_("Invalid UPN"))
		duplicate = frappe.db.get_value("Pupil", {"upn": self.upn, "name": ("!=", self.name)}, "name")
		if duplicate:
			frappe.throw(
				_(
					"UPN {0} is already recorded for pupil {1}. Each pupil has one UPN: open that record instead."
				).format(frappe.bold(self.upn), frappe.bold(duplicate)),
				InvalidUPNError,
				title=_("Duplicate UPN"),
			)

	def set_year_group(self):
		"""R3: year group from the age on 31 August, unless the pupil is taught out of cohort."""
		computed = self.computed_year_group()
		if self.year_group_override:
			if problem := academic.year_group_override_problem(
				computed, self.override_year_group or "", self.year_group_override_reason
			):
				frappe.throw(problem, NotReferableError, title=_("Year group"))
			self.year_group = self.override_year_group
		else:
			self.override_year_group = None
			self.year_group = computed
		self.key_stage = academic.key_stage_for(self.year_group) if self.year_group else None

	def computed_year_group(self, on=None) -> str | None:
		if not self.date_of_birth:
			return None
		return academic.year_group_for(getdate(self.date_of_birth), getdate(on or today()))

	def referability_problem(self, on=None) -> str | None:
		"""R3: why this pupil cannot be referred for AP now, or None."""
		year_group = self.override_year_group if self.year_group_override else None
		return academic.referability_problem(getdate(self.date_of_birth), getdate(on or today()), year_group)
