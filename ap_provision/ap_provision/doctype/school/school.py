# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document


class School(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.SmallText | None
		email: DF.Data | None
		headteacher: DF.Data | None
		is_active: DF.Check
		phase: DF.Literal[
			"", "Primary", "Middle", "Secondary", "All-through", "Special", "Pupil Referral Unit"
		]
		phone: DF.Data | None
		school_name: DF.Data
		senco_name: DF.Data | None
		urn: DF.Data
	# end: auto-generated types

	def validate(self):
		self.validate_urn()

	def validate_urn(self):
		self.urn = (self.urn or "").strip()
		if not re.fullmatch(r"\d{6}", self.urn):
			frappe.throw(
				_("URN {0} is not valid: a school's Unique Reference Number has 6 digits.").format(
					frappe.bold(self.urn)
				),
				title=_("Invalid URN"),
			)
