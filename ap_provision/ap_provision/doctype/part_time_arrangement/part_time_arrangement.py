# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from ap_provision.exceptions import PartTimeArrangementError
from ap_provision.hours import refresh_placement, settings_values
from ap_provision.rules import hours


class ParttimeArrangement(Document):
	"""A placed pupil's temporary part-time timetable (statutory attendance guidance, 2024): the
	PRT records the reason, the parent's agreement, the end and review dates."""

	def validate(self):
		self.set_placement_details()
		self.validate_arrangement()

	def on_update(self):
		refresh_placement(self.placement)

	def after_delete(self):
		if frappe.db.exists("Placement", self.placement):
			refresh_placement(self.placement)

	def set_placement_details(self):
		"""Pupil, school and provider are the placement's (the server's, never the client's)."""
		placement = frappe.db.get_value(
			"Placement",
			self.placement,
			["pupil", "pupil_name", "school", "provider", "total_hours_per_week", "full_time_hours"],
			as_dict=True,
		)
		if not placement:
			frappe.throw(
				_("Choose the placement this part-time timetable is for."),
				frappe.MandatoryError,
				title=_("Missing information"),
			)
		self.update(
			{
				"pupil": placement.pupil,
				"pupil_name": placement.pupil_name,
				"school": placement.school,
				"provider": placement.provider,
				"hours_per_week": placement.total_hours_per_week,
				"full_time_hours": placement.full_time_hours,
			}
		)

	def validate_arrangement(self):
		if self.status != "Active":
			return
		if self.parent_agreed and not self.parent_agreed_on:
			self.parent_agreed_on = self.start_date
		problems = hours.arrangement_problems(
			reason=self.reason,
			parent_agreed=bool(self.parent_agreed),
			start=getdate(self.start_date) if self.start_date else None,
			end=getdate(self.end_date) if self.end_date else None,
			review=getdate(self.review_date) if self.review_date else None,
			max_weeks=int(settings_values()["part_time_max_weeks"]),
		)
		if problems:
			frappe.throw("<br>".join(problems), PartTimeArrangementError, title=_("Part-time timetable"))
