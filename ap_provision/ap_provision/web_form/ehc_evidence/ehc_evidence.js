// EHC evidence of a referral: the checklist of the pupil's pathway and how complete it is.
// Runs inside WebForm.make(), before after_load (the web form's own client-script slot).
frappe.init_client_script = function () {
	const web_form = frappe.web_form;
	web_form.after_load = () => {
		// Evidence is started with the referral, never from here.
		$(".web-list-actions .btn-primary, a[href$='/ehc-evidence/new']").hide();
		const doc = web_form.doc || {};
		if (doc.name && doc.required_count) {
			const complete = doc.answered_count >= doc.required_count && !doc.missing_items;
			$(`<div class="ehc-completeness alert ${complete ? "alert-success" : "alert-warning"} mb-4">
				<b>${__("{0} of {1} answered", [doc.answered_count || 0, doc.required_count])}</b>
				${complete ? " - " + __("complete") : ""}
			</div>`).insertAfter(".web-form-container .web-form-header");
		}
	};
};
