"""WCAG 2.2 AA in the browser: axe-core on every portal page (each role's home, each list, each form
new and filled, the decision letter, the accessibility statement, sign-in) at desktop size and at
320 CSS px, no horizontal scrolling of the page at 320 px, and the desk pages the LA uses most.

Portal pages: no serious or critical finding at all. Desk pages: no serious or critical finding
other than those from Frappe's own markup listed in ap_provision/accessibility.py (and explained in
docs/accessibility.md). Every page is screenshotted at both widths into test-artifacts/screenshots/
(portal-<role>-<page>-desktop.png and -320.png). The figures are printed at the end of the run."""

from urllib.parse import quote

from a11y import blocking, check, describe, framework_rules
from conftest import login

DESKTOP = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}


def settle(page, ready: str | None = None):
	page.wait_for_load_state("networkidle")
	if ready:
		page.wait_for_selector(ready, state="attached", timeout=30000)
	page.wait_for_timeout(400)  # scripts that run after load (labels, summaries) settle


def sweep_page(page, shot, base_url, role: str, name: str, path: str, ready: str | None = None):
	"""Desktop and 320 px: screenshot, axe-core, and (at 320 px) no sideways scrolling."""
	problems = []
	for label, viewport in (("desktop", DESKTOP), ("320", NARROW)):
		page.set_viewport_size(viewport)
		page.goto(base_url + path)
		settle(page, ready)
		shot(page, f"portal-{role}-{name}-{label}")
		found = check(page, f"{role}/{name} ({label})", "portal")
		problems += blocking(found)
		if label == "320":
			overflow = page.evaluate(
				"() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
			)
			if overflow > 0:
				problems.append(f"{role}/{name}: the page scrolls sideways by {overflow}px at 320 px")
	return problems


def school_pages(sweep):
	draft, approved = quote(sweep["draft"]), quote(sweep["approved"])
	letter = f"/printview?doctype=Referral&name={approved}&format=Panel%20Decision%20Letter"
	return [
		("home", "/school", ".ap-page-title"),
		("referrals", "/school/referrals", ".ap-table"),
		("referrals-filtered", "/school/referrals?status=Draft", ".ap-table"),
		("referrals-no-match", "/school/referrals?q=zzzz-no-such-pupil", ".ap-empty"),
		("pupils", "/school/pupils", ".ap-table"),
		("ehc-evidence", "/school/ehc-evidence", ".ap-table"),
		("placements", "/school/placements", ".ap-table"),
		("referral-new", "/school-referrals/new", "[data-fieldname='pupil'] input"),
		("referral-draft", f"/school-referrals/{draft}/edit", ".referral-summary"),
		("referral-decided", f"/school-referrals/{approved}/edit", ".referral-summary .decision-letter"),
		("decision-letter", letter, ".ap-letter"),
		("pupil-new", "/school-pupils/new", "[data-fieldname='first_name'] input"),
		("pupil", f"/school-pupils/{quote(sweep['pupil'])}/edit", "[data-fieldname='first_name'] input"),
		("ehc-evidence-form", f"/ehc-evidence/{quote(sweep['ehc_assessment'])}/edit", ".ehc-completeness"),
		("placement", f"/school-placements/{quote(sweep['placement'])}", ".placement-summary"),
		("my-account", "/me", ".my-account-container"),
		("accessibility-statement", "/accessibility", ".ap-statement"),
	]


def provider_pages(sweep):
	placement = quote(sweep["placement"])
	return [
		("home", "/provider", ".ap-page-title"),
		("placements", "/provider/placements", ".ap-table"),
		("reports", "/provider/reports", ".ap-table"),
		("placement", f"/provider-placements/{placement}", ".placement-summary"),
		("report-new", f"/placement-updates/new?placement={placement}", "[data-fieldname='attendance']"),
		("report", f"/placement-updates/{quote(sweep['update'])}", "[data-fieldname='attendance']"),
	]


def test_portal_pages_meet_wcag_22_aa_at_desktop_and_320px(browser, base_url, world, sweep, shot):
	users, password = world["users"], world["password"]
	page = browser.new_page(viewport=DESKTOP)
	page.set_default_timeout(30000)
	problems = []

	page.goto(f"{base_url}/login")
	settle(page, "#login_email")
	problems += sweep_page(page, shot, base_url, "guest", "login", "/login", "#login_email")
	problems += sweep_page(
		page, shot, base_url, "guest", "accessibility-statement", "/accessibility", ".ap-statement"
	)

	login(page, base_url, users["school"], password)
	for name, path, ready in school_pages(sweep):
		problems += sweep_page(page, shot, base_url, "school", name, path, ready)

	login(page, base_url, users["provider"], password)
	for name, path, ready in provider_pages(sweep):
		problems += sweep_page(page, shot, base_url, "provider", name, path, ready)
	# The report form with a day's row added to its attendance grid.
	page.set_viewport_size(DESKTOP)
	page.goto(f"{base_url}/placement-updates/new?placement={quote(sweep['placement'])}")
	settle(page, "[data-fieldname='attendance'] .grid-add-row")
	page.locator("[data-fieldname='attendance'] .grid-add-row").click()
	page.wait_for_selector("[data-fieldname='attendance'] .grid-body .grid-row")
	page.wait_for_timeout(400)
	problems += blocking(check(page, "provider/report-new-with-a-row (desktop)", "portal"))
	page.close()

	messages = [p if isinstance(p, str) else describe([p]) for p in problems]
	assert not messages, "\n".join(messages)


def test_desk_pages_the_la_uses_most(browser, base_url, world, sweep, shot):
	"""The workspace and the Referral, Panel and Placement forms as a PRT Officer sees them: no
	serious or critical finding except Frappe's own, listed in ap_provision/accessibility.py."""
	page = browser.new_page(viewport=DESKTOP)
	page.set_default_timeout(60000)
	login(page, base_url, world["users"]["prt"], world["password"])
	allowed = framework_rules()
	problems = []
	for name, path, ready in (
		("workspace", "/app/alternative-provision", ".widget.number-widget-box .number"),
		("referral", f"/app/referral/{quote(sweep['approved'])}", ".form-layout"),
		("panel", f"/app/panel/{quote(sweep['panel'])}", ".form-layout"),
		("placement", f"/app/placement/{quote(sweep['placement'])}", ".form-layout"),
	):
		page.goto(base_url + path)
		settle(page, ready)
		page.wait_for_timeout(800)
		shot(page, f"desk-{name}")
		problems += blocking(check(page, f"desk/{name}", "desk"), allowed)
	page.close()
	assert not problems, (
		"serious or critical findings on desk pages that are not Frappe's documented ones "
		"(ap_provision/accessibility.py):\n" + describe(problems)
	)
