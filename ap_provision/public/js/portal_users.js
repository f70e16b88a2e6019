// Copyright (c) 2026, ap_provision developers and contributors
// For license information, please see license.txt

// School and AP Provider forms (hooks.py doctype_js): the organisation's portal users, and buttons to add and remove them.
frappe.provide("ap_provision.portal_users");

ap_provision.portal_users.setup = function (frm, group) {
	if (frm.is_new() || !frappe.user.has_role(["AP Administrator", "System Manager"])) {
		return;
	}
	const method = (name) => `ap_provision.onboarding.${name}`;

	frappe.call({
		method: method("portal_users"),
		args: { doctype: frm.doctype, name: frm.doc.name },
		callback: (r) => {
			const users = r.message || [];
			const rows = users.length
				? users
						.map(
							(u) =>
								`<li>${frappe.utils.escape_html(u.full_name || u.name)} &lt;${frappe.utils.escape_html(u.name)}&gt;${
									u.enabled ? "" : " (" + __("disabled") + ")"
								}</li>`
						)
						.join("")
				: `<li>${__("No portal users yet.")}</li>`;
			frm.dashboard.set_headline_alert(
				`<div><b>${__("Portal users")}</b><ul class="mb-0">${rows}</ul></div>`
			);

			frm.add_custom_button(
				__("Add portal user"),
				() => {
					frappe.prompt(
						[
							{ fieldname: "email", label: __("Email"), fieldtype: "Data", options: "Email", reqd: 1 },
							{ fieldname: "first_name", label: __("First name"), fieldtype: "Data", reqd: 1 },
							{ fieldname: "last_name", label: __("Last name"), fieldtype: "Data" },
						],
						(values) => {
							frappe.call({
								method: method("add_portal_user"),
								args: { doctype: frm.doctype, name: frm.doc.name, ...values },
								freeze: true,
								callback: (res) => {
									frappe.show_alert({
										message: __("{0} can now sign in to the portal.", [res.message]),
										indicator: "green",
									});
									frm.reload_doc();
								},
							});
						},
						__("Add portal user"),
						__("Add")
					);
				},
				group
			);

			if (users.length) {
				frm.add_custom_button(
					__("Remove portal user"),
					() => {
						frappe.prompt(
							[
								{
									fieldname: "user",
									label: __("User"),
									fieldtype: "Select",
									options: users.map((u) => u.name),
									reqd: 1,
								},
							],
							(values) => {
								frappe.confirm(
									__("Remove {0}'s access to {1}?", [values.user, frm.doc.name]),
									() =>
										frappe.call({
											method: method("remove_portal_user"),
											args: { doctype: frm.doctype, name: frm.doc.name, user: values.user },
											freeze: true,
											callback: () => frm.reload_doc(),
										})
								);
							},
							__("Remove portal user"),
							__("Remove")
						);
					},
					group
				);
			}
		},
	});
};
