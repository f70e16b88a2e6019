"""A newcomer's first look: a site set up the way scripts/setup.sh does it (the app installed,
then the demo LA built by `bench --site SITE ap-demo`), and the "Alternative Provision"
workspace opened in the browser, with live numbers and charts from the demo data.

The demo site is DEMO_SITE (default demo-<TEST_SITE>); it is created on first use and kept,
migrated on later runs (building the demo takes a few minutes). The screenshot is
<SCREENSHOT_DIR>/workspace-alternative-provision.png.
"""

import json
import os
import subprocess
from datetime import date

import pytest
from conftest import BENCH, SCREENSHOTS, SITE, served

DEMO_SITE = os.environ.get("DEMO_SITE") or f"demo-{SITE}"
DEMO_USER = "prt.manager@riverside.example.org"  # PRT Officer and AP Administrator
DEMO_PASSWORD = "demo"


def bench(*args: str, timeout: int = 1200) -> str:
	out = subprocess.run(["bench", *args], cwd=BENCH, capture_output=True, text=True, timeout=timeout)
	if out.returncode:
		raise RuntimeError(f"bench {' '.join(args)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
	return out.stdout


def site_has_data() -> bool:
	out = bench("--site", DEMO_SITE, "execute", "ap_provision.demo.site_has_data").strip().splitlines()
	return bool(out) and out[-1].strip() == "true"


@pytest.fixture(scope="module")
def demo_url():
	"""The demo site, as setup.sh leaves it, served on a free port."""
	if (BENCH / "sites" / DEMO_SITE / "site_config.json").exists():
		bench("--site", DEMO_SITE, "migrate")
	else:
		args = ["new-site", DEMO_SITE, "--admin-password", os.environ.get("ADMIN_PASSWORD", "admin")]
		if os.environ.get("DB_ROOT_PASSWORD"):
			args += ["--db-root-password", os.environ["DB_ROOT_PASSWORD"]]
		bench(*args, "--install-app", "ap_provision")
	if not site_has_data():
		bench("--site", DEMO_SITE, "ap-demo")
	bench("--site", DEMO_SITE, "clear-cache")
	with served(DEMO_SITE) as url:
		yield url


# The monthly chart's bars drawn with some height, and the non-zero figures of its data (both numbers).
MONTHLY_BARS = """() => {
	const widget = [...document.querySelectorAll('.widget.dashboard-widget-box')].find(
		(w) => (w.querySelector('.widget-title') || {}).textContent.includes('Referrals per Month by Key Stage'));
	const bars = widget ? [...widget.querySelectorAll('svg .dataset-bars rect.bar')] : [];
	return bars.filter((r) => parseFloat(r.getAttribute('height') || '0') > 0).length;
}"""
CHART_DATA = """() => frappe.xcall('ap_provision.dashboard.referrals_by_month', {chart_name: 'Referrals per Month by Key Stage',
	refresh: 1, time_interval: '', timespan: '', from_date: '', to_date: '', heatmap_year: ''})"""


def count(page, doctype, filters):
	"""frappe.client.get_count from inside the page (the user's own session and permissions)."""
	return page.evaluate(
		"([doctype, filters]) => frappe.xcall('frappe.client.get_count', {doctype, filters})",
		[doctype, json.dumps(filters)],
	)


def test_newcomer_sees_live_numbers_and_charts(browser, demo_url):
	SCREENSHOTS.mkdir(parents=True, exist_ok=True)
	page = browser.new_page(viewport={"width": 1440, "height": 1000})
	page.set_default_timeout(60000)
	page.goto(f"{demo_url}/login")
	page.fill("#login_email", DEMO_USER)
	page.fill("#login_password", DEMO_PASSWORD)
	page.click(".btn-login")
	page.wait_for_function("() => !location.pathname.startsWith('/login')")

	page.goto(f"{demo_url}/app/alternative-provision")
	try:
		# Every number card has its figure (none still "Loading..."), and the charts have drawn.
		page.wait_for_function(
			"""() => {
				const cards = [...document.querySelectorAll('.widget.number-widget-box')];
				return cards.length >= 6 && cards.every(c => c.querySelector('.number'));
			}"""
		)
		page.wait_for_function(
			"() => document.querySelectorAll('.widget.dashboard-widget-box .chart-container svg').length >= 3"
		)
		# The monthly chart's bars are drawn from the demo's data: as many bars of some height as
		# (month, key stage) pairs with referrals. (Frappe's charts first draw every bar at zero: a
		# page counted as ready on the number of bars alone showed zero for every month.)
		chart = page.evaluate(CHART_DATA)
		figures = sum(1 for d in chart["datasets"] for v in d["values"] if v)
		page.wait_for_function(f"() => ({MONTHLY_BARS})() === {figures}", timeout=30000)
		page.wait_for_load_state("networkidle")
		page.wait_for_timeout(500)
	except Exception:
		page.screenshot(path=str(SCREENSHOTS / "failed-workspace-alternative-provision.png"), full_page=True)
		raise
	page.screenshot(path=str(SCREENSHOTS / "workspace-alternative-provision.png"), full_page=True)

	cards = {
		card.locator(".widget-title").text_content().strip(): card.locator(".number").text_content().strip()
		for card in page.locator(".widget.number-widget-box").all()
	}
	live = count(page, "Placement", [["status", "in", ["Active", "Reintegrating"]]])
	open_states = ["Submitted", "More Information Requested", "Accepted for Panel", "Deferred"]
	open_referrals = count(page, "Referral", [["workflow_state", "in", open_states]])
	assert live > 0 and open_referrals > 0
	assert cards["Live Placements"] == str(live), cards
	assert cards["Open Referrals"] == str(open_referrals), cards
	assert "deadline" in cards["Next Panel"], cards
	for label in ("Awaiting Panel", "Overdue Updates", "Reviews Due This Week"):
		assert cards[label].isdigit(), cards
	# The chart's figures are the referrals received in its 12 months, by key stage: not zero.
	assert figures > 0 and page.evaluate(MONTHLY_BARS) == figures, chart
	today = date.fromisoformat(page.evaluate("() => frappe.datetime.get_today()"))
	months_back = today.year * 12 + today.month - 1 - 11
	first_month = date(months_back // 12, months_back % 12 + 1, 1).isoformat()
	received = count(page, "Referral", [["received_on", ">=", first_month], ["received_on", "is", "set"]])
	assert received > 0
	assert sum(sum(d["values"]) for d in chart["datasets"]) == received, chart
	chart_titles = page.locator(".widget.dashboard-widget-box .widget-title").all_text_contents()
	for title in ("Referrals per Month by Key Stage", "Referrals by Status", "Outcomes by Provider"):
		assert any(title in t for t in chart_titles), chart_titles


def sign_in(page, url, email):
	page.context.clear_cookies()
	page.goto(f"{url}/login")
	page.fill("#login_email", email)
	page.fill("#login_password", DEMO_PASSWORD)
	page.click(".btn-login")
	page.wait_for_function("() => !location.pathname.startsWith('/login')")
	page.wait_for_load_state("networkidle")


def test_demo_portal_users_land_on_their_homes(browser, demo_url):
	"""Every demo provider has a portal user (its office address, password demo) whose placements
	have reports on time, due and overdue; a school's SENCo lands on the school's home."""
	page = browser.new_page(viewport={"width": 1280, "height": 900})
	page.set_default_timeout(60000)
	statuses = set()
	for provider in ("riverside", "juniper", "kingfisher", "larch", "maple"):
		sign_in(page, demo_url, f"office@{provider}.example.org")
		assert page.url.endswith("/provider"), page.url
		statuses |= set(page.locator("#running ~ table .ap-status").all_text_contents())
		if provider == "riverside":
			page.screenshot(path=str(SCREENSHOTS / "demo-provider-home.png"), full_page=True)
	assert {"On time", "Due", "Overdue"} <= {s.strip() for s in statuses}, statuses
	sign_in(page, demo_url, "senco@alder.example.org")
	assert page.url.endswith("/school"), page.url
	assert "Alder Primary School" in page.inner_text("h1")
	page.screenshot(path=str(SCREENSHOTS / "demo-school-home.png"), full_page=True)
	page.close()
