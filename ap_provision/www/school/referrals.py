"""/school/referrals: the school's referrals, with search, filters and each one's status."""

import frappe
from frappe import _

from ap_provision import portal_home
from ap_provision.rules import portal

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.SCHOOL_ROLE)
	context.title = _("Referrals")
	context.parents = [{"route": "/school", "title": _("Home")}]
	context.page = portal_home.list_page(
		"/school/referrals",
		portal_home.fetch_referrals,
		"Referral",
		("pupil_name",),
		frappe.form_dict,
		portal_home.REFERRAL_FILTERS,
	)
	context.states = portal.REFERRAL_STATES
	return context
