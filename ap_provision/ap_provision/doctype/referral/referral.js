// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

const PANEL_DECISIONS = { Approve: "Approved", Decline: "Declined", Defer: "Deferred" };

frappe.ui.form.on("Referral", {
	refresh(frm) {
		if (frm.doc.panel && frm.doc.workflow_state === "Accepted for Panel") {
			frm.dashboard.set_headline(
				__("On the agenda of panel {0} ({1}).", [
					frm.doc.panel,
					frappe.datetime.str_to_user(frm.doc.panel_date),
				])
			);
		}
		if (["Approved", "Declined", "Deferred"].includes(frm.doc.workflow_state)) {
			frm.add_custom_button(__("Decision Letter"), () =>
				frappe.utils.print(frm.doctype, frm.doc.name, "Panel Decision Letter")
			);
		}
	},

	// Approve, Decline and Defer ask the chair for what the decision needs, save it, and
	// then let the workflow action run. The server checks everything again.
	before_workflow_action(frm) {
		const decision = PANEL_DECISIONS[frm.selected_workflow_action];
		if (!decision) return;
		// Frappe freezes the page before this trigger; the dialog needs it unfrozen.
		frappe.dom.unfreeze();
		return new Promise((resolve, reject) => {
			let submitted = false;
			const approve = decision === "Approved";
			const dialog = new frappe.ui.Dialog({
				title: __("Record the panel's decision: {0}", [__(decision)]),
				fields: [
					{
						fieldname: "provider",
						fieldtype: "Link",
						options: "AP Provider",
						label: __("AP provider"),
						reqd: approve,
						hidden: !approve,
						default: frm.doc.provider,
						get_query: () => ({ filters: { is_active: 1 } }),
					},
					{
						fieldname: "expected_start_date",
						fieldtype: "Date",
						label: __("Expected start date"),
						reqd: approve,
						hidden: !approve,
						default: frm.doc.expected_start_date,
					},
					{
						fieldname: "decision_reason",
						fieldtype: "Small Text",
						label: __("Reasons for the decision"),
						reqd: !approve,
						default: frm.doc.decision_reason,
					},
					{
						fieldname: "decision_conditions",
						fieldtype: "Small Text",
						label: __("Conditions and next steps"),
						default: frm.doc.decision_conditions,
					},
				],
				primary_action_label: __(frm.selected_workflow_action),
				primary_action(values) {
					submitted = true;
					dialog.hide();
					frappe
						.xcall(
							"ap_provision.ap_provision.doctype.referral.referral.set_decision_details",
							{ referral: frm.doc.name, ...values }
						)
						.then(() => {
							// Frappe unfreezes once the workflow action has run.
							frappe.dom.freeze();
							resolve();
						})
						.catch(reject);
				},
			});
			dialog.onhide = () => {
				if (!submitted) reject();
			};
			dialog.show();
		});
	},
});
