// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Panel", {
	setup(frm) {
		frm.set_query("chair", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { role: "Panel Chair" },
		}));
	},

	refresh(frm) {
		const indicator = {
			Scheduled: "blue",
			"Agenda Closed": "orange",
			Held: "purple",
			Closed: "green",
			Cancelled: "red",
		}[frm.doc.status];
		frm.page.set_indicator(__(frm.doc.status), indicator);
		if (frm.is_new()) return;

		frm.add_custom_button(__("Panel Papers"), () =>
			frappe.utils.print(frm.doctype, frm.doc.name, "Panel Agenda")
		);
		const today = frappe.datetime.get_today();
		const next = {
			Scheduled: today > frm.doc.referral_deadline ? "Agenda Closed" : null,
			"Agenda Closed": today >= frm.doc.panel_date ? "Held" : null,
			Held: "Closed",
		}[frm.doc.status];
		if (next && frm.perm[0] && frm.perm[0].write) {
			const label = { "Agenda Closed": __("Close Agenda"), Held: __("Mark as Held"), Closed: __("Close Panel") }[next];
			frm.add_custom_button(label, () => {
				frm.set_value("status", next);
				frm.save();
			}, __("Status"));
		}
		// A panel not yet held can be cancelled: its referrals go to the next panel (server side).
		if (["Scheduled", "Agenda Closed"].includes(frm.doc.status) && frm.perm[0] && frm.perm[0].write) {
			frm.add_custom_button(
				__("Cancel Panel"),
				() =>
					frappe.prompt(
						{
							fieldname: "reason",
							fieldtype: "Small Text",
							label: __("Reason for cancelling"),
							reqd: 1,
							description: __("The referrals waiting for this panel go to the next one; their schools are told."),
						},
						(values) => {
							frm.set_value("cancellation_reason", values.reason);
							frm.set_value("status", "Cancelled");
							frm.save();
						},
						__("Cancel panel {0}", [frm.doc.name])
					),
				__("Status")
			);
		}
		const undecided = (frm.doc.agenda || []).filter((row) => !row.decision).length;
		if (frm.doc.agenda && frm.doc.agenda.length) {
			frm.dashboard.add_comment(
				__("{0} referral(s) on the agenda, {1} still to decide.", [frm.doc.agenda.length, undecided]),
				undecided ? "blue" : "green",
				true
			);
		}
	},
});
