from ap_provision.portal import scrub_web_form_context


def get_context(context):
	# The page embeds the document: only the fields this user may read.
	return scrub_web_form_context(context)
