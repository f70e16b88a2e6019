// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt
// Referrals received in each of the last 12 months, one dataset per key stage.

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Referrals by Month and Key Stage"] = {
	method: "ap_provision.dashboard.referrals_by_month",
	filters: [],
};
