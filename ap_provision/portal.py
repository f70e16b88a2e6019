"""Server side of the school and provider portals (web forms in ap_provision/ap_provision/web_form).

Every function acts as the signed-in user: the access layer (ap_provision/access/) decides
what they may read and do, and fields above their permission level are never returned.
"""

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow

from ap_provision.access.web import readable_dict
from ap_provision.ap_provision.doctype.placement_safeguarding.placement_safeguarding import (
	readable_safeguarding,
)
from ap_provision.rules import panels

DECIDED = panels.DECISIONS
DECISION_LETTER = "Panel Decision Letter"


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


# -- placements (school and provider portals) ---------------------------------------------

RUNNING_PLACEMENT = ("Active", "Reintegrating")
PLACEMENT_KEYS = (
	"name",
	"pupil_name",
	"school_name",
	"provider_name",
	"status",
	"placement_type",
	"days_per_week",
	"start_date",
	"planned_end_date",
	"actual_end_date",
	"admission_meeting_date",
	"last_update_date",
	"next_update_due",
	"last_review_date",
	"next_review_date",
)


@frappe.whitelist()
def placement_options() -> list[dict]:
	"""The running placements the user may report on (a provider's own), for the update form."""
	return [
		{
			"value": p.name,
			"label": _("{0} ({1}, from {2})").format(
				p.pupil_name, p.name, frappe.utils.formatdate(p.start_date)
			),
		}
		for p in frappe.get_list(
			"Placement",
			filters={"status": ("in", RUNNING_PLACEMENT)},
			fields=["name", "pupil_name", "start_date"],
			order_by="pupil_name asc",
		)
	]


@frappe.whitelist()
def placement_summary(name: str) -> dict:
	"""One placement as the user may read it: dates, when the next report and review are due,
	the scheduled reviews and the latest reports."""
	doc = frappe.get_doc("Placement", name)
	doc.check_permission("read")
	values = readable_dict(doc)
	out = {k: values.get(k) for k in PLACEMENT_KEYS}
	# Reviews: draft = scheduled, submitted = held (docs/policy.md, reviews).
	out["upcoming_reviews"] = frappe.get_list(
		"Review",
		filters={"placement": name, "docstatus": 0, "review_date": (">=", frappe.utils.today())},
		fields=["name", "review_date", "review_type"],
		order_by="review_date asc",
	)
	out["held_reviews"] = frappe.get_list(
		"Review",
		filters={"placement": name, "docstatus": 1},
		fields=["name", "review_date", "review_type", "outcome"],
		order_by="review_date desc",
		limit=5,
	)
	out["updates"] = frappe.get_list(
		"Placement Update",
		filters={"placement": name},
		fields=["name", "period_start", "period_end", "attendance_percent", "behaviour_incidents"],
		order_by="period_end desc",
		limit=5,
	)
	# Safeguarding arrangements: from Placement Safeguarding, for those who may read it.
	out["safeguarding"] = readable_safeguarding(name)
	out["can_report"] = doc.status in RUNNING_PLACEMENT and bool(
		frappe.has_permission("Placement Update", "create")
	)
	return out
