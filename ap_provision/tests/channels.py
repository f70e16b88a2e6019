# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""The ways in that the isolation tests try, called as the HTTP routes call them, as the
signed-in user (the browser tier, browser_tests/, drives the real HTTP server)."""

import json

import frappe


def whitelisted_method(cmd: str):
	"""The function a request for `cmd` runs (frappe.handler.execute_cmd): the last app's
	override_whitelisted_methods entry, else `cmd` itself."""
	overrides = frappe.get_hooks("override_whitelisted_methods", {}).get(cmd, [])
	return frappe.get_attr(overrides[-1] if overrides else cmd)


class PortalChannels:
	"""Mixin for a FrappeTestCase: whitelisted calls, web form posts and web form pages."""

	def call(self, method: str, **kwargs):
		"""A whitelisted method as the HTTP handler runs it: form_dict set, then called."""
		frappe.local.form_dict = frappe._dict(kwargs)
		return frappe.call(whitelisted_method(method), **kwargs)

	def post(self, web_form: str, data: dict):
		"""Post a web form as the browser does (frappe.website.doctype.web_form.web_form.accept)."""
		from frappe.website.doctype.web_form.web_form import accept

		payload = json.dumps(data, default=str)
		frappe.local.form_dict = frappe._dict(web_form=web_form, data=payload)
		try:
			return accept(web_form, payload)
		finally:
			frappe.flags.in_web_form = False

	def render_web_form(self, web_form_name, name):
		"""The context of a web form's page for the record `name`, read only."""
		frappe.local.form_dict = frappe._dict(name=name, is_read=1)
		frappe.local.path = f"{frappe.db.get_value('Web Form', web_form_name, 'route')}/{name}"
		context = frappe._dict()
		frappe.get_doc("Web Form", web_form_name).get_context(context)
		return context
