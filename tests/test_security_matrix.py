"""Portable tier: the permission matrix (ap_provision/access/matrix.py) and the doctype
JSON agree, every doctype is covered, and docs/permissions.md is its current rendering."""

import copy
import json
from pathlib import Path

import pytest

from ap_provision.access import matrix
from ap_provision.tests.security import render

APP_DIR = Path(__file__).resolve().parent.parent / "ap_provision"


def load_doctypes() -> dict[str, dict]:
	out = {}
	for path in sorted(APP_DIR.glob("*/doctype/*/*.json")):
		if path.stem != path.parent.name:
			continue
		data = json.loads(path.read_text())
		if data.get("doctype") == "DocType":
			out[data["name"]] = data
	return out


DOCTYPES = load_doctypes()


def test_every_doctype_is_in_the_matrix():
	assert DOCTYPES, "no doctype JSON found"
	for name, data in DOCTYPES.items():
		if data.get("istable"):
			assert name in matrix.CHILD_TABLES, f"child table {name} is not listed in matrix.CHILD_TABLES"
		else:
			assert name in matrix.MATRIX, f"{name} has no entry in ap_provision/access/matrix.py"
	for name in [*matrix.MATRIX, *matrix.CHILD_TABLES]:
		assert name in DOCTYPES, f"the matrix names {name}, which is not a doctype of the app"


@pytest.mark.parametrize("doctype", sorted(matrix.MATRIX))
def test_json_permissions_agree_with_the_matrix(doctype):
	data = DOCTYPES[doctype]
	assert matrix.differences(doctype, data.get("permissions", [])) == []
	rules = matrix.MATRIX[doctype]
	assert bool(data.get("is_submittable")) == rules.submittable, f"{doctype}: submittable differs"
	assert bool(data.get("issingle")) == rules.single, f"{doctype}: single differs"


@pytest.mark.parametrize("doctype", sorted(matrix.MATRIX))
def test_declared_levels_protect_real_fields(doctype):
	rules = matrix.MATRIX[doctype]
	levels = {int(f.get("permlevel") or 0) for f in DOCTYPES[doctype]["fields"]}
	for level in rules.levels:
		assert level in levels, f"{doctype}: level {level} is declared but no field sits there"
	for level in levels - {0}:
		assert level in rules.levels, f"{doctype}: fields at level {level} are not described in the matrix"


@pytest.mark.parametrize("doctype", sorted(matrix.MATRIX))
def test_scopes_name_a_real_link_that_user_permissions_apply_to(doctype):
	fields = {f["fieldname"]: f for f in DOCTYPES[doctype]["fields"]}
	for role, g in matrix.MATRIX[doctype].roles.items():
		if not g.scope:
			continue
		assert matrix.SCOPED_ROLE[g.scope] == role, f"{doctype}: scope {g.scope} given to {role}"
		link = matrix.SCOPE_LINK[g.scope]
		if g.scope_field == "name":
			assert doctype == link, f"{doctype}: only {link} itself is scoped by name"
			continue
		df = fields.get(g.scope_field)
		assert df, f"{doctype}: scope field {g.scope_field} does not exist"
		assert (
			df["fieldtype"] == "Link" and df["options"] == link
		), f"{doctype}.{g.scope_field} is not a Link to {link}"
		assert not df.get("ignore_user_permissions"), f"{doctype}.{g.scope_field} ignores user permissions"


def test_portal_roles_reach_only_scoped_doctypes():
	"""A School Referrer or AP Provider User with any right on a doctype must be scoped there:
	an unscoped right would show every school's or provider's records."""
	for doctype, rules in matrix.MATRIX.items():
		for role in matrix.SCOPED_ROLE.values():
			g = rules.roles.get(role)
			if g and g.rights:
				assert g.scope, f"{role} has {sorted(g.rights)} on {doctype} without a scope"


def literal_in(path: str, name: str):
	"""A module-level literal (tuple, dict) of an app module, read without importing Frappe."""
	import ast

	tree = ast.parse((APP_DIR.parent / path).read_text())
	for node in tree.body:
		if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
			return ast.literal_eval(node.value)
	raise AssertionError(f"{name} not found in {path}")


def test_every_scoped_doctype_has_the_app_hooks_and_scope_fields():
	"""Frappe applies User Permissions only while they exist: a doctype a portal role reaches
	needs the app's query conditions, record checks and saving hooks (hooks.SCOPED_DOCTYPES), its
	scope fields (access/scope.py SCOPE_FIELDS) and its placing fields kept by the server."""
	scoped = {
		d
		for d, rules in matrix.MATRIX.items()
		for g in rules.roles.values()
		if g.scope and g.scope_field != "name"
	}
	assert set(literal_in("ap_provision/hooks.py", "SCOPED_DOCTYPES")) == scoped
	scope_fields = literal_in("ap_provision/access/scope.py", "SCOPE_FIELDS")
	placing = literal_in("ap_provision/access/scope.py", "PLACING_FIELDS")
	assert set(scope_fields) == scoped == set(placing)
	for doctype in scoped:
		for fieldname in scope_fields[doctype].values():
			assert (
				fieldname in placing[doctype]
			), f"{doctype}.{fieldname} places the record but the server does not keep it"


def test_app_doctypes_in_hooks_are_the_doctype_folders():
	"""The app's own hooks run on exactly its own doctypes (hooks.APP_DOCTYPES)."""
	top_level = {name for name, d in DOCTYPES.items() if not d.get("istable")}
	assert set(literal_in("ap_provision/hooks.py", "APP_DOCTYPES")) == top_level


def test_request_hooks_assigned_once_with_the_shape_guard_and_the_replica_routing():
	"""hooks.py is a module: a second ``before_request = [...]`` silently replaces the first. The
	request shape guard (access/requests.py) and the read replica's routing (replica.py) both run
	before every request, the guard first; the routing also before every job."""
	import ast

	tree = ast.parse((APP_DIR.parent / "ap_provision/hooks.py").read_text())
	assigned = [
		t.id for node in tree.body if isinstance(node, ast.Assign) for t in node.targets if hasattr(t, "id")
	]
	assert assigned.count("before_request") == 1, "before_request is assigned more than once in hooks.py"
	assert assigned.count("before_job") == 1, "before_job is assigned more than once in hooks.py"
	assert literal_in("ap_provision/hooks.py", "before_request") == [
		"ap_provision.access.requests.check_request_documents",
		"ap_provision.replica.route_reads",
	]
	assert literal_in("ap_provision/hooks.py", "before_job") == ["ap_provision.replica.route_reads"]


def test_sensitive_pupil_fields_sit_behind_a_permission_level():
	"""SEND details are changed only by the school, the PRT and SEND caseworkers."""
	levels = {f["fieldname"]: int(f.get("permlevel") or 0) for f in DOCTYPES["Pupil"]["fields"]}
	for fieldname in ("has_ehc_plan", "send_caseworker", "last_annual_review_date", "next_annual_review_due"):
		assert levels[fieldname] >= 1, f"Pupil.{fieldname} is sensitive (SEND) and sits at level 0"
	assert "write" not in matrix.rights_of("Pupil", "BOSS Practitioner", 1)
	assert "write" not in matrix.rights_of("Pupil", "Panel Member", 1)


def test_permission_levels_gate_writes_never_reads():
	"""Isolation by construction: a role that reads a doctype reads every field of it. Data a role
	may not read lives in a doctype that role has no permission on at all, because a field hidden
	by its permission level still reaches the user through write responses, version history,
	filters and prints."""
	for doctype, rules in matrix.MATRIX.items():
		for role, grant in rules.roles.items():
			if "read" not in grant.at(0):
				continue
			for level in rules.permlevels():
				assert "read" in grant.at(level), (
					f"{role} reads {doctype} but not its level {level} fields: move those fields to a "
					"doctype of their own that this role has no permission on"
				)
		fields = DOCTYPES[doctype]["fields"] if doctype in DOCTYPES else []
		used = {int(f.get("permlevel") or 0) for f in fields}
		assert used <= set(rules.permlevels()), f"{doctype} has fields at levels the matrix does not declare"


CONFIDENTIAL = {
	# doctype -> roles that must have no permission on it at all
	"Referral Triage": ("School Referrer", "AP Provider User", "SEND Caseworker", "BOSS Practitioner"),
	"Placement Safeguarding": ("Panel Chair", "Panel Member"),
	"Pupil Social Care": ("School Referrer", "AP Provider User", "BOSS Practitioner"),
}


def test_confidential_doctypes_are_closed_to_the_roles_they_are_kept_from():
	for doctype, roles in CONFIDENTIAL.items():
		for role in roles:
			assert role not in matrix.MATRIX[doctype].roles, f"{role} has a permission on {doctype}"
			assert not [r for r in DOCTYPES[doctype]["permissions"] if r["role"] == role]
	referral_fields = {f["fieldname"] for f in DOCTYPES["Referral"]["fields"]}
	assert not {"prt_notes", "recommendation"} & referral_fields
	agenda_fields = {f["fieldname"] for f in DOCTYPES["Panel Agenda Item"]["fields"]}
	assert "recommendation" not in agenda_fields
	placement_fields = {f["fieldname"] for f in DOCTYPES["Placement"]["fields"]}
	assert not {"safeguarding_arrangements", "provider_dsl", "school_dsl"} & placement_fields


def test_the_checker_sees_a_change_on_either_side():
	perms = copy.deepcopy(DOCTYPES["Referral"]["permissions"])
	for row in perms:
		if row["role"] == "School Referrer" and not row.get("permlevel"):
			row["delete"] = 1
	problems = matrix.differences("Referral", perms)
	assert problems and "JSON adds ['delete']" in problems[0]
	perms = [r for r in DOCTYPES["Referral"]["permissions"] if r["role"] != "Panel Chair"]
	assert any("Panel Chair" in p for p in matrix.differences("Referral", perms))
	with pytest.raises(ValueError):
		matrix.grant("read wrte")


def test_cells_cover_every_app_role_and_right():
	cells = matrix.cells()
	assert {c[1] for c in cells} == set(matrix.APP_ROLES)
	assert {c[2] for c in cells} == set(matrix.MATRIX_RIGHTS)
	assert ("Referral", "School Referrer", "delete", False) in cells
	assert ("Referral", "Panel Chair", "submit", True) in cells


def test_docs_permissions_md_is_current():
	assert (
		render.DOC_PATH.exists()
	), "docs/permissions.md is missing: python -m ap_provision.tests.security.render"
	assert (
		render.DOC_PATH.read_text() == render.render()
	), "docs/permissions.md is out of date: run python -m ap_provision.tests.security.render"
