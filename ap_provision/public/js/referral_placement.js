// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

// Referral form (hooks.py doctype_js): Create > Placement on an approved referral, or a
// link to its placement once made. One placement per approved referral.
frappe.ui.form.on("Referral", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.docstatus !== 1 || frm.doc.workflow_state !== "Approved") {
			return;
		}
		frappe.db.get_value("Placement", { referral: frm.doc.name }, ["name", "status"]).then((r) => {
			const placement = r.message && r.message.name;
			if (placement) {
				frm.add_custom_button(__("Placement {0}", [placement]), () =>
					frappe.set_route("Form", "Placement", placement)
				);
			} else if (frappe.model.can_create("Placement")) {
				frm.add_custom_button(
					__("Placement"),
					() =>
						frappe.model.open_mapped_doc({
							method: "ap_provision.ap_provision.doctype.placement.placement.make_placement",
							frm: frm,
						}),
					__("Create")
				);
			}
		});
	},
});
