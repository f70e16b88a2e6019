// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.query_reports["Part-time and Hours"] = {
	filters: [
		{
			fieldname: "as_on",
			label: __("On"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{ fieldname: "school", label: __("School"), fieldtype: "Link", options: "School" },
		{ fieldname: "provider", label: __("Provider"), fieldtype: "Link", options: "AP Provider" },
		{
			fieldname: "key_stage",
			label: __("Key Stage"),
			fieldtype: "Select",
			options: ["", "KS1", "KS2", "KS3", "KS4"].join("\n"),
		},
		{ fieldname: "include_full_time", label: __("Include Pupils at Full Time"), fieldtype: "Check" },
		{ fieldname: "needs_more_eyes", label: __("Needs More Eyes Only"), fieldtype: "Check" },
	],
};
