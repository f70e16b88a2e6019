from frappe import _

from ap_provision.access.web import scrub_web_form_context
from ap_provision.portal_nav import web_form_titles


def get_context(context):
	web_form_titles(context, _("New placement report"))
	# The attendance grid shows the day and its marks, not the rows' internal names.
	for field in (context.get("web_form_doc") or {}).get("web_form_fields") or []:
		if field.get("fieldtype") == "Table" and field.get("fields"):
			field.fields = [f for f in field.fields if f.get("fieldname") != "name"]
	# The page embeds the document: only the fields this user may read.
	return scrub_web_form_context(context)
