"""Jinja helpers for the app's print formats (registered in hooks.py under ``jinja``).

Print formats load records other than the one printed only through these helpers, which give
a record only to a user who may read it (``ap_readable_doc``), or only the part of it that is
public (``ap_settings``). A template never calls ``frappe.get_doc`` or ``frappe.db`` itself:
the portable tier refuses a template that does (tests/appmeta.py).
"""

import frappe
from frappe import _

from ap_provision.rules import ehc


def ehc_checklist(assessment) -> list[dict]:
	"""The questions of the assessment's pathway that apply to it, with their answers, in
	form order (a follow-up question is left out when its "Yes" was not given)."""
	if not assessment or not assessment.get("pathway"):
		return []
	rows = []
	for question in ehc.questions_for(assessment.pathway):
		condition = question.condition
		if condition and assessment.get(condition[0]) != condition[1]:
			continue
		value = assessment.get(question.fieldname)
		if value in (None, ""):
			shown = ""
		elif question.fieldtype == "Date":
			shown = frappe.format(value, "Date")
		else:
			shown = str(value)
		rows.append({"label": _(question.label), "value": shown, "fieldtype": question.fieldtype})
	return rows


def ap_readable_doc(doctype: str, name: str | None):
	"""A record the print may show, or None when the user may not read it (or it is missing)."""
	if not name or not isinstance(name, str) or not frappe.db.exists(doctype, name):
		return None
	if not frappe.has_permission(doctype, "read", doc=name):
		return None
	return frappe.get_doc(doctype, name)


# The part of AP Settings every letter may show: the LA letterhead and the service's published
# intervals (nothing else of the settings is printed).
PUBLIC_SETTINGS = (
	"la_name",
	"la_logo",
	"la_address",
	"la_email",
	"la_phone",
	"letter_signatory",
	"letter_signatory_role",
	"update_interval_days",
	"review_interval_days",
	"placement_weeks",
)


def ap_settings() -> dict:
	"""The public part of AP Settings (the LA letterhead and the service's intervals), whoever
	prints: portal users cannot read AP Settings, yet their letters carry the letterhead."""
	settings = frappe.db.get_singles_dict("AP Settings") or {}
	return frappe._dict({field: settings.get(field) for field in PUBLIC_SETTINGS})


def ap_triage(referral: str | None):
	"""The PRT's triage of a referral for a user who may read it (the PRT, the panel), else None."""
	from ap_provision.ap_provision.doctype.referral_triage.referral_triage import readable_triage

	return readable_triage(referral)


def ap_safeguarding(placement: str | None):
	"""A placement's safeguarding record for a user who may read it, else None."""
	from ap_provision.ap_provision.doctype.placement_safeguarding.placement_safeguarding import (
		readable_safeguarding,
	)

	return readable_safeguarding(placement)
