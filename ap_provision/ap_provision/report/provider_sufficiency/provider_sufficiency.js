// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.query_reports["Provider Sufficiency"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Panels From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -3),
		},
		{
			fieldname: "to_date",
			label: __("Panels To"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), 3),
		},
		{
			fieldname: "key_stage",
			label: __("Key Stage"),
			fieldtype: "Select",
			options: ["", "KS1", "KS2", "KS3", "KS4"].join("\n"),
		},
		{ fieldname: "provider", label: __("Provider"), fieldtype: "Link", options: "AP Provider" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "free_after" && data && data.free_after < 0) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
