"""/school: a School Referrer's home, where sign-in lands (hooks.py role_home_page)."""

import frappe
from frappe import _

from ap_provision import portal_home

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.SCHOOL_ROLE)
	context.no_breadcrumbs = 1
	context.organisation = portal_home.organisation_name("School")
	context.title = _("Home")
	context.heading = context.organisation or _("Your school")
	context.intro = _(
		"Refer pupils for alternative provision and follow each referral to its decision and placement."
	)
	context.home = portal_home.school_home()
	context.letter_url = portal_home.decision_letter_url
	return context
