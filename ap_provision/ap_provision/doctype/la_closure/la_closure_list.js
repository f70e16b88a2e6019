// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.listview_settings["LA Closure"] = {
	onload(listview) {
		if (!frappe.model.can_create("LA Closure")) return;
		listview.page.add_inner_button(__("Add Bank Holidays"), () => {
			frappe.prompt(
				{
					fieldname: "year",
					fieldtype: "Int",
					label: __("Year"),
					reqd: 1,
					default: new Date().getFullYear() + 1,
				},
				(values) =>
					frappe
						.xcall("ap_provision.ap_provision.doctype.la_closure.la_closure.add_bank_holidays", values)
						.then((added) => {
							frappe.show_alert({
								message: __("{0} bank holiday(s) added.", [added.length]),
								indicator: "green",
							});
							listview.refresh();
						}),
				__("Add England's bank holidays")
			);
		});
	},
};
