"""Metadata consistency checks for a Frappe v15 app, without Frappe installed.

The portable test tier runs these on the repository: every doctype, workflow, report,
print format, web form, notification, workspace, number card and dashboard chart the app
ships is read as JSON and cross-checked against the rest of the app and against Frappe
v15's own doctypes, fields and roles (name lists in ``tests/data/``, see its README).

Most checks mirror what Frappe itself would reject on ``bench migrate`` (DocType field
validation, Workflow docstatus rules, permission rules) or what would silently break at run
time (a ``depends_on`` or ``fetch_from`` naming a missing field, a print format reading
``doc.missing_field``, a workspace shortcut to a doctype that does not exist).

``check_all(app_root)`` returns every problem ([] when consistent); ``load_app(app_root)``
indexes the app once for the single ``check_*`` functions, which also accept a path.
``python tests/appmeta.py [app_root]`` prints the problems.

Every check returns a list of human-readable problems, each starting with the file
(relative to the app root) and naming the broken thing.
"""

from __future__ import annotations

import ast
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from jinja2 import nodes

DATA_DIR = Path(__file__).resolve().parent / "data"

# Folder name of each exported document kind inside a module folder, and its doctype.
KINDS = {
	"doctype": "DocType",
	"report": "Report",
	"print_format": "Print Format",
	"web_form": "Web Form",
	"notification": "Notification",
	"workspace": "Workspace",
	"number_card": "Number Card",
	"dashboard_chart": "Dashboard Chart",
}

# frappe.model: default_fields, child_table_fields, optional_fields
STANDARD_FIELDS = frozenset(("name", "owner", "creation", "modified", "modified_by", "docstatus", "idx"))
CHILD_STANDARD_FIELDS = frozenset(("parent", "parentfield", "parenttype"))
OPTIONAL_FIELDS = frozenset(("_user_tags", "_comments", "_assign", "_liked_by", "_seen"))
# Fieldnames a DocType may not define: the standard columns plus
# frappe.model.base_document.BaseDocument._reserved_keywords.
RESERVED_FIELDNAMES = (
	STANDARD_FIELDS
	| CHILD_STANDARD_FIELDS
	| frozenset(
		(
			"doctype",
			"meta",
			"flags",
			"parent_doc",
			"_table_fields",
			"_valid_columns",
			"_doc_before_save",
			"_table_fieldnames",
			"_reserved_keywords",
			"permitted_fieldnames",
			"dont_update_if_missing",
		)
	)
)

# DocField.fieldtype options in Frappe v15 (frappe/core/doctype/docfield/docfield.json)
FIELDTYPES = frozenset(
	(
		"Autocomplete",
		"Attach",
		"Attach Image",
		"Barcode",
		"Button",
		"Check",
		"Code",
		"Color",
		"Column Break",
		"Currency",
		"Data",
		"Date",
		"Datetime",
		"Duration",
		"Dynamic Link",
		"Float",
		"Fold",
		"Geolocation",
		"Heading",
		"HTML",
		"HTML Editor",
		"Icon",
		"Image",
		"Int",
		"JSON",
		"Link",
		"Long Text",
		"Markdown Editor",
		"Password",
		"Percent",
		"Phone",
		"Read Only",
		"Rating",
		"Section Break",
		"Select",
		"Signature",
		"Small Text",
		"Tab Break",
		"Table",
		"Table MultiSelect",
		"Text",
		"Text Editor",
		"Time",
	)
)
TABLE_FIELDTYPES = frozenset(("Table", "Table MultiSelect"))
# frappe.model.no_value_fields
NO_VALUE_FIELDTYPES = frozenset(
	(
		"Section Break",
		"Column Break",
		"Tab Break",
		"HTML",
		"Table",
		"Table MultiSelect",
		"Button",
		"Image",
		"Fold",
		"Heading",
	)
)
NOT_IN_LIST_VIEW = (NO_VALUE_FIELDTYPES | {"Attach Image"}) - TABLE_FIELDTYPES
DATE_FIELDTYPES = frozenset(("Date", "Datetime"))
NUMERIC_FIELDTYPES = frozenset(("Currency", "Int", "Float", "Percent", "Check", "Duration", "Rating"))
# Web Form Field types that are layout only (no doctype field behind them)
WEB_FORM_LAYOUT_TYPES = frozenset(("Section Break", "Column Break", "Page Break", "HTML"))
DEPENDS_ON_KEYS = ("depends_on", "mandatory_depends_on", "read_only_depends_on", "collapsible_depends_on")
# frappe/core/doctype/doctype/doctype.py: assignment instead of comparison
ILLEGAL_DEPENDS_ON = re.compile(r'[\w\.:_]+\s*={1}\s*[\w\.@\'"]+')
JS_DOC_ATTR = re.compile(r"(?<![\w.$])doc\.([A-Za-z_$][\w$]*)(\s*\()?")
IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")
BRACED_PARAM = re.compile(r"\{([\w | #]+)\}")
NAMING_TOKENS = frozenset(("YY", "MM", "DD", "YYYY", "WW", "timestamp"))
# The permission a role needs for a workflow transition, by (from docstatus, to docstatus):
# frappe.model.workflow.apply_workflow saves, submits or cancels the document.
TRANSITION_RIGHT = {("0", "0"): "write", ("0", "1"): "submit", ("1", "1"): "submit", ("1", "2"): "cancel"}
# Attributes printview sets on the document before rendering a print format
PRINT_DOC_ATTRS = frozenset(
	("print_section_headings", "print_line_breaks", "align_labels_right", "absolute_value", "format_data_map")
)
NOTIFICATION_EVENTS = frozenset(
	("New", "Save", "Submit", "Cancel", "Days After", "Days Before", "Value Change", "Method", "Custom")
)
NOTIFICATION_FORMATS = {"HTML": ".html", "Markdown": ".md", "Plain Text": ".txt"}
REPORT_TYPES = frozenset(("Report Builder", "Query Report", "Script Report", "Custom Report"))


def scrub(txt: str) -> str:
	"""frappe.scrub: lower case, spaces and hyphens to underscores."""
	return (txt or "").replace(" ", "_").replace("-", "_").lower()


def _int(value) -> int:
	try:
		return int(value or 0)
	except (TypeError, ValueError):
		return 0


# ---------------------------------------------------------------------------------------
# Frappe v15 reference data
# ---------------------------------------------------------------------------------------


def _read_lines(path: Path) -> frozenset[str]:
	return frozenset(line.strip() for line in path.read_text().splitlines() if line.strip())


@dataclass(frozen=True)
class FrappeData:
	"""Names of Frappe v15's own doctypes (with field names and types), roles and reports."""

	doctypes: dict[str, dict]
	roles: frozenset[str]
	reports: frozenset[str]
	document_attrs: frozenset[str]


@functools.cache
def frappe_data(data_dir: Path = DATA_DIR) -> FrappeData:
	return FrappeData(
		doctypes=json.loads((data_dir / "frappe_v15_fields.json").read_text()),
		roles=_read_lines(data_dir / "frappe_v15_roles.txt"),
		reports=_read_lines(data_dir / "frappe_v15_reports.txt"),
		document_attrs=_read_lines(data_dir / "frappe_v15_document_attrs.txt"),
	)


# ---------------------------------------------------------------------------------------
# The app index
# ---------------------------------------------------------------------------------------


@dataclass
class Record:
	"""One exported document: ``<module>/<kind>/<folder>/<folder>.json`` or a workflow JSON."""

	kind: str
	path: Path
	rel: str
	data: dict
	module_dir: str | None = None

	@property
	def name(self) -> str:
		return self.data.get("name") or ""

	def sibling(self, suffix: str) -> Path:
		return self.path.with_suffix(suffix)


@dataclass
class DocTypeInfo:
	"""A doctype of the app (``record`` set) or of Frappe (``record`` None)."""

	name: str
	fields: dict[str, dict]
	istable: bool = False
	issingle: bool = False
	is_submittable: bool = False
	record: Record | None = None

	@property
	def is_app(self) -> bool:
		return self.record is not None

	@property
	def permissions(self) -> list[dict]:
		return (self.record.data.get("permissions") or []) if self.record else []

	def standard_fields(self) -> frozenset[str]:
		extra = CHILD_STANDARD_FIELDS if self.istable else frozenset()
		return STANDARD_FIELDS | OPTIONAL_FIELDS | extra

	def has_field(self, fieldname: str, standard: bool = True) -> bool:
		return fieldname in self.fields or (standard and fieldname in self.standard_fields())

	def fieldtype(self, fieldname: str) -> str | None:
		df = self.fields.get(fieldname)
		if df:
			return df.get("fieldtype")
		if fieldname in ("creation", "modified"):
			return "Datetime"
		if fieldname in ("docstatus", "idx"):
			return "Int"
		if fieldname in ("owner", "modified_by"):
			return "Link"
		return "Data" if fieldname in self.standard_fields() else None

	def has_right(self, role: str, right: str, permlevel: int = 0) -> bool:
		"""Whether a permission rule gives role (or All) the right at permlevel."""
		return any(
			_int(p.get(right)) and _int(p.get("permlevel")) == permlevel and p.get("role") in (role, "All")
			for p in self.permissions
		)


@dataclass
class App:
	root: Path
	package: Path
	modules: list[str]
	records: list[Record] = field(default_factory=list)
	workflows: list[Record] = field(default_factory=list)
	app_roles: set[str] = field(default_factory=set)
	doctypes: dict[str, DocTypeInfo] = field(default_factory=dict)
	load_problems: list[str] = field(default_factory=list)
	frappe: FrappeData = field(default_factory=frappe_data)

	def rel(self, path: Path) -> str:
		try:
			return path.relative_to(self.root).as_posix()
		except ValueError:
			return path.as_posix()

	def of_kind(self, kind: str) -> list[Record]:
		return [r for r in self.records if r.kind == kind]

	def names(self, kind: str) -> set[str]:
		return {r.name for r in self.of_kind(kind)}

	def named(self, kind: str, name: str) -> Record | None:
		return next((r for r in self.of_kind(kind) if r.name == name), None)

	@property
	def roles(self) -> set[str]:
		return self.app_roles | self.frappe.roles

	def doctype(self, name: str | None) -> DocTypeInfo | None:
		"""An app doctype, else one of Frappe's (fields and flags only), else None."""
		if not name:
			return None
		if name in self.doctypes:
			return self.doctypes[name]
		core = self.frappe.doctypes.get(name)
		if core is None:
			return None
		return DocTypeInfo(
			name=name,
			fields={fn: {"fieldname": fn, "fieldtype": ft} for fn, ft in core["fields"].items()},
			istable=bool(core.get("istable")),
			issingle=bool(core.get("issingle")),
			is_submittable=bool(core.get("is_submittable")),
		)

	def report_exists(self, name: str) -> bool:
		return name in self.names("report") or name in self.frappe.reports


def _find_package(root: Path) -> Path:
	candidates = sorted(p.parent for p in root.glob("*/modules.txt") if (p.parent / "hooks.py").exists())
	if len(candidates) == 1:
		return candidates[0]
	return root / "ap_provision"


def _load_json(app: App, path: Path) -> dict | None:
	rel = app.rel(path)
	try:
		data = json.loads(path.read_text(encoding="utf-8"))
	except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
		app.load_problems.append(f"{rel}: cannot be read as JSON: {e}")
		return None
	if not isinstance(data, dict):
		app.load_problems.append(f"{rel}: expected a JSON object, found {type(data).__name__}")
		return None
	return data


# Package folders that hold templates or assets, never a module's exported documents
NOT_MODULE_DIRS = frozenset(("templates", "public", "www", "fixtures", "workflows", "patches", "tests"))


def _module_dirs(package: Path, modules: list[str]) -> list[Path]:
	"""Folders of listed modules, plus any other folder holding exported documents."""
	dirs = {package / scrub(m) for m in modules}
	for kind in KINDS:
		found = package.glob(f"*/{kind}")
		dirs.update(p.parent for p in found if p.is_dir() and p.parent.name not in NOT_MODULE_DIRS)
	return sorted(d for d in dirs if d.is_dir())


def _document_folders(kind_dir: Path) -> Iterator[Path]:
	for sub in sorted(kind_dir.iterdir()):
		if not sub.is_dir() or sub.name.startswith((".", "_")):
			continue
		files = [p for p in sub.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
		if files:  # a folder left with only __pycache__ after a rename is not a document
			yield sub


def load_app(app_root: Path | str, data_dir: Path = DATA_DIR) -> App:
	"""Read every exported document of the app once."""
	root = Path(app_root).resolve()
	package = _find_package(root)
	modules_txt = package / "modules.txt"
	modules = []
	if modules_txt.exists():
		modules = [line.strip() for line in modules_txt.read_text().splitlines() if line.strip()]
	app = App(root=root, package=package, modules=modules, frappe=frappe_data(data_dir))
	if not modules_txt.exists():
		app.load_problems.append(f"{app.rel(modules_txt)}: missing")

	for module_dir in _module_dirs(package, modules):
		for kind in KINDS:
			kind_dir = module_dir / kind
			if not kind_dir.is_dir():
				continue
			for folder in _document_folders(kind_dir):
				path = folder / f"{folder.name}.json"
				if not path.exists():
					app.load_problems.append(
						f"{app.rel(folder)}: {kind} folder has no {folder.name}.json "
						"(folder and file names must both be the scrubbed document name)"
					)
					continue
				data = _load_json(app, path)
				if data is not None:
					app.records.append(Record(kind, path, app.rel(path), data, module_dir.name))

	for path in sorted((package / "workflows").glob("*.json")):
		data = _load_json(app, path)
		if data is not None:
			app.workflows.append(Record("workflow", path, app.rel(path), data))

	roles_path = package / "fixtures" / "role.json"
	if roles_path.exists():
		try:
			roles = json.loads(roles_path.read_text(encoding="utf-8"))
		except (OSError, json.JSONDecodeError) as e:
			app.load_problems.append(f"{app.rel(roles_path)}: cannot be read as JSON: {e}")
			roles = []
		if not isinstance(roles, list):
			app.load_problems.append(f"{app.rel(roles_path)}: expected a list of Role documents")
			roles = []
		for i, role in enumerate(roles):
			if not isinstance(role, dict) or role.get("doctype") != "Role" or not role.get("name"):
				app.load_problems.append(
					f"{app.rel(roles_path)}: entry {i} is not a Role document with a name"
				)
				continue
			if role.get("role_name") and role["role_name"] != role["name"]:
				app.load_problems.append(
					f"{app.rel(roles_path)}: role '{role['name']}' has role_name '{role['role_name']}'"
				)
			if role["name"] in app.app_roles:
				app.load_problems.append(f"{app.rel(roles_path)}: role '{role['name']}' defined twice")
			app.app_roles.add(role["name"])

	for record in app.of_kind("doctype"):
		data = record.data
		if not record.name:
			continue
		app.doctypes[record.name] = DocTypeInfo(
			name=record.name,
			fields={
				f["fieldname"]: f
				for f in data.get("fields") or []
				if isinstance(f, dict) and f.get("fieldname")
			},
			istable=bool(_int(data.get("istable"))),
			issingle=bool(_int(data.get("issingle"))),
			is_submittable=bool(_int(data.get("is_submittable"))),
			record=record,
		)
	return app


def _as_app(app: App | Path | str) -> App:
	return app if isinstance(app, App) else load_app(app)


# ---------------------------------------------------------------------------------------
# Expression and template helpers
# ---------------------------------------------------------------------------------------


def depends_on_refs(expression: str) -> tuple[list[str], str | None]:
	"""Field names a depends_on style expression reads from ``doc``, and a problem if any.

	``eval:doc.a && doc.b == 'x'`` reads a and b; a bare ``fieldname`` reads that field;
	``fn:`` expressions call a form method and are not checked.
	"""
	expression = (expression or "").strip()
	if not expression or expression.startswith("fn:"):
		return [], None
	if "=" in expression and ILLEGAL_DEPENDS_ON.match(expression):
		return [], "looks like an assignment (use == to compare)"
	if expression.startswith("eval:"):
		refs = [
			m.group(1)
			for m in JS_DOC_ATTR.finditer(expression[5:])
			if not m.group(2) and not m.group(1).startswith("__")
		]
		return refs, None
	if IDENTIFIER.match(expression):
		return [expression], None
	return [], "is neither 'eval:<js>' nor a fieldname"


def python_doc_refs(expression: str) -> tuple[list[str], str | None]:
	"""Field names a Python condition (Notification, Workflow Transition) reads from ``doc``."""
	try:
		tree = ast.parse((expression or "").strip(), mode="eval")
	except SyntaxError as e:
		return [], f"is not a valid Python expression ({e.msg})"
	called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
	refs = []
	for n in ast.walk(tree):
		if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "doc":
			if id(n) not in called:
				refs.append(n.attr)
		elif isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute):
			func = n.func
			if isinstance(func.value, ast.Name) and func.value.id == "doc" and func.attr == "get":
				if n.args and isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str):
					refs.append(n.args[0].value)
		elif isinstance(n, ast.Subscript) and isinstance(n.value, ast.Name) and n.value.id == "doc":
			if isinstance(n.slice, ast.Constant) and isinstance(n.slice.value, str):
				refs.append(n.slice.value)
	return refs, None


def parse_jinja(source: str) -> tuple[nodes.Template | None, str | None]:
	"""Parse a template the way frappe.utils.jinja.validate_template does (syntax only)."""
	try:
		return jinja2.Environment().parse(source or ""), None
	except jinja2.TemplateSyntaxError as e:
		return None, f"Jinja syntax error on line {e.lineno}: {e.message}"


def _is_name(node: nodes.Node, name: str) -> bool:
	return isinstance(node, nodes.Name) and node.name == name


def jinja_field_refs(tree: nodes.Template, var: str = "doc") -> list[tuple[str | None, str]]:
	"""(table field or None, attribute) read from ``var`` in a parsed template.

	``doc.x`` gives (None, "x"); ``doc.get("x")`` / ``doc.get_formatted("x")`` likewise;
	method calls (``doc.get_formatted(...)``) are not attribute reads. Inside
	``{% for row in doc.items %}``, ``row.y`` gives ("items", "y").
	"""
	called = {id(c.node) for c in tree.find_all(nodes.Call)}
	loops: dict[str, set[str]] = {}
	for loop in tree.find_all(nodes.For):
		if isinstance(loop.target, nodes.Name) and isinstance(loop.iter, nodes.Getattr):
			if _is_name(loop.iter.node, var):
				loops.setdefault(loop.target.name, set()).add(loop.iter.attr)
	owners = {var: None} | {name: next(iter(t)) for name, t in loops.items() if len(t) == 1 and name != var}

	refs: list[tuple[str | None, str]] = []
	for node in tree.find_all((nodes.Getattr, nodes.Getitem, nodes.Call)):
		if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name in owners:
			if id(node) not in called:
				refs.append((owners[node.node.name], node.attr))
		elif (
			isinstance(node, nodes.Getitem) and isinstance(node.node, nodes.Name) and node.node.name in owners
		):
			if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
				refs.append((owners[node.node.name], node.arg.value))
		elif isinstance(node, nodes.Call) and isinstance(node.node, nodes.Getattr):
			target = node.node.node
			if isinstance(target, nodes.Name) and target.name in owners:
				if node.node.attr in ("get", "get_formatted") and node.args:
					arg = node.args[0]
					if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
						refs.append((owners[target.name], arg.value))
	return refs


def _missing_template_fields(
	app: App, dt: DocTypeInfo, tree: nodes.Template, extra: frozenset[str] = frozenset()
) -> list[str]:
	"""Descriptions of ``doc.<x>`` / ``row.<x>`` reads that are not fields of dt (or its tables)."""
	allowed_attrs = app.frappe.document_attrs | extra | {"doctype", "meta", "flags"}
	missing = []
	for table, attr in jinja_field_refs(tree):
		if attr.startswith("__") or attr in allowed_attrs:
			continue
		if table is None:
			if not dt.has_field(attr):
				missing.append(f"doc.{attr}, not a field of {dt.name}")
			continue
		table_df = dt.fields.get(table) or {}
		child = (
			app.doctype(table_df.get("options")) if table_df.get("fieldtype") in TABLE_FIELDTYPES else None
		)
		if child is not None and not child.has_field(attr):
			missing.append(f"{table}[].{attr}, not a field of {child.name}")
	return sorted(set(missing))


def _controller_methods(path: Path, class_name: str) -> tuple[dict[str, bool] | None, str | None]:
	"""{method name: is a @property} of class_name in a controller file, or a problem."""
	try:
		tree = ast.parse(path.read_text(encoding="utf-8"))
	except SyntaxError as e:
		return None, f"does not parse: {e.msg} (line {e.lineno})"
	cls = next((n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name), None)
	if cls is None:
		return None, f"defines no class {class_name}"
	return {
		n.name: any(
			isinstance(d, ast.Name) and d.id in ("property", "cached_property") for d in n.decorator_list
		)
		for n in cls.body
		if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
	}, None


def _has_function(path: Path, name: str) -> bool:
	try:
		tree = ast.parse(path.read_text(encoding="utf-8"))
	except SyntaxError:
		return False
	return any(isinstance(n, ast.FunctionDef) and n.name == name for n in tree.body)


def _split_csv(value: str | None) -> list[str]:
	return [part.strip() for part in (value or "").split(",") if part.strip()]


def _select_options(df: dict) -> list[str]:
	return [o.strip() for o in (df.get("options") or "").split("\n")]


# ---------------------------------------------------------------------------------------
# 1. Files, names, modules
# ---------------------------------------------------------------------------------------


def check_files(app: App | Path) -> list[str]:
	"""Every document loads, has the right doctype, its name matches folder and file, and
	its module is listed in modules.txt (and is the module folder it lives in)."""
	app = _as_app(app)
	problems = list(app.load_problems)
	module_folders = {scrub(m): m for m in app.modules}
	for m in app.modules:
		if not (app.package / scrub(m)).is_dir():
			problems.append(f"{app.rel(app.package / 'modules.txt')}: module '{m}' has no folder {scrub(m)}/")

	seen: dict[tuple[str, str], str] = {}
	for r in app.records:
		expected = KINDS[r.kind]
		if r.data.get("doctype") != expected:
			problems.append(f"{r.rel}: doctype is {r.data.get('doctype')!r}, expected '{expected}'")
		if not r.name:
			problems.append(f"{r.rel}: has no name")
		elif scrub(r.name) != r.path.parent.name or scrub(r.name) != r.path.stem:
			problems.append(
				f"{r.rel}: name '{r.name}' does not match its folder/file "
				f"(expected {r.kind}/{scrub(r.name)}/{scrub(r.name)}.json)"
			)
		elif (r.kind, r.name) in seen:
			problems.append(f"{r.rel}: {expected} '{r.name}' is also defined in {seen[(r.kind, r.name)]}")
		else:
			seen[(r.kind, r.name)] = r.rel
		module = r.data.get("module")
		if not module:
			problems.append(f"{r.rel}: has no module")
		elif module not in app.modules:
			problems.append(f"{r.rel}: module '{module}' is not listed in modules.txt")
		elif scrub(module) != r.module_dir:
			problems.append(
				f"{r.rel}: module '{module}' but the file lives in module folder '{r.module_dir}'"
			)
		if r.module_dir not in module_folders:
			problems.append(f"{r.rel}: module folder '{r.module_dir}' is not a module listed in modules.txt")

	for r in app.workflows:
		if r.data.get("doctype") != "Workflow":
			problems.append(f"{r.rel}: doctype is {r.data.get('doctype')!r}, expected 'Workflow'")
		workflow_name = r.data.get("workflow_name")
		if not workflow_name:
			problems.append(f"{r.rel}: has no workflow_name")
			continue
		if r.data.get("name") and r.data["name"] != workflow_name:
			problems.append(f"{r.rel}: name '{r.data['name']}' differs from workflow_name '{workflow_name}'")
		if r.path.stem != scrub(workflow_name):
			problems.append(
				f"{r.rel}: workflow '{workflow_name}' should be in workflows/{scrub(workflow_name)}.json"
			)
	return problems


# ---------------------------------------------------------------------------------------
# 2. DocTypes
# ---------------------------------------------------------------------------------------


def _check_field(app: App, dt: DocTypeInfo, df: dict, methods: dict[str, bool]) -> Iterator[str]:
	fn, ft = df.get("fieldname"), df.get("fieldtype")
	label = f"field '{fn}'"
	if ft not in FIELDTYPES:
		yield f"{label}: unknown fieldtype {ft!r}"
		return
	if not re.fullmatch(r"[A-Za-z_]\w*", fn) or len(fn) > 64:
		yield f"{label}: fieldname must be letters, digits and underscores (at most 64)"
	if fn in RESERVED_FIELDNAMES:
		yield f"{label}: '{fn}' is a reserved fieldname"
	elif ft not in NO_VALUE_FIELDTYPES and fn in app.frappe.document_attrs:
		yield f"{label}: '{fn}' clashes with a property or method of frappe's Document"
	elif ft not in NO_VALUE_FIELDTYPES and fn in methods and not (methods[fn] and _int(df.get("is_virtual"))):
		# a virtual field may be a @property of the controller
		yield f"{label}: '{fn}' clashes with a method of the {dt.name} controller"

	options = (df.get("options") or "").strip()
	if ft == "Link" or ft in TABLE_FIELDTYPES:
		target = app.doctype(options)
		if not options:
			yield f"{label}: {ft} field has no options (target doctype)"
		elif target is None:
			yield f"{label}: {ft} options '{options}' is not a known doctype (app or Frappe)"
		elif ft in TABLE_FIELDTYPES and not target.istable:
			yield f"{label}: {ft} options '{options}' is not a child table (istable)"
		elif ft == "Table MultiSelect" and not any(
			f.get("fieldtype") == "Link" for f in target.fields.values()
		):
			yield f"{label}: Table MultiSelect child '{options}' has no Link field"
	elif ft == "Dynamic Link":
		pointer = dt.fields.get(options)
		if not options or pointer is None:
			yield f"{label}: Dynamic Link options '{options}' is not a field of {dt.name}"
		elif pointer.get("fieldtype") not in ("Link", "Select") or (
			pointer.get("fieldtype") == "Link" and pointer.get("options") != "DocType"
		):
			yield f"{label}: Dynamic Link options '{options}' must be a Link to DocType (or a Select)"
	elif ft == "Select":
		choices = _select_options(df)
		if not any(choices):
			yield f"{label}: Select field has no options"
		default = df.get("default")
		if default and str(default) not in choices:
			yield f"{label}: default {default!r} is not one of its options"
	elif ft == "Check" and str(df.get("default") or "0") not in ("0", "1"):
		yield f"{label}: Check default must be 0 or 1"

	if _int(df.get("reqd")) and ft in NO_VALUE_FIELDTYPES and ft not in TABLE_FIELDTYPES:
		yield f"{label}: a {ft} cannot be mandatory"
	if _int(df.get("reqd")) and _int(df.get("hidden")) and not df.get("default"):
		yield f"{label}: hidden and mandatory without a default"
	if _int(df.get("unique")) and ft not in ("Data", "Link", "Read Only", "Int"):
		yield f"{label}: a {ft} field cannot be unique"
	if (
		_int(df.get("in_list_view"))
		and ft in NOT_IN_LIST_VIEW
		and not (dt.istable and ft in ("Button", "HTML"))
	):
		yield f"{label}: a {ft} field cannot be in list view"

	for key in DEPENDS_ON_KEYS:
		refs, problem = depends_on_refs(df.get(key))
		if problem:
			yield f"{label}: {key} {df.get(key)!r} {problem}"
		for ref in refs:
			if not dt.has_field(ref):
				yield f"{label}: {key} refers to missing field '{ref}'"

	fetch_from = (df.get("fetch_from") or "").strip()
	if fetch_from:
		link_field, _, target_field = fetch_from.partition(".")
		link_df = dt.fields.get(link_field)
		if not target_field:
			yield f"{label}: fetch_from '{fetch_from}' is not 'link_field.target_field'"
		elif link_field == fn:
			yield f"{label}: fetch_from '{fetch_from}' refers to itself"
		elif link_df is None:
			yield f"{label}: fetch_from '{fetch_from}': no field '{link_field}' in {dt.name}"
		elif link_df.get("fieldtype") not in ("Link", "Dynamic Link"):
			yield f"{label}: fetch_from '{fetch_from}': '{link_field}' is a {link_df.get('fieldtype')}, not a Link"
		elif link_df.get("fieldtype") == "Link":  # a Dynamic Link's target doctype is only known at run time
			linked = app.doctype(link_df.get("options"))
			if linked is not None and not linked.has_field(target_field):
				yield f"{label}: fetch_from '{fetch_from}': {linked.name} has no field '{target_field}'"


def _check_naming(app: App, dt: DocTypeInfo, data: dict) -> Iterator[str]:
	autoname = (data.get("autoname") or "").strip()
	rule = data.get("naming_rule") or ""
	if autoname.startswith("field:"):
		ref = autoname[6:].strip()
		if not dt.has_field(ref, standard=False):
			yield f"autoname '{autoname}' refers to missing field '{ref}'"
	elif autoname.startswith("format:"):
		for param in BRACED_PARAM.findall(autoname):
			param = param.strip()
			if not param.startswith("#") and param not in NAMING_TOKENS and not dt.has_field(param):
				yield f"autoname '{autoname}': {{{param}}} is neither a field nor a date/series token"
	elif autoname.startswith("naming_series:") or rule == 'By "Naming Series" field':
		series = dt.fields.get("naming_series")
		if series is None:
			yield "names by naming series but has no naming_series field"
		elif series.get("fieldtype") != "Select" or not any(_select_options(series)):
			yield "naming_series field must be a Select with the series as options"
	if rule == "By fieldname" and not autoname.startswith("field:"):
		yield f"naming_rule 'By fieldname' needs autoname 'field:<fieldname>', not {autoname!r}"
	if rule == "Expression" and not autoname.startswith("format:"):
		yield f"naming_rule 'Expression' needs autoname 'format:...', not {autoname!r}"
	if rule == "Expression (old style)" and (not autoname or ":" in autoname):
		yield f"naming_rule 'Expression (old style)' needs a series like 'REF-.YYYY.-.#####', not {autoname!r}"


def _check_doctype_refs(app: App, dt: DocTypeInfo, data: dict) -> Iterator[str]:
	for key in ("title_field", "image_field", "timeline_field", "sender_field", "subject_field"):
		ref = data.get(key)
		if ref and not dt.has_field(ref, standard=False):
			yield f"{key} refers to missing field '{ref}'"
	if data.get("image_field") in dt.fields and dt.fieldtype(data["image_field"]) != "Attach Image":
		yield f"image_field '{data['image_field']}' must be an Attach Image field"
	if data.get("timeline_field") in dt.fields and dt.fieldtype(data["timeline_field"]) not in (
		"Link",
		"Dynamic Link",
	):
		yield f"timeline_field '{data['timeline_field']}' must be a Link or Dynamic Link"
	for ref in _split_csv(data.get("search_fields")):
		if not dt.has_field(ref, standard=False):
			yield f"search_fields refers to missing field '{ref}'"
		elif dt.fieldtype(ref) in NO_VALUE_FIELDTYPES:
			yield f"search_fields: '{ref}' is a {dt.fieldtype(ref)} and cannot be searched"
	for part in _split_csv(data.get("sort_field")):
		ref = part.split()[0]
		if not dt.has_field(ref):
			yield f"sort_field refers to missing field '{ref}'"
	sort_order = data.get("sort_order")
	if sort_order and sort_order.upper() not in ("ASC", "DESC"):
		yield f"sort_order must be ASC or DESC, not {sort_order!r}"
	field_order = data.get("field_order")
	if field_order is not None:
		listed, defined = set(field_order), {f.get("fieldname") for f in data.get("fields") or []}
		for fn in sorted(defined - listed):
			yield f"field_order does not list field '{fn}'"
		for fn in sorted(listed - defined):
			yield f"field_order lists missing field '{fn}'"
	for i, link in enumerate(data.get("links") or [], 1):
		target = app.doctype(link.get("link_doctype"))
		where = f"links (connections) row {i}"
		if target is None:
			yield f"{where}: link_doctype '{link.get('link_doctype')}' is not a known doctype"
			continue
		if not target.has_field(link.get("link_fieldname") or ""):
			yield f"{where}: {target.name} has no field '{link.get('link_fieldname')}'"
		if _int(link.get("is_child_table")):
			parent = app.doctype(link.get("parent_doctype"))
			if parent is None:
				yield f"{where}: parent_doctype '{link.get('parent_doctype')}' is not a known doctype"
			elif parent.fieldtype(link.get("table_fieldname") or "") not in TABLE_FIELDTYPES:
				yield f"{where}: {parent.name} has no table field '{link.get('table_fieldname')}'"


def _check_permission_rows(dt: DocTypeInfo) -> Iterator[str]:
	seen = set()
	for i, p in enumerate(dt.permissions, 1):
		role, level = p.get("role"), _int(p.get("permlevel"))
		where = f"permissions row {i} ({role}, level {level})"
		if not role:
			yield f"permissions row {i}: no role"
			continue
		key = (role, level, _int(p.get("if_owner")))
		if key in seen:
			yield f"{where}: duplicate rule for the same role, level and if_owner"
		seen.add(key)
		rights = {r for r in ("select", "read", "write", "create", "submit", "cancel") if _int(p.get(r))}
		if not rights:
			yield f"{where}: no basic permission set"
		if (_int(p.get("submit")) or _int(p.get("amend"))) and not dt.is_submittable:
			yield f"{where}: submit/amend set but the doctype is not submittable"
		if _int(p.get("cancel")) and not _int(p.get("submit")):
			yield f"{where}: cancel without submit"
		if (_int(p.get("submit")) or _int(p.get("cancel")) or _int(p.get("amend"))) and not _int(
			p.get("write")
		):
			yield f"{where}: submit, cancel or amend without write"
		if _int(p.get("import")) and not _int(p.get("create")):
			yield f"{where}: import without create"
		if level and role not in ("All", "Desk User"):
			if not any(q.get("role") == role and not _int(q.get("permlevel")) for q in dt.permissions):
				yield f"{where}: level {level} without a level 0 rule for the role"


def check_doctypes(app: App | Path) -> list[str]:
	"""Fields, options, expressions, fetch_from, naming, doctype-level references,
	connections, permission rules and controllers of every app doctype."""
	app = _as_app(app)
	problems = []
	for dt in app.doctypes.values():
		r, data = dt.record, dt.record.data
		fields = data.get("fields") or []
		methods: dict[str, bool] = {}
		controller = r.sibling(".py")
		if not _int(data.get("custom")):
			if not controller.exists():
				problems.append(f"{r.rel}: DocType '{dt.name}' has no controller {controller.name}")
			else:
				class_name = dt.name.replace(" ", "").replace("-", "")
				found, problem = _controller_methods(controller, class_name)
				if problem:
					problems.append(f"{app.rel(controller)}: {problem}")
				methods = found or {}
		counts: dict[str, int] = {}
		for i, df in enumerate(fields, 1):
			if not isinstance(df, dict) or not df.get("fieldname") or not df.get("fieldtype"):
				problems.append(f"{r.rel}: DocType '{dt.name}' fields row {i} has no fieldname or fieldtype")
				continue
			counts[df["fieldname"]] = counts.get(df["fieldname"], 0) + 1
			problems.extend(f"{r.rel}: DocType '{dt.name}' {p}" for p in _check_field(app, dt, df, methods))
		for fn, n in counts.items():
			if n > 1:
				problems.append(f"{r.rel}: DocType '{dt.name}' field '{fn}' is defined {n} times")
		folds = [i for i, df in enumerate(fields) if df.get("fieldtype") == "Fold"]
		if len(folds) > 1:
			problems.append(f"{r.rel}: DocType '{dt.name}' has more than one Fold")
		for i in folds[:1]:
			if i == len(fields) - 1 or fields[i + 1].get("fieldtype") != "Section Break":
				problems.append(f"{r.rel}: DocType '{dt.name}' Fold must come just before a Section Break")
		problems.extend(f"{r.rel}: DocType '{dt.name}' {p}" for p in _check_naming(app, dt, data))
		problems.extend(f"{r.rel}: DocType '{dt.name}' {p}" for p in _check_doctype_refs(app, dt, data))
		problems.extend(f"{r.rel}: DocType '{dt.name}' {p}" for p in _check_permission_rows(dt))
		if dt.istable and dt.is_submittable:
			problems.append(f"{r.rel}: DocType '{dt.name}' is a child table and cannot be submittable")
	return problems


def check_track_changes(app: App | Path) -> list[str]:
	"""Project rule: every non-child, non-single doctype of the app tracks changes."""
	app = _as_app(app)
	return [
		f"{dt.record.rel}: DocType '{dt.name}' must set track_changes = 1 (project rule)"
		for dt in app.doctypes.values()
		if not dt.istable and not dt.issingle and not _int(dt.record.data.get("track_changes"))
	]


# ---------------------------------------------------------------------------------------
# 3. Workflows
# ---------------------------------------------------------------------------------------


def check_workflows(app: App | Path) -> list[str]:
	"""Workflow documents in <package>/workflows: doctype and state field, states and
	transitions, Frappe's docstatus rules, submittable, reachability, role rights."""
	app = _as_app(app)
	problems = []
	active: dict[str, str] = {}
	for r in app.workflows:
		data = r.data
		wf = f"{r.rel}: Workflow '{data.get('workflow_name') or r.path.stem}'"
		dt_name = data.get("document_type")
		dt = app.doctypes.get(dt_name)
		if dt is None:
			problems.append(f"{wf}: document_type '{dt_name}' is not a doctype of the app")
		if _int(data.get("is_active")) and dt_name:
			if dt_name in active:
				problems.append(f"{wf}: a second active workflow for {dt_name} (also {active[dt_name]})")
			active[dt_name] = r.rel
		state_field = data.get("workflow_state_field")
		if not state_field:
			problems.append(f"{wf}: has no workflow_state_field")
		elif dt is not None and state_field not in dt.fields:
			problems.append(
				f"{wf}: workflow_state_field '{state_field}' is not a field in {dt_name}'s JSON "
				"(define it there, or Frappe adds a hidden Custom Field)"
			)

		states: dict[str, str] = {}
		order: list[str] = []
		for i, s in enumerate(data.get("states") or [], 1):
			name, docstatus = s.get("state"), str(s.get("doc_status", "0"))
			if not name:
				problems.append(f"{wf}: states row {i} has no state")
				continue
			if name in states:
				problems.append(f"{wf}: state '{name}' is listed twice")
			if docstatus not in ("0", "1", "2"):
				problems.append(f"{wf}: state '{name}' has doc_status {docstatus!r}, expected 0, 1 or 2")
			states[name] = docstatus
			order.append(name)
			update_field = s.get("update_field")
			if update_field and dt is not None and not dt.has_field(update_field, standard=False):
				problems.append(
					f"{wf}: state '{name}' update_field '{update_field}' is not a field of {dt_name}"
				)
		if not states:
			problems.append(f"{wf}: has no states")
			continue
		if dt is not None and not dt.is_submittable and {"1", "2"} & set(states.values()):
			problems.append(
				f"{wf}: states with doc_status 1/2 need {dt_name} to be submittable (is_submittable = 1)"
			)

		update_fields = {s.get("state"): s.get("update_field") for s in data.get("states") or []}
		edges: dict[str, set[str]] = {}
		seen_rows = set()
		for i, t in enumerate(data.get("transitions") or [], 1):
			src, dst, action, role = t.get("state"), t.get("next_state"), t.get("action"), t.get("allowed")
			where = f"{wf}: transition {i} ({src} -[{action}]-> {dst})"
			if not (action or "").strip():
				problems.append(f"{where}: has no action")
			if not role:
				problems.append(f"{where}: has no allowed role")
			for key, state in (("state", src), ("next_state", dst)):
				if state not in states:
					problems.append(f"{where}: {key} '{state}' is not one of the workflow's states")
			row = (src, action, role, (t.get("condition") or "").strip())
			if row in seen_rows:
				problems.append(f"{where}: duplicate of an earlier transition")
			seen_rows.add(row)
			if t.get("condition"):
				refs, problem = python_doc_refs(t["condition"])
				if problem:
					problems.append(f"{where}: condition {problem}")
				for ref in refs:
					if dt is not None and not dt.has_field(ref):
						problems.append(f"{where}: condition reads missing field doc.{ref}")
			if src not in states or dst not in states:
				continue
			edges.setdefault(src, set()).add(dst)
			before, after = states[src], states[dst]
			if before == "2":
				problems.append(f"{where}: nothing may leave a cancelled (2) state")
			elif before == "1" and after == "0":
				problems.append(f"{where}: cannot go from submitted (1) back to draft (0)")
			elif before == "0" and after == "2":
				problems.append(f"{where}: cannot cancel (0 -> 2) before submitting")
			right = TRANSITION_RIGHT.get((before, after))
			if (
				right
				and role
				and role != "Administrator"
				and dt is not None
				and not dt.has_right(role, right)
			):
				problems.append(
					f"{where}: role '{role}' has no '{right}' permission on {dt_name}, which the "
					f"docstatus {before} -> {after} transition needs"
				)
			# Document.validate_higher_perm_levels resets fields the user may not write
			for fn in (state_field, update_fields.get(dst)):
				level = _int((dt.fields.get(fn) or {}).get("permlevel")) if dt is not None and fn else 0
				if level and role and role != "Administrator" and not dt.has_right(role, "write", level):
					problems.append(
						f"{where}: '{fn}' is at permlevel {level} and role '{role}' cannot write it there, "
						"so Frappe resets it on save"
					)

		reached, todo = {order[0]}, [order[0]]
		while todo:
			for nxt in edges.get(todo.pop(), ()):
				if nxt not in reached:
					reached.add(nxt)
					todo.append(nxt)
		for name in order:
			if name not in reached:
				problems.append(f"{wf}: state '{name}' is not reachable from '{order[0]}'")
	return problems


# ---------------------------------------------------------------------------------------
# 4. Reports, print formats, web forms, notifications, workspaces, cards, charts
# ---------------------------------------------------------------------------------------


def check_reports(app: App | Path) -> list[str]:
	"""ref_doctype exists; Script Reports are standard with an execute() in <name>.py;
	report roles can report on ref_doctype."""
	app = _as_app(app)
	problems = []
	for r in app.of_kind("report"):
		data, where = r.data, f"{r.rel}: Report '{r.name}'"
		if data.get("report_name") != r.name:
			problems.append(f"{where}: report_name {data.get('report_name')!r} differs from its name")
		dt = app.doctype(data.get("ref_doctype"))
		if dt is None:
			problems.append(f"{where}: ref_doctype '{data.get('ref_doctype')}' is not a known doctype")
		report_type = data.get("report_type")
		if report_type not in REPORT_TYPES:
			problems.append(f"{where}: unknown report_type {report_type!r}")
		if report_type == "Script Report":
			py = r.sibling(".py")
			if data.get("is_standard") != "Yes":
				problems.append(f"{where}: a Script Report shipped by the app must have is_standard 'Yes'")
			if not py.exists():
				problems.append(f"{where}: Script Report has no {py.name}")
			elif not _has_function(py, "execute"):
				problems.append(f"{where}: {py.name} has no top-level execute(filters=None)")
		elif report_type == "Query Report" and not (data.get("query") or "").strip():
			problems.append(f"{where}: Query Report has no query")
		if data.get("json"):
			try:
				json.loads(data["json"])
			except json.JSONDecodeError as e:
				problems.append(f"{where}: json is not valid JSON ({e})")
		if dt is not None and dt.is_app:
			for row in data.get("roles") or []:
				role = row.get("role")
				if role and role != "Administrator" and not dt.has_right(role, "report"):
					problems.append(
						f"{where}: role '{role}' may open the report but has no 'report' permission on "
						f"{dt.name} (frappe.desk.query_report refuses it)"
					)
	return problems


def print_format_template(r: Record) -> str | None:
	"""The template Frappe renders: <name>.html beside the JSON wins over the html key."""
	html_file = r.sibling(".html")
	if html_file.exists():
		return html_file.read_text(encoding="utf-8")
	return r.data.get("html")


def check_print_formats(app: App | Path) -> list[str]:
	"""doc_type exists; a template is there; doc.<field> reads exist on doc_type."""
	app = _as_app(app)
	problems = []
	for r in app.of_kind("print_format"):
		data, where = r.data, f"{r.rel}: Print Format '{r.name}'"
		dt = app.doctype(data.get("doc_type"))
		if dt is None:
			problems.append(f"{where}: doc_type '{data.get('doc_type')}' is not a known doctype")
		template = print_format_template(r)
		custom = _int(data.get("custom_format")) or data.get("standard") == "Yes"
		if custom and not (template or "").strip() and not _int(data.get("raw_printing")):
			problems.append(f"{where}: no template ({r.sibling('.html').name} or html)")
		if data.get("print_format_type") == "JS" or not template or dt is None:
			continue
		tree, _error = parse_jinja(template)  # syntax errors: check_templates
		if tree is not None:
			for ref in _missing_template_fields(app, dt, tree, PRINT_DOC_ATTRS):
				problems.append(f"{where}: template reads {ref}")
	return problems


def check_web_forms(app: App | Path) -> list[str]:
	"""doc_type exists; each web form field exists there with the same fieldtype (and
	Link target); list columns and depends_on expressions name real fields."""
	app = _as_app(app)
	problems = []
	for r in app.of_kind("web_form"):
		data, where = r.data, f"{r.rel}: Web Form '{r.name}'"
		dt = app.doctype(data.get("doc_type"))
		if dt is None:
			problems.append(f"{where}: doc_type '{data.get('doc_type')}' is not a known doctype")
			continue
		if not data.get("route"):
			problems.append(f"{where}: has no route")
		for i, wf in enumerate(data.get("web_form_fields") or [], 1):
			fn, ft = wf.get("fieldname"), wf.get("fieldtype")
			if ft in WEB_FORM_LAYOUT_TYPES:
				continue
			label = f"{where}: field {i} '{fn}'"
			if not fn or fn not in dt.fields:
				problems.append(f"{label}: is not a field of {dt.name}")
				continue
			df = dt.fields[fn]
			if ft != df.get("fieldtype"):
				problems.append(f"{label}: fieldtype {ft!r} but {dt.name}.{fn} is {df.get('fieldtype')!r}")
			elif (
				ft in ("Link", *TABLE_FIELDTYPES) and wf.get("options") and wf["options"] != df.get("options")
			):
				problems.append(
					f"{label}: options {wf['options']!r} but {dt.name}.{fn} links to {df.get('options')!r}"
				)
			for key in DEPENDS_ON_KEYS:
				refs, problem = depends_on_refs(wf.get(key))
				if problem:
					problems.append(f"{label}: {key} {wf.get(key)!r} {problem}")
				for ref in refs:
					if not dt.has_field(ref):
						problems.append(f"{label}: {key} refers to missing field '{ref}'")
		for i, col in enumerate(data.get("list_columns") or [], 1):
			if col.get("fieldname") and not dt.has_field(col["fieldname"]):
				problems.append(f"{where}: list column {i} '{col['fieldname']}' is not a field of {dt.name}")
	return problems


def notification_message(r: Record) -> tuple[str | None, Path | None]:
	"""The message Frappe sends: <name>.<ext by message_type> beside the JSON, else the key."""
	ext = NOTIFICATION_FORMATS.get(r.data.get("message_type") or "Markdown", ".md")
	path = r.sibling(ext)
	if path.exists():
		return path.read_text(encoding="utf-8"), path
	return r.data.get("message"), None


def check_notifications(app: App | Path) -> list[str]:
	"""document_type and every field the notification names exist; events fit the
	doctype; recipients are e-mail or User fields; templates read real fields."""
	app = _as_app(app)
	problems = []
	for r in app.of_kind("notification"):
		data, where = r.data, f"{r.rel}: Notification '{r.name}'"
		dt = app.doctype(data.get("document_type"))
		if dt is None:
			problems.append(f"{where}: document_type '{data.get('document_type')}' is not a known doctype")
			continue
		event, channel = data.get("event"), data.get("channel") or "Email"
		if event not in NOTIFICATION_EVENTS:
			problems.append(f"{where}: unknown event {event!r}")
		if event in ("Submit", "Cancel") and not dt.is_submittable:
			problems.append(f"{where}: event '{event}' but {dt.name} is not submittable")
		if event == "Method" and not data.get("method"):
			problems.append(f"{where}: event 'Method' needs a method")
		if event in ("Days Before", "Days After") and not data.get("date_changed"):
			problems.append(f"{where}: event '{event}' needs date_changed")
		if event == "Value Change" and not data.get("value_changed"):
			problems.append(f"{where}: event 'Value Change' needs value_changed")
		for key in ("value_changed", "date_changed", "set_property_after_alert"):
			ref = data.get(key)
			if ref and not dt.has_field(ref, standard=key == "date_changed"):
				problems.append(f"{where}: {key} '{ref}' is not a field of {dt.name}")
		if data.get("date_changed") and dt.fieldtype(data["date_changed"]) not in (DATE_FIELDTYPES | {None}):
			problems.append(f"{where}: date_changed '{data['date_changed']}' is not a Date/Datetime field")
		if data.get("set_property_after_alert") and data.get("property_value") is None:
			problems.append(f"{where}: set_property_after_alert without property_value")
		if channel in ("Email", "Slack", "System Notification") and not (data.get("subject") or "").strip():
			problems.append(f"{where}: has no subject")
		if data.get("print_format") and _int(data.get("attach_print")):
			pf = app.named("print_format", data["print_format"])
			if pf is None:
				problems.append(
					f"{where}: print_format '{data['print_format']}' is not a print format of the app"
				)
			elif pf.data.get("doc_type") != dt.name:
				problems.append(f"{where}: print_format '{pf.name}' is for {pf.data.get('doc_type')}")

		message, _path = notification_message(r)
		if channel == "Email" and not (message or "").strip():
			ext = NOTIFICATION_FORMATS.get(data.get("message_type") or "Markdown", ".md")
			problems.append(f"{where}: no message (message key or {r.path.stem}{ext})")
		message_type = data.get("message_type") or "Markdown"
		wanted = NOTIFICATION_FORMATS.get(message_type, ".md")
		for other in sorted(set(NOTIFICATION_FORMATS.values()) - {wanted}):
			if r.sibling(other).exists():
				problems.append(
					f"{where}: {r.sibling(other).name} is ignored: message_type {message_type!r} "
					f"reads {r.path.stem}{wanted}"
				)
		for key, source in (("subject", data.get("subject")), ("message", message)):
			tree, _error = parse_jinja(source or "")  # syntax errors: check_templates
			if tree is not None:
				for ref in _missing_template_fields(app, dt, tree):
					problems.append(f"{where}: {key} reads {ref}")
		conditions = [("condition", data.get("condition"))] + [
			(f"recipients row {i} condition", rec.get("condition"))
			for i, rec in enumerate(data.get("recipients") or [], 1)
		]
		for key, condition in conditions:
			if not (condition or "").strip():
				continue
			refs, problem = python_doc_refs(condition)
			if problem:
				problems.append(f"{where}: {key} {problem}")
			for ref in refs:
				if not dt.has_field(ref):
					problems.append(f"{where}: {key} reads missing field doc.{ref}")

		recipients = data.get("recipients") or []
		if channel == "Email" and not recipients and not _int(data.get("send_to_all_assignees")):
			problems.append(f"{where}: has no recipients")
		for i, rec in enumerate(recipients, 1):
			spec = (rec.get("receiver_by_document_field") or "").strip()
			if not spec or spec == "owner":
				continue
			parts = [p.strip() for p in spec.split(",")]
			holder, fieldname = dt, parts[0]
			if len(parts) > 1:
				table_df = dt.fields.get(parts[1])
				if table_df is None or table_df.get("fieldtype") not in TABLE_FIELDTYPES:
					problems.append(
						f"{where}: recipients row {i} '{spec}': '{parts[1]}' is not a table of {dt.name}"
					)
					continue
				holder = app.doctype(table_df.get("options"))
				if holder is None:
					continue
			df = holder.fields.get(fieldname)
			if df is None:
				problems.append(
					f"{where}: recipients row {i} '{spec}': {holder.name} has no field '{fieldname}'"
				)
			elif channel == "Email" and not (
				(df.get("fieldtype") == "Link" and df.get("options") == "User")
				or df.get("options") == "Email"
			):
				problems.append(
					f"{where}: recipients row {i} '{spec}': {holder.name}.{fieldname} holds no e-mail "
					"(use a Link to User or a Data field with options Email)"
				)
	return problems


def _workspace_block_labels(data: dict) -> dict[str, set[str]]:
	cards = {lk.get("label") for lk in data.get("links") or [] if lk.get("type") == "Card Break"}
	return {
		"shortcut": {s.get("label") or s.get("link_to") for s in data.get("shortcuts") or []},
		"card": cards,
		"chart": {c.get("label") or c.get("chart_name") for c in data.get("charts") or []},
		"number_card": {c.get("label") or c.get("number_card_name") for c in data.get("number_cards") or []},
	}


def check_workspaces(app: App | Path) -> list[str]:
	"""Links and shortcuts lead to real doctypes and reports; number cards and charts are
	the app's; every block in content names an existing shortcut, card, chart or number card."""
	app = _as_app(app)
	problems = []
	cards, charts = app.names("number_card"), app.names("dashboard_chart")
	for r in app.of_kind("workspace"):
		data, where = r.data, f"{r.rel}: Workspace '{r.name}'"
		if data.get("label") != r.name:
			problems.append(f"{where}: label {data.get('label')!r} differs from its name")
		for i, lk in enumerate(data.get("links") or [], 1):
			if lk.get("type") == "Card Break":
				continue
			problems.extend(
				_check_link_target(app, f"{where}: link {i}", lk.get("link_type"), lk.get("link_to"))
			)
			report = app.named("report", lk.get("link_to")) if lk.get("link_type") == "Report" else None
			if report is not None and report.data.get("report_type") in ("Script Report", "Query Report"):
				if not _int(lk.get("is_query_report")):
					problems.append(
						f"{where}: link {i} to {report.data['report_type']} needs is_query_report = 1"
					)
		for i, sc in enumerate(data.get("shortcuts") or [], 1):
			problems.extend(
				_check_link_target(app, f"{where}: shortcut {i}", sc.get("type"), sc.get("link_to"))
			)
		for i, nc in enumerate(data.get("number_cards") or [], 1):
			if nc.get("number_card_name") not in cards:
				problems.append(
					f"{where}: number card {i} '{nc.get('number_card_name')}' is not a number card of the app"
				)
		for i, ch in enumerate(data.get("charts") or [], 1):
			if ch.get("chart_name") not in charts:
				problems.append(
					f"{where}: chart {i} '{ch.get('chart_name')}' is not a dashboard chart of the app"
				)
		try:
			blocks = json.loads(data.get("content") or "[]")
		except json.JSONDecodeError as e:
			problems.append(f"{where}: content is not valid JSON ({e})")
			continue
		labels = _workspace_block_labels(data)
		for block in blocks if isinstance(blocks, list) else []:
			kind = block.get("type") if isinstance(block, dict) else None
			if kind in labels:
				name = (block.get("data") or {}).get(f"{kind}_name")
				if name not in labels[kind]:
					problems.append(
						f"{where}: content {kind} block '{name}' matches no {kind} of the workspace"
					)
	return problems


def _check_link_target(app: App, where: str, link_type: str | None, link_to: str | None) -> list[str]:
	if link_type == "DocType" and app.doctype(link_to) is None:
		return [f"{where}: DocType '{link_to}' does not exist"]
	if link_type == "Report" and not app.report_exists(link_to or ""):
		return [f"{where}: Report '{link_to}' does not exist"]
	return []


def _check_filters(app: App, where: str, key: str, raw: str | None, default_doctype: str) -> list[str]:
	if not raw:
		return []
	try:
		filters = json.loads(raw)
	except json.JSONDecodeError as e:
		return [f"{where}: {key} is not valid JSON ({e})"]
	problems = []
	rows = filters.items() if isinstance(filters, dict) else enumerate(filters or [])
	for _key, row in rows:
		if isinstance(row, list) and len(row) >= 2 and isinstance(row[1], str):
			dt = app.doctype(row[0])
			if dt is None:
				problems.append(f"{where}: {key} doctype '{row[0]}' does not exist")
			elif not dt.has_field(row[1]):
				problems.append(f"{where}: {key} field '{row[1]}' is not a field of {dt.name}")
		elif isinstance(filters, dict):
			dt = app.doctype(default_doctype)
			if dt is not None and not dt.has_field(_key):
				problems.append(f"{where}: {key} field '{_key}' is not a field of {dt.name}")
	return problems


def _check_field_refs(app: App, where: str, dt: DocTypeInfo, data: dict, keys: Iterable[str]) -> list[str]:
	return [
		f"{where}: {key} '{data[key]}' is not a field of {dt.name}"
		for key in keys
		if data.get(key) and not dt.has_field(data[key])
	]


def check_number_cards(app: App | Path) -> list[str]:
	"""document_type, aggregate field and filter fields exist; report cards name a report."""
	app = _as_app(app)
	problems = []
	for r in app.of_kind("number_card"):
		data, where = r.data, f"{r.rel}: Number Card '{r.name}'"
		card_type = data.get("type") or "Document Type"
		if card_type == "Report":
			if not app.report_exists(data.get("report_name") or ""):
				problems.append(f"{where}: report_name '{data.get('report_name')}' does not exist")
			continue
		if card_type == "Custom":
			if not data.get("method"):
				problems.append(f"{where}: a Custom card needs a method")
			continue
		dt = app.doctype(data.get("document_type"))
		if dt is None:
			problems.append(f"{where}: document_type '{data.get('document_type')}' does not exist")
			continue
		function = data.get("function") or "Count"
		if function != "Count" and not data.get("aggregate_function_based_on"):
			problems.append(f"{where}: function '{function}' needs aggregate_function_based_on")
		problems.extend(_check_field_refs(app, where, dt, data, ["aggregate_function_based_on"]))
		agg = data.get("aggregate_function_based_on")
		if function != "Count" and agg in dt.fields and dt.fieldtype(agg) not in NUMERIC_FIELDTYPES:
			problems.append(f"{where}: aggregate_function_based_on '{agg}' is not a number field")
		problems.extend(_check_filters(app, where, "filters_json", data.get("filters_json"), dt.name))
		problems.extend(
			_check_filters(app, where, "dynamic_filters_json", data.get("dynamic_filters_json"), dt.name)
		)
		if data.get("parent_document_type") and app.doctype(data["parent_document_type"]) is None:
			problems.append(f"{where}: parent_document_type '{data['parent_document_type']}' does not exist")
	return problems


def check_dashboard_charts(app: App | Path) -> list[str]:
	"""document_type and based_on / value / group-by / aggregate / filter fields exist."""
	app = _as_app(app)
	problems = []
	for r in app.of_kind("dashboard_chart"):
		data, where = r.data, f"{r.rel}: Dashboard Chart '{r.name}'"
		if data.get("chart_name") != r.name:
			problems.append(f"{where}: chart_name {data.get('chart_name')!r} differs from its name")
		chart_type = data.get("chart_type") or "Count"
		if chart_type == "Report":
			if not app.report_exists(data.get("report_name") or ""):
				problems.append(f"{where}: report_name '{data.get('report_name')}' does not exist")
			continue
		if chart_type == "Custom":
			continue
		dt = app.doctype(data.get("document_type"))
		if dt is None:
			problems.append(f"{where}: document_type '{data.get('document_type')}' does not exist")
			continue
		keys = ["based_on", "value_based_on", "group_by_based_on", "aggregate_function_based_on"]
		problems.extend(_check_field_refs(app, where, dt, data, keys))
		if chart_type == "Group By":
			if not data.get("group_by_based_on"):
				problems.append(f"{where}: a Group By chart needs group_by_based_on")
			if data.get("group_by_type") in ("Sum", "Average") and not data.get(
				"aggregate_function_based_on"
			):
				problems.append(
					f"{where}: group_by_type '{data['group_by_type']}' needs aggregate_function_based_on"
				)
		else:
			if not data.get("based_on"):
				problems.append(f"{where}: a {chart_type} chart needs based_on (a date field)")
			elif dt.fieldtype(data["based_on"]) not in (DATE_FIELDTYPES | {None}):
				problems.append(f"{where}: based_on '{data['based_on']}' is not a Date/Datetime field")
			if chart_type in ("Sum", "Average") and not data.get("value_based_on"):
				problems.append(f"{where}: a {chart_type} chart needs value_based_on")
		problems.extend(_check_filters(app, where, "filters_json", data.get("filters_json"), dt.name))
		problems.extend(
			_check_filters(app, where, "dynamic_filters_json", data.get("dynamic_filters_json"), dt.name)
		)
	return problems


def check_templates(app: App | Path) -> list[str]:
	"""Jinja templates parse: print formats, notification subjects and messages, and web
	form texts that contain Jinja."""
	app = _as_app(app)
	sources: list[tuple[str, str | None]] = []
	for r in app.of_kind("print_format"):
		if r.data.get("print_format_type") != "JS":
			html_file = r.sibling(".html")
			where = app.rel(html_file) if html_file.exists() else f"{r.rel}: html"
			sources.append((f"{where} (Print Format '{r.name}')", print_format_template(r)))
	for r in app.of_kind("notification"):
		message, path = notification_message(r)
		sources.append((f"{r.rel}: subject (Notification '{r.name}')", r.data.get("subject")))
		where = app.rel(path) if path else f"{r.rel}: message"
		sources.append((f"{where} (Notification '{r.name}')", message))
	for r in app.of_kind("web_form"):
		for key in ("introduction_text", "success_message", "list_title"):
			text = r.data.get(key) or ""
			if "{{" in text or "{%" in text:
				sources.append((f"{r.rel}: {key} (Web Form '{r.name}')", text))
	problems = []
	for where, source in sources:
		_tree, error = parse_jinja(source or "")
		if error:
			problems.append(f"{where}: {error}")
	return problems


# ---------------------------------------------------------------------------------------
# 5. Roles
# ---------------------------------------------------------------------------------------


def role_references(app: App) -> Iterator[tuple[str, str]]:
	"""(where, role) for every role the app names."""
	for dt in app.doctypes.values():
		for i, p in enumerate(dt.permissions, 1):
			yield f"{dt.record.rel}: DocType '{dt.name}' permissions row {i}", p.get("role")
	for r in app.workflows:
		wf = f"{r.rel}: Workflow '{r.data.get('workflow_name') or r.path.stem}'"
		for s in r.data.get("states") or []:
			if s.get("allow_edit"):
				yield f"{wf}: state '{s.get('state')}' allow_edit", s["allow_edit"]
		for i, t in enumerate(r.data.get("transitions") or [], 1):
			if t.get("allowed"):
				yield (
					f"{wf}: transition {i} ({t.get('state')} -[{t.get('action')}]->) allowed",
					t["allowed"],
				)
	for kind in ("report", "workspace", "dashboard_chart"):
		for r in app.of_kind(kind):
			for row in r.data.get("roles") or []:
				yield f"{r.rel}: {KINDS[kind]} '{r.name}' roles", row.get("role")
	for r in app.of_kind("notification"):
		for i, rec in enumerate(r.data.get("recipients") or [], 1):
			if rec.get("receiver_by_role"):
				yield f"{r.rel}: Notification '{r.name}' recipients row {i}", rec["receiver_by_role"]


def check_roles(app: App | Path) -> list[str]:
	"""Every role named anywhere is an app role (fixtures/role.json) or one of Frappe's."""
	app = _as_app(app)
	known = app.roles
	return [
		f"{where}: role '{role}' does not exist" for where, role in role_references(app) if role not in known
	]


CHECKS: tuple[Callable[[App], list[str]], ...] = (
	check_files,
	check_doctypes,
	check_track_changes,
	check_workflows,
	check_reports,
	check_print_formats,
	check_web_forms,
	check_notifications,
	check_workspaces,
	check_number_cards,
	check_dashboard_charts,
	check_templates,
	check_roles,
)


def check_all(app_root: Path | str) -> list[str]:
	"""Every problem every check finds in the app at app_root ([] when consistent)."""
	app = load_app(app_root)
	return [problem for check in CHECKS for problem in check(app)]


if __name__ == "__main__":
	import sys

	found = check_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
	print("\n".join(found) or "metadata consistent")
	sys.exit(1 if found else 0)
