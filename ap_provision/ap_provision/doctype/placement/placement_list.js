// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Placement"] = {
	add_fields: ["status"],
	get_indicator(doc) {
		const colours = {
			Planned: "blue",
			Active: "green",
			Reintegrating: "purple",
			Completed: "gray",
			"Ended Early": "red",
			Transitioned: "gray",
		};
		return [__(doc.status), colours[doc.status] || "gray", "status,=," + doc.status];
	},
};
