"""Render print formats to PDF in bench tests.

wkhtmltopdf fetches the print stylesheet from the site's URL. A test site is not served
(and `<site>.localhost` may not resolve), so `render_pdf` serves the bench's `sites/`
folder (where `/assets` lives) on a free loopback port for the length of the call and
points the site's `host_name` at it: the PDF is made exactly as in production, styles
included.
"""

import contextlib
import functools
import http.server
import os
import threading

import frappe


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
	def log_message(self, *args):
		pass


@contextlib.contextmanager
def served_assets():
	sites_path = os.path.abspath(frappe.local.sites_path)
	handler = functools.partial(_QuietHandler, directory=sites_path)
	server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
	thread = threading.Thread(target=server.serve_forever, daemon=True)
	thread.start()
	previous = frappe.local.conf.get("host_name")
	frappe.local.conf.host_name = f"http://127.0.0.1:{server.server_address[1]}"
	try:
		yield
	finally:
		frappe.local.conf.host_name = previous
		server.shutdown()
		server.server_close()


def render_pdf(doctype: str, name: str, print_format: str, keep_as: str | None = None) -> bytes:
	"""The PDF of a document in a print format; with `keep_as`, also saved as
	test-artifacts/print/<keep_as>.pdf in the app's checkout, for people to look at."""
	with served_assets():
		pdf = frappe.get_print(doctype, name, print_format, as_pdf=True)
	if keep_as:
		folder = os.path.join(
			os.path.realpath(frappe.get_app_path("ap_provision", "..")), "test-artifacts", "print"
		)
		os.makedirs(folder, exist_ok=True)
		with open(os.path.join(folder, f"{keep_as}.pdf"), "wb") as f:
			f.write(pdf)
	return pdf
