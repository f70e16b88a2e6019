"""/school/pupils: the school's pupil register, with search and filters."""

import frappe
from frappe import _

from ap_provision import portal_home

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.SCHOOL_ROLE)
	context.title = _("Pupils")
	context.parents = [{"route": "/school", "title": _("Home")}]
	context.page = portal_home.list_page(
		"/school/pupils",
		portal_home.fetch_pupils,
		"Pupil",
		("full_name", "upn"),
		frappe.form_dict,
		portal_home.PUPIL_FILTERS,
	)
	context.year_groups = portal_home.PUPIL_FILTERS["year_group"][1]
	saved = frappe.form_dict.get("saved")
	if saved and frappe.has_permission("Pupil", "read", doc=saved):
		context.saved = frappe.get_list("Pupil", filters={"name": saved}, fields=["name", "full_name"])
		if context.saved:
			context.notice = _("{0} is saved.").format(context.saved[0].full_name)
	return context
