// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.query_reports["Referral Tracker"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("Created From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("Created To"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "workflow_state",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				"",
				"Draft",
				"Submitted",
				"More Information Requested",
				"Accepted for Panel",
				"Deferred",
				"Approved",
				"Declined",
				"Withdrawn",
			].join("\n"),
		},
		{ fieldname: "school", label: __("School"), fieldtype: "Link", options: "School" },
		{
			fieldname: "key_stage",
			label: __("Key Stage"),
			fieldtype: "Select",
			options: ["", "KS1", "KS2", "KS3", "KS4"].join("\n"),
		},
		{
			fieldname: "has_ehc_plan",
			label: __("EHC Plan"),
			fieldtype: "Select",
			options: ["", "Yes", "No"].join("\n"),
		},
		{
			fieldname: "timeliness",
			label: __("Deadline"),
			fieldtype: "Select",
			options: ["", "On time", "Late"].join("\n"),
		},
		{ fieldname: "panel", label: __("Panel"), fieldtype: "Link", options: "Panel" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "timeliness" && data && data.timeliness) {
			const colour = data.late_referral ? "red" : "green";
			value = `<span class="indicator-pill ${colour}">${value}</span>`;
		}
		return value;
	},
};
