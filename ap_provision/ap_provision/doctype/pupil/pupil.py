# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from ap_provision.exceptions import (
	AnnualReviewDueError,
	CaseworkerError,
	InvalidUPNError,
	NotReferableError,
)
from ap_provision.rules import academic, ehc, upn

YEAR_GROUPS_ROLLED_KEY = "ap_provision_year_groups_rolled_for"


class Pupil(Document):
	def validate(self):
		self.set_full_name()
		self.validate_date_of_birth()
		self.validate_upn()
		self.set_year_group()
		self.validate_send_caseworker()
		self.validate_annual_review_dates()

	def validate_annual_review_dates(self):
		"""Statutory timescales: the next EHC annual review is due within 12 months of the last."""
		if not self.has_value_changed("next_annual_review_due") and not self.has_value_changed(
			"last_annual_review_date"
		):
			return
		last = getdate(self.last_annual_review_date) if self.last_annual_review_date else None
		next_due = getdate(self.next_annual_review_due) if self.next_annual_review_due else None
		if problem := ehc.annual_review_dates_problem(last, next_due):
			frappe.throw(problem, AnnualReviewDueError, title=_("Annual review dates"))

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

	def validate_send_caseworker(self):
		"""The caseworker receives decision letters and annual review tasks about the pupil: only
		an enabled user with the SEND Caseworker role may be named."""
		if not self.send_caseworker or not self.has_value_changed("send_caseworker"):
			return
		if not frappe.db.get_value("User", self.send_caseworker, "enabled") or not frappe.db.exists(
			"Has Role", {"parent": self.send_caseworker, "parenttype": "User", "role": "SEND Caseworker"}
		):
			frappe.throw(
				_("{0} is not a SEND caseworker: choose a user with the SEND Caseworker role.").format(
					frappe.bold(self.send_caseworker)
				),
				CaseworkerError,
				title=_("SEND caseworker"),
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

	def year_group_on(self, on=None) -> str | None:
		"""The pupil's year group on `on` (default today): out of cohort as recorded, else from
		the date of birth."""
		if self.year_group_override:
			return self.override_year_group or None
		return self.computed_year_group(on)

	def referability_problem(self, on=None) -> str | None:
		"""R3: why this pupil cannot be referred for AP now, or None."""
		year_group = self.override_year_group if self.year_group_override else None
		return academic.referability_problem(getdate(self.date_of_birth), getdate(on or today()), year_group)


def roll_year_groups(on=None) -> int:
	"""Daily: on the first run on or after 1 September, every pupil moves up a year group
	(R3). Pupils are judged from their date of birth; one taught out of cohort moves up from
	the year group they are taught in, and one who has finished Year 11 has no year group any
	more. Runs once per academic year (a marker in the site defaults), so a missed day is
	caught up. Returns how many pupils changed."""
	on = getdate(on or today())
	year = str(academic.academic_year_start(on).year)
	if frappe.db.get_default(YEAR_GROUPS_ROLLED_KEY) == year:
		return 0
	changed = 0
	for pupil in frappe.get_all(
		"Pupil",
		fields=[
			"name",
			"date_of_birth",
			"year_group",
			"key_stage",
			"year_group_override",
			"override_year_group",
		],
	):
		values = academic.rolled_year_group(
			getdate(pupil.date_of_birth) if pupil.date_of_birth else None,
			on,
			bool(pupil.year_group_override),
			pupil.override_year_group,
			pupil.year_group,
		)
		current = {
			"year_group": pupil.year_group or None,
			"key_stage": pupil.key_stage or None,
			"year_group_override": int(bool(pupil.year_group_override)),
			"override_year_group": pupil.override_year_group or None,
		}
		if values != current:
			frappe.db.set_value("Pupil", pupil.name, values)
			changed += 1
	frappe.db.set_default(YEAR_GROUPS_ROLLED_KEY, year)
	return changed
