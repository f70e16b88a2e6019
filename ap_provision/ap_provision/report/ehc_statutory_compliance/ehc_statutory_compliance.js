// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.query_reports["EHC Statutory Compliance"] = {
	filters: [
		{
			fieldname: "as_on",
			label: __("As On"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "from_date",
			label: __("Placements Live From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{ fieldname: "to_date", label: __("Placements Live To"), fieldtype: "Date" },
		{ fieldname: "school", label: __("School"), fieldtype: "Link", options: "School" },
		{ fieldname: "provider", label: __("Provider"), fieldtype: "Link", options: "AP Provider" },
		{
			fieldname: "key_stage",
			label: __("Key Stage"),
			fieldtype: "Select",
			options: ["", "KS1", "KS2", "KS3", "KS4"].join("\n"),
		},
		{ fieldname: "problems_only", label: __("Problems Only"), fieldtype: "Check" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		const bad =
			(column.fieldname === "annual_review_missing" && data && data.annual_review_missing) ||
			(column.fieldname === "advice_status" && data && ["Out of date", "None recorded"].includes(data.advice_status));
		return bad ? `<span class="text-danger">${value}</span>` : value;
	},
};
