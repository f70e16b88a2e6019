// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Placement", {
	refresh(frm) {
		if (frm.is_new()) {
			return;
		}
		const running = ["Active", "Reintegrating"].includes(frm.doc.status);
		// Safeguarding arrangements live in Placement Safeguarding, which the panel cannot read.
		if (frappe.model.can_read("Placement Safeguarding")) {
			frm.add_custom_button(__("Safeguarding"), () =>
				frappe
					.xcall(
						"ap_provision.ap_provision.doctype.placement_safeguarding.placement_safeguarding.open_safeguarding",
						{ placement: frm.doc.name }
					)
					.then((name) => frappe.set_route("Form", "Placement Safeguarding", name))
			);
		}
		if (running && frappe.model.can_create("Review")) {
			frm.add_custom_button(
				__("Review"),
				() =>
					frappe.model.open_mapped_doc({
						method: "ap_provision.ap_provision.doctype.placement.placement.make_review",
						frm: frm,
					}),
				__("Create")
			);
		}
		if (running && frappe.model.can_create("Placement Update")) {
			frm.add_custom_button(
				__("Provider Report"),
				() => frappe.new_doc("Placement Update", { placement: frm.doc.name }),
				__("Create")
			);
		}
		if (frm.doc.next_update_due && running && frm.doc.next_update_due < frappe.datetime.get_today()) {
			frm.dashboard.set_headline_alert(
				__("The provider's report was due on {0}.", [frappe.datetime.str_to_user(frm.doc.next_update_due)]),
				"red"
			);
		} else if (frm.doc.due_diligence_flag && !frm.doc.due_diligence_acknowledged) {
			frm.dashboard.set_headline_alert(frm.doc.due_diligence_flag, "orange");
		}
	},
	days_per_week(frm) {
		// With a weekly pattern the server takes the hours at the provider from it.
		if (!(frm.doc.session_pattern || []).length) {
			frm.set_value("hours_per_week", (frm.doc.days_per_week || 0) * 5);
		}
	},
});
