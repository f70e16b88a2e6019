// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.query_reports["Placement Register"] = {
	filters: [
		{
			fieldname: "as_on",
			label: __("Live On"),
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
		{ fieldname: "overdue_only", label: __("Overdue Updates Only"), fieldtype: "Check" },
		{ fieldname: "below_full_time_only", label: __("Below Full Time Only"), fieldtype: "Check" },
		{
			fieldname: "needs_more_eyes",
			label: __("Needs More Eyes"),
			fieldtype: "Check",
			// Only those who may read Pupil Social Care are told who needs more eyes.
			hidden: frappe.model.can_read("Pupil Social Care") ? 0 : 1,
		},
	],
	onload(report) {
		if (!frappe.user.has_role(["PRT Officer", "AP Administrator", "System Manager"])) return;
		report.page.add_inner_button(__("AP Census CSV"), () => {
			frappe.prompt(
				{
					fieldname: "census_date",
					label: __("Census Date"),
					fieldtype: "Date",
					reqd: 1,
					default: frappe.datetime.get_today(),
				},
				(values) => {
					window.open(
						"/api/method/ap_provision.census.download_ap_census?census_date=" +
							encodeURIComponent(values.census_date)
					);
				},
				__("AP Census Export"),
				__("Download")
			);
		});
	},
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "update_overdue_days" && data && data.update_overdue_days > 0) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
