"""Browser tier: a served bench site driven by headless Chromium (Debian's /usr/bin/chromium)
through playwright. Run by scripts/test.sh as the bench user:

    env/bin/python -m pytest <repo>/browser_tests      (from the bench folder)

Settings (environment): TEST_SITE (the site), BROWSER_BASE_URL (use a server that is already
running, e.g. http://ap-test.localhost:8000; otherwise `bench serve` is started on a free
port), CHROMIUM (default /usr/bin/chromium), SCREENSHOT_DIR (default
<repo>/test-artifacts/screenshots). Nothing is downloaded: no `playwright install`.
"""

import contextlib
import json
import os
import secrets
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SITE = os.environ.get("TEST_SITE", "ap-test.localhost")
BENCH = Path(os.environ.get("BENCH_PATH") or Path.cwd())
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR") or REPO / "test-artifacts" / "screenshots")


def bench(*args: str) -> str:
	out = subprocess.run(
		["bench", "--site", SITE, *args], cwd=BENCH, capture_output=True, text=True, timeout=300
	)
	if out.returncode:
		raise RuntimeError(f"bench {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
	return out.stdout


def execute(method: str, **kwargs):
	"""Call a function of ap_provision.tests.browser_fixtures on the site; its JSON result."""
	out = bench("execute", f"ap_provision.tests.browser_fixtures.{method}", "--kwargs", json.dumps(kwargs))
	lines = out.strip().splitlines()
	for start in range(len(lines)):
		try:
			return json.loads("\n".join(lines[start:]))
		except ValueError:
			continue
	raise RuntimeError(f"{method} returned no JSON:\n{out}")


def free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]


def wait_for(url: str, host: str, seconds: int = 90):
	deadline = time.time() + seconds
	while time.time() < deadline:
		try:
			request = urllib.request.Request(url, headers={"Host": host})
			with urllib.request.urlopen(request, timeout=5) as response:
				if response.status == 200:
					return
		except OSError:
			time.sleep(1)
	raise RuntimeError(f"no answer from {url} within {seconds}s")


@pytest.fixture(scope="session")
def base_url():
	if url := os.environ.get("BROWSER_BASE_URL"):
		yield url.rstrip("/")
		return
	bench("clear-cache")  # hooks and pages as this checkout has them
	with served(SITE) as url:
		yield url


@contextlib.contextmanager
def served(site: str):
	"""`bench --site <site> serve` on a free port for the length of the block; yields its URL."""
	port = free_port()
	# The screenshots folder is the one the bench user may write to (scripts/test.sh).
	log = open(SCREENSHOTS / f"browser-serve-{site}.log", "w")
	server = subprocess.Popen(
		["bench", "--site", site, "serve", "--port", str(port), "--noreload"],
		cwd=BENCH,
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	try:
		wait_for(f"http://127.0.0.1:{port}/api/method/ping", site)
		# Chromium resolves every *.localhost name to the loopback address.
		yield f"http://{site}:{port}"
	finally:
		server.terminate()
		try:
			server.wait(timeout=20)
		except subprocess.TimeoutExpired:
			server.kill()
		log.close()


@pytest.fixture(scope="session")
def browser():
	from playwright.sync_api import sync_playwright

	with sync_playwright() as p:
		browser = p.chromium.launch(
			executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-dev-shm-usage"]
		)
		yield browser
		browser.close()


@pytest.fixture(scope="session")
def world():
	"""Fresh users and organisations for this run, with a known password."""
	SCREENSHOTS.mkdir(parents=True, exist_ok=True)
	run = secrets.token_hex(4)
	password = f"Br0wser-{secrets.token_hex(6)}!"
	data = execute("prepare", run=run, password=password)
	data.update(run=run, password=password)
	yield data
	# The site is shared with the bench tier: no panel left on today's date, no placement running.
	execute("tidy", provider=data["provider"])


@pytest.fixture()
def shot():
	def take(page, name: str):
		page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

	return take


@pytest.fixture(scope="session")
def sweep(world):
	"""Records for the accessibility sweep: a draft referral with EHC evidence, a decided one with its
	letter and running placement, a report and a review (ap_provision.tests.browser_fixtures)."""
	users = world["users"]
	return execute(
		"sweep_data",
		run=world["run"],
		school=world["school"],
		provider=world["provider"],
		prt=users["prt"],
		chair=users["chair"],
	)


def login(page, base_url, email, password):
	"""Sign in at /login as a person does; waits until the page sign-in lands on has loaded."""
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


def pytest_terminal_summary(terminalreporter):
	"""The accessibility sweep's figures (browser_tests/a11y.py), shown by scripts/test.sh."""
	from a11y import SWEEP

	if SWEEP.pages:
		terminalreporter.write_line("figures: " + SWEEP.summary())
		SWEEP.write(SCREENSHOTS / "accessibility.json")
