# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""Alerts about placements, each sent once.

Every alert has a key naming what it is about (``update-overdue:PLC-2027-00001:2027-01-25``).
Sending inserts a Placement Alert named by that key before anything goes out, so a second
run of a daily job, or a second save of the same report, finds the key and sends nothing; two
runs racing collide on the primary key and the loser sends nothing either.

An alert is an email to each recipient plus a desk notification (bell) for each user.
"""

import frappe
from frappe.model.document import Document
from frappe.utils import now_datetime

SAFEGUARDING_CONCERN = "Safeguarding Concern"
UNEXPLAINED_ABSENCE = "Unexplained Absence"
UPDATE_OVERDUE = "Update Overdue"
REVIEW_DUE = "Review Due"
PLACEMENT_ENDING = "Placement Ending"
ANNUAL_REVIEW_IN_PLACEMENT = "Annual Review In Placement"
PART_TIME_DUE = "Part-time Arrangement Due"
REGISTER_NOT_MARKED = "Register Not Marked"
SOCIAL_CARE_TOLD = "Social Care Told"


class PlacementAlert(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		alert_key: DF.Data
		alert_type: DF.Literal[
			"Safeguarding Concern",
			"Unexplained Absence",
			"Update Overdue",
			"Review Due",
			"Placement Ending",
			"Annual Review In Placement",
			"Part-time Arrangement Due",
			"Register Not Marked",
			"Social Care Told",
		]
		placement: DF.Link | None
		recipients: DF.SmallText | None
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		sent_on: DF.Datetime | None
		subject: DF.Data | None
	# end: auto-generated types

	pass


def already_sent(key: str) -> bool:
	return bool(frappe.db.exists("Placement Alert", key))


def send(
	alert_type: str,
	key: str,
	*,
	placement: str | None,
	subject: str,
	message: str,
	users: list[str],
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	emails: list[str] | None = None,
) -> bool:
	"""Send the alert unless its key was sent before. True when it went out now.

	``emails``: people outside the system told by email only (a pupil's social worker)."""
	users = sorted({u for u in users if u and u not in ("Administrator", "Guest")})
	outside = sorted({e.strip() for e in emails or [] if e and e.strip()})
	if already_sent(key):
		return False
	reference_doctype = reference_doctype or "Placement"
	reference_name = reference_name or placement
	try:
		frappe.get_doc(
			{
				"doctype": "Placement Alert",
				"alert_key": key,
				"alert_type": alert_type,
				"placement": placement,
				"reference_doctype": reference_doctype,
				"reference_name": reference_name,
				"sent_on": now_datetime(),
				"subject": subject[:140],
				"recipients": "\n".join(users + outside),
			}
		).insert(ignore_permissions=True)
	except frappe.DuplicateEntryError:
		return False
	if not users and not outside:
		return True
	emails = [e for e in frappe.get_all("User", filters={"name": ("in", users or [""])}, pluck="email") if e]
	emails = sorted(set(emails + outside))
	# While e-mail is muted (the demo's replay) no e-mail is queued, as for the app's notifications
	# (Frappe's stand-in account for muted sites has no address and fails to build the message).
	if emails and not frappe.are_emails_muted():
		try:
			frappe.sendmail(
				recipients=emails,
				subject=subject,
				message=message,
				reference_doctype=reference_doctype,
				reference_name=reference_name,
			)
		except frappe.OutgoingEmailError:
			# No outgoing email account: the desk notification below still goes out.
			frappe.log_error(title=f"Placement alert {key}: email not queued")
	if not users:
		return True
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	make_notification_logs(
		{
			"type": "Alert",
			"document_type": reference_doctype,
			"document_name": reference_name,
			"subject": subject,
			"email_content": message,
			"from_user": "Administrator",
		},
		users,
	)
	return True


# -- who is told ------------------------------------------------------------------------


def users_with_role(role: str) -> list[str]:
	"""Enabled users holding the role (one query)."""
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	rows = (
		frappe.qb.from_(has_role)
		.join(user)
		.on(user.name == has_role.parent)
		.select(user.name)
		.distinct()
		.where(
			(has_role.role == role)
			& (has_role.parenttype == "User")
			& (user.enabled == 1)
			& (user.name.notin(("Administrator", "Guest")))
		)
		.run(pluck=True)
	)
	return sorted(rows)


def scoped_users(role: str, allow: str, value: str | None) -> list[str]:
	"""Enabled users holding the role whose User Permission allows `allow` = `value`."""
	if not value:
		return []
	perm = frappe.qb.DocType("User Permission")
	has_role = frappe.qb.DocType("Has Role")
	user = frappe.qb.DocType("User")
	rows = (
		frappe.qb.from_(perm)
		.join(has_role)
		.on((has_role.parent == perm.user) & (has_role.parenttype == "User"))
		.join(user)
		.on(user.name == perm.user)
		.select(perm.user)
		.distinct()
		.where(
			(perm.allow == allow) & (perm.for_value == value) & (has_role.role == role) & (user.enabled == 1)
		)
		.run(pluck=True)
	)
	return sorted(rows)


def prt_users() -> list[str]:
	return users_with_role("PRT Officer")


def school_users(school: str | None) -> list[str]:
	return scoped_users("School Referrer", "School", school)


def provider_users(provider: str | None) -> list[str]:
	return scoped_users("AP Provider User", "AP Provider", provider)
