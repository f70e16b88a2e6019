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


def defer_value_change_alerts(doc, method=None):
	"""on_change, just before Frappe evaluates the doctype's "Value Change" notifications: send
	those that fire on this save from a background job after the commit, not in the request.

	Frappe would load every enabled notification of the doctype from the database (two
	queries each) on every save, then render each e-mail and record its Communication inside
	the user's request (about 100 ms apiece). Here the field-changed and condition tests run on
	the cached Notification with Frappe's own context and comparison, at save time; those that
	pass go to `send_alerts`, queued after the commit with the document as saved, so a
	condition true at save time still sends however the document changes before the job runs,
	and nothing is sent when the save is rolled back. A notification whose condition cannot be
	read is left to Frappe, which reports the error in the request as before; other events'
	notifications are Frappe's too. In tests the job runs at once (as Frappe sends e-mail at
	once in tests)."""
	from frappe.email.doctype.notification.notification import get_context
	from frappe.utils.data import cast

	if (
		(frappe.flags.in_import and frappe.flags.mute_emails)
		or frappe.flags.in_patch
		or frappe.flags.in_install
	):
		return  # Frappe sends nothing either
	alerts = frappe.cache.hget(
		"notifications",
		doc.doctype,
		lambda: frappe.get_all(
			"Notification",
			fields=["name", "event", "method"],
			filters={"enabled": 1, "document_type": doc.doctype},
		),
	)
	if doc.flags.in_insert or doc.flags.in_delete or not alerts:
		doc.flags.notifications = alerts
		return
	if doc.flags.notifications_executed is None:
		doc.flags.notifications_executed = []
	before = doc.get_doc_before_save()
	context = get_context(doc)
	kept, deferred = [], []
	for alert in alerts:
		if alert.event != "Value Change":
			kept.append(alert)
			continue
		if alert.name in doc.flags.notifications_executed:
			continue  # as Frappe: once per document object
		field, condition = frappe.get_cached_value("Notification", alert.name, ["value_changed", "condition"])
		df = doc.meta.get_field(field)
		if not df:
			kept.append(alert)  # Frappe disables it and logs why
			continue
		if before and cast(df.fieldtype, doc.get(field)) == cast(df.fieldtype, before.get(field)):
			continue
		try:
			if condition and not frappe.safe_eval(condition, None, context):
				continue
		except Exception:
			kept.append(alert)  # Frappe evaluates it again and reports the error
			continue
		deferred.append(alert.name)
		doc.flags.notifications_executed.append(alert.name)
	doc.flags.notifications = kept
	doc.flags.deferred_notifications = deferred
	if deferred:
		frappe.enqueue(
			"ap_provision.notifications.send_alerts",
			queue="short",
			enqueue_after_commit=True,
			now=bool(frappe.flags.in_test),
			doc=doc.as_dict(convert_dates_to_str=True),
			alerts=deferred,
		)


def send_alerts(doc: dict, alerts: list[str]):
	"""Background job: send the notifications `alerts` (names) for `doc`, the document as it was
	saved (its conditions were met then). An alert disabled since is not sent."""
	doc = frappe.get_doc(doc)
	for name in alerts:
		alert = frappe.get_doc("Notification", name)
		if alert.enabled:
			alert.send(doc)
