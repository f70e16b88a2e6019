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


def skip_idle_value_change_alerts(doc, method=None):
	"""on_change, just before Frappe evaluates the doctype's "Value Change" notifications: hand
	it only those that can fire on this save.

	Frappe loads every enabled notification of the doctype from the database (two queries
	each) before it finds that its condition is false or its field did not change, and does so
	on every save. Here the same two tests run first on the cached Notification, with Frappe's
	own context and comparison; a notification whose condition cannot be read is left to
	Frappe. Other events' notifications, and those that pass, are evaluated by Frappe as before
	(condition, recipients, rendering, sending)."""
	from frappe.email.doctype.notification.notification import get_context
	from frappe.utils.data import cast

	alerts = frappe.cache.hget(
		"notifications",
		doc.doctype,
		lambda: frappe.get_all(
			"Notification",
			fields=["name", "event", "method"],
			filters={"enabled": 1, "document_type": doc.doctype},
		),
	)
	if doc.flags.in_insert or not alerts:
		doc.flags.notifications = alerts
		return
	before = doc.get_doc_before_save()
	context = get_context(doc)
	kept = []
	for alert in alerts:
		if alert.event == "Value Change":
			field, condition = frappe.get_cached_value(
				"Notification", alert.name, ["value_changed", "condition"]
			)
			df = doc.meta.get_field(field)
			if df and before and cast(df.fieldtype, doc.get(field)) == cast(df.fieldtype, before.get(field)):
				continue
			try:
				if condition and not frappe.safe_eval(condition, None, context):
					continue
			except Exception:
				pass  # Frappe evaluates it again and reports the error
		kept.append(alert)
	doc.flags.notifications = kept
