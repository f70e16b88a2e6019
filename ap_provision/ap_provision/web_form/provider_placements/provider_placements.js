// A provider's placement, read only: its dates, when the next report is due, the reviews booked
// and the latest reports, with a button to post a report.
// Runs inside WebForm.make(), before after_load (the web form's own client-script slot).
frappe.init_client_script = function () {
	const web_form = frappe.web_form;
	const esc = (value) => frappe.utils.escape_html(value == null ? "" : String(value));
	const date = (value) => (value ? frappe.datetime.str_to_user(value) : "");

	web_form.after_load = () => {
		if (web_form.is_new) {
			// Placements are made by the Pupil Referral Team, never here.
			window.location.replace("/provider-placements/list");
			return;
		}
		const name = web_form.doc && web_form.doc.name;
		if (name) {
			show_summary(name);
		}
	};

	function table(title, headings, rows, empty) {
		if (!rows.length) {
			return `<h2 class="ap-summary-title mt-3">${esc(title)}</h2><p class="text-muted">${esc(empty)}</p>`;
		}
		// Rows become cards on a narrow screen (portal.css .ap-table), each value with its heading.
		return `<h2 class="ap-summary-title mt-3">${esc(title)}</h2>
			<table class="ap-table" role="table">
				<thead role="rowgroup"><tr role="row">${headings.map((h) => `<th role="columnheader" scope="col">${esc(h)}</th>`).join("")}</tr></thead>
				<tbody role="rowgroup">${rows
					.map(
						(r) =>
							`<tr role="row">${r
								.map((c, i) => `<td role="cell" data-label="${esc(headings[i])}">${esc(c)}</td>`)
								.join("")}</tr>`
					)
					.join("")}</tbody>
			</table>`;
	}

	function safeguarding(record) {
		if (!record) {
			return `<h5 class="mt-3">${esc(__("Safeguarding"))}</h5><p class="text-muted">${esc(__("The PRT has not recorded the safeguarding arrangements yet."))}</p>`;
		}
		return `<h5 class="mt-3">${esc(__("Safeguarding"))}</h5>
			<p><b>${esc(__("Provider's designated safeguarding lead"))}:</b> ${esc(record.provider_dsl)}<br>
			<b>${esc(__("School's designated safeguarding lead"))}:</b> ${esc(record.school_dsl)}</p>
			<p style="white-space: pre-wrap">${esc(record.safeguarding_arrangements)}</p>`;
	}

	function show_summary(name) {
		frappe.call("ap_provision.portal.placement_summary", { name }).then((r) => {
			const s = r.message;
			const $box = $(`<div class="placement-summary ap-summary">
				<div class="placement-due mb-2">
					<b>${esc(__("Next report due"))}:</b> ${esc(date(s.next_update_due) || __("not due"))}
					&nbsp; <b>${esc(__("Next review"))}:</b> ${esc(date(s.next_review_date) || __("not booked"))}
				</div>
				${table(
					__("Reviews booked"),
					[__("Date"), __("Type")],
					s.upcoming_reviews.map((v) => [date(v.review_date), __(v.review_type)]),
					__("No review is booked yet.")
				)}
				${safeguarding(s.safeguarding)}
				${table(
					__("Latest reports"),
					[__("From"), __("To"), __("Attendance"), __("Incidents")],
					s.updates.map((u) => [date(u.period_start), date(u.period_end), `${u.attendance_percent || 0}%`, u.behaviour_incidents || 0]),
					__("No report yet.")
				)}
				<div class="placement-actions"></div>
			</div>`);
			if (s.can_report) {
				$box.find(".placement-actions").append(
					`<a class="btn btn-primary btn-sm post-update" href="/placement-updates/new?placement=${encodeURIComponent(name)}">${esc(__("Post a report"))}<span class="sr-only"> ${esc(__("for {0}", [s.pupil_name]))}</span></a>`
				);
			}
			$(".web-form-container .web-form-header").append($box);
		});
	}
};
