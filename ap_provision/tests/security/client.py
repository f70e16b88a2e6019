"""Act as a real user through Frappe's real request pipeline (bench tier).

Each request runs ``frappe.app.application`` through werkzeug's test client in a thread of
its own, as Frappe v15's own ``frappe/tests/test_api.py`` does: the thread has its own
``frappe.local`` and database connection, so the request authenticates (API key and
secret of the user), checks permissions, validates, and commits or rolls back exactly as
it would for a browser or an integration. Data a request must see has to be committed.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from unittest.mock import patch

import frappe
from frappe.utils import get_test_client
from frappe.utils.password import set_encrypted_password

TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "', "frappe/", "site-packages")


@dataclass
class Reply:
	status: int
	text: str

	@property
	def json(self) -> dict:
		try:
			return json.loads(self.text)
		except ValueError:
			return {}

	@property
	def data(self):
		return self.json.get("data", self.json.get("message"))

	def leaks_traceback(self) -> bool:
		return any(marker in self.text for marker in TRACEBACK_MARKERS)

	def message(self) -> str:
		"""The readable message a client gets (from _server_messages or exception)."""
		body = self.json
		texts = []
		for raw in json.loads(body.get("_server_messages") or "[]"):
			try:
				texts.append(json.loads(raw).get("message", ""))
			except (ValueError, AttributeError):
				texts.append(str(raw))
		if body.get("exception"):
			texts.append(body["exception"])
		return " ".join(t for t in texts if t)


class RestUser:
	"""A user with API credentials, making REST calls through the whole Frappe stack."""

	def __init__(self, email: str):
		self.email = email
		self.site = frappe.local.site
		key = frappe.db.get_value("User", email, "api_key")
		if not key:
			key = frappe.generate_hash(length=15)
			frappe.db.set_value("User", email, "api_key", key, update_modified=False)
		secret = frappe.generate_hash(length=15)
		set_encrypted_password("User", email, secret, "api_secret")
		frappe.db.commit()  # the request threads use their own connections
		self.headers = {"Authorization": f"token {key}:{secret}"}
		self.client = get_test_client(use_cookies=False)

	def request(self, method: str, path: str, **kwargs) -> Reply:
		box: dict = {}

		def run():
			with patch("frappe.app.get_site_name", return_value=self.site):
				try:
					response = self.client.open(path, method=method, headers=self.headers, **kwargs)
					box["reply"] = Reply(response.status_code, response.get_data(as_text=True))
				except Exception as e:  # the pipeline itself failed: report it as a 5xx
					box["reply"] = Reply(599, f"client-side failure: {e!r}")

		thread = threading.Thread(target=run)
		thread.start()
		thread.join()
		return box["reply"]

	# REST helpers -------------------------------------------------------------------------

	def get_doc(self, doctype: str, name: str) -> Reply:
		return self.request("GET", f"/api/resource/{doctype}/{name}")

	def get_list(self, doctype: str, fields=("name",), filters=None) -> Reply:
		params = {"fields": json.dumps(list(fields)), "limit_page_length": 0}
		if filters:
			params["filters"] = json.dumps(filters)
		return self.request("GET", f"/api/resource/{doctype}", query_string=params)

	def insert(self, doctype: str, data) -> Reply:
		return self.request(
			"POST", f"/api/resource/{doctype}", data=_body(data), content_type="application/json"
		)

	def update(self, doctype: str, name: str, data) -> Reply:
		return self.request(
			"PUT", f"/api/resource/{doctype}/{name}", data=_body(data), content_type="application/json"
		)

	def delete(self, doctype: str, name: str) -> Reply:
		return self.request("DELETE", f"/api/resource/{doctype}/{name}")

	def call(self, method: str, http: str = "POST", **params) -> Reply:
		if http == "GET":
			return self.request("GET", f"/api/method/{method}", query_string=params)
		return self.request(
			"POST",
			f"/api/method/{method}",
			data=json.dumps(params, default=str),
			content_type="application/json",
		)

	def form_post(self, method: str, **params) -> Reply:
		"""A form-encoded POST, as the desk and web forms send them."""
		return self.request("POST", f"/api/method/{method}", data=params)


def _body(data) -> str:
	return data if isinstance(data, str | bytes) else json.dumps(data, default=str)
