// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Panel"] = {
	add_fields: ["status", "referral_deadline"],
	get_indicator(doc) {
		const colour = {
			Scheduled: "blue",
			"Agenda Closed": "orange",
			Held: "purple",
			Closed: "green",
			Cancelled: "red",
		}[doc.status];
		return [__(doc.status), colour, "status,=," + doc.status];
	},
	onload(listview) {
		if (!frappe.model.can_create("Panel")) return;
		listview.page.add_inner_button(__("Generate Schedule"), () => {
			const dialog = new frappe.ui.Dialog({
				title: __("Generate the fortnightly panels"),
				fields: [
					{
						fieldname: "first_panel_date",
						fieldtype: "Date",
						label: __("First panel"),
						reqd: 1,
					},
					{
						fieldname: "until",
						fieldtype: "Date",
						label: __("Until"),
						description: __("Leave empty for the end of that academic year (31 July)."),
					},
					{
						fieldtype: "HTML",
						options: `<p class="text-muted small">${__(
							"Panels in LA closure weeks are skipped; a panel on a bank holiday moves to the next open day of its week. Weeks that already have a panel are left alone."
						)}</p>`,
					},
				],
				primary_action_label: __("Generate"),
				primary_action(values) {
					frappe
						.xcall("ap_provision.ap_provision.doctype.panel.panel.generate_schedule", values)
						.then((result) => {
							dialog.hide();
							const lines = [__("{0} panel(s) created.", [result.created.length])];
							result.moved.forEach((m) =>
								lines.push(
									__("Moved off a bank holiday: {0} to {1}.", [
										frappe.datetime.str_to_user(m.from),
										frappe.datetime.str_to_user(m.to),
									])
								)
							);
							result.skipped.forEach((reason) => lines.push(__("Skipped: {0}", [reason])));
							if (result.existing.length) {
								lines.push(__("{0} week(s) already had a panel.", [result.existing.length]));
							}
							frappe.msgprint(lines.join("<br>"), __("Panel schedule"));
							listview.refresh();
						});
				},
			});
			dialog.show();
		});
	},
};
