"""Site settings the app keeps for children's data (run after install and every migrate)."""

import frappe


def harden_site():
	"""No tracebacks to clients: Frappe's "Show Full Error" (allow_error_traceback, on by
	default) sends the server's traceback with every error response, to any user. Errors
	stay in the Error Log for administrators."""
	if frappe.db.get_single_value("System Settings", "allow_error_traceback"):
		frappe.db.set_single_value("System Settings", "allow_error_traceback", 0)
		frappe.clear_cache(doctype="System Settings")
