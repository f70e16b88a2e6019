"""AP Settings fields added for the process over time take their defaults on sites that already had the
settings (a Single doctype's new fields are empty until saved)."""

import frappe

DEFAULTS = {
	"deadline_on_closed_day": "The open day before",
	"agenda_papers_close": "Open day after the deadline",
	"papers_open_days_before_panel": 2,
	"resubmission_receipt": "Keeps the first receipt",
	"start_lead_days": 10,
	"term_time_placements": 0,
	"ks4_resources_window_months": 24,
}


def execute():
	stored = dict(
		frappe.db.sql("select field, value from `tabSingles` where doctype = 'AP Settings'", as_list=True)
	)
	for field, value in DEFAULTS.items():
		if stored.get(field) in (None, ""):
			frappe.db.set_single_value("AP Settings", field, value)
	frappe.clear_document_cache("AP Settings", "AP Settings")
