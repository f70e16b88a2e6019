// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.query_reports["AP Funding Impact"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Started From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{ fieldname: "to_date", label: __("Started To"), fieldtype: "Date" },
		{ fieldname: "school", label: __("School"), fieldtype: "Link", options: "School" },
		{ fieldname: "provider", label: __("Provider"), fieldtype: "Link", options: "AP Provider" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return data && data.bold ? `<b>${value}</b>` : value;
	},
};
