"""Portable tier: metadata consistency of the app's exported documents (no Frappe needed).

``test_repo_metadata_is_consistent`` runs every check of ``tests/appmeta.py`` on this
repository. The other tests build a small but complete synthetic app in ``tmp_path``, show
that it is clean, then break one thing at a time and assert that the matching problem is
reported, so a check that silently stops working fails here.
"""

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appmeta
from appmeta import check_all, load_app, scrub

REPO_ROOT = Path(__file__).resolve().parent.parent
PKG = "ap_provision"
MODULE = "AP Provision"
MODULE_DIR = scrub(MODULE)


# ---------------------------------------------------------------------------------------
# A synthetic app: two doctypes and a child table, a workflow and one of every other kind
# ---------------------------------------------------------------------------------------


def perm(role: str, **rights: int) -> dict:
	return {"role": role, "permlevel": 0, "read": 1, **rights}


def df(fieldname: str, fieldtype: str, **extra) -> dict:
	return {
		"fieldname": fieldname,
		"fieldtype": fieldtype,
		"label": fieldname.replace("_", " ").title(),
		**extra,
	}


def doctype(name: str, fields: list[dict], **extra) -> dict:
	return {
		"doctype": "DocType",
		"name": name,
		"module": MODULE,
		"engine": "InnoDB",
		"track_changes": 1,
		"fields": fields,
		"field_order": [f["fieldname"] for f in fields],
		"permissions": [],
		**extra,
	}


SCHOOL = doctype(
	"School",
	[df("school_name", "Data", reqd=1, unique=1), df("urn", "Data")],
	autoname="field:school_name",
	naming_rule="By fieldname",
	title_field="school_name",
	search_fields="urn",
	links=[{"link_doctype": "Referral", "link_fieldname": "school", "group": "Referrals"}],
	permissions=[
		perm("PRT Officer", write=1, create=1, report=1),
		perm("School Referrer"),
	],
)

REFERRAL_ADVICE = doctype(
	"Referral Advice",
	[
		df("agency", "Select", options="\nBOSS\nCAMHS\nSALT", in_list_view=1),
		df("advice_date", "Date", in_list_view=1),
		df("implemented", "Check", default="0"),
		df("adviser", "Link", options="User"),
		df("adviser_email", "Data", options="Email"),
	],
	istable=1,
	track_changes=0,
)

REFERRAL = doctype(
	"Referral",
	[
		df("naming_series", "Select", options="REF-.YYYY.-.#####", default="REF-.YYYY.-.#####"),
		df("pupil_name", "Data", reqd=1, in_list_view=1),
		df("school", "Link", options="School", reqd=1),
		df("school_urn", "Data", fetch_from="school.urn", read_only=1),
		df("send_caseworker", "Link", options="User"),
		df("send_caseworker_name", "Data", fetch_from="send_caseworker.full_name", read_only=1),
		df("column_break_type", "Column Break"),
		df("referral_type", "Select", options="\nIntervention Placement\nAlternative Pathway"),
		df("pathway_notes", "Small Text", depends_on="eval:doc.referral_type=='Alternative Pathway'"),
		df("has_ehc_plan", "Check", default="0"),
		df("ehc_notes", "Text", mandatory_depends_on="has_ehc_plan"),
		df("reference_doctype", "Link", options="DocType"),
		df("reference_name", "Dynamic Link", options="reference_doctype"),
		df("reference_owner", "Data", fetch_from="reference_name.owner", read_only=1),
		df("section_advice", "Section Break"),
		df("advice", "Table", options="Referral Advice"),
		df("decision_date", "Date", read_only_depends_on="eval:doc.docstatus > 0"),
		df("panel_note", "Small Text", permlevel=1),
		df("workflow_state", "Link", options="Workflow State", hidden=1, read_only=1),
		df("amended_from", "Link", options="Referral", no_copy=1, read_only=1),
	],
	autoname="naming_series:",
	naming_rule='By "Naming Series" field',
	is_submittable=1,
	title_field="pupil_name",
	search_fields="pupil_name,school",
	sort_field="modified",
	sort_order="DESC",
	permissions=[
		perm("PRT Officer", write=1, create=1, submit=1, cancel=1, amend=1, report=1),
		{"role": "PRT Officer", "permlevel": 1, "read": 1, "write": 1},
		perm("Panel Chair", write=1, submit=1, cancel=1, report=1),
		perm("School Referrer", write=1, create=1),
	],
)

WORKFLOW = {
	"doctype": "Workflow",
	"name": "Referral",
	"workflow_name": "Referral",
	"document_type": "Referral",
	"workflow_state_field": "workflow_state",
	"is_active": 1,
	"send_email_alert": 0,
	"states": [
		{"state": "Draft", "doc_status": "0", "allow_edit": "School Referrer"},
		{"state": "Submitted", "doc_status": "0", "allow_edit": "PRT Officer"},
		{"state": "Approved", "doc_status": "1", "allow_edit": "Panel Chair"},
		{"state": "Cancelled", "doc_status": "2", "allow_edit": "Panel Chair"},
	],
	"transitions": [
		{"state": "Draft", "action": "Submit", "next_state": "Submitted", "allowed": "School Referrer"},
		{
			"state": "Submitted",
			"action": "Approve",
			"next_state": "Approved",
			"allowed": "Panel Chair",
			"allow_self_approval": 0,
			"condition": 'doc.referral_type != ""',
		},
		{"state": "Approved", "action": "Cancel", "next_state": "Cancelled", "allowed": "Panel Chair"},
	],
}

WEB_FORM = {
	"doctype": "Web Form",
	"name": "referral-form",
	"title": "Referral",
	"route": "referral-form",
	"module": MODULE,
	"doc_type": "Referral",
	"is_standard": 1,
	"published": 1,
	"login_required": 1,
	"apply_document_permissions": 1,
	"introduction_text": "<p>{{ _('Refer a pupil to the panel') }}</p>",
	"web_form_fields": [
		{"fieldname": "pupil_name", "fieldtype": "Data", "label": "Pupil", "reqd": 1},
		{"fieldname": "school", "fieldtype": "Link", "options": "School", "label": "School"},
		{"fieldname": "section_1", "fieldtype": "Section Break"},
		{"fieldname": "referral_type", "fieldtype": "Select", "label": "Type"},
		{
			"fieldname": "pathway_notes",
			"fieldtype": "Small Text",
			"depends_on": "eval:doc.referral_type=='Alternative Pathway'",
		},
	],
	"list_columns": [{"fieldname": "pupil_name", "fieldtype": "Data", "label": "Pupil"}],
}

REPORT = {
	"doctype": "Report",
	"name": "Referral Tracker",
	"report_name": "Referral Tracker",
	"module": MODULE,
	"ref_doctype": "Referral",
	"report_type": "Script Report",
	"is_standard": "Yes",
	"roles": [{"role": "PRT Officer"}, {"role": "Panel Chair"}],
}
REPORT_PY = "def execute(filters=None):\n\treturn [], []\n"

PRINT_FORMAT = {
	"doctype": "Print Format",
	"name": "Referral Form",
	"module": MODULE,
	"doc_type": "Referral",
	"standard": "Yes",
	"custom_format": 1,
	"print_format_type": "Jinja",
}
PRINT_HTML = """<h2>{{ doc.pupil_name }} ({{ doc.name }})</h2>
<p>{{ doc.school }} {{ doc.get_formatted("decision_date") }} {{ doc.meta.get_label("school") }}</p>
{% if doc.has_ehc_plan %}<p>{{ doc.ehc_notes }}</p>{% endif %}
<table>{% for row in doc.advice %}<tr><td>{{ row.idx }}</td><td>{{ row.agency }}</td></tr>{% endfor %}</table>
"""

NOTIFICATION = {
	"doctype": "Notification",
	"name": "Referral Approved",
	"module": MODULE,
	"is_standard": 1,
	"enabled": 1,
	"channel": "Email",
	"document_type": "Referral",
	"event": "Value Change",
	"value_changed": "workflow_state",
	"subject": "Referral {{ doc.name }} for {{ doc.pupil_name }} approved",
	"message_type": "Markdown",
	"condition": 'doc.workflow_state == "Approved"',
	"recipients": [
		{"receiver_by_document_field": "owner"},
		{"receiver_by_role": "PRT Officer"},
		{"receiver_by_document_field": "send_caseworker"},
		{"receiver_by_document_field": "adviser_email,advice"},
	],
}
NOTIFICATION_MD = "The panel approved the referral of {{ doc.pupil_name }} ({{ doc.school }}).\n"

NUMBER_CARD = {
	"doctype": "Number Card",
	"name": "Open Referrals",
	"label": "Open Referrals",
	"module": MODULE,
	"is_standard": 1,
	"type": "Document Type",
	"document_type": "Referral",
	"function": "Count",
	"filters_json": json.dumps([["Referral", "docstatus", "=", "0", False]]),
}

CHART = {
	"doctype": "Dashboard Chart",
	"name": "Referrals by Month",
	"chart_name": "Referrals by Month",
	"module": MODULE,
	"is_standard": 1,
	"chart_type": "Count",
	"document_type": "Referral",
	"based_on": "creation",
	"timeseries": 1,
	"time_interval": "Monthly",
	"type": "Line",
	"filters_json": json.dumps([["Referral", "referral_type", "=", "Intervention Placement", False]]),
}

WORKSPACE = {
	"doctype": "Workspace",
	"name": "AP Provision",
	"label": "AP Provision",
	"title": "AP Provision",
	"module": MODULE,
	"public": 1,
	"links": [
		{"type": "Card Break", "label": "Referrals"},
		{"type": "Link", "label": "Referral", "link_type": "DocType", "link_to": "Referral"},
		{"type": "Link", "label": "School", "link_type": "DocType", "link_to": "School"},
		{
			"type": "Link",
			"label": "Referral Tracker",
			"link_type": "Report",
			"link_to": "Referral Tracker",
			"is_query_report": 1,
		},
		{"type": "Link", "label": "Users", "link_type": "DocType", "link_to": "User"},
	],
	"shortcuts": [{"type": "DocType", "label": "Referrals", "link_to": "Referral"}],
	"number_cards": [{"number_card_name": "Open Referrals", "label": "Open Referrals"}],
	"charts": [{"chart_name": "Referrals by Month", "label": "Referrals by Month"}],
	"content": json.dumps(
		[
			{"id": "a", "type": "number_card", "data": {"number_card_name": "Open Referrals", "col": 4}},
			{"id": "b", "type": "chart", "data": {"chart_name": "Referrals by Month", "col": 12}},
			{"id": "c", "type": "shortcut", "data": {"shortcut_name": "Referrals", "col": 3}},
			{"id": "d", "type": "card", "data": {"card_name": "Referrals", "col": 4}},
		]
	),
}

ROLES = ["PRT Officer", "Panel Chair", "School Referrer"]


def controller(name: str) -> str:
	class_name = name.replace(" ", "").replace("-", "")
	return f"from frappe.model.document import Document\n\n\nclass {class_name}(Document):\n\tpass\n"


def write_json(path: Path, data) -> None:
	path.parent.mkdir(parents=True, exist_ok=True)
	path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")


def doc_path(root: Path, kind: str, name: str) -> Path:
	return root / PKG / MODULE_DIR / kind / scrub(name) / f"{scrub(name)}.json"


def build_app(root: Path) -> Path:
	"""Write the synthetic app under root (the app root) and return root."""
	package = root / PKG
	package.mkdir(parents=True)
	(package / "__init__.py").write_text('__version__ = "0.0.1"\n')
	(package / "hooks.py").write_text('app_name = "ap_provision"\n')
	(package / "modules.txt").write_text(f"{MODULE}\n")
	(package / MODULE_DIR).mkdir()
	(package / MODULE_DIR / "__init__.py").write_text("")
	write_json(
		package / "fixtures" / "role.json",
		[
			{"doctype": "Role", "name": r, "role_name": r, "desk_access": int(r != "School Referrer")}
			for r in ROLES
		],
	)
	for dt in (SCHOOL, REFERRAL, REFERRAL_ADVICE):
		write_json(doc_path(root, "doctype", dt["name"]), dt)
		doc_path(root, "doctype", dt["name"]).with_suffix(".py").write_text(controller(dt["name"]))
	write_json(package / "workflows" / "referral.json", WORKFLOW)
	write_json(doc_path(root, "web_form", WEB_FORM["name"]), WEB_FORM)
	write_json(doc_path(root, "report", REPORT["name"]), REPORT)
	doc_path(root, "report", REPORT["name"]).with_suffix(".py").write_text(REPORT_PY)
	write_json(doc_path(root, "print_format", PRINT_FORMAT["name"]), PRINT_FORMAT)
	doc_path(root, "print_format", PRINT_FORMAT["name"]).with_suffix(".html").write_text(PRINT_HTML)
	write_json(doc_path(root, "notification", NOTIFICATION["name"]), NOTIFICATION)
	doc_path(root, "notification", NOTIFICATION["name"]).with_suffix(".md").write_text(NOTIFICATION_MD)
	write_json(doc_path(root, "number_card", NUMBER_CARD["name"]), NUMBER_CARD)
	write_json(doc_path(root, "dashboard_chart", CHART["name"]), CHART)
	write_json(doc_path(root, "workspace", WORKSPACE["name"]), WORKSPACE)
	return root


# ---------------------------------------------------------------------------------------
# Breakages: each changes exactly one thing of the synthetic app
# ---------------------------------------------------------------------------------------

Mutation = Callable[[Path], None]


def edit(kind: str, name: str, change: Callable[[dict], None]) -> Mutation:
	def mutate(root: Path) -> None:
		path = (
			root / PKG / "workflows" / f"{scrub(name)}.json"
			if kind == "workflow"
			else doc_path(root, kind, name)
		)
		data = json.loads(path.read_text())
		change(data)
		write_json(path, data)

	return mutate


def set_keys(kind: str, doc_name: str, /, **values) -> Mutation:
	return edit(kind, doc_name, lambda data: data.update(values))


def field_of(data: dict, fieldname: str, table: str = "fields") -> dict:
	return next(f for f in data[table] if f.get("fieldname") == fieldname)


def set_field(doctype_name: str, fieldname: str, **values) -> Mutation:
	return edit("doctype", doctype_name, lambda data: field_of(data, fieldname).update(values))


def add_field(doctype_name: str, new: dict) -> Mutation:
	def change(data: dict) -> None:
		data["fields"].append(new)
		data["field_order"].append(new["fieldname"])

	return edit("doctype", doctype_name, change)


def drop_field(doctype_name: str, fieldname: str) -> Mutation:
	def change(data: dict) -> None:
		data["fields"] = [f for f in data["fields"] if f["fieldname"] != fieldname]
		data["field_order"].remove(fieldname)

	return edit("doctype", doctype_name, change)


def set_transition(index: int, **values) -> Mutation:
	return edit("workflow", "Referral", lambda data: data["transitions"][index].update(values))


def add_transition(**values) -> Mutation:
	return edit("workflow", "Referral", lambda data: data["transitions"].append(values))


def set_web_form_field(index: int, **values) -> Mutation:
	return edit("web_form", WEB_FORM["name"], lambda data: data["web_form_fields"][index].update(values))


def replace_recipient(index: int, recipient: dict) -> Mutation:
	return edit(
		"notification", NOTIFICATION["name"], lambda data: data["recipients"].__setitem__(index, recipient)
	)


def write_file(kind: str, name: str, suffix: str, text: str) -> Mutation:
	def mutate(root: Path) -> None:
		doc_path(root, kind, name).with_suffix(suffix).write_text(text)

	return mutate


def append_to_file(kind: str, name: str, suffix: str, text: str) -> Mutation:
	def mutate(root: Path) -> None:
		path = doc_path(root, kind, name).with_suffix(suffix)
		path.write_text(path.read_text() + text)

	return mutate


def delete_file(kind: str, name: str, suffix: str) -> Mutation:
	def mutate(root: Path) -> None:
		doc_path(root, kind, name).with_suffix(suffix).unlink()

	return mutate


def rename_folder(kind: str, name: str, new_folder: str) -> Mutation:
	def mutate(root: Path) -> None:
		folder = doc_path(root, kind, name).parent
		for path in folder.iterdir():
			path.rename(folder / path.name.replace(folder.name, new_folder))
		folder.rename(folder.parent / new_folder)

	return mutate


def set_workspace_content(block: dict) -> Mutation:
	def change(data: dict) -> None:
		data["content"] = json.dumps([*json.loads(data["content"]), block])

	return edit("workspace", WORKSPACE["name"], change)


def set_permission(doctype_name: str, index: int, **values) -> Mutation:
	return edit("doctype", doctype_name, lambda data: data["permissions"][index].update(values))


BREAKAGES = [
	# 1. files, names, modules
	pytest.param(
		set_keys("doctype", "School", name="Schools"), "does not match its folder", id="name-folder"
	),
	pytest.param(rename_folder("report", "Referral Tracker", "tracker"), "tracker.json", id="folder-renamed"),
	pytest.param(
		set_keys("report", "Referral Tracker", doctype="Reports"), "expected 'Report'", id="doctype-key"
	),
	pytest.param(
		set_keys("number_card", "Open Referrals", module="AP Provisions"),
		"module 'AP Provisions' is not listed",
		id="module-unlisted",
	),
	pytest.param(
		write_file("number_card", "Open Referrals", ".json", "{not json"),
		"cannot be read as JSON",
		id="bad-json",
	),
	# 2. doctypes
	pytest.param(
		set_field("Referral", "school", options="Skool"), "'Skool' is not a known doctype", id="link"
	),
	pytest.param(
		set_field("Referral", "advice", options="School"), "'School' is not a child table", id="table"
	),
	pytest.param(
		set_field("Referral", "reference_name", options="ref_doctype"),
		"Dynamic Link options 'ref_doctype'",
		id="dynamic-link",
	),
	pytest.param(
		set_field("Referral", "referral_type", options=""), "Select field has no options", id="select"
	),
	pytest.param(
		set_field("Referral", "pathway_notes", depends_on="eval:doc.referal_type=='Alternative Pathway'"),
		"depends_on refers to missing field 'referal_type'",
		id="depends-on-eval",
	),
	pytest.param(
		set_field("Referral", "ehc_notes", mandatory_depends_on="has_ehc"),
		"mandatory_depends_on refers to missing field 'has_ehc'",
		id="depends-on-bare",
	),
	pytest.param(
		set_field("Referral", "pathway_notes", depends_on="eval:doc.referral_type='X'"),
		"looks like an assignment",
		id="depends-on-assignment",
	),
	pytest.param(
		set_field("Referral", "send_caseworker_name", fetch_from="send_caseworker.fullname"),
		"User has no field 'fullname'",
		id="fetch-from-core",
	),
	pytest.param(
		set_field("Referral", "school_urn", fetch_from="school.urn_number"),
		"School has no field 'urn_number'",
		id="fetch-from-app",
	),
	pytest.param(
		set_field("Referral", "school_urn", fetch_from="pupil_name.urn"),
		"'pupil_name' is a Data, not a Link",
		id="fetch-from-not-link",
	),
	pytest.param(
		add_field("Referral", df("school", "Data")), "field 'school' is defined 2 times", id="duplicate"
	),
	pytest.param(
		add_field("Referral", df("owner", "Data")), "'owner' is a reserved fieldname", id="reserved"
	),
	pytest.param(
		add_field("Referral", df("submit", "Check")), "clashes with a property or method", id="method-clash"
	),
	pytest.param(set_keys("doctype", "School", title_field="title"), "title_field", id="title"),
	pytest.param(
		set_keys("doctype", "School", autoname="field:name_of_school"),
		"'name_of_school'",
		id="autoname-field",
	),
	pytest.param(
		set_keys("doctype", "Referral", search_fields="pupil_name,pupil"), "'pupil'", id="search-fields"
	),
	pytest.param(set_keys("doctype", "Referral", sort_field="received_on"), "sort_field", id="sort-field"),
	pytest.param(
		edit("doctype", "School", lambda d: d["links"][0].update(link_fieldname="school_name_x")),
		"Referral has no field 'school_name_x'",
		id="connection",
	),
	pytest.param(set_keys("doctype", "School", track_changes=0), "track_changes", id="track-changes"),
	pytest.param(
		set_permission("School", 0, role="PRT Oficer"), "role 'PRT Oficer' does not exist", id="perm-role"
	),
	pytest.param(set_permission("School", 0, submit=1), "not submittable", id="perm-submit"),
	pytest.param(
		write_file("doctype", "School", ".py", "import frappe\n"), "defines no class School", id="class"
	),
	pytest.param(delete_file("doctype", "School", ".py"), "has no controller school.py", id="controller"),
	pytest.param(
		edit("doctype", "Referral", lambda d: d["field_order"].remove("school_urn")),
		"field_order does not list field 'school_urn'",
		id="field-order",
	),
	# 3. workflow
	pytest.param(
		set_transition(0, next_state="Submited"),
		"'Submited' is not one of the workflow's states",
		id="wf-state",
	),
	pytest.param(
		add_transition(state="Approved", action="Reopen", next_state="Draft", allowed="PRT Officer"),
		"submitted (1) back to draft (0)",
		id="wf-1-to-0",
	),
	pytest.param(
		add_transition(state="Draft", action="Cancel", next_state="Cancelled", allowed="PRT Officer"),
		"cancel (0 -> 2)",
		id="wf-0-to-2",
	),
	pytest.param(
		add_transition(state="Cancelled", action="Restore", next_state="Approved", allowed="PRT Officer"),
		"nothing may leave a cancelled",
		id="wf-from-2",
	),
	pytest.param(
		drop_field("Referral", "workflow_state"), "workflow_state_field 'workflow_state'", id="wf-field"
	),
	pytest.param(set_keys("doctype", "Referral", is_submittable=0), "to be submittable", id="wf-submittable"),
	pytest.param(
		edit("workflow", "Referral", lambda d: d["states"].append({"state": "Archived", "doc_status": "0"})),
		"state 'Archived' is not reachable",
		id="wf-unreachable",
	),
	pytest.param(set_transition(1, allowed="School Referrer"), "has no 'submit' permission", id="wf-right"),
	pytest.param(set_transition(0, allowed="Referrer"), "role 'Referrer' does not exist", id="wf-role"),
	pytest.param(set_transition(2, action=""), "has no action", id="wf-action"),
	pytest.param(
		set_keys("workflow", "Referral", document_type="Referal"), "'Referal' is not a doctype", id="wf-dt"
	),
	pytest.param(
		set_transition(1, condition='doc.referal_type != ""'),
		"condition reads missing field doc.referal_type",
		id="wf-cond",
	),
	pytest.param(
		edit("workflow", "Referral", lambda d: d["states"][2].update(update_field="decided_on")),
		"update_field 'decided_on'",
		id="wf-update-field",
	),
	pytest.param(
		set_field("Referral", "workflow_state", permlevel=1), "Frappe resets it on save", id="wf-permlevel"
	),
	# 4. reports
	pytest.param(
		delete_file("report", "Referral Tracker", ".py"), "has no referral_tracker.py", id="report-py"
	),
	pytest.param(
		write_file("report", "Referral Tracker", ".py", "def run(filters=None):\n\treturn [], []\n"),
		"no top-level execute",
		id="report-execute",
	),
	pytest.param(
		set_keys("report", "Referral Tracker", ref_doctype="Referals"),
		"ref_doctype 'Referals'",
		id="report-dt",
	),
	pytest.param(
		set_keys("report", "Referral Tracker", roles=[{"role": "School Referrer"}]),
		"role 'School Referrer' may open the report but has no 'report' permission",
		id="report-right",
	),
	# print formats and templates
	pytest.param(
		append_to_file("print_format", "Referral Form", ".html", "{{ doc.missing_field }}"),
		"doc.missing_field",
		id="pf-field",
	),
	pytest.param(
		append_to_file(
			"print_format", "Referral Form", ".html", "{% for r in doc.advice %}{{ r.agencyy }}{% endfor %}"
		),
		"advice[].agencyy",
		id="pf-child-field",
	),
	pytest.param(
		append_to_file("print_format", "Referral Form", ".html", "{% if doc.pupil_name %}<b>x</b>"),
		"Jinja syntax error",
		id="pf-jinja",
	),
	pytest.param(set_keys("print_format", "Referral Form", doc_type="Pupil"), "doc_type 'Pupil'", id="pf-dt"),
	# web forms
	pytest.param(
		set_web_form_field(0, fieldname="pupil_surname"),
		"'pupil_surname': is not a field of Referral",
		id="webform-field",
	),
	pytest.param(
		set_web_form_field(1, fieldtype="Data"),
		"fieldtype 'Data' but Referral.school is 'Link'",
		id="webform-type",
	),
	pytest.param(
		set_web_form_field(4, depends_on="eval:doc.type=='X'"),
		"depends_on refers to missing field 'type'",
		id="webform-depends-on",
	),
	pytest.param(
		set_keys("web_form", WEB_FORM["name"], introduction_text="{% if x %}open"),
		"introduction_text (Web Form",
		id="webform-jinja",
	),
	# notifications
	pytest.param(
		replace_recipient(1, {"receiver_by_role": "Panel Chiar"}),
		"role 'Panel Chiar' does not exist",
		id="notif-role",
	),
	pytest.param(
		replace_recipient(2, {"receiver_by_document_field": "pupil_name"}),
		"holds no e-mail",
		id="notif-recipient",
	),
	pytest.param(
		replace_recipient(3, {"receiver_by_document_field": "adviser_mail,advice"}),
		"Referral Advice has no field 'adviser_mail'",
		id="notif-child-recipient",
	),
	pytest.param(
		set_keys("notification", NOTIFICATION["name"], value_changed="workflow_status"),
		"value_changed 'workflow_status'",
		id="notif-value-changed",
	),
	pytest.param(
		set_keys("notification", NOTIFICATION["name"], subject="Referral {{ doc.name "),
		"subject (Notification",
		id="notif-subject-jinja",
	),
	pytest.param(
		append_to_file("notification", NOTIFICATION["name"], ".md", "{{ doc.pupil_surname }}"),
		"message reads doc.pupil_surname",
		id="notif-message-field",
	),
	pytest.param(
		set_keys("notification", NOTIFICATION["name"], condition='doc.state == "Approved"'),
		"condition reads missing field doc.state",
		id="notif-condition",
	),
	pytest.param(
		set_keys("notification", NOTIFICATION["name"], message_type="HTML"),
		"referral_approved.md is ignored",
		id="notif-ext",
	),
	# workspace, number card, chart
	pytest.param(
		edit("workspace", "AP Provision", lambda d: d["links"][1].update(link_to="Referal")),
		"DocType 'Referal' does not exist",
		id="ws-link",
	),
	pytest.param(
		edit(
			"workspace", "AP Provision", lambda d: d["shortcuts"][0].update(type="Report", link_to="Tracker")
		),
		"Report 'Tracker' does not exist",
		id="ws-shortcut",
	),
	pytest.param(
		edit("workspace", "AP Provision", lambda d: d["number_cards"][0].update(number_card_name="Closed")),
		"'Closed' is not a number card of the app",
		id="ws-number-card",
	),
	pytest.param(
		set_workspace_content({"id": "z", "type": "chart", "data": {"chart_name": "Missing Chart"}}),
		"content chart block 'Missing Chart'",
		id="ws-content",
	),
	pytest.param(
		edit("workspace", "AP Provision", lambda d: d["links"][3].update(is_query_report=0)),
		"needs is_query_report = 1",
		id="ws-query-report",
	),
	pytest.param(
		set_keys("number_card", "Open Referrals", function="Sum", aggregate_function_based_on="days"),
		"aggregate_function_based_on 'days'",
		id="card-field",
	),
	pytest.param(
		set_keys(
			"number_card", "Open Referrals", filters_json='[["Referral", "statuss", "=", "Open", false]]'
		),
		"field 'statuss' is not a field of Referral",
		id="card-filter",
	),
	pytest.param(
		set_keys("dashboard_chart", "Referrals by Month", based_on="decided_on"),
		"based_on 'decided_on'",
		id="chart-based-on",
	),
	pytest.param(
		set_keys("dashboard_chart", "Referrals by Month", chart_type="Group By", group_by_based_on="stage"),
		"group_by_based_on 'stage'",
		id="chart-group-by",
	),
]


@pytest.fixture
def app_root(tmp_path: Path) -> Path:
	return build_app(tmp_path / "app")


def test_synthetic_app_is_clean(app_root: Path):
	assert check_all(app_root) == []


def test_synthetic_app_is_indexed(app_root: Path):
	app = load_app(app_root)
	assert set(app.doctypes) == {"School", "Referral", "Referral Advice"}
	assert app.doctypes["Referral Advice"].istable
	assert app.doctypes["Referral"].is_submittable
	assert app.doctype("User").has_field("full_name")
	assert not app.doctype("User").is_app
	assert {"PRT Officer", "System Manager", "Guest"} <= app.roles
	assert [r.name for r in app.workflows] == ["Referral"]
	assert {r.kind for r in app.records} == set(appmeta.KINDS)


@pytest.mark.parametrize("mutate, expected", BREAKAGES)
def test_breakage_is_reported(app_root: Path, mutate: Mutation, expected: str):
	mutate(app_root)
	problems = check_all(app_root)
	assert any(expected in p for p in problems), f"{expected!r} not in:\n" + "\n".join(problems)


def test_each_check_is_run_by_check_all(app_root: Path):
	app = load_app(app_root)
	assert all(check(app) == [] for check in appmeta.CHECKS)
	public = {name for name in dir(appmeta) if name.startswith("check_") and name != "check_all"}
	assert public == {check.__name__ for check in appmeta.CHECKS}


def test_checks_accept_a_path(app_root: Path):
	set_field("Referral", "school", options="Skool")(app_root)
	assert any("Skool" in p for p in appmeta.check_doctypes(app_root))


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
	"expression, refs, problem",
	[
		("eval:doc.a && doc.b == 'x'", ["a", "b"], None),
		("eval:doc.__islocal || doc.items.length", ["items"], None),
		("eval:in_list(['A', 'B'], doc.status) && parent.x", ["status"], None),
		("has_ehc_plan", ["has_ehc_plan"], None),
		("fn:is_visible", [], None),
		("", [], None),
		("eval:doc.status='Open'", [], "looks like an assignment (use == to compare)"),
		("doc.status", [], "is neither 'eval:<js>' nor a fieldname"),
	],
)
def test_depends_on_refs(expression, refs, problem):
	assert appmeta.depends_on_refs(expression) == (refs, problem)


def test_python_doc_refs():
	refs, problem = appmeta.python_doc_refs(
		'doc.status == "Open" and doc.get("panel") and doc["x"] or doc.is_new()'
	)
	assert problem is None
	assert sorted(refs) == ["panel", "status", "x"]
	assert appmeta.python_doc_refs("doc.status ==")[1].startswith("is not a valid Python expression")


def test_jinja_field_refs_skip_method_calls_and_follow_table_loops():
	tree, error = appmeta.parse_jinja(
		"{{ doc.a }}{{ doc.get_formatted('b') }}{{ doc.meta.get_label('c') }}{{ doc.render() }}"
		"{% for row in doc.items %}{{ row.qty }}{{ row.get('rate') }}{% endfor %}{{ other.x }}"
	)
	assert error is None
	assert sorted(appmeta.jinja_field_refs(tree), key=str) == sorted(
		[(None, "a"), (None, "b"), (None, "meta"), (None, "items"), ("items", "qty"), ("items", "rate")],
		key=str,
	)
	assert appmeta.parse_jinja("{% if x %}")[1].startswith("Jinja syntax error")


# ---------------------------------------------------------------------------------------
# Frappe reference data
# ---------------------------------------------------------------------------------------


def test_frappe_reference_data_is_consistent():
	data_dir = Path(appmeta.__file__).resolve().parent / "data"
	doctypes = (data_dir / "frappe_v15_doctypes.txt").read_text().splitlines()
	roles = (data_dir / "frappe_v15_roles.txt").read_text().splitlines()
	assert doctypes == sorted(doctypes) and roles == sorted(roles)
	data = appmeta.frappe_data()
	assert set(doctypes) == set(data.doctypes)
	assert {"User", "Role", "DocType", "Workflow State", "Has Role", "File"} <= set(doctypes)
	assert {"Administrator", "Guest", "All", "System Manager", "Desk User"} <= set(roles)
	assert data.doctypes["Has Role"]["istable"] == 1
	assert {"full_name", "email", "enabled"} <= set(data.doctypes["User"]["fields"])
	assert {"submit", "save", "run_method", "get_formatted"} <= data.document_attrs


# ---------------------------------------------------------------------------------------
# The repository itself
# ---------------------------------------------------------------------------------------


def test_repo_metadata_is_consistent():
	problems = check_all(REPO_ROOT)
	assert problems == [], "\n".join(problems)


def test_real_doctype_breakage_is_caught(tmp_path: Path):
	root = tmp_path / "app"
	root.mkdir()
	shutil.copytree(REPO_ROOT / PKG, root / PKG, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
	app = load_app(root)
	link = next(
		(
			(dt, df)
			for dt in app.doctypes.values()
			for df in dt.record.data.get("fields") or []
			if df.get("fieldtype") == "Link"
		),
		None,
	)
	if link is None:
		pytest.skip("the repository has no doctype with a Link field yet")
	dt, field = link
	before = set(check_all(root))
	data = json.loads(dt.record.path.read_text())
	field_of(data, field["fieldname"])["options"] = "No Such DocType"
	dt.record.path.write_text(json.dumps(data, indent=1))
	new = set(check_all(root)) - before
	assert any(f"field '{field['fieldname']}'" in p and "No Such DocType" in p for p in new), new
