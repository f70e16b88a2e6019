"""Keyboard only (WCAG 2.1.1): a School Referrer signs in, follows "Refer a pupil" from the home,
chooses the pupil, writes the reason, uploads the BOSS report, saves the referral and submits it to
the PRT, with the Tab, Enter, arrow keys and typing: no mouse, no typed address after sign-in.
(The operating system's file chooser is answered by the test, as a person answers it by keyboard.)"""

from pathlib import Path

from conftest import SCREENSHOTS, execute

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The focused control's name, words, value, field and id ("" when focus is on no control).
FOCUSED = """() => {
	const el = document.activeElement;
	if (!el || !el.matches("a, button, input, textarea, select, [role=button], [role=combobox]")) return "";
	return [el.getAttribute("aria-label") || "", el.innerText || "", el.value || "",
		el.getAttribute("data-fieldname") || "", el.id || ""].join(" | ");
}"""


def tab_to(page, wanted: str, limit: int = 120, backwards: bool = False) -> str:
	"""Press Tab (or Shift+Tab) until the focused element's name, text, value, field or id contains
	`wanted`; returns what is focused."""
	seen = []
	for _n in range(limit):
		page.keyboard.press("Shift+Tab" if backwards else "Tab")
		focused = page.evaluate(FOCUSED)
		if wanted in focused:
			return focused
		seen.append(focused[:60])
	page.screenshot(path=str(SCREENSHOTS / f"failed-keyboard-{wanted[:20]}.png"), full_page=True)
	raise AssertionError(f"{wanted!r} is not reachable with the keyboard; focus went through: {seen}")


def test_keyboard_only_referral_with_its_boss_report(browser, base_url, world, tmp_path):
	first_name = f"Keys{world['run']}"
	pupil = execute("add_pupil", school=world["school"], first_name=first_name)
	report = Path(tmp_path) / f"boss-report-{world['run']}.pdf"
	# Unique content: Frappe hands a new upload the existing File of identical content.
	report.write_bytes(PDF + f"% run {world['run']}\n".encode())
	page = browser.new_page(viewport={"width": 1280, "height": 900})
	page.set_default_timeout(30000)
	# The operating system's file chooser is answered whenever it opens. Listening from the
	# start (not with expect_file_chooser around the key press) means Playwright intercepts the
	# chooser before "My Device" is pressed: turning interception on is not awaited by the
	# browser, and on a busy machine the Enter could open the chooser before it was on.
	chosen = []

	def answer(chooser):
		chooser.set_files(str(report))
		chosen.append(chooser)

	page.on("filechooser", answer)
	page.context.clear_cookies()

	# Sign in: the address of the sign-in page is the only one typed.
	page.goto(f"{base_url}/login")
	page.wait_for_selector("#login_email")
	tab_to(page, "login_email")
	page.keyboard.type(world["users"]["school"])
	tab_to(page, "login_password")
	page.keyboard.type(world["password"])
	page.keyboard.press("Enter")
	page.wait_for_url("**/school")
	page.wait_for_load_state("networkidle")

	# The skip link comes first, then the home's "Refer a pupil".
	assert "Skip to main content" in tab_to(page, "Skip to main content", limit=3)
	tab_to(page, "Refer a pupil")
	page.keyboard.press("Enter")
	page.wait_for_url("**/school-referrals/new")
	page.wait_for_function("() => (frappe.web_form.fields_dict.pupil._data || []).length > 0")

	# The pupil: typed, picked from the suggestions with the arrow keys and Enter.
	tab_to(page, "pupil")
	page.keyboard.type(first_name)
	page.wait_for_selector("[data-fieldname='pupil'] ul[role=listbox] li", state="visible")
	page.keyboard.press("ArrowDown")
	page.keyboard.press("Enter")
	page.wait_for_function(f"() => frappe.web_form.get_value('pupil') === '{pupil}'")

	tab_to(page, "reason_for_referral")
	page.keyboard.type("Escalating incidents despite a personalised behaviour plan.")

	# The BOSS report: the Attach button, the uploader's "My Device", the file, then Upload.
	tab_to(page, "Attach BOSS report")
	page.keyboard.press("Enter")
	page.wait_for_selector(".modal:visible")
	tab_to(page, "My Device")
	page.keyboard.press("Enter")
	page.wait_for_selector(".modal:visible .file-preview")
	assert len(chosen) == 1, "Enter on My Device opened the file chooser once"
	tab_to(page, "Upload")
	page.keyboard.press("Enter")
	page.wait_for_function(
		"() => (frappe.web_form.get_value('boss_report') || '').startsWith('/private/files/')"
	)
	page.screenshot(path=str(SCREENSHOTS / "keyboard-01-referral-filled.png"), full_page=True)

	# Save: the referral opens with its status and the Submit button.
	tab_to(page, "Save referral")
	page.keyboard.press("Enter")
	page.wait_for_url("**/school-referrals/*/edit?saved=1")
	page.wait_for_selector(".referral-summary .submit-to-prt")
	referral = page.url.split("/school-referrals/")[1].split("/")[0]
	assert "Draft" in page.inner_text(".referral-summary")

	tab_to(page, "Submit to the PRT")
	page.keyboard.press("Enter")
	page.wait_for_selector(".modal:visible .btn-primary")
	tab_to(page, "Yes")
	page.keyboard.press("Enter")
	page.wait_for_url("**/edit?submitted=1")
	page.wait_for_selector(".referral-summary")
	assert "Submitted" in page.inner_text(".referral-summary")
	page.screenshot(path=str(SCREENSHOTS / "keyboard-02-referral-submitted.png"), full_page=True)

	state = execute("state", referral=referral)
	assert state["workflow_state"] == "Submitted" and state["boss_report"].startswith("/private/files/")
	page.close()
