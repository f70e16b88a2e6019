"""The security suite (docs/security.md), bench tier. Classes run in name order; the last prints the
figures. Records are committed (requests run on their own connections) and removed at the end.

- TestSecurity1Matrix: every cell of ap_provision/access/matrix.py, acting as a real user
  of each role through REST, plus the User Permission scoping of the portal roles.
"""

import frappe
from frappe.tests.utils import FrappeTestCase

from ap_provision.access import matrix
from ap_provision.tests.security import figures, payloads, world
from ap_provision.tests.security.client import RestUser
from ap_provision.tests.security.permissions_check import check_cell, check_scope

_WORLD: world.World | None = None
_CLIENTS: dict[str, RestUser] = {}


def get_world() -> world.World:
	global _WORLD
	if _WORLD is None:
		_WORLD = world.build()
	return _WORLD


def client(user_key: str) -> RestUser:
	w = get_world()
	if user_key not in _CLIENTS:
		_CLIENTS[user_key] = RestUser(w.users.get(user_key, user_key))
	return _CLIENTS[user_key]


def tearDownModule():
	if _WORLD is not None:
		world.cleanup()


class TestSecurity1Matrix(FrappeTestCase):
	def test_every_cell_of_the_matrix_as_a_real_user(self):
		w = get_world()
		problems = []
		checked = 0
		for doctype, role, right, allowed in matrix.cells():
			if doctype not in w.records:
				continue
			problem = check_cell(client(role), w, doctype, right, allowed)
			checked += 1
			if problem:
				problems.append(problem)
		figures.add("cells checked", checked)
		self.assertGreater(checked, 400)
		self.assertEqual(problems, [], "\n".join(problems))

	def test_portal_roles_see_only_their_own_school_or_provider(self):
		w = get_world()
		problems = []
		for doctype, rules in matrix.MATRIX.items():
			for role, grant in rules.roles.items():
				if grant.scope and doctype in w.records:
					problems += check_scope(client(role), w, doctype, grant)
					figures.add("scope checks")
		self.assertEqual(problems, [], "\n".join(problems))

	def test_sensitive_fields_are_withheld_from_roles_without_their_level(self):
		"""Fields above level 0 (SEND, safeguarding, PRT notes, decisions) reach only the roles
		the matrix gives that level: a GET by anyone else returns them empty."""
		w = get_world()
		problems, checked = [], 0
		for doctype, rules in matrix.MATRIX.items():
			if not rules.levels or doctype not in w.records:
				continue
			name = w.record(doctype, "A")
			meta = frappe.get_meta(doctype)
			marked = mark_level_fields(doctype, name, rules.levels)
			try:
				for role in matrix.APP_ROLES:
					if "read" not in matrix.rights_of(doctype, role):
						continue
					reply = client(role).get_doc(doctype, name)
					if reply.status != 200:
						problems.append(f"{doctype}: {role} could not read {name}: HTTP {reply.status}")
						continue
					for fieldname in marked:
						level = meta.get_field(fieldname).permlevel
						readable = "read" in matrix.rights_of(doctype, role, level)
						sent = reply.data.get(fieldname) not in (None, "", 0)
						checked += 1
						if sent != readable:
							problems.append(
								f"{doctype}.{fieldname} (level {level}) {'sent to' if sent else 'withheld from'} {role}"
							)
			finally:
				frappe.db.set_value(doctype, name, marked, update_modified=False)
				frappe.db.commit()
		figures.add("level field checks", checked)
		self.assertGreater(checked, 50)
		self.assertEqual(problems, [], "\n".join(problems))

	def test_every_doctype_of_the_matrix_is_exercised_on_the_site(self):
		missing = [d for d in matrix.MATRIX if d not in get_world().records]
		figures.FIGURES["doctypes without site cells"] = len(missing)
		self.assertEqual(missing, [], "world.py makes no record of these doctypes")


class TestSecurity2Payloads(FrappeTestCase):
	"""At least 1,000 malformed or hostile payloads across every doctype and workflow action."""

	MUTATIONS_PER_DOCTYPE = 80
	UPDATES_PER_DOCTYPE = 25
	PER_WEB_FORM = 40

	def test_hostile_payloads_are_refused_cleanly(self):
		w = get_world()
		settings_before = frappe.get_doc("AP Settings").as_dict()
		batch: list[payloads.Payload] = []
		for doctype in matrix.MATRIX:
			if doctype not in w.records:
				continue
			if not frappe.get_meta(doctype).issingle:
				batch += payloads.mutations(doctype, self.MUTATIONS_PER_DOCTYPE)
				batch += payloads.missing_required(doctype)
				batch += payloads.malformed(doctype)
			batch += payloads.updates(doctype, self.UPDATES_PER_DOCTYPE)
		batch += payloads.foreign_links(w) + payloads.forged(w) + payloads.state_jumps()
		batch += payloads.web_form_payloads(w, self.PER_WEB_FORM)
		figures.add("web form payloads", sum(1 for p in batch if p.method == "webform"))
		problems = []
		try:
			for payload in batch:
				problems += payloads.judge(payload, client(payload.actor), w)
		finally:
			restore_settings(settings_before)
		self.assertGreaterEqual(len(batch), 1000)
		if problems:
			self.fail(payloads.summarise(problems))


def mark_level_fields(doctype: str, name: str, levels) -> dict:
	"""Give the record's text and check fields above level 0 a value (committed); returns the
	values they had, to put back."""
	meta = frappe.get_meta(doctype)
	fields = [
		df
		for df in meta.fields
		if (df.permlevel or 0) in levels and df.fieldtype in ("Data", "Small Text", "Text", "Check")
	]
	before = frappe.db.get_value(doctype, name, [df.fieldname for df in fields], as_dict=True)
	frappe.db.set_value(
		doctype,
		name,
		{df.fieldname: 1 if df.fieldtype == "Check" else "SEC8 sensitive" for df in fields},
		update_modified=False,
	)
	frappe.db.commit()
	return dict(before)


def restore_settings(values: dict):
	frappe.db.commit()
	doc = frappe.get_doc("AP Settings")
	for df in doc.meta.fields:
		if df.fieldtype not in frappe.model.no_value_fields and df.fieldtype != "Table":
			frappe.db.set_single_value("AP Settings", df.fieldname, values.get(df.fieldname))
	frappe.db.commit()


class TestSecurity9Figures(FrappeTestCase):
	"""The figures line is printed when the run ends (figures.py); the totals hold here too."""

	def test_figures_of_the_run(self):
		self.assertEqual(figures.FIGURES["5xx"], 0, figures.summary())
		self.assertEqual(figures.FIGURES["partial writes"], 0, figures.summary())
		self.assertEqual(figures.FIGURES["duplicates"], 0, figures.summary())
		self.assertEqual(figures.FIGURES["tracebacks"], 0, figures.summary())
		self.assertEqual(figures.FIGURES["unescaped stored script"], 0, figures.summary())
