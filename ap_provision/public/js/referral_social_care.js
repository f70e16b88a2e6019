// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

// Referral form (hooks.py doctype_js): pupils who need more eyes. For users who may read Pupil
// Social Care (the PRT, the panel, SEND caseworkers) the form shows the pupil's flags: looked
// after with the virtual school head, child in need or protection plan, social worker, youth
// justice worker. Others get nothing (the server answers them with an empty list).
frappe.ui.form.on("Referral", {
	refresh(frm) {
		if (frm.is_new() || !frappe.model.can_read("Pupil Social Care")) return;
		frappe
			.call("ap_provision.social_care.referral_flags", { referral: frm.doc.name })
			.then((r) => {
				const flags = r.message || [];
				if (!flags.length) return;
				frm.dashboard.set_headline_alert(
					`<strong>${__("Needs more eyes")}:</strong> ${flags
						.map((f) => frappe.utils.escape_html(f))
						.join("; ")}`,
					"orange"
				);
			});
	},
});
