# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from ap_provision.ap_provision.doctype.ap_settings.ap_settings import deadline_weekday
from ap_provision.rules import deadlines


class Panel(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		notes: DF.SmallText | None
		panel_date: DF.Date
		referral_deadline: DF.Date | None
		status: DF.Literal["Scheduled", "Agenda Closed", "Held", "Closed"]
	# end: auto-generated types

	def validate(self):
		self.validate_one_panel_a_day()
		self.set_referral_deadline()

	def validate_one_panel_a_day(self):
		if other := frappe.db.exists("Panel", {"panel_date": self.panel_date, "name": ("!=", self.name)}):
			frappe.throw(
				_("There is already a panel on {0}: {1}.").format(
					frappe.format(self.panel_date, "Date"), other
				),
				frappe.DuplicateEntryError,
			)

	def set_referral_deadline(self):
		"""R1: the deadline weekday (Thursday by default) of the week before the panel's week."""
		self.referral_deadline = deadlines.referral_deadline(getdate(self.panel_date), deadline_weekday())


def scheduled_panel_slots(after=None) -> list[deadlines.PanelSlot]:
	"""Scheduled panels (optionally only those after a date) as the deadline rules see them."""
	filters = {"status": "Scheduled"}
	if after:
		filters["panel_date"] = (">", after)
	return [
		deadlines.PanelSlot(p.name, getdate(p.panel_date), getdate(p.referral_deadline))
		for p in frappe.get_all(
			"Panel",
			filters=filters,
			fields=["name", "panel_date", "referral_deadline"],
			order_by="panel_date asc",
		)
	]
