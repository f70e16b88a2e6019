// The school's pupil register: year group and key stage follow from the date of birth.
// Runs inside WebForm.make(), before after_load (the web form's own client-script slot).
frappe.init_client_script = function () {
	frappe.web_form.validate = () => {
		const dob = frappe.web_form.get_value("date_of_birth");
		if (dob && dob > frappe.datetime.get_today()) {
			frappe.msgprint(__("The date of birth is in the future: enter the pupil's real date of birth."));
			return false;
		}
		return true;
	};
};
