from frappe import _

from ap_provision.access.web import scrub_web_form_context
from ap_provision.portal_nav import web_form_titles


def get_context(context):
	web_form_titles(context, _("Placement"))
	# The page embeds the document: only the fields this user may read.
	return scrub_web_form_context(context)
