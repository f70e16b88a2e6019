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


def tell(users: list[str], subject: str, message: str, doctype: str, name: str):
	"""An e-mail and a desk notification (bell) for each of `users`, about one document: for
	events no standard Notification covers (a panel moved or cancelled)."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	users = sorted({u for u in users if u and u not in ("Administrator", "Guest", frappe.session.user)})
	if not users:
		return
	emails = [e for e in frappe.get_all("User", filters={"name": ("in", users)}, pluck="email") if e]
	if emails:
		try:
			frappe.sendmail(
				recipients=emails,
				subject=subject,
				message=message,
				reference_doctype=doctype,
				reference_name=name,
			)
		except frappe.OutgoingEmailError:
			frappe.log_error(title=f"{doctype} {name}: e-mail not queued")
	make_notification_logs(
		{
			"type": "Alert",
			"document_type": doctype,
			"document_name": name,
			"subject": subject,
			"email_content": message,
			"from_user": frappe.session.user,
		},
		users,
	)


# The notifications a change of state fires ("Referral Submitted", "Panel Agenda Closed", ...)
# are Method notifications of this method, sent by the job below once the save is committed.
# Nothing runs the method itself, so Frappe never evaluates them in the user's request.
STATE_CHANGED = "notify_state_change"
STATE_FIELDS = {"Referral": "workflow_state", "Panel": "status"}


def queue_state_change_alerts(doc, method=None):
	"""on_change of a Referral or Panel: when the save changed its state, queue one job, after
	the commit, that sends the doctype's notifications of method `notify_state_change` whose
	condition holds for the document as saved (`send_alerts`).

	The user's request renders no e-mail and records no Communication (about 100 ms apiece);
	a rolled-back save queues nothing (Frappe drops the jobs queued for after the commit); a
	condition true of the document as saved still fires however the document moves on before
	the worker runs the job. A new document has no change of state. Nothing is queued while
	e-mail is muted (`frappe.flags.mute_emails` or the site's `mute_emails`: the demo's replay),
	nor in a patch or an install. In tests the job runs at once (as Frappe sends e-mail at once
	in tests)."""
	if frappe.are_emails_muted() or frappe.flags.in_patch or frappe.flags.in_install:
		return
	before = doc.get_doc_before_save()
	field = STATE_FIELDS[doc.doctype]
	if before is None or before.get(field) == doc.get(field):
		return
	# Once per save: on_change runs again on a db_set of the same document object.
	change = (before.modified, before.get(field), doc.get(field))
	queued = doc.flags.setdefault("ap_state_alerts_queued", [])
	if change in queued:
		return
	queued.append(change)
	frappe.enqueue(
		"ap_provision.notifications.send_alerts",
		queue="short",
		enqueue_after_commit=True,
		now=bool(frappe.flags.in_test),
		doc=doc.as_dict(convert_dates_to_str=True),
	)


def send_alerts(doc: dict):
	"""Background job, run as the user who saved: send the enabled notifications of method
	`notify_state_change` whose condition holds for `doc`, the document as it was saved, each
	rendered from it. Judged on that document, not on a reload, so a referral that has moved on
	(say to More Information Requested) before the job runs is not told of its new state twice:
	that save queued its own job. A condition that cannot be evaluated is logged and skipped;
	the other notifications still go."""
	from frappe.email.doctype.notification.notification import get_context

	doc = frappe.get_doc(doc)
	context = get_context(doc)
	for name in frappe.get_all(
		"Notification",
		filters={"enabled": 1, "document_type": doc.doctype, "event": "Method", "method": STATE_CHANGED},
		pluck="name",
		order_by="name",
	):
		alert = frappe.get_doc("Notification", name)
		try:
			if alert.condition and not frappe.safe_eval(alert.condition, None, context):
				continue
		except Exception:
			alert.log_error(f"Condition of Notification {name} failed on {doc.doctype} {doc.name}")
			continue
		alert.send(doc)
