// The school's referral: pupils of the school's roll, private evidence uploads, and once saved
// its status, panel date, EHC evidence, the Submit action and the decision letter.
// Runs inside WebForm.make(), before after_load (the web form's own client-script slot).
frappe.init_client_script = function () {
	const EVIDENCE_TYPES = [".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".png", ".jpg", ".jpeg"];
	const web_form = frappe.web_form;
	const esc = (value) => frappe.utils.escape_html(value == null ? "" : String(value));

	web_form.after_load = () => {
		for (const fieldname of ["boss_report", "specialist_advice"]) {
			const field = web_form.fields_dict[fieldname];
			if (field) {
				field.df.options = Object.assign({}, field.df.options || {}, {
					make_attachments_public: 0,
					restrictions: {
						allowed_file_types: EVIDENCE_TYPES,
						max_file_size: 10 * 1024 * 1024,
						max_number_of_files: 1,
					},
				});
			}
		}
		const pupil = web_form.fields_dict.pupil;
		if (pupil && !web_form.in_view_mode) {
			frappe.call("ap_provision.portal.pupil_options").then((r) => {
				pupil.set_data(r.message || []);
				if (!(r.message || []).length) {
					pupil.set_description(
						__("No pupils yet: add the pupil on the <a href='/school-pupils/new'>Pupils</a> page first.")
					);
				}
			});
		}
		const name = web_form.doc && web_form.doc.name;
		if (name && !web_form.is_new) {
			show_summary(name);
		}
	};

	function show_summary(name) {
		frappe.call("ap_provision.portal.referral_summary", { name }).then((r) => {
			const s = r.message;
			const rows = [
				[__("Status"), s.workflow_state],
				[__("Panel date"), s.panel_date ? frappe.datetime.str_to_user(s.panel_date) : __("Not yet assigned")],
				[__("Panel"), s.panel_note],
				[__("EHC evidence"), s.ehc_assessment ? s.ehc_completeness : null],
				[__("EHC evidence still missing"), s.ehc_missing_items],
				[__("Provider"), s.provider_name],
				[__("Expected start"), s.expected_start_date ? frappe.datetime.str_to_user(s.expected_start_date) : null],
				[__("Reasons"), s.decision_reason],
				[__("Conditions"), s.decision_conditions],
			].filter((row) => row[1]);
			const $box = $(`<div class="referral-summary card p-3 mb-4">
				<table class="table table-sm mb-2">${rows
					.map(([label, value]) => `<tr><th style="width: 30%">${esc(label)}</th><td style="white-space: pre-line">${esc(value)}</td></tr>`)
					.join("")}</table>
				<div class="referral-actions"></div>
			</div>`);
			const $actions = $box.find(".referral-actions");
			if (s.ehc_assessment) {
				$actions.append(
					`<a class="btn btn-default btn-sm mr-2" href="/ehc-evidence/${encodeURIComponent(s.ehc_assessment)}/edit">${__("Complete the EHC evidence")}</a>`
				);
			}
			if (s.decision_letter) {
				$actions.append(
					`<a class="btn btn-default btn-sm mr-2 decision-letter" target="_blank" href="${encodeURI(s.decision_letter)}">${__("Decision letter")}</a>`,
					`<a class="btn btn-default btn-sm mr-2" href="${encodeURI(s.decision_letter_pdf)}">${__("Decision letter (PDF)")}</a>`
				);
			}
			if (s.can_submit) {
				$(`<button type="button" class="btn btn-primary btn-sm submit-to-prt">${__("Submit to the PRT")}</button>`)
					.appendTo($actions)
					.on("click", () => {
						frappe.confirm(__("Submit this referral to the Pupil Referral Team? You cannot change it afterwards unless they ask for more information."), () =>
							frappe
								.call({
									method: "ap_provision.portal.submit_referral",
									args: { name },
									freeze: true,
								})
								.then(() => {
									frappe.show_alert({ message: __("Referral submitted"), indicator: "green" });
									window.location.href = `/school-referrals/${encodeURIComponent(name)}`;
								})
						);
					});
			}
			$(".web-form-container .web-form-header").after($box);
		});
	}
};
