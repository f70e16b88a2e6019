"""Accessibility of the portal and desk: what the app's browser tests measure against WCAG 2.2 AA, and
the findings that come from Frappe's own markup, which the app does not change.

The accessibility statement (/accessibility, ap_provision/www/accessibility.html) lists these
findings as the service's known non-compliances; the browser tier's axe sweep
(browser_tests/test_accessibility.py) fails on any serious or critical finding on a portal page,
and on any serious or critical desk finding that is not listed here; docs/accessibility.md explains
each one (a portable test keeps the two in step). No Frappe import: the portable tier reads it.
"""

from dataclasses import dataclass
from datetime import date

# When the statement was prepared and the service last tested (update both with each review).
STATEMENT_PREPARED = date(2026, 12, 2)
LAST_TESTED = date(2026, 12, 2)

# The WCAG 2.2 A and AA rule sets of axe-core the sweep runs, plus its best practices (reported,
# counted, and held to the same serious/critical bar).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING_IMPACTS = ("critical", "serious")


@dataclass(frozen=True)
class FrameworkFinding:
	"""An axe-core finding on a page whose markup comes from Frappe itself."""

	rule: str  # the axe-core rule id
	wcag: str  # the success criterion it fails, e.g. "1.4.3 Contrast (Minimum) (AA)"
	where: str  # which pages, and which Frappe component
	what: str  # what a user meets, in plain words
	workaround: str  # what the app does about it, or why it cannot


# Findings on the desk pages the LA uses most (workspace, Referral, Panel and Placement forms). The
# portal has none: every finding there was fixed in the app's own templates, forms and stylesheet.
FRAMEWORK_FINDINGS: tuple[FrameworkFinding, ...] = (
	FrameworkFinding(
		rule="label",
		wcag="1.3.1 Info and Relationships (A); 4.1.2 Name, Role, Value (A)",
		where="desk forms (Referral, Panel, Placement): Frappe's form controls",
		what="Screen readers may announce some fields of the staff forms without their names.",
		workaround="The label is drawn beside the field but not tied to it in Frappe's desk form markup. "
		"The portal's forms tie each label to its field (ap_provision/public/js/portal.js).",
	),
	FrameworkFinding(
		rule="select-name",
		wcag="4.1.2 Name, Role, Value (A)",
		where="desk forms: Frappe's select fields",
		what="Screen readers may announce some drop-down lists of the staff forms without their names.",
		workaround="As for the labels above: Frappe's desk markup; fixed in the portal.",
	),
	FrameworkFinding(
		rule="button-name",
		wcag="4.1.2 Name, Role, Value (A)",
		where="desk workspace (chart menus) and the text editor toolbar (Panel minutes)",
		what="Some icon buttons of the staff pages have no name for screen readers.",
		workaround="Icon-only buttons drawn by Frappe's workspace and its text editor (Quill).",
	),
	FrameworkFinding(
		rule="aria-command-name",
		wcag="4.1.2 Name, Role, Value (A)",
		where="desk text editor toolbar (Panel minutes): heading and alignment pickers",
		what="The text editor's formatting pickers have no name for screen readers.",
		workaround="Drawn by the text editor Frappe bundles (Quill).",
	),
	FrameworkFinding(
		rule="aria-allowed-attr",
		wcag="4.1.2 Name, Role, Value (A)",
		where="desk workspace: the menu of each number card and chart",
		what="The menu links of the workspace's cards carry ARIA attributes their role does not support.",
		workaround="Frappe's workspace widget markup.",
	),
	FrameworkFinding(
		rule="color-contrast",
		wcag="1.4.3 Contrast (Minimum) (AA)",
		where="desk forms: read-only values, the form's title link and table headings in Frappe's grey",
		what="Some read-only text on the staff forms is light grey on white (about 4:1 where 4.5:1 is "
		"needed).",
		workaround="Frappe's desk theme. The portal's stylesheet darkens the same grey on every portal "
		"page; the workspace's number cards use the app's own darker colours.",
	),
)


def known_rules() -> set[str]:
	return {f.rule for f in FRAMEWORK_FINDINGS}
