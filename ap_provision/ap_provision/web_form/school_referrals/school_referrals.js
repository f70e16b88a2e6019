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
				const options = r.message || [];
				pupil.set_data(options);
				// The pupil's name beside their ID, not the ID alone.
				const wanted = web_form.is_new ? frappe.utils.get_query_params().pupil : null;
				if (wanted && options.some((o) => o.value === wanted)) {
					web_form.set_value("pupil", wanted);
				} else if (pupil.get_value()) {
					pupil.set_formatted_input(pupil.get_value());
				}
				if (!options.length) {
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

	// A new referral, once saved, opens at once: its page shows its status and the Submit button.
	const handle_success = web_form.handle_success.bind(web_form);
	web_form.handle_success = (data) => {
		if (web_form.is_new && data && data.name) {
			window.location.href = `/school-referrals/${encodeURIComponent(data.name)}/edit?saved=1`;
			return;
		}
		handle_success(data);
	};

	function show_summary(name) {
		frappe.call("ap_provision.portal.referral_summary", { name }).then((r) => {
			const s = r.message;
			const rows = [
				[__("Status"), s.workflow_state, status_pill(s.workflow_state)],
				[__("Panel date"), s.panel_date ? frappe.datetime.str_to_user(s.panel_date) : __("Not yet assigned")],
				[__("Panel"), s.panel_note],
				[__("EHC evidence"), s.ehc_assessment ? s.ehc_completeness : null],
				[__("EHC evidence still missing"), s.ehc_missing_items],
				[__("Provider"), s.provider_name],
				[__("Expected start"), s.expected_start_date ? frappe.datetime.str_to_user(s.expected_start_date) : null],
				[__("Reasons"), s.decision_reason],
				[__("Conditions"), s.decision_conditions],
			].filter((row) => row[1]);
			const $box = $(`<div class="referral-summary ap-summary">
				<h2 class="ap-summary-title">${esc(__("Where this referral stands"))}</h2>
				<table class="table table-sm mb-2 ap-summary-table">${rows
					.map(([label, value, html]) => `<tr><th scope="row">${esc(label)}</th><td>${html || esc(value)}</td></tr>`)
					.join("")}</table>
				<div class="referral-actions"></div>
			</div>`);
			const $actions = $box.find(".referral-actions");
			if (s.ehc_assessment) {
				$actions.append(
					`<a class="btn btn-default btn-sm mr-2" href="/ehc-evidence/${encodeURIComponent(s.ehc_assessment)}/edit">${s.can_submit ? __("Complete the EHC evidence") : __("See the EHC evidence")}</a>`
				);
			}
			if (s.decision_letter) {
				$actions.append(
					`<a class="btn btn-default btn-sm mr-2 decision-letter" target="_blank" rel="noopener" href="${encodeURI(s.decision_letter)}">${__("Decision letter")}<span class="sr-only"> ${__("(opens in a new tab)")}</span></a>`,
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
									window.location.href = `/school-referrals/${encodeURIComponent(name)}/edit?submitted=1`;
								})
						);
					});
			}
			if (!s.can_submit) {
				read_only(s.workflow_state);
				// The pupil's name beside the ID in the read-only value too.
				const pupil = web_form.fields_dict.pupil;
				if (pupil && s.pupil_name) {
					pupil.$wrapper.find(".control-value").text(`${s.pupil_name} (${pupil.get_value()})`);
				}
			}
			const query = new URLSearchParams(window.location.search);
			const notice = query.get("submitted")
				? __("The referral is submitted to the Pupil Referral Team ({0}).", [__(s.workflow_state)])
				: query.get("saved")
					? s.can_submit
						? __("The referral is saved as a draft. Submit it to the PRT when it is ready.")
						: __("The referral is saved.")
					: null;
			if (notice) {
				$box.prepend(`<div class="ap-notice ap-notice--green" role="status">${esc(notice)}</div>`);
			}
			$(".web-form-container .web-form-header").append($box);
		});
	}

	// Once submitted, the school can no longer change the referral (until the PRT asks for more
	// information): its fields are shown, not offered for editing, and there is nothing to save.
	function read_only(state) {
		for (const field of web_form.fields_list || []) {
			if (field.df && !["Section Break", "Column Break"].includes(field.df.fieldtype)) {
				field.df.read_only = 1;
				field.refresh();
			}
		}
		$(".web-form-footer .right-area").empty();
		$(".web-form-introduction").text(
			__("This referral is {0}: it can no longer be changed unless the Pupil Referral Team asks for more information.", [__(state)])
		);
	}

	// The state as a coloured indicator with its name (rules/portal.py REFERRAL_COLOURS).
	function status_pill(state) {
		const colours = {
			Draft: "grey",
			Submitted: "blue",
			"More Information Requested": "orange",
			"Accepted for Panel": "purple",
			Approved: "green",
			Declined: "red",
			Deferred: "orange",
			Withdrawn: "grey",
		};
		return `<span class="ap-status ap-status--${colours[state] || "grey"}">${esc(__(state))}</span>`;
	}
};
