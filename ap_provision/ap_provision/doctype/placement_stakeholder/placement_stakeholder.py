# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class PlacementStakeholder(Document):
	pass
