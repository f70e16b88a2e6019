# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document


class APProvider(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.SmallText | None
		contact_name: DF.Data | None
		email: DF.Data | None
		is_active: DF.Check
		phone: DF.Data | None
		provider_name: DF.Data
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

	def validate_identifiers(self):
		if self.urn and not re.fullmatch(r"\d{6}", self.urn.strip()):
			frappe.throw(_("URN {0} is not valid: it has 6 digits.").format(frappe.bold(self.urn)))
		if self.ukprn and not re.fullmatch(r"1\d{7}", self.ukprn.strip()):
			frappe.throw(
				_("UKPRN {0} is not valid: it has 8 digits and starts with 1.").format(
					frappe.bold(self.ukprn)
				)
			)
