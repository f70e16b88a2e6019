"""Composite indexes for the queries the portal, the reports and the daily jobs run most.

Single-column indexes are the doctypes' own ``search_index`` flags (school, workflow_state,
panel, status, provider, placement, period_end, review_date, ...). The indexes here cover
a filter together with the column it sorts or ranges on, so those queries read only the
rows they return. ``ensure_indexes`` runs after install and after every migrate (hooks.py);
``frappe.db.add_index`` does nothing when the index already exists.
"""

import frappe

# doctype -> [(columns, index name)]
COMPOSITE_INDEXES = {
	# school portal list and school-scoped reports: a school's referrals, newest first
	"Referral": [
		(("school", "modified"), "school_modified_index"),
		# places taken at a provider (approved referrals without a placement yet)
		(("provider", "key_stage", "workflow_state"), "provider_key_stage_state_index"),
		# approved referrals whose place overlaps a date range (Provider Sufficiency)
		(("decided_on",), "decided_on_index"),
		(("expected_start_date",), "expected_start_date_index"),
	],
	# live placements of a provider and key stage; daily jobs on running placements
	"Placement": [
		(("provider", "key_stage", "status"), "provider_key_stage_status_index"),
		(("status", "next_update_due"), "status_next_update_due_index"),
		(("school", "modified"), "school_modified_index"),
		# placements live on a date or in a date range (Placement Register, Provider
		# Sufficiency): those ended after it, beside the running ones (status)
		(("actual_end_date",), "actual_end_date_index"),
	],
	# the latest report of a placement; reports since the last review
	"Placement Update": [(("placement", "period_end"), "placement_period_end_index")],
	# the last held review of a placement
	"Review": [
		(("placement", "review_date"), "placement_review_date_index"),
		# the few reviews whose outcome changes how a placement ended (Reintegration Outcomes)
		(("outcome", "placement"), "outcome_placement_index"),
	],
}


def ensure_indexes():
	for doctype, indexes in COMPOSITE_INDEXES.items():
		for columns, name in indexes:
			frappe.db.add_index(doctype, list(columns), index_name=name)
