"""/provider/placements: the provider's placements, with when each report is due."""

import frappe
from frappe import _

from ap_provision import portal_home

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.PROVIDER_ROLE)
	context.title = _("Placements")
	context.parents = [{"route": "/provider", "title": _("Home")}]
	context.page = portal_home.list_page(
		"/provider/placements",
		portal_home.fetch_placements,
		"Placement",
		("pupil_name", "school_name"),
		frappe.form_dict,
		portal_home.PLACEMENT_FILTERS,
	)
	context.statuses = portal_home.PLACEMENT_FILTERS["status"][1]
	return context
