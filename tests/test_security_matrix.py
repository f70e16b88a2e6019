"""Portable tier: the permission matrix (ap_provision/security/matrix.py) and the doctype
JSON agree, every doctype is covered, and docs/permissions.md is its current rendering."""

import copy
import json
from pathlib import Path

import pytest

from ap_provision.security import matrix, render

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
			assert name in matrix.MATRIX, f"{name} has no entry in ap_provision/security/matrix.py"
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


def test_sensitive_pupil_fields_sit_behind_a_permission_level():
	levels = {f["fieldname"]: int(f.get("permlevel") or 0) for f in DOCTYPES["Pupil"]["fields"]}
	for fieldname in ("has_ehc_plan", "send_caseworker", "last_annual_review_date", "next_annual_review_due"):
		assert levels[fieldname] >= 1, f"Pupil.{fieldname} is sensitive (SEND) and sits at level 0"
	assert "read" not in matrix.rights_of("Pupil", "BOSS Practitioner", 1)


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
	assert render.DOC_PATH.exists(), "docs/permissions.md is missing: python -m ap_provision.security.render"
	assert (
		render.DOC_PATH.read_text() == render.render()
	), "docs/permissions.md is out of date: run python -m ap_provision.security.render"
