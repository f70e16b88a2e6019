"""Malformed and hostile payloads, generated with hypothesis and sent through REST as real
users (bench tier). Each payload is judged by :func:`judge`:

- never a 5xx, never a traceback in the body;
- a refusal (4xx) carries a readable message and writes nothing (row counts of every app
  table unchanged, the target record's ``modified`` unchanged);
- payloads that must be refused (missing required fields, links to another school's
  records, state jumps, forged states, malformed bodies) are refused;
- a payload that may be accepted after Frappe coerces or sanitises it (wrong types, HTML in
  text, forged protected fields) leaves no executable script in what is stored and does not
  keep the forged values.

Generation is derandomised (hypothesis ``derandomize=True``), so every run sends the same
payloads; the number per doctype is bounded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import frappe
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ap_provision.access import matrix
from ap_provision.tests.security import figures, world
from ap_provision.tests.security.client import Reply, RestUser

SCRIPTS = [
	"<script>alert('xss')</script>",
	"<img src=x onerror=alert(1)>",
	"<svg onload=alert(1)>",
	'"><script>alert(document.cookie)</script>',
	"javascript:alert(1)",
	'<a href="javascript:alert(1)">click</a>',
	"<iframe src=//evil.example></iframe>",
	"{{ frappe.db.sql('select name from tabUser') }}",
	"{% for u in frappe.get_all('User') %}{{u}}{% endfor %}",
	"'; DROP TABLE `tabPupil`; --",
	"1 OR 1=1",
	"\u202eevil\u202c",
	"null\x00byte",
]
EXECUTABLE = re.compile(r"<\s*script|<[^>]*\bon[a-z]+\s*=|<\s*iframe|<[^>]*javascript:", re.I)
URL_TYPES = ("Attach", "Attach Image")
BAD_DATES = [
	"0000-00-00",
	"2027-02-30",
	"2027-13-01",
	"10000-01-01",
	"-0001-01-01",
	"yesterday",
	"01/02/2027",
	"2027-01-01T25:61:00",
	"1000-01-01",
	"9999-12-31",
	20270101,
	"",
]
WRONG_TYPES = st.one_of(
	st.integers(min_value=-(2**70), max_value=2**70),
	st.floats(allow_nan=False, allow_infinity=False),
	st.booleans(),
	st.lists(st.integers(), max_size=3),
	st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
	st.none(),
)
HUGE = st.integers(min_value=141, max_value=300_000).map(lambda n: "x" * n)
TEXT = st.text(max_size=40)


def value_strategy(df) -> st.SearchStrategy:
	"""Hostile values for a field of this type."""
	ft = df.fieldtype
	if ft in ("Date", "Datetime"):
		return st.one_of(st.sampled_from(BAD_DATES), WRONG_TYPES, st.sampled_from(SCRIPTS))
	if ft in ("Int", "Check", "Float", "Currency", "Percent"):
		return st.one_of(
			WRONG_TYPES,
			st.sampled_from(["abc", "1e400", "-1", "NaN", "99999999999999999999"]),
			st.sampled_from(SCRIPTS),
		)
	if ft == "Select":
		return st.one_of(st.sampled_from(SCRIPTS), TEXT, WRONG_TYPES)
	if ft in ("Link", "Dynamic Link"):
		return st.one_of(st.sampled_from(["Administrator", "../../etc/passwd", "%", "*"]), TEXT, WRONG_TYPES)
	if ft in ("Attach", "Attach Image"):
		return st.sampled_from(
			[
				"javascript:alert(1)",
				"/private/files/../../site_config.json",
				"http://evil.example/x.pdf",
				*SCRIPTS,
			]
		)
	if ft in ("Table", "Table MultiSelect"):
		return st.one_of(
			st.just([{"doctype": "User", "name": "Administrator"}]),
			st.lists(
				st.dictionaries(st.sampled_from(["name", "parent", "idx"]), TEXT, max_size=2), max_size=2
			),
			WRONG_TYPES,
		)
	return st.one_of(st.sampled_from(SCRIPTS), HUGE, TEXT, WRONG_TYPES)


def editable_fields(doctype: str, level: int = 0) -> list:
	meta = frappe.get_meta(doctype)
	return [
		df
		for df in meta.fields
		if df.fieldtype not in frappe.model.no_value_fields
		and df.fieldtype not in ("Read Only",)
		and not df.read_only
		and (df.permlevel or 0) == level
	]


@dataclass
class Payload:
	doctype: str
	kind: str  # mutate, update, missing, foreign, forged, jump, malformed, webform
	actor: str  # key of world.users
	method: str  # insert, update, workflow, raw, webform
	data: object = None
	target: str | None = None
	must_refuse: bool = False
	forged: dict = field(default_factory=dict)
	framework_5xx: bool = False  # Frappe fails parsing the body before any app code runs
	form: str | None = None  # the web form a "webform" payload is posted through

	def describe(self) -> str:
		text = json.dumps(self.data, default=str)
		via = f" via web form {self.form}" if self.form else ""
		return f"{self.kind} {self.method} {self.doctype}{via} as {self.actor}: {text[:200]}"


def generate(strategy: st.SearchStrategy, n: int) -> list:
	"""``n`` examples of ``strategy``, the same on every run."""
	out: list = []

	@settings(
		max_examples=n,
		derandomize=True,
		database=None,
		deadline=None,
		phases=[Phase.generate],
		suppress_health_check=list(HealthCheck),
	)
	@given(strategy)
	def collect(example):
		out.append(example)

	collect()
	return out[:n]


def creator(doctype: str) -> str | None:
	"""The most constrained role allowed to create ``doctype``."""
	order = ["School Referrer", "AP Provider User", "SEND Caseworker", "PRT Officer", "AP Administrator"]
	for role in order:
		if "create" in matrix.rights_of(doctype, role):
			return role
	return None


def writer(doctype: str) -> str | None:
	order = ["School Referrer", "AP Provider User", "SEND Caseworker", "PRT Officer", "AP Administrator"]
	for role in order:
		if "write" in matrix.rights_of(doctype, role):
			return role
	return None


# -- the suite's payloads ------------------------------------------------------------------


def mutations(doctype: str, n: int) -> list[Payload]:
	"""Valid payloads with one to three fields replaced by hostile values."""
	role = creator(doctype)
	fields = editable_fields(doctype)
	if not role or not fields:
		return []
	strategy = st.lists(
		st.sampled_from(fields).flatmap(lambda df: st.tuples(st.just(df.fieldname), value_strategy(df))),
		min_size=1,
		max_size=3,
	)
	return [
		Payload(doctype, "mutate", role, "insert", data=dict(changes)) for changes in generate(strategy, n)
	]


def updates(doctype: str, n: int) -> list[Payload]:
	role = writer(doctype)
	fields = editable_fields(doctype)
	if not role or not fields:
		return []
	strategy = st.lists(
		st.sampled_from(fields).flatmap(lambda df: st.tuples(st.just(df.fieldname), value_strategy(df))),
		min_size=1,
		max_size=2,
	)
	# The providers of the suite's placements keep their places and checks: hostile updates of
	# a provider go to a spare one.
	target = "__spare__" if doctype == "AP Provider" else None
	return [
		Payload(doctype, "update", role, "update", data=dict(c), target=target) for c in generate(strategy, n)
	]


def missing_required(doctype: str) -> list[Payload]:
	role = creator(doctype)
	if not role:
		return []
	meta = frappe.get_meta(doctype)
	out = []
	for df in meta.fields:
		if (
			df.reqd
			and not df.default
			and df.fieldtype not in ("Select",)
			or (df.reqd and df.fieldname == "pupil")
		):
			out.append(
				Payload(doctype, "missing", role, "insert", data={"__drop__": df.fieldname}, must_refuse=True)
			)
			out.append(Payload(doctype, "missing", role, "insert", data={df.fieldname: ""}, must_refuse=True))
	return out


# Scoped users and what they create or change: links to another organisation's records.
FOREIGN = (
	("Pupil", "School Referrer"),
	("Referral", "School Referrer"),
	("EHC Assessment", "School Referrer"),
	("Placement Update", "AP Provider User"),
)


def foreign_links(w: world.World) -> list[Payload]:
	"""A School Referrer of school A naming school B's records; provider A's staff naming
	provider B's placement, pupil, school or provider."""
	out = []
	for doctype, role in FOREIGN:
		meta = frappe.get_meta(doctype)
		for df in meta.fields:
			if df.fieldtype != "Link" or df.options not in w.records:
				continue
			if role == "School Referrer" and df.options == "AP Provider":
				continue
			other = w.records[df.options].get("B")
			if not other:
				continue
			for method in ("insert", "update"):
				out.append(
					Payload(
						doctype,
						"foreign",
						role,
						method,
						data={df.fieldname: other},
						forged={df.fieldname: other},
						# the record's own link to another organisation's record is refused outright
						must_refuse=df.fieldname in ("pupil", "placement", "referral") and not df.read_only,
					)
				)
	return out


FORGED_REFERRAL = [
	{"received_on": "2020-01-01 09:00:00"},
	{"received_on": "2999-01-01 09:00:00", "received_on_override": "2020-01-01 09:00:00"},
	{"panel": "__panel__"},
	{"decided_by": "Administrator", "decided_on": "2020-01-01 10:00:00"},
	{"provider": "SEC8 Provider A"},
	{"late_referral": 0, "panel_note": "forged"},
	{"owner": "Guest"},
	{"name": "REF-FORGED-1"},
]
FORGED_STATES = [
	{"workflow_state": state}
	for state in (
		"Submitted",
		"Accepted for Panel",
		"Approved",
		"Declined",
		"Deferred",
		"Withdrawn",
		"Nonsense",
	)
] + [{"docstatus": 1}, {"docstatus": 2}, {"docstatus": 1, "workflow_state": "Approved"}]


def forged(w: world.World) -> list[Payload]:
	out = []
	for role in ("School Referrer", "Panel Chair", "SEND Caseworker"):
		method = "insert" if "create" in matrix.rights_of("Referral", role) else "update"
		for values in FORGED_REFERRAL:
			values = {k: (w.record("Panel") if v == "__panel__" else v) for k, v in values.items()}
			out.append(Payload("Referral", "forged", role, method, data=values, forged=values))
		for values in FORGED_STATES:
			out.append(state_forgery(role, method, values))
	for values in FORGED_STATES:
		out.append(state_forgery("PRT Officer", "update", values))
		out.append(state_forgery("PRT Officer", "insert", values))
	other = {d: w.records[d]["B"] for d in ("Pupil", "School", "AP Provider")}
	for values in (
		{"provider": other["AP Provider"]},
		{"school": other["School"]},
		{"pupil": other["Pupil"]},
		{"sessions_possible": 99, "sessions_attended": 99, "attendance_percent": 100},
		{"unexplained_absences": 0, "authorised_absences": 7},
	):
		for method in ("insert", "update"):
			out.append(
				Payload("Placement Update", "forged", "AP Provider User", method, data=values, forged=values)
			)
	for values in ({"pupil": other["Pupil"]}, {"school": other["School"]}, {"key_stage": "KS1"}):
		out.append(Payload("Placement", "forged", "PRT Officer", "insert", data=values, forged=values))
	for values in ({"status": "Active"}, {"status": "Completed"}, {"status": "Transitioned"}):
		out.append(Payload("Placement", "forged", "PRT Officer", "insert", data=values, must_refuse=True))
	for values in ({"updates_count": 99}, {"pupil": other["Pupil"]}, {"school": other["School"]}):
		out.append(Payload("Review", "forged", "SEND Caseworker", "insert", data=values, forged=values))
	return out


# Draft -> state moves that the workflow opens to a role (Submit, Withdraw).
OPEN_FROM_DRAFT = {
	("School Referrer", "Submitted"),
	("School Referrer", "Withdrawn"),
	("PRT Officer", "Submitted"),
	("PRT Officer", "Withdrawn"),
}


def state_forgery(role: str, method: str, values: dict) -> Payload:
	"""A state or docstatus written directly on a fresh draft (or a new referral)."""
	opened = (
		method == "update"
		and set(values) == {"workflow_state"}
		and (role, values["workflow_state"]) in OPEN_FROM_DRAFT
	)
	return Payload(
		"Referral", "forged", role, method, data=values, target="__fresh__", must_refuse=not opened
	)


WORKFLOW_ACTIONS = [
	"Submit",
	"Request Information",
	"Accept",
	"Approve",
	"Decline",
	"Defer",
	"Withdraw",
	"Nonsense",
]


def state_jumps() -> list[Payload]:
	"""Workflow actions that are not open from Draft, by every role."""
	out = []
	for role in matrix.APP_ROLES:
		for action in WORKFLOW_ACTIONS:
			if action in ("Submit", "Withdraw") and role in ("School Referrer", "PRT Officer"):
				continue  # open from Draft for these roles
			out.append(
				Payload("Referral", "jump", role, "workflow", data={"action": action}, must_refuse=True)
			)
	# A placement's status moves one step at a time (R4: it starts only when ready).
	for role in ("PRT Officer", "AP Administrator"):
		for status in ("Active", "Completed", "Reintegrating", "Transitioned", "Nonsense"):
			out.append(
				Payload(
					"Placement",
					"jump",
					role,
					"update",
					data={"status": status},
					target="__fresh__",
					must_refuse=True,
				)
			)
		for status in ("Planned", "Transitioned", "Nonsense"):
			out.append(
				Payload("Placement", "jump", role, "update", data={"status": status}, must_refuse=True)
			)
	# A review is held by submitting it, by those allowed to; a draft is not cancelled.
	for role in ("Panel Chair", "BOSS Practitioner", "School Referrer", "AP Provider User"):
		out.append(
			Payload(
				"Review", "jump", role, "update", data={"docstatus": 1}, target="__fresh__", must_refuse=True
			)
		)
	for role in ("PRT Officer", "SEND Caseworker"):
		out.append(
			Payload(
				"Review", "jump", role, "update", data={"docstatus": 2}, target="__fresh__", must_refuse=True
			)
		)
	return out


def malformed(doctype: str) -> list[Payload]:
	role = creator(doctype) or "AP Administrator"
	bodies = [
		"{not json",
		"[1, 2, 3]",
		'"just a string"',
		b"\xff\xfe\x00garbage",
		json.dumps({"doctype": "User", "email": "evil@example.org", "first_name": "Evil"}),
		json.dumps({"doctype": "Has Role", "role": "System Manager", "parent": "Administrator"}),
		json.dumps({"__islocal": 0, "name": "Administrator"}),
		"{}",
	]
	# Bodies Frappe's request parser cannot read, before any app code runs (docs/security.md);
	# a JSON array or string parses, and the app refuses it (access/requests.py).
	unparsed = ("{not json", b"\xff\xfe\x00garbage")
	return [
		Payload(doctype, "malformed", role, "raw", data=b, must_refuse=True, framework_5xx=b in unparsed)
		for b in bodies
	]


# -- sending and judging ---------------------------------------------------------------------

APP_TABLES: list[str] = []


def app_tables() -> list[str]:
	if not APP_TABLES:
		APP_TABLES.extend(
			d
			for d in [*matrix.MATRIX, *matrix.CHILD_TABLES, "User", "Has Role", "File"]
			if not frappe.get_meta(d).issingle
		)
	return APP_TABLES


def row_counts() -> dict[str, int]:
	frappe.db.commit()  # a fresh snapshot: see what the requests committed
	tables = app_tables()
	query = "select " + ", ".join(f"(select count(*) from `tab{dt}`)" for dt in tables)
	return dict(zip(tables, frappe.db.sql(query)[0], strict=True))


def prepare(payload: Payload, w: world.World) -> tuple[str, object, str | None]:
	"""The request body and target of a payload (building a fresh valid base to insert)."""
	data = payload.data
	if payload.method == "insert" and isinstance(data, dict):
		base = world.valid_payload(payload.doctype, "A") or {}
		if "__drop__" in data:
			base.pop(data["__drop__"], None)
		else:
			base.update(data)
		return "insert", base, None
	if payload.method in ("update", "workflow"):
		target = payload.target or w.record(payload.doctype, "A")
		if target == "__fresh__":
			target = fresh(payload.doctype)
		elif target == "__spare__":
			target = w.record(payload.doctype, "spare")
		return payload.method, data, target
	if payload.method == "webform":
		return prepare_web_form(payload, w)
	return payload.method, data, None


def fresh(doctype: str) -> str:
	"""A new draft record (scope A) for a payload that changes its state."""
	if doctype == "Referral":
		name = world.make_referral("A")
	elif doctype == "Placement":
		name = world.make_planned_placement("A")
	elif doctype == "Review":
		name = world.make_review(world.running_placement("A"))
	else:
		raise ValueError(doctype)
	frappe.db.commit()
	return name


def send(user: RestUser, payload: Payload, method: str, body, target: str | None) -> Reply:
	if method == "insert":
		return user.insert(payload.doctype, body)
	if method == "update":
		return user.update(payload.doctype, target, body)
	if method == "workflow":
		doc = frappe.get_doc(payload.doctype, target).as_dict()
		return user.call(
			"frappe.model.workflow.apply_workflow", doc=json.dumps(doc, default=str), action=body["action"]
		)
	if method == "raw":
		return user.request(
			"POST", f"/api/resource/{payload.doctype}", data=body, content_type="application/json"
		)
	if method == "webform":
		return user.form_post(WEB_FORM_ACCEPT, web_form=payload.form, data=json.dumps(body, default=str))
	raise ValueError(method)


def writable_by(doctype: str, role: str, fieldname: str) -> bool:
	df = frappe.get_meta(doctype).get_field(fieldname)
	level = (df.permlevel or 0) if df else 0
	return level > 0 and "write" in matrix.rights_of(doctype, role, level)


def stored_problems(doctype: str, name: str, payload: Payload) -> list[str]:
	"""What an accepted payload left behind that it must not have."""
	frappe.db.commit()
	doc = frappe.db.get_value(doctype, name, "*", as_dict=True)
	if not doc:
		return []
	problems = []
	for key, value in doc.items():
		df = frappe.get_meta(doctype).get_field(key)
		url_field = df and df.fieldtype in URL_TYPES and re.match(r"\s*javascript:", value or "", re.I)
		if isinstance(value, str) and (EXECUTABLE.search(value) or url_field):
			problems.append(
				f"stored executable markup in {doctype}.{key} ({df and df.fieldtype}): {value[:80]!r}"
			)
			figures.add("unescaped stored script")
	for key, value in payload.forged.items():
		if writable_by(doctype, payload.actor, key):
			continue  # the role may set this field (e.g. a chair's decision details)
		if key in ("name", "owner"):
			if doc.get(key) == value:
				problems.append(f"forged {key} kept: {value}")
		elif str(doc.get(key) or "") == str(value) and str(value):
			problems.append(f"forged {doctype}.{key} kept: {value}")
	return problems


def judge(payload: Payload, user: RestUser, w: world.World) -> list[str]:
	method, body, target = prepare(payload, w)
	before = row_counts()
	modified = frappe.db.get_value(payload.doctype, target, "modified") if target else None
	reply = send(user, payload, method, body, target)
	figures.add("payloads tried")
	after = row_counts()
	problems = []
	where = payload.describe()
	if reply.status >= 500 and payload.framework_5xx:
		figures.add("5xx in Frappe before app code")
	elif reply.status >= 500:
		figures.add("5xx")
		problems.append(f"HTTP {reply.status} for {where}: {reply.text[:300]}")
	if reply.leaks_traceback():
		figures.add("tracebacks")
		problems.append(f"traceback sent to the client for {where}")
	if 400 <= reply.status < 500:
		changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
		if target and frappe.db.get_value(payload.doctype, target, "modified") != modified:
			changed[f"{payload.doctype} {target}"] = "modified"
		if changed:
			figures.add("partial writes")
			problems.append(f"refused but wrote {changed} for {where}")
		frappe_raised = isinstance(payload.data, dict) and payload.data.get("docstatus") == 2
		if not reply.message().strip() and not frappe_raised:
			problems.append(f"HTTP {reply.status} without a readable message for {where}: {reply.text[:200]}")
	elif reply.status < 300:
		name = target or ((reply.data or {}).get("name") if isinstance(reply.data, dict) else None)
		dropped = isinstance(payload.data, dict) and (
			payload.data.get("__drop__") or next((k for k, v in payload.data.items() if v == ""), None)
		)
		filled = dropped and name and frappe.db.get_value(payload.doctype, name, dropped)
		if payload.must_refuse and not filled:
			problems.append(f"accepted (HTTP {reply.status}) but must be refused: {where}")
		name = target or ((reply.data or {}).get("name") if isinstance(reply.data, dict) else None)
		if name and method in ("insert", "update", "webform"):
			problems += [f"{p} after {where}" for p in stored_problems(payload.doctype, name, payload)]
	return problems


# -- web forms -----------------------------------------------------------------------------------

WEB_FORM_ACCEPT = "frappe.website.doctype.web_form.web_form.accept"


def web_forms() -> list[dict]:
	"""The app's published web forms: name, doctype and fields."""
	out = []
	for name in frappe.get_all(
		"Web Form",
		filters={"module": ("in", frappe.get_module_list("ap_provision")), "published": 1},
		pluck="name",
	):
		form = frappe.get_cached_doc("Web Form", name)
		fields = [f.fieldname for f in form.web_form_fields if f.fieldname]
		out.append({"name": name, "doctype": form.doc_type, "fields": fields, "allow_edit": form.allow_edit})
	return sorted(out, key=lambda f: f["name"])


def web_form_fields(form: dict) -> list:
	meta = frappe.get_meta(form["doctype"])
	return [
		df
		for df in (meta.get_field(f) for f in form["fields"])
		if df and df.fieldtype not in frappe.model.no_value_fields and not df.read_only
	]


PORTAL_ROLES = ("School Referrer", "AP Provider User")


def web_form_payloads(w: world.World, n: int) -> list[Payload]:
	"""Hostile values posted through every web form of the portal, by the portal role the form
	is for; and every form posted by the portal role it is not for (Frappe's web forms insert
	and save with ignore_permissions: the app's hooks must hold)."""
	out = []
	for form in web_forms():
		doctype, fields, name = form["doctype"], web_form_fields(form), form["name"]
		creators = [r for r in PORTAL_ROLES if "create" in matrix.rights_of(doctype, r)]
		editors = (
			[r for r in PORTAL_ROLES if "write" in matrix.rights_of(doctype, r)] if form["allow_edit"] else []
		)
		creates = bool(creators) and doctype != "EHC Assessment"  # an assessment starts from its referral
		actor = (creators or editors or [None])[0]
		if actor and fields:
			strategy = st.lists(
				st.sampled_from(fields).flatmap(
					lambda df: st.tuples(st.just(df.fieldname), value_strategy(df))
				),
				min_size=1,
				max_size=3,
			)
			for i, changes in enumerate(generate(strategy, n)):
				target = None if creates and (i % 2 == 0 or not editors) else "__own__"
				out.append(
					Payload(
						doctype, "webform", actor, "webform", data=dict(changes), target=target, form=name
					)
				)
			forged = {
				"owner": "Administrator",
				"docstatus": 1,
				"workflow_state": "Approved",
				"received_on": "2020-01-01 09:00:00",
				"school": world.SCHOOLS["B"],
				"provider": world.PROVIDERS["B"],
			}
			out.append(
				Payload(
					doctype,
					"webform",
					actor,
					"webform",
					data=forged,
					target=None if creates else "__own__",
					form=name,
					forged={k: v for k, v in forged.items() if k not in ("docstatus", "provider")},
				)
			)
			for df in fields:  # another organisation's record named in the form
				if df.fieldtype == "Link" and df.options in w.records and "B" in w.records[df.options]:
					other = w.records[df.options]["B"]
					out.append(
						Payload(
							doctype,
							"webform",
							actor,
							"webform",
							data={df.fieldname: other},
							target=None if creates else "__own__",
							form=name,
							forged={df.fieldname: other},
							must_refuse=True,
						)
					)
		if editors:  # another school's record, through the same form
			out.append(
				Payload(
					doctype,
					"webform",
					editors[0],
					"webform",
					data={},
					target="__other__",
					form=name,
					must_refuse=True,
				)
			)
		else:  # a form that does not edit: a post naming a record is refused
			out.append(
				Payload(
					doctype,
					"webform",
					actor or "School Referrer",
					"webform",
					data={},
					target="__own__",
					form=name,
					must_refuse=True,
				)
			)
		if not creates:  # a form that does not create: a post without a record is refused
			for role in PORTAL_ROLES:
				out.append(Payload(doctype, "webform", role, "webform", data={}, form=name, must_refuse=True))
		for role in set(PORTAL_ROLES) - set(creators):  # a role the form is not for
			if creates:
				out.append(Payload(doctype, "webform", role, "webform", data={}, form=name, must_refuse=True))
	return out


def web_form_base(form: str, doctype: str, name: str | None) -> dict:
	"""What the form posts unchanged: the record's current values, or a valid new record."""
	fields = [f for f in next(f for f in web_forms() if f["name"] == form)["fields"]]
	if name:
		frappe.db.commit()
		doc = frappe.get_doc(doctype, name)
		base = {
			f: doc.get(f)
			for f in fields
			if doc.meta.get_field(f) and doc.meta.get_field(f).fieldtype not in frappe.model.table_fields
		}
		for df in doc.meta.get_table_fields():
			if df.fieldname in fields:
				base[df.fieldname] = [
					{k: v for k, v in row.as_dict(no_default_fields=True).items() if not k.startswith("__")}
					for row in doc.get(df.fieldname)
				]
		return {"doctype": doctype, "name": name, **base, "web_form_name": form}
	valid = world.valid_payload(doctype, "A") or {}
	valid.pop("school", None)  # the portal sets the school
	return {"doctype": doctype, **valid, "web_form_name": form}


def prepare_web_form(payload: Payload, w: world.World):
	target = {"__own__": w.record(payload.doctype, "A"), "__other__": w.record(payload.doctype, "B")}.get(
		payload.target or "", None
	)
	body = web_form_base(payload.form, payload.doctype, target)
	body.update(payload.data or {})
	return "webform", body, target


def summarise(problems: list[str]) -> str:
	"""Problems grouped by their first words, with one example of each group."""
	groups: dict[str, list[str]] = {}
	for p in problems:
		key = re.sub(r": \{.*|: \[.*", "", p)[:110]
		groups.setdefault(key, []).append(p)
	lines = [f"{len(problems)} problems in {len(groups)} groups:"]
	for key, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
		lines.append(f"{len(items):5d} x {key}\n        e.g. {items[0][:400]}")
	return "\n".join(lines)
