"""Panels made before agenda papers had their own closing day: every panel not yet
held gets its deadline (now moved off bank holidays and closures) and papers-close day from
AP Settings; held panels get the papers-close day their old rule used (the day after the
deadline)."""

import frappe
from frappe.utils import add_days


def execute():
	for name, status, deadline in frappe.get_all(
		"Panel", fields=["name", "status", "referral_deadline"], as_list=True
	):
		if status in ("Scheduled", "Agenda Closed"):
			panel = frappe.get_doc("Panel", name)
			panel.set_referral_deadline()
			panel.db_set(
				{"referral_deadline": panel.referral_deadline, "papers_close_on": panel.papers_close_on},
				update_modified=False,
			)
		elif deadline:
			frappe.db.set_value(
				"Panel", name, "papers_close_on", add_days(deadline, 1), update_modified=False
			)
