"""EHC Assessments started with a referral before the pupil's name was set on them have none: their
portal page (web form, titled by the pupil's name) could not be shown. Fill it from the referral."""

import frappe


def execute():
	for name, referral in frappe.get_all(
		"EHC Assessment", filters={"pupil_name": ("is", "not set")}, fields=["name", "referral"], as_list=True
	):
		if pupil_name := frappe.db.get_value("Referral", referral, "pupil_name"):
			frappe.db.set_value("EHC Assessment", name, "pupil_name", pupil_name, update_modified=False)
