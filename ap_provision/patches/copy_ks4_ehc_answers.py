"""The KS4 EHC checklist now asks three questions in the seed's KS4 words: copy the
answers KS4 assessments gave to the shared question into the KS4 one."""

import frappe

COPIED = {
	"annual_review_held": "annual_review_held_ks4",
	"graduated_approach_followed": "graduated_approach_followed_ks4",
	"section_f_reviewed": "section_f_reviewed_ks4",
}


def execute():
	for name in frappe.get_all("EHC Assessment", filters={"pathway": "KS4"}, pluck="name"):
		values = frappe.db.get_value("EHC Assessment", name, list(COPIED), as_dict=True)
		update = {new: values[old] for old, new in COPIED.items() if values.get(old)}
		if update:
			frappe.db.set_value("EHC Assessment", name, update, update_modified=False)
