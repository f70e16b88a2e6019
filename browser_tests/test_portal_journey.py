"""The referral journey in a real browser, one person at a time, with a screenshot per step:
a School Referrer adds a pupil and submits a referral with a BOSS report upload, a PRT Officer
accepts it in the desk, the Panel Chair approves it, the PRT places the pupil, the provider posts
a report on the placement, and the school sees the decision and the placement.

Each portal user starts at /login, lands on their role's home, and reaches every step through the
portal's own links and buttons: no address is typed after sign-in."""

import re
from datetime import date, timedelta

from conftest import SCREENSHOTS, execute, login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def click_link(page, name: str, within: str = "body"):
	"""Follow the link or button named `name` (its text, or its text for screen readers)."""
	page.locator(within).get_by_role("link", name=name).first.click()


def search_list(page, text: str):
	"""Search a portal list for `text`, as someone with more records than one page holds does
	(the shared test site keeps every earlier run's placements)."""
	page.fill("#ap-q", text)
	page.locator("form.ap-search").get_by_role("button", name="Search").click()
	page.wait_for_url("**?q=*")
	page.wait_for_selector(".ap-table")


def test_referral_journey(browser, base_url, world, shot, tmp_path):
	users, password, run = world["users"], world["password"], world["run"]
	page = browser.new_page(viewport={"width": 1280, "height": 900})
	page.set_default_timeout(30000)
	first_name = f"Browser{run}"
	pupil_name = f"{first_name} Journey"

	# 1. The School Referrer signs in and lands on the school's home; adds a pupil from there.
	login(page, base_url, users["school"], password)
	assert page.url.endswith("/school"), page.url
	shot(page, "01-school-home")
	click_link(page, "Add a pupil", ".ap-page-actions")
	page.wait_for_url("**/school-pupils/new")
	wait_ready(page)
	page.fill("input[data-fieldname='first_name']", first_name)
	page.fill("input[data-fieldname='last_name']", "Journey")
	page.evaluate("() => frappe.web_form.set_value('date_of_birth', '2013-12-15')")
	shot(page, "02-school-new-pupil")
	page.click(".submit-btn")
	page.wait_for_url("**/school/pupils?saved=*")
	page.wait_for_selector(f"text={pupil_name} is saved.")
	shot(page, "03-school-pupil-register")

	# 2. From the register: refer the pupil just added, with the BOSS report uploaded.
	click_link(page, f"Refer {pupil_name}")
	page.wait_for_url("**/school-referrals/new?pupil=*")
	wait_ready(page)
	page.wait_for_function("() => !!frappe.web_form.get_value('pupil')")
	page.fill("textarea[data-fieldname='reason_for_referral']", "Escalating incidents despite support.")
	report = tmp_path / f"boss-report-{run}.pdf"
	# Unique content: Frappe hands a new upload the existing File of identical content.
	report.write_bytes(PDF + f"% run {run}\n".encode())
	page.locator("[data-fieldname='boss_report'] button").first.click()
	page.wait_for_selector(".modal:visible")
	page.locator("input[type='file']").first.set_input_files(str(report))
	page.locator(".modal:visible .modal-footer .btn-primary", has_text="Upload").click()
	page.wait_for_function(
		"() => (frappe.web_form.get_value('boss_report') || '').startsWith('/private/files/')"
	)
	shot(page, "04-school-new-referral")
	page.click(".submit-btn")
	# Saved, the referral opens with its status and the Submit button.
	page.wait_for_url("**/school-referrals/*/edit?saved=1")
	page.wait_for_selector(".referral-summary .submit-to-prt")
	referral = page.url.split("/school-referrals/")[1].split("/")[0]
	assert referral == execute("latest_referral", pupil_first_name=first_name)
	boss = execute("boss_file", referral=referral)
	assert boss["is_private"] == 1
	assert (boss["attached_to_doctype"], boss["attached_to_name"]) == ("Referral", referral)
	shot(page, "05-school-referral-draft")
	page.click(".submit-to-prt")
	page.locator(".modal:visible .btn-primary").click()
	page.wait_for_url("**/edit?submitted=1")
	page.wait_for_selector(".referral-summary")
	assert "Submitted" in page.inner_text(".referral-summary")
	shot(page, "06-school-referral-submitted")
	# Back home by the top bar: the referral is counted as submitted.
	click_link(page, "Home", "nav.navbar")
	page.wait_for_url("**/school")
	assert "Submitted" in page.inner_text("#your-referrals ~ ul.ap-figures")

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
		# A week after the panel: the key stage is judged at the start (a date years ahead would
		# make the pupil older).
		[world["provider"], str(date.today() + timedelta(days=7))],
	)
	page.wait_for_timeout(500)
	shot(page, "09-chair-decision-dialog")
	page.locator(".modal:visible .btn-modal-primary").click()
	page.wait_for_function("() => cur_frm && cur_frm.doc.workflow_state === 'Approved'", timeout=30000)
	shot(page, "10-chair-approved")
	assert execute("state", referral=referral)["workflow_state"] == "Approved"

	# 5. The PRT makes the placement from the approved referral and starts it (fixture: a served
	# site cannot wait for the start date), then looks at it in the desk.
	placed = execute("start_placement", referral=referral, prt=users["prt"])
	placement = placed["placement"]
	assert placed["status"] == "Active"
	login(page, base_url, users["prt"], password)
	page.goto(f"{base_url}/app/placement/{placement}")
	page.wait_for_function(f"() => window.cur_frm && cur_frm.doc.name === '{placement}'")
	wait_ready(page)
	shot(page, "11-prt-placement-started")

	# 6. The provider signs in, lands on its home, opens the placement from its Placements, and
	# posts a report on it from there.
	login(page, base_url, users["provider"], password)
	assert page.url.endswith("/provider"), page.url
	assert pupil_name in page.inner_text("#running ~ table")
	shot(page, "12-provider-home")
	click_link(page, "Placements", "nav.navbar")
	page.wait_for_url("**/provider/placements")
	search_list(page, pupil_name)
	click_link(page, pupil_name, ".ap-table")
	page.wait_for_url(f"**/provider-placements/{placement}")
	page.wait_for_selector(".placement-summary .post-update")
	shot(page, "13-provider-placement")
	page.click(".placement-summary .post-update")
	page.wait_for_url("**/placement-updates/new?placement=*")
	wait_ready(page)
	page.wait_for_function(f"() => frappe.web_form.get_value('placement') === '{placement}'")
	day = placed["start_date"]
	page.evaluate(
		"""(day) => {
			frappe.web_form.set_value('period_start', day);
			frappe.web_form.set_value('period_end', day);
		}""",
		day,
	)
	# One day's marks: a row added in the grid, its morning present, its afternoon absent with
	# the reason.
	page.locator("[data-fieldname='attendance'] .grid-add-row").click()
	page.wait_for_function("() => (frappe.web_form.get_value('attendance') || []).length === 1")
	page.evaluate(
		"""(day) => {
			const grid = frappe.web_form.fields_dict.attendance.grid;
			Object.assign(grid.get_data()[0], {
				attendance_date: day, am_mark: 'Present', pm_mark: 'Absent',
				pm_reason: 'Medical or dental appointment',
			});
			grid.refresh();
		}""",
		day,
	)
	page.fill("input[data-fieldname='behaviour_incidents']", "1")
	page.fill("textarea[data-fieldname='behaviour_summary']", "Left the lesson once; back after ten minutes.")
	page.fill("textarea[data-fieldname='progress']", "Settled into the maths group.")
	page.wait_for_timeout(300)  # the grid settles after its refresh
	page.locator("input[data-fieldname='safeguarding_concern']").click()
	page.wait_for_function("() => frappe.web_form.get_value('safeguarding_concern') == 1")
	page.fill("textarea[data-fieldname='safeguarding_details']", "Said they were not fed at home; DSL told.")
	page.wait_for_timeout(300)
	shot(page, "14-provider-new-report")
	page.click(".submit-btn")
	page.wait_for_url("**/provider/reports?saved=*")
	page.wait_for_selector(".ap-notice")
	assert pupil_name in page.inner_text(".ap-table")
	shot(page, "15-provider-reports")
	update = execute("latest_update", placement=placement)
	assert update, "the provider's report was not saved"
	assert (update["owner"], update["provider"]) == (users["provider"], world["provider"])
	assert (update["sessions_possible"], update["sessions_attended"]) == (2, 1)
	assert (update["behaviour_incidents"], update["safeguarding_concern"]) == (1, 1)
	click_link(page, pupil_name, ".ap-table")
	page.wait_for_url(f"**/placement-updates/{update['name']}")

	# 7. The school signs in: the decision is on its home with its letter; never the PRT's notes.
	login(page, base_url, users["school"], password)
	assert page.url.endswith("/school"), page.url
	decision = page.locator(".ap-action--decision", has_text=referral)
	assert "Approved" in decision.inner_text()
	shot(page, "16-school-home-decision")
	with page.context.expect_page() as letter_page:
		decision.get_by_role("link", name=f"Decision letter for {pupil_name} (opens in a new tab)").click()
	letter = letter_page.value
	letter.wait_for_load_state("networkidle")
	assert re.search(r"approved|Approved", letter.content())
	letter.screenshot(path=str(SCREENSHOTS / "18-school-decision-letter.png"), full_page=True)
	letter.close()
	decision.get_by_role("link", name=f"Open the referral for {pupil_name}").click()
	page.wait_for_url(f"**/school-referrals/{referral}/edit")
	page.wait_for_selector(".referral-summary .decision-letter")
	summary = page.inner_text(".referral-summary")
	assert "Approved" in summary
	assert world["provider"] in summary
	shot(page, "17-school-sees-decision")

	# 8. The school sees where its pupil is placed and when the placement is reviewed.
	click_link(page, "Placements", "nav.navbar")
	page.wait_for_url("**/school/placements")
	search_list(page, pupil_name)
	assert pupil_name in page.inner_text(".ap-table")
	shot(page, "19-school-placements")
	click_link(page, pupil_name, ".ap-table")
	page.wait_for_url(f"**/school-placements/{placement}")
	page.wait_for_selector(".placement-summary")
	assert world["provider"] in page.content()
	shot(page, "20-school-placement")
	page.close()
