// A provider's report on one of its placements: only its own running placements to choose from,
// a reason for every absence, and the safeguarding details when the concern box is ticked.
// Runs inside WebForm.make(), before after_load (the web form's own client-script slot).
frappe.init_client_script = function () {
	const web_form = frappe.web_form;
	const ABSENT = "Absent";

	web_form.after_load = () => {
		const placement = web_form.fields_dict.placement;
		if (!placement || web_form.in_view_mode) {
			return;
		}
		const wanted = frappe.utils.get_query_params().placement;
		frappe.call("ap_provision.portal.placement_options").then((r) => {
			const options = r.message || [];
			placement.set_data(options);
			if (!options.length) {
				placement.set_description(
					__("None of your placements is running: reports are made while a placement is Active or Reintegrating.")
				);
			}
			if (wanted && options.some((o) => o.value === wanted)) {
				web_form.set_value("placement", wanted);
			}
		});
	};

	// Once sent, the provider's reports open with this one confirmed.
	const handle_success = web_form.handle_success.bind(web_form);
	web_form.handle_success = (data) => {
		if (data && data.name) {
			window.location.href = `/provider/reports?saved=${encodeURIComponent(data.name)}`;
			return;
		}
		handle_success(data);
	};

	web_form.validate = () => {
		const today = frappe.datetime.get_today();
		const start = web_form.get_value("period_start");
		const end = web_form.get_value("period_end");
		const problems = [];
		if (start && end && end < start) {
			problems.push(__("The report ends before it starts: check the period."));
		}
		if (end && end > today) {
			problems.push(__("The report cannot cover days that have not happened yet."));
		}
		for (const row of web_form.get_value("attendance") || []) {
			const day = row.attendance_date ? frappe.datetime.str_to_user(row.attendance_date) : __("A row");
			if (!row.attendance_date) {
				problems.push(__("Every row needs its date."));
			} else if ((start && row.attendance_date < start) || (end && row.attendance_date > end)) {
				problems.push(__("{0} is outside the reporting period.", [day]));
			}
			for (const [mark, reason, session] of [
				["am_mark", "am_reason", "AM"],
				["pm_mark", "pm_reason", "PM"],
			]) {
				if (row[mark] === ABSENT && !row[reason]) {
					problems.push(__("{0} {1}: give the reason for the absence (choose Unexplained if none was given).", [day, session]));
				}
			}
		}
		if (web_form.get_value("safeguarding_concern") && !(web_form.get_value("safeguarding_details") || "").trim()) {
			problems.push(__("Describe the safeguarding concern so the PRT can act on it."));
		}
		if (problems.length) {
			frappe.msgprint({ title: __("Check the report"), message: problems.join("<br>"), indicator: "red" });
			return false;
		}
		return true;
	};
};
