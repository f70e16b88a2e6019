// The school's pupil register: year group and key stage follow from the date of birth.
// Runs inside WebForm.make(), before after_load (the web form's own client-script slot).
frappe.init_client_script = function () {
	// Once saved, the pupil register opens with the pupil named and a link to refer them.
	const handle_success = frappe.web_form.handle_success.bind(frappe.web_form);
	frappe.web_form.handle_success = (data) => {
		if (data && data.name) {
			window.location.href = `/school/pupils?saved=${encodeURIComponent(data.name)}`;
			return;
		}
		handle_success(data);
	};
	frappe.web_form.validate = () => {
		const dob = frappe.web_form.get_value("date_of_birth");
		if (dob && dob > frappe.datetime.get_today()) {
			frappe.msgprint(__("The date of birth is in the future: enter the pupil's real date of birth."));
			return false;
		}
		return true;
	};
};
