"""docs/accessibility.md and the accessibility statement list the same Frappe findings
(ap_provision/accessibility.py), each with its WCAG success criterion; the referral page's status
colours are the portal rules' colours."""

import re
from pathlib import Path

from ap_provision import accessibility
from ap_provision.rules import portal

REPO = Path(__file__).resolve().parent.parent
DOC = (REPO / "docs" / "accessibility.md").read_text(encoding="utf-8")


def test_every_framework_finding_is_documented_with_its_wcag_criterion():
	assert accessibility.FRAMEWORK_FINDINGS
	for finding in accessibility.FRAMEWORK_FINDINGS:
		rows = [line for line in DOC.splitlines() if line.startswith(f"| `{finding.rule}` |")]
		assert rows, f"docs/accessibility.md has no row for {finding.rule}"
		criteria = re.findall(r"\d\.\d\.\d+", finding.wcag)
		assert criteria and all(any(c in row for row in rows) for c in criteria), (finding.rule, criteria)


def test_documented_desk_rows_are_all_known():
	section = DOC.split("## Remaining findings from Frappe itself")[1].split("\n## ")[0]
	documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, flags=re.M))
	assert documented == accessibility.known_rules()


def test_referral_page_colours_are_the_rules_colours():
	script = (REPO / "ap_provision/ap_provision/web_form/school_referrals/school_referrals.js").read_text(
		encoding="utf-8"
	)
	block = script.split("const colours = {")[1].split("};")[0]
	pairs = dict(re.findall(r'"?([A-Za-z ]+?)"?: "(\w+)"', block))
	assert pairs == portal.REFERRAL_COLOURS
