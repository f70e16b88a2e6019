"""axe-core in the browser tier: one call per page, the findings kept for the run's figures.

axe-core comes bundled in the `axe-playwright-python` package (PyPI, the app's bench-test extra): it
is injected into the page and run there; nothing is downloaded at test time. The rules run are
WCAG 2.0, 2.1 and 2.2 A and AA and axe's best practices (ap_provision.accessibility.AXE_TAGS).

The figures (pages checked, violations by impact, portal and desk apart) are printed at the end
of the run (conftest.py pytest_terminal_summary) and written with every finding to
<SCREENSHOT_DIR>/../accessibility.json.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ap_provision.accessibility import AXE_TAGS, BLOCKING_IMPACTS, known_rules

IMPACTS = ("critical", "serious", "moderate", "minor")


@dataclass
class Finding:
	page: str
	area: str  # portal | desk
	rule: str
	impact: str
	wcag: list[str]
	nodes: list[str]
	help: str


@dataclass
class Sweep:
	pages: list[tuple[str, str]] = field(default_factory=list)  # (area, name)
	findings: list[Finding] = field(default_factory=list)

	def counts(self, area: str | None = None) -> Counter:
		return Counter(f.impact for f in self.findings if area in (None, f.area))

	def summary(self) -> str:
		def line(area):
			counts = self.counts(area)
			pages = sum(1 for a, _name in self.pages if area in (None, a))
			by_impact = ", ".join(f"{impact} {counts.get(impact, 0)}" for impact in IMPACTS)
			return f"{pages} pages, violations by impact: {by_impact}"

		return (
			f"accessibility (axe-core, WCAG 2.2 A/AA + best practice): {line(None)}"
			f" | portal: {line('portal')} | desk: {line('desk')}"
		)

	def write(self, path: Path):
		path.write_text(
			json.dumps(
				{
					"pages": [{"area": a, "page": p} for a, p in self.pages],
					"counts": {area or "all": dict(self.counts(area)) for area in (None, "portal", "desk")},
					"findings": [f.__dict__ for f in self.findings],
				},
				indent=1,
			)
		)


SWEEP = Sweep()
_axe = None


def axe():
	global _axe
	if _axe is None:
		from axe_playwright_python.sync_playwright import Axe

		_axe = Axe()
	return _axe


def check(page, name: str, area: str = "portal") -> list[Finding]:
	"""Run axe-core on the page as it stands; record and return its findings."""
	result = axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
	found = [
		Finding(
			page=name,
			area=area,
			rule=v["id"],
			impact=v.get("impact") or "minor",
			wcag=[t for t in v.get("tags", []) if t.startswith("wcag") and t[4:5].isdigit()],
			nodes=[" ".join(map(str, n.get("target", []))) for n in v.get("nodes", [])][:10],
			help=v.get("help", ""),
		)
		for v in result.response["violations"]
	]
	SWEEP.pages.append((area, name))
	SWEEP.findings.extend(found)
	return found


def blocking(findings: list[Finding], allowed: set[str] | None = None) -> list[Finding]:
	"""Serious and critical findings, less those of `allowed` rules (Frappe's own, documented)."""
	return [f for f in findings if f.impact in BLOCKING_IMPACTS and f.rule not in (allowed or set())]


def describe(findings: list[Finding]) -> str:
	return "\n".join(
		f"{f.page}: {f.impact} {f.rule} ({f.help}) at {'; '.join(f.nodes[:3])}" for f in findings
	)


def framework_rules() -> set[str]:
	return known_rules()
