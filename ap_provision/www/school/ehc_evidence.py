"""/school/ehc-evidence: the EHC plan evidence of the school's referrals and how complete it is."""

import frappe
from frappe import _

from ap_provision import portal_home

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.SCHOOL_ROLE)
	context.title = _("EHC evidence")
	context.parents = [{"route": "/school", "title": _("Home")}]
	context.intro = _(
		"The evidence the panel needs for pupils with an EHC plan. It is started with the referral; "
		"the referral can be submitted once every question is answered."
	)
	context.page = portal_home.list_page(
		"/school/ehc-evidence",
		portal_home.fetch_assessments,
		"EHC Assessment",
		("pupil_name", "referral"),
		frappe.form_dict,
		portal_home.ASSESSMENT_FILTERS,
	)
	return context
