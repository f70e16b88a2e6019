# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder.functions import Count
from frappe.utils import getdate

from ap_provision.rules import due_diligence, panels, placements, register


class APProvider(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ap_provision.ap_provision.doctype.ap_provider_check.ap_provider_check import APProviderCheck

		address: DF.SmallText | None
		contact_name: DF.Data | None
		email: DF.Data | None
		is_active: DF.Check
		phone: DF.Data | None
		provider_name: DF.Data
		registration_status: DF.Literal["", "Registered school", "Unregistered"]
		safeguarding_checks: DF.Table[APProviderCheck]
		checks_valid_until: DF.Date | None
		provider_type: DF.Literal[
			"",
			"Pupil Referral Unit",
			"AP Academy or Free School",
			"Independent School",
			"Non-maintained Special School",
			"Further Education College",
			"Unregistered Provider",
		]
		serves_ks1: DF.Check
		serves_ks2: DF.Check
		serves_ks3: DF.Check
		serves_ks4: DF.Check
		ukprn: DF.Data | None
		urn: DF.Data | None
	# end: auto-generated types

	def validate(self):
		self.validate_identifiers()
		self.validate_due_diligence()
		self.validate_own_closures()

	def capacity_for(self, key_stage: str | None) -> int:
		"""Places for a key stage (KS1-KS4); 0 when the provider records none."""
		if key_stage not in panels.KEY_STAGES_WITH_PLACES:
			return 0
		return int(self.get(f"capacity_{key_stage.lower()}") or 0)

	def free_places(self, key_stage: str | None, exclude_referral: str | None = None) -> int:
		return panels.free_places(
			self.capacity_for(key_stage), places_taken(self.name, key_stage, exclude_referral)
		)

	def validate_identifiers(self):
		if self.urn and not re.fullmatch(r"\d{6}", self.urn.strip()):
			frappe.throw(_("URN {0} is not valid: it has 6 digits.").format(frappe.bold(self.urn)))
		if self.ukprn and not re.fullmatch(r"1\d{7}", self.ukprn.strip()):
			frappe.throw(
				_("UKPRN {0} is not valid: it has 8 digits and starts with 1.").format(
					frappe.bold(self.ukprn)
				)
			)

	def validate_due_diligence(self):
		"""Registration status (a registered school has a URN) and dated safeguarding checks."""
		if self.provider_type == "Unregistered Provider" and not self.registration_status:
			self.registration_status = due_diligence.UNREGISTERED
		if self.registration_status and (
			problem := due_diligence.registration_problem(self.registration_status, self.urn)
		):
			frappe.throw(problem, title=_("Registration"))
		if problems := due_diligence.check_problems(due_diligence_checks(self)):
			frappe.throw("<br>".join(problems), title=_("Safeguarding checks"))
		expiries = [getdate(row.expires_on) for row in self.safeguarding_checks if row.expires_on]
		self.checks_valid_until = min(expiries) if expiries else None

	def validate_own_closures(self):
		"""The provider's own closure days (its training days): dates in order, with a reason."""
		if problems := register.own_closure_problems(
			(
				getdate(row.from_date) if row.from_date else None,
				getdate(row.to_date) if row.to_date else None,
				row.description,
			)
			for row in self.own_closures
		):
			frappe.throw("<br>".join(problems), title=_("Own closures"))


def due_diligence_checks(provider) -> list[due_diligence.Check]:
	return [
		due_diligence.Check(
			row.check_type,
			getdate(row.checked_on) if row.checked_on else None,
			getdate(row.expires_on) if row.expires_on else None,
		)
		for row in provider.safeguarding_checks
	]


def places_taken(provider: str, key_stage: str | None, exclude_referral: str | None = None) -> int:
	"""Places of a key stage held at a provider: live placements (Planned, Active,
	Reintegrating) plus approved referrals that have no placement yet.

	Two queries, whatever the number of referrals and placements.
	"""
	placement_filters = {
		"provider": provider,
		"key_stage": key_stage,
		"status": ("in", placements.LIVE_STATUSES),
	}
	if exclude_referral:
		placement_filters["referral"] = ("!=", exclude_referral)
	live = frappe.db.count("Placement", placement_filters)

	referral = frappe.qb.DocType("Referral")
	placement = frappe.qb.DocType("Placement")
	query = (
		frappe.qb.from_(referral)
		.left_join(placement)
		.on(placement.referral == referral.name)
		.select(Count(referral.name))
		.where(
			(referral.provider == provider)
			& (referral.key_stage == key_stage)
			& (referral.workflow_state == "Approved")
			& (referral.docstatus == 1)
			& placement.name.isnull()
		)
	)
	if exclude_referral:
		query = query.where(referral.name != exclude_referral)
	waiting = query.run()[0][0]
	return live + int(waiting or 0)
