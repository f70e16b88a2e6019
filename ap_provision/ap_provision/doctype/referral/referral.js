// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

const PANEL_DECISIONS = { Approve: "Approved", Decline: "Declined", Defer: "Deferred" };

frappe.ui.form.on("Referral", {
	refresh(frm) {
		// The PRT's notes and recommendation live in Referral Triage, which only the PRT and the
		// panel can read (the school, SEND caseworkers and BOSS practitioners cannot).
		if (!frm.is_new() && frm.doc.workflow_state !== "Draft" && frappe.model.can_read("Referral Triage")) {
			frm.add_custom_button(__("PRT triage"), () =>
				frappe
					.xcall("ap_provision.ap_provision.doctype.referral_triage.referral_triage.open_triage", {
						referral: frm.doc.name,
					})
					.then((name) => frappe.set_route("Form", "Referral Triage", name))
			);
		}
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
	// then let the workflow action run. Withdraw asks for its reason, which goes with the
	// action. The server checks everything again.
	before_workflow_action(frm) {
		if (frm.selected_workflow_action === "Withdraw") return ask_withdrawal_reason(frm);
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
						description: __(
							"The key stage and pathway are judged at this date (a September start is the next academic year)."
						),
					},
					{
						fieldname: "days_per_week",
						fieldtype: "Int",
						label: __("Days per week"),
						reqd: approve && frm.doc.key_stage === "KS4",
						hidden: !approve || frm.doc.key_stage !== "KS4",
						default: frm.doc.days_per_week,
						description: __(
							"KS4 Alternative Pathway: 1 to 5 days. 5 days ceases the school's EHC plan funding (R12)."
						),
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

// Withdraw, from any state before a decision, with the reason (school or PRT).
function ask_withdrawal_reason(frm) {
	frappe.dom.unfreeze();
	return new Promise((resolve, reject) => {
		let submitted = false;
		const dialog = new frappe.ui.Dialog({
			title: __("Withdraw referral {0}", [frm.doc.name]),
			fields: [
				{
					fieldname: "withdrawal_reason",
					fieldtype: "Small Text",
					label: __("Reason for withdrawing"),
					reqd: 1,
				},
			],
			primary_action_label: __("Withdraw"),
			primary_action(values) {
				submitted = true;
				dialog.hide();
				// Recorded first: the workflow action reloads the referral.
				frappe
					.xcall("ap_provision.ap_provision.doctype.referral.referral.set_withdrawal_reason", {
						referral: frm.doc.name,
						reason: values.withdrawal_reason,
					})
					.then(() => {
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
}
