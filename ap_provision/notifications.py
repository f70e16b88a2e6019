"""Scheduled triggers for the app's standard notifications (the notifications themselves,
recipients and templates, are in ap_provision/ap_provision/notification/)."""

import frappe
from frappe.utils import add_days, today

REMINDER_DAYS_BEFORE_DEADLINE = 2
UNSUBMITTED_STATES = ("Draft", "More Information Requested")


def next_open_panel():
	"""The earliest scheduled panel whose referral deadline has not passed (or None)."""
	panels = frappe.get_all(
		"Panel",
		filters={"status": "Scheduled", "referral_deadline": (">=", today())},
		fields=["name", "panel_date", "referral_deadline"],
		order_by="referral_deadline asc",
		limit=1,
	)
	return panels[0] if panels else None


def remind_panel_deadlines():
	"""Daily: when a scheduled panel's referral deadline is two days away, remind the referrer
	of every referral not yet submitted (notification "Panel Deadline Reminder")."""
	deadline = add_days(today(), REMINDER_DAYS_BEFORE_DEADLINE)
	if not frappe.db.exists("Panel", {"status": "Scheduled", "referral_deadline": deadline}):
		return []
	names = frappe.get_all(
		"Referral", filters={"workflow_state": ("in", UNSUBMITTED_STATES)}, pluck="name", order_by="name"
	)
	for name in names:
		frappe.get_doc("Referral", name).run_method("remind_of_panel_deadline")
	return names
