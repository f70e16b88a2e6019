"""/school/placements: where the school's pupils are placed, with status and next review."""

import frappe
from frappe import _

from ap_provision import portal_home

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.SCHOOL_ROLE)
	context.title = _("Placements")
	context.parents = [{"route": "/school", "title": _("Home")}]
	context.page = portal_home.list_page(
		"/school/placements",
		portal_home.fetch_placements,
		"Placement",
		("pupil_name", "provider_name"),
		frappe.form_dict,
		portal_home.PLACEMENT_FILTERS,
	)
	context.statuses = portal_home.PLACEMENT_FILTERS["status"][1]
	return context
