# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import add_days, getdate

BANK_HOLIDAY_SOURCE = "Bank holidays (England)"


class LAClosure(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		closure_name: DF.Data
		closure_type: DF.Literal["Bank Holiday", "School Holiday", "Training Day", "Other"]
		end_date: DF.Date
		source: DF.Literal["LA term dates", "Bank holidays (England)"]
		start_date: DF.Date
	# end: auto-generated types

	def validate(self):
		if getdate(self.end_date) < getdate(self.start_date):
			frappe.throw(
				_("The closure ends ({0}) before it starts ({1}).").format(
					frappe.format(self.end_date, "Date"), frappe.format(self.start_date, "Date")
				),
				title=_("Dates the wrong way round"),
			)
		if (getdate(self.end_date) - getdate(self.start_date)).days > 70:
			frappe.throw(_("A closure lasts at most 10 weeks: record each holiday separately."))

	def on_update(self):
		refresh_panel_deadlines(self.start_date, self.end_date)
		before = self.get_doc_before_save()
		if before and (before.start_date, before.end_date) != (self.start_date, self.end_date):
			refresh_panel_deadlines(before.start_date, before.end_date)

	def after_delete(self):
		refresh_panel_deadlines(self.start_date, self.end_date)


def refresh_panel_deadlines(start, end):
	"""Panels not yet held whose deadline or agenda papers may fall in `start`..`end` are saved
	again: their deadline moves off the closed days (R1) and, when it moves, the referrals
	waiting for a panel are placed again and their schools told."""
	for name in frappe.get_all(
		"Panel",
		filters={
			"status": ("in", ("Scheduled", "Agenda Closed")),
			"panel_date": ("between", (add_days(start, 1), add_days(end, 21))),
		},
		pluck="name",
		order_by="panel_date asc",
	):
		panel = frappe.get_doc("Panel", name)
		panel.flags.ignore_permissions = True
		panel.save()


def england_bank_holidays(years) -> list[tuple]:
	"""(date, name) of England's bank holidays, from the `holidays` package."""
	import holidays

	return sorted(holidays.UK(subdiv="ENG", years=list(years)).items())


@frappe.whitelist(methods=["POST"])
def add_bank_holidays(year: int | str | None = None) -> list[str]:
	"""Add England's bank holidays of a calendar year (default this year and next) to the
	closure calendar; existing ones are left alone."""
	frappe.has_permission("LA Closure", "create", throw=True)
	this_year = getdate().year
	if year in (None, ""):
		return insert_bank_holidays([this_year, this_year + 1])
	if not str(year).strip().isdigit() or not 2000 <= int(year) <= 2100:
		frappe.throw(_("Give a year between 2000 and 2100, not {0}.").format(frappe.bold(year)))
	return insert_bank_holidays([int(year)])


def insert_bank_holidays(years) -> list[str]:
	added = []
	for day, name in england_bank_holidays(years):
		if frappe.db.exists("LA Closure", {"start_date": day, "closure_type": "Bank Holiday"}):
			continue
		doc = frappe.get_doc(
			{
				"doctype": "LA Closure",
				"closure_name": name,
				"closure_type": "Bank Holiday",
				"start_date": day,
				"end_date": day,
				"source": BANK_HOLIDAY_SOURCE,
			}
		)
		doc.insert(ignore_permissions=True)
		added.append(doc.name)
	return added
