"""/accessibility: the service's accessibility statement, as UK public-sector sites publish one
(Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018)."""

import frappe
from frappe import _

from ap_provision import accessibility

no_cache = 1


def get_context(context):
	settings = frappe.get_cached_doc("AP Settings")
	context.la_name = settings.la_name or _("The local authority")
	context.la_email = settings.la_email
	context.la_phone = settings.la_phone
	context.title = _("Accessibility statement")
	context.no_breadcrumbs = 1
	context.findings = accessibility.FRAMEWORK_FINDINGS
	context.prepared = accessibility.STATEMENT_PREPARED
	context.tested = accessibility.LAST_TESTED
	return context
