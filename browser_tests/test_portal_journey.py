"""The referral journey in a real browser, one person at a time, with a screenshot per step:
a School Referrer adds a pupil and submits a referral with a BOSS report upload, a PRT Officer
accepts it in the desk, the Panel Chair approves it, and the school sees the decision."""

import re

from conftest import SCREENSHOTS, execute

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def login(page, base_url, email, password):
	page.context.clear_cookies()
	page.goto(f"{base_url}/login")
	page.fill("#login_email", email)
	page.fill("#login_password", password)
	page.click(".btn-login")
	try:
		page.wait_for_function("() => !location.pathname.startsWith('/login')", timeout=30000)
	except Exception:
		page.screenshot(path=str(SCREENSHOTS / f"failed-login-{email.split('@')[0]}.png"), full_page=True)
		raise
	page.wait_for_load_state("networkidle")


def desk_action(page, referral, action, before=None):
	"""Run a workflow action from the desk form's Actions menu."""
	try:
		page.wait_for_function(f"() => window.cur_frm && cur_frm.doc.name === '{referral}'")
		page.wait_for_load_state("networkidle")
		if before:
			before()
		page.locator(".page-actions button:visible", has_text="Actions").first.click()
		page.locator(".dropdown-menu:visible .dropdown-item", has_text=action).first.click()
	except Exception:
		page.screenshot(path=str(SCREENSHOTS / f"failed-{action.lower()}.png"), full_page=True)
		raise


def wait_ready(page):
	page.wait_for_load_state("networkidle")


def test_referral_journey(browser, base_url, world, shot, tmp_path):
	users, password, run = world["users"], world["password"], world["run"]
	page = browser.new_page(viewport={"width": 1280, "height": 900})
	page.set_default_timeout(30000)
	first_name = f"Browser{run}"

	# 1. The School Referrer signs in and adds a pupil to the register.
	login(page, base_url, users["school"], password)
	shot(page, "01-school-signed-in")
	page.goto(f"{base_url}/school-pupils/new")
	wait_ready(page)
	page.fill("input[data-fieldname='first_name']", first_name)
	page.fill("input[data-fieldname='last_name']", "Journey")
	page.evaluate("() => frappe.web_form.set_value('date_of_birth', '2013-12-15')")
	page.fill("input[data-fieldname='upn']", "")
	shot(page, "02-school-new-pupil")
	page.click(".submit-btn")
	page.wait_for_selector(".success-page:not(.hide)")
	page.wait_for_url("**/school-pupils/list")
	page.wait_for_selector(f"text={first_name}")
	shot(page, "03-school-pupil-register")

	# 2. A new referral with the BOSS report uploaded through the form.
	page.goto(f"{base_url}/school-referrals/new")
	wait_ready(page)
	page.wait_for_function("() => (frappe.web_form.fields_dict.pupil._data || []).length > 0", timeout=30000)
	pupil = page.evaluate(
		"(first) => frappe.web_form.fields_dict.pupil._data.find((o) => o.label.startsWith(first)).value",
		first_name,
	)
	page.evaluate("(name) => frappe.web_form.set_value('pupil', name)", pupil)
	page.fill("textarea[data-fieldname='reason_for_referral']", "Escalating incidents despite support.")
	report = tmp_path / f"boss-report-{run}.pdf"
	report.write_bytes(PDF)
	page.locator("[data-fieldname='boss_report'] button").first.click()
	page.wait_for_selector(".modal:visible")
	page.locator("input[type='file']").first.set_input_files(str(report))
	page.locator(".modal:visible .modal-footer .btn-primary", has_text="Upload").click()
	page.wait_for_function(
		"() => (frappe.web_form.get_value('boss_report') || '').startsWith('/private/files/')"
	)
	shot(page, "04-school-new-referral")
	page.click(".submit-btn")
	page.wait_for_selector(".success-page:not(.hide)")
	page.wait_for_url("**/school-referrals/list")
	referral = execute("latest_referral", pupil_first_name=first_name)
	assert referral
	boss = execute("boss_file", referral=referral)
	assert boss["is_private"] == 1
	assert (boss["attached_to_doctype"], boss["attached_to_name"]) == ("Referral", referral)

	page.goto(f"{base_url}/school-referrals/{referral}/edit")
	page.wait_for_selector(".submit-to-prt")
	shot(page, "05-school-referral-draft")
	page.click(".submit-to-prt")
	page.locator(".modal:visible .btn-primary").click()
	page.wait_for_function(f"() => location.pathname.endsWith('{referral}')")
	page.wait_for_selector(".referral-summary")
	assert "Submitted" in page.inner_text(".referral-summary")
	shot(page, "06-school-referral-submitted")

	# 3. The PRT Officer accepts it in the desk.
	login(page, base_url, users["prt"], password)
	page.goto(f"{base_url}/app/referral/{referral}")
	desk_action(page, referral, "Accept", lambda: shot(page, "07-prt-referral-in-desk"))
	page.wait_for_function(
		"() => cur_frm && cur_frm.doc.workflow_state === 'Accepted for Panel'", timeout=30000
	)
	shot(page, "08-prt-accepted")

	# 4. The panel meets; its chair approves the referral in the desk.
	execute("panel_day", referral=referral, chair=users["chair"])
	login(page, base_url, users["chair"], password)
	page.goto(f"{base_url}/app/referral/{referral}")
	desk_action(page, referral, "Approve")
	page.wait_for_selector(".modal:visible input[data-fieldname='provider']")
	page.wait_for_function("() => window.cur_dialog && cur_dialog.fields_dict.provider")
	page.evaluate(
		"""([provider, start]) => {
			cur_dialog.set_value('provider', provider);
			cur_dialog.set_value('expected_start_date', start);
			cur_dialog.set_value('decision_conditions', 'Admission meeting within a week.');
		}""",
		[world["provider"], "2030-01-07"],
	)
	page.wait_for_timeout(500)
	shot(page, "09-chair-decision-dialog")
	page.locator(".modal:visible .btn-modal-primary").click()
	page.wait_for_function("() => cur_frm && cur_frm.doc.workflow_state === 'Approved'", timeout=30000)
	shot(page, "10-chair-approved")
	assert execute("state", referral=referral)["workflow_state"] == "Approved"

	# 5. The school sees the decision and its letter; never the PRT's notes.
	login(page, base_url, users["school"], password)
	page.goto(f"{base_url}/school-referrals/list")
	page.wait_for_selector(f"text={first_name}")
	shot(page, "11-school-referral-list")
	page.goto(f"{base_url}/school-referrals/{referral}/edit")
	page.wait_for_selector(".referral-summary")
	summary = page.inner_text(".referral-summary")
	assert "Approved" in summary
	assert world["provider"] in summary
	shot(page, "12-school-sees-decision")
	letter = page.locator("a.decision-letter")
	assert letter.count() == 1
	page.goto(base_url + letter.get_attribute("href"))
	wait_ready(page)
	assert re.search(r"approved|Approved", page.content())
	shot(page, "13-school-decision-letter")
	page.close()
