// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("School", {
	refresh(frm) {
		ap_provision.portal_users.setup(frm, __("School users"));
	},
});
