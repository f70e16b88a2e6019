# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


class APSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		advice_warning_months: DF.Int
		advice_window_months: DF.Int
		deadline_weekday: DF.Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
		la_name: DF.Data | None
		panel_cadence_days: DF.Int
		placement_weeks: DF.Int
		resources_window_months: DF.Int
		review_interval_days: DF.Int
		update_interval_days: DF.Int
	# end: auto-generated types

	def validate(self):
		self.validate_positive_numbers()
		self.validate_advice_months()

	def validate_positive_numbers(self):
		for fieldname in (
			"panel_cadence_days",
			"placement_weeks",
			"update_interval_days",
			"review_interval_days",
			"advice_window_months",
			"advice_warning_months",
			"resources_window_months",
		):
			if (self.get(fieldname) or 0) < 1:
				frappe.throw(
					_("{0} must be at least 1.").format(_(self.meta.get_label(fieldname))),
					title=_("Invalid setting"),
				)

	def validate_advice_months(self):
		if self.advice_warning_months > self.advice_window_months:
			frappe.throw(
				_(
					"The advice warning ({0} months) cannot be later than the advice window ({1} months)."
				).format(self.advice_warning_months, self.advice_window_months)
			)


def get_settings() -> APSettings:
	"""The settings document, cached for the request."""
	return frappe.get_cached_doc("AP Settings")


def deadline_weekday() -> int:
	return WEEKDAYS.index(get_settings().deadline_weekday or "Thursday")
