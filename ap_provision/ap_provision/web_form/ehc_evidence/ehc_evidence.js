// EHC evidence of a referral: the checklist of the pupil's pathway and how complete it is.
// Runs inside WebForm.make(), before after_load (the web form's own client-script slot).
frappe.init_client_script = function () {
	const web_form = frappe.web_form;
	// Once saved, back to the referral the evidence belongs to (to submit it when complete).
	const handle_success = web_form.handle_success.bind(web_form);
	web_form.handle_success = (data) => {
		if (data && data.referral) {
			window.location.href = `/school-referrals/${encodeURIComponent(data.referral)}/edit?saved=1`;
			return;
		}
		handle_success(data);
	};
	web_form.after_load = () => {
		// Evidence is started with the referral, never from here.
		$(".web-list-actions .btn-primary, a[href$='/ehc-evidence/new']").hide();
		const doc = web_form.doc || {};
		if (doc.name && doc.required_count) {
			const complete = doc.answered_count >= doc.required_count && !doc.missing_items;
			$(`<div class="ehc-completeness ap-notice ${complete ? "ap-notice--green" : "ap-notice--orange"}" role="status">
				<b>${__("{0} of {1} answered", [doc.answered_count || 0, doc.required_count])}</b>
				${complete ? " - " + __("complete") : " - " + __("the referral can be submitted once every question is answered")}
			</div>`).appendTo(".web-form-container .web-form-header");
		}
	};
};
