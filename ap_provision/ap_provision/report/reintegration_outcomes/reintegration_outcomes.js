// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.query_reports["Reintegration Outcomes"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Ended From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("Ended To"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Provider", "Key Stage"].join("\n"),
			default: "Provider",
		},
		{ fieldname: "provider", label: __("Provider"), fieldtype: "Link", options: "AP Provider" },
		{ fieldname: "school", label: __("School"), fieldtype: "Link", options: "School" },
		{
			fieldname: "key_stage",
			label: __("Key Stage"),
			fieldtype: "Select",
			options: ["", "KS1", "KS2", "KS3", "KS4"].join("\n"),
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return data && data.bold ? `<b>${value}</b>` : value;
	},
};
