// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt
// Placement outcomes at each provider: reintegrated, extended, re-referred, ended early, still live.

frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Outcomes by Provider"] = {
	method: "ap_provision.dashboard.outcomes_by_provider",
	filters: [],
};
