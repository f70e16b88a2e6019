"""Portable tier: print formats load other records only through the app's permission-checked
helpers (ap_provision/printing.py), never with frappe.get_doc or a query of their own."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
	[
		*ROOT.glob("ap_provision/ap_provision/print_format/*/*.html"),
		*ROOT.glob("ap_provision/templates/print/*.html"),
	]
)
# What a template may not call: each loads a record (or reads the database) whoever prints.
UNCHECKED = re.compile(
	r"frappe\s*\.\s*(get_doc|get_cached_doc|get_last_doc|get_single|get_all|get_list|db|get_value|"
	r"get_cached_value|qb)\b|has_permlevel_access_to"
)
HELPER_CALL = re.compile(r"\b(ap_[a-z_]+|ehc_checklist)\s*\(")


def jinja_methods() -> set[str]:
	tree = ast.parse((ROOT / "ap_provision/hooks.py").read_text())
	for node in tree.body:
		if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "jinja" for t in node.targets):
			methods = ast.literal_eval(node.value)["methods"]
			return {m.rsplit(".", 1)[-1] for m in methods}
	return set()


def test_there_are_templates():
	assert len(TEMPLATES) >= 6


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.name)
def test_template_loads_records_only_through_checked_helpers(path):
	text = path.read_text()
	found = UNCHECKED.findall(text)
	assert not found, f"{path.name} loads records itself ({found}): use ap_readable_doc() and friends"
	missing = set(HELPER_CALL.findall(text)) - jinja_methods()
	assert not missing, f"{path.name} calls helpers that hooks.py does not register: {missing}"


def test_the_checker_sees_a_direct_load():
	assert UNCHECKED.search('{% set a = frappe.get_doc("EHC Assessment", doc.ehc_assessment) %}')
	assert UNCHECKED.search("{{ frappe.db.get_value('Referral', x, 'prt_notes') }}")
	assert not UNCHECKED.search('{% set a = ap_readable_doc("EHC Assessment", doc.ehc_assessment) %}')
