"""Hostile inserts and updates of every shape, bench tier: a clear 4xx, never a 500.

For every doctype of the app and every one of its fields, values of the wrong shape (a
dictionary or a list in a Link or a text field, a string for a child table, numbers too big for
their column, impossible dates, rows that are not objects) are posted through REST as a School
Referrer and a PRT Officer, as inserts and as updates of a record made for the purpose. Frappe
builds a document from the request before any hook of the document runs, so most of these used
to fail inside Frappe with HTTP 500; the app now refuses them first (``before_request``,
ap_provision/access/requests.py) and again on the document (access/values.py).
"""

import itertools

import frappe
from frappe.model import no_value_fields, table_fields
from frappe.tests.utils import FrappeTestCase

from ap_provision.access import matrix
from ap_provision.tests.security import figures, world
from ap_provision.tests.security.client import RestUser

ROLES = ("School Referrer", "PRT Officer")
ANY = ({"a": 1}, [1, 2], [{"a": 1}])
SHAPES = {
	"text": (*ANY, True, 10**30, "\x00"),
	"number": (*ANY, "abc", 10**30, -(10**30), "1e999", "NaN"),
	"date": (*ANY, "0000-00-00", "2026-02-30", "31/12/2026", "2026-13-01", 10**12, "2026-01-01 25:61:00"),
	"table": ("not a list", {"a": 1}, [1, 2], [[1]], [{"idx": "abc"}], [{"name": {"a": 1}}]),
}
TOP_LEVEL = ({"name": {"a": 1}}, {"docstatus": "x"}, {"docstatus": 10**30}, {"doctype": 5})


def kind(df) -> str | None:
	if df.fieldtype in table_fields:
		return "table"
	if df.fieldtype in no_value_fields:
		return None
	if df.fieldtype in ("Int", "Float", "Currency", "Percent", "Check", "Rating", "Duration"):
		return "number"
	if df.fieldtype in ("Date", "Datetime", "Time"):
		return "date"
	return "text"


def payloads(doctype: str):
	meta = frappe.get_meta(doctype)
	for df in meta.fields:
		shape_kind = kind(df)
		if shape_kind is None:
			continue
		for value in SHAPES[shape_kind]:
			yield df.fieldname, {df.fieldname: value}
	for body in TOP_LEVEL:
		yield next(iter(body)), body


class TestHostileShapes(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.world = world.build()
		cls.users = {role: RestUser(cls.world.users[role]) for role in ROLES}

	@classmethod
	def tearDownClass(cls):
		world.cleanup()
		super().tearDownClass()

	def test_every_shape_gets_a_4xx_never_a_500(self):
		doctypes = [d for d, rules in matrix.MATRIX.items() if not rules.single]
		turn = itertools.cycle([(role, method) for role in ROLES for method in ("POST", "PUT")])
		server_errors, sent = [], 0
		for doctype in doctypes:
			target = world.throwaway(doctype)
			for fieldname, body in payloads(doctype):
				role, method = next(turn)
				user = self.users[role]
				if method == "PUT" and target:
					reply = user.update(doctype, target, body)
				else:
					reply = user.insert(doctype, body)
				sent += 1
				if reply.status >= 500:
					server_errors.append(
						f"{method} {doctype}.{fieldname}={body!r:.60} as {role}: {reply.text[:160]}"
					)
		figures.add("hostile shapes sent", sent)
		figures.add("hostile shapes answered 5xx", len(server_errors))
		self.assertGreater(sent, 1000)
		self.assertEqual(server_errors, [], "\n".join(server_errors[:40]))
