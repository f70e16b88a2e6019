// A placement of one of the school's pupils, read only: where, from when to when, its status
// and the reviews booked.
// Runs inside WebForm.make(), before after_load (the web form's own client-script slot).
frappe.init_client_script = function () {
	const web_form = frappe.web_form;
	const esc = (value) => frappe.utils.escape_html(value == null ? "" : String(value));
	const date = (value) => (value ? frappe.datetime.str_to_user(value) : "");

	web_form.after_load = () => {
		if (web_form.is_new) {
			// Placements are made by the Pupil Referral Team after the panel, never here.
			window.location.replace("/school-placements/list");
			return;
		}
		const name = web_form.doc && web_form.doc.name;
		if (!name) {
			return;
		}
		frappe.call("ap_provision.portal.placement_summary", { name }).then((r) => {
			const s = r.message;
			const rows = s.upcoming_reviews
				.map(
					(v) =>
						`<tr role="row"><td role="cell" data-label="${esc(__("Date"))}">${esc(date(v.review_date))}</td><td role="cell" data-label="${esc(__("Type"))}">${esc(__(v.review_type))}</td></tr>`
				)
				.join("");
			$(`<div class="placement-summary ap-summary">
				<h2 class="ap-summary-title">${esc(__("Reviews booked"))}</h2>
				${
					rows
						? `<table class="ap-table" role="table"><thead role="rowgroup"><tr role="row"><th role="columnheader" scope="col">${esc(__("Date"))}</th><th role="columnheader" scope="col">${esc(__("Type"))}</th></tr></thead><tbody role="rowgroup">${rows}</tbody></table>`
						: `<p class="text-muted">${esc(__("No review is booked yet."))}</p>`
				}
			</div>`).appendTo(".web-form-container .web-form-header");
		});
	};
};
