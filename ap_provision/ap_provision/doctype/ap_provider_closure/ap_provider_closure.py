# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from ap_provision.access.children import ParentScoped


class APProviderClosure(ParentScoped, Document):
	"""A row loaded on its own is readable only by those who may read its parent record."""
