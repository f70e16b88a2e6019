"""/provider: an AP Provider User's home, where sign-in lands (hooks.py role_home_page)."""

from frappe import _

from ap_provision import portal_home

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.PROVIDER_ROLE)
	context.no_breadcrumbs = 1
	context.organisation = portal_home.organisation_name("AP Provider")
	context.title = _("Home")
	context.heading = context.organisation or _("Your provider")
	context.intro = _("Report on your placements, see when reports are due and which reviews are booked.")
	context.home = portal_home.provider_home()
	return context
