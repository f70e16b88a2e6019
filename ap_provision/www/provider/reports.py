"""/provider/reports: the reports the provider has posted on its placements."""

import frappe
from frappe import _

from ap_provision import portal_home

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.PROVIDER_ROLE)
	context.title = _("Reports")
	context.parents = [{"route": "/provider", "title": _("Home")}]
	context.page = portal_home.list_page(
		"/provider/reports",
		portal_home.fetch_reports,
		"Placement Update",
		("pupil_name", "placement"),
		frappe.form_dict,
		{},
	)
	saved = frappe.form_dict.get("saved")
	if saved and frappe.get_list("Placement Update", filters={"name": saved}, pluck="name"):
		context.notice = _("Your report {0} has been sent to the Pupil Referral Team and the school.").format(
			saved
		)
	return context
