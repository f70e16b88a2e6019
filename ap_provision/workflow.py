"""The desk's workflow action endpoint, with one addition for referrals.

`frappe.model.workflow.apply_workflow` answers an action that is no longer possible with
"Not a valid Workflow Action". For a panel decision on a referral that has already been
decided (another chair's tab, a double click) that hides what happened, so the decision is
refused here with who decided and when. Everything else is Frappe's own apply_workflow.
"""

import frappe
from frappe.model.workflow import apply_workflow as frappe_apply_workflow

from ap_provision.rules import panels


@frappe.whitelist()
def apply_workflow(doc, action):
	values = frappe.parse_json(doc)
	if (
		isinstance(values, dict)
		and isinstance(values.get("name"), str)
		and values.get("doctype") == "Referral"
		and action in panels.DECISION_FOR_ACTION
	):
		from ap_provision.ap_provision.doctype.referral.referral import throw_already_decided

		# Who decided, and when, only for those who may read the referral.
		frappe.has_permission("Referral", "read", doc=values.get("name"), throw=True)
		stored = frappe.db.get_value(
			"Referral", values.get("name"), ["workflow_state", "decided_by", "decided_on"], as_dict=True
		)
		if stored and stored.workflow_state in panels.DECISIONS:
			throw_already_decided(values.get("name"), stored)
	return frappe_apply_workflow(doc, action)
