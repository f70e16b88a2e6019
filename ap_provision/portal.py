"""Server side of the school and provider portals (web forms in ap_provision/ap_provision/web_form).

Every function acts as the signed-in user: permissions (ap_provision/permissions.py) decide
what they may read and do, and fields above their permission level are never returned.
"""

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow

from ap_provision.permissions import readable_dict

DECIDED = ("Approved", "Declined", "Deferred")
DECISION_LETTER = "Panel Decision Letter"


def scrub_web_form_context(context):
	"""A web form page embeds its document as JSON: keep only the fields the user may read."""
	if context.get("reference_doc") and context.get("reference_name"):
		context.reference_doc = readable_dict(
			frappe.get_doc(context.reference_doctype, context.reference_name)
		)
	return context


@frappe.whitelist()
def pupil_options() -> list[dict]:
	"""The pupils the user may refer (their school's roll), for the referral form."""
	return [
		{"value": p.name, "label": f"{p.full_name} ({p.year_group or _('no year group')}, {p.name})"}
		for p in frappe.get_list(
			"Pupil", fields=["name", "full_name", "year_group"], order_by="last_name asc, first_name asc"
		)
	]


@frappe.whitelist()
def referral_summary(name: str) -> dict:
	"""Status, panel, EHC completeness and decision of one referral, as the user may read them."""
	doc = frappe.get_doc("Referral", name)
	doc.check_permission("read")
	values = readable_dict(doc)
	keys = (
		"name",
		"pupil_name",
		"workflow_state",
		"panel_date",
		"panel_note",
		"late_referral",
		"ehc_assessment",
		"ehc_completeness",
		"ehc_missing_items",
		"provider_name",
		"expected_start_date",
		"decision_reason",
		"decision_conditions",
		"decided_on",
	)
	out = {k: values.get(k) for k in keys}
	out["can_submit"] = doc.workflow_state in ("Draft", "More Information Requested") and bool(
		doc.has_permission("write")
	)
	out["decision_letter"] = (
		f"/printview?doctype=Referral&name={name}&format={DECISION_LETTER}"
		if doc.workflow_state in DECIDED and frappe.db.exists("Print Format", DECISION_LETTER)
		else None
	)
	out["decision_letter_pdf"] = (
		f"/api/method/frappe.utils.print_format.download_pdf?doctype=Referral&name={name}&format={DECISION_LETTER}"
		if out["decision_letter"]
		else None
	)
	return out


@frappe.whitelist(methods=["POST"])
def submit_referral(name: str) -> dict:
	"""The school's Submit: the workflow action, with its rules (evidence, deadline, EHC)."""
	doc = frappe.get_doc("Referral", name)
	doc.check_permission("write")
	apply_workflow(doc, "Submit")
	return referral_summary(name)
