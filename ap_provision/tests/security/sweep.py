"""The isolation sweep, bench tier: every endpoint of the site, called as every user
who must not see (or change) some of the data, against a world full of canaries. docs/security.md
("Isolation sweep") describes it for people; this is the machinery.

1. **Canaries** (``build``, ``plant``). The security suite's committed world (``world.py``) is
   extended (an EHC referral accepted for a panel per school, a user of provider B) and every
   free-text field of every record of the app's doctypes and their child rows gets a unique
   canary (``CNRY`` + 12 hex digits), with a Version holding the edit as Frappe records one.
   Each record is saved once, so that what the app copies elsewhere in code is copied; records
   about the organisation-scoped records (comment, private file, ToDo, communication,
   notification log, activity log, access log, deleted document) are made through Frappe's APIs;
   the database is scanned for where each canary ended up.
2. **Who may not read what** (``Model``, ``forbidden_canaries``) comes from the site's permission
   model: DocPerm rows and levels of the user's roles, their User Permissions. A canary is
   forbidden when no spot holding it is readable: where it was planted, a field of the same record
   at the same level, or a field the meta declares a copy of it (``fetch_from``).
3. **Attackers** (``choose_attackers``): school B's referrer, provider B's user, and every LA role
   with something it may not read (roles that may not read the same and have the same rights on it
   are swept once).
4. **Endpoints** (``Sweep``): every whitelisted function of every installed app (``frappe.whitelisted``
   after importing every module), controller methods through every route Frappe offers for them,
   every route of ``frappe.api.API_URL_MAP``, ``/printview`` with every print format, every web form
   route of the app, private files; list and count endpoints are also asked filter questions
   (oracles). Parameters are filled from their names (``Sweep.values``).
5. **Judged** (``Sweep.judge``, ``Sweep.check_pending``): a forbidden canary in a response is a
   leak; the requests' SQL is watched, and after a request that committed a write to a watched
   table the world is fingerprinted, each change judged against the request that wrote it and put
   back; 5xx are split between the app's doctypes and Frappe elsewhere.

Requests run through ``frappe.app.application`` with werkzeug's test client in a thread each (as
``client.py`` does), with API-key auth, in parallel workers that each have their own Frappe
context. ``sweep_conditions`` holds what keeps the sweep safe and bounded.
"""

from __future__ import annotations

import importlib
import inspect
import io
import itertools
import json
import pkgutil
import random
import re
import socket
import threading
import time
import traceback
import typing
import zipfile
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest.mock import patch

import frappe
from frappe.utils import add_days, today
from frappe.utils.password import set_encrypted_password

from ap_provision.tests import factories
from ap_provision.tests.security import world

APP = "ap_provision"
# This module as a traceback names it: its wrapper of the database layer is in every SQL error.
SWEEP_FILE = __name__.replace(".", "/") + ".py"
CANARY_RE = re.compile(r"CNRY[0-9a-f]{12}", re.IGNORECASE)
PROBE = "SWPPROBE"
TEXT_TYPES = (
	"Data",
	"Small Text",
	"Text",
	"Long Text",
	"Text Editor",
	"Markdown Editor",
	"HTML Editor",
	"Code",
)
CALL_TIMEOUT = 90
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
LOCKED_RE = re.compile(
	r"QueryTimeoutError|QueryDeadlockError|Lock wait timeout|Deadlock found|being modified by another"
)
# Columns Frappe keeps on every row; a change of these alone is judged apart from fields.
META_COLUMNS = {
	"name",
	"owner",
	"creation",
	"modified",
	"modified_by",
	"docstatus",
	"idx",
	"parent",
	"parentfield",
	"parenttype",
	"_user_tags",
	"_comments",
	"_assign",
	"_liked_by",
	"_seen",
}
_rand = random.Random(14)


def new_canary() -> str:
	return "CNRY" + "".join(_rand.choice("0123456789abcdef") for _ in range(12))


def canaries_in(text: str) -> set[str]:
	return {"CNRY" + c[4:].lower() for c in CANARY_RE.findall(text)}


def new_probe() -> str:
	return PROBE + "".join(_rand.choice("0123456789abcdef") for _ in range(8))


def app_doctypes() -> list[str]:
	modules = frappe.get_all("Module Def", filters={"app_name": APP}, pluck="name")
	return frappe.get_all("DocType", filters={"module": ("in", modules)}, pluck="name", order_by="name")


# -- where canaries are ------------------------------------------------------------------------


@dataclass(frozen=True)
class Spot:
	"""A field of a record holding a canary (a row of a child table knows its parent; a record
	about another record, such as a Comment or a File, knows which: ``about``)."""

	doctype: str
	name: str
	field: str
	parenttype: str | None = None
	parent: str | None = None
	about: tuple[str, str] | None = None

	def record(self) -> tuple[str, str]:
		return (self.parenttype, self.parent) if self.parenttype else (self.doctype, self.name)

	def label(self) -> str:
		return f"{self.doctype}.{self.field}"


class Model:
	"""The site's permission model for one user: DocPerm rows of their roles and their User
	Permissions, read from the meta. Records are judged as they were when the world was planted
	(``rows``), so what an attacker manages to change never widens what they may see."""

	def __init__(self, user: str, rows: dict[tuple[str, str], dict]):
		self.user = user
		self.roles = set(frappe.get_roles(user))
		self.rows = rows
		self.user_permissions: dict[str, set[str]] = defaultdict(set)
		for p in frappe.get_all("User Permission", filters={"user": user}, fields=["allow", "for_value"]):
			self.user_permissions[p.allow].add(p.for_value)
		self._levels: dict[tuple[str, str], set[int]] = {}

	def levels(self, doctype: str, ptype: str = "read") -> set[int]:
		"""Permission levels of `doctype` the user has `ptype` on (none without level 0)."""
		key = (doctype, ptype)
		if key not in self._levels:
			levels = {
				p.permlevel or 0
				for p in frappe.get_meta(doctype).permissions
				if p.role in self.roles and p.get(ptype) and not p.if_owner
			}
			self._levels[key] = levels if 0 in levels else set()
		return self._levels[key]

	def row(self, doctype: str, name: str) -> dict | None:
		if (doctype, name) not in self.rows:
			self.rows[(doctype, name)] = frappe.db.get_value(doctype, name, "*", as_dict=True)
		return self.rows[(doctype, name)]

	def in_organisation(self, doctype: str, name: str) -> bool:
		"""A record of one of the user's organisations: any Link of the record to a doctype the
		user has User Permissions on names one of theirs (the app's scope rule); always for users
		without User Permissions and for records with no such link."""
		if not self.user_permissions:
			return True
		if doctype in self.user_permissions:
			return name in self.user_permissions[doctype]
		row = self.row(doctype, name) or {}
		links = [
			df
			for df in frappe.get_meta(doctype).get_link_fields()
			if df.options in self.user_permissions and df.fieldname not in ("owner", "modified_by")
		]
		if not links:
			return True
		return any(row.get(df.fieldname) in self.user_permissions[df.options] for df in links)

	def can(self, doctype: str, name: str, ptype: str = "read", level: int = 0) -> bool:
		"""Whether the user may `ptype` the record at `level` (a child row: its parent)."""
		meta = frappe.get_meta(doctype)
		if meta.istable:
			row = self.row(doctype, name) or {}
			if not row.get("parenttype"):
				return False
			return self.can(row["parenttype"], row["parent"], ptype, level)
		if level not in self.levels(doctype, ptype):
			return False
		return self.in_organisation(doctype, name)

	def field_level(self, doctype: str, fieldname: str) -> int:
		df = frappe.get_meta(doctype).get_field(fieldname)
		return (df.permlevel or 0) if df else 0

	def reads(self, spot: Spot) -> bool:
		if spot.about:
			return self.can(*spot.about)
		doctype, name = spot.record()
		level = self.field_level(spot.doctype, spot.field)
		return self.can(doctype, name, "read", level)

	def writes(self, doctype: str, name: str, fieldname: str | None = None) -> bool:
		level = self.field_level(doctype, fieldname) if fieldname else 0
		if frappe.get_meta(doctype).istable:
			row = self.row(doctype, name) or {}
			return bool(row.get("parenttype")) and self.can(row["parenttype"], row["parent"], "write", level)
		return self.can(doctype, name, "write", level)


# -- the world ---------------------------------------------------------------------------------


@dataclass
class SweepWorld:
	base: world.World
	users: dict[str, str]  # attacker key -> email
	planted: dict[str, Spot] = field(default_factory=dict)  # canary -> spot it was planted in
	found: dict[str, list[Spot]] = field(default_factory=dict)  # canary -> spots holding it now
	records: list[tuple[str, str]] = field(default_factory=list)  # planted records (parents)
	rows: dict[tuple[str, str], dict] = field(default_factory=dict)  # every planted row, as planted
	files: dict[str, bytes] = field(default_factory=dict)  # File name -> content on disk
	file_paths: dict[str, str] = field(default_factory=dict)
	about: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # trail -> record
	deleted: list[tuple[str, str]] = field(default_factory=list)
	planting_problems: list[str] = field(default_factory=list)


PROVIDER_B_USER = "AP Provider User B"


def build() -> SweepWorld:
	"""The security suite's world, extended, with a canary in every free-text field."""
	base = world.build()
	frappe.set_user("Administrator")
	users = dict(base.users)
	users[PROVIDER_B_USER] = factories.make_user(
		world.user_for("AP Provider User", "B"), ["AP Provider User"], provider=world.PROVIDERS["B"]
	)
	world.exact_roles(users[PROVIDER_B_USER], ["AP Provider User"])
	with muted_mail():
		for scope in world.SCHOOLS:
			accepted_referral(scope)
	frappe.db.commit()
	sw = SweepWorld(base=base, users=users)
	with muted_mail():
		plant(sw)
	frappe.db.commit()
	return sw


@contextmanager
def muted_mail():
	with patch("frappe.desk.doctype.notification_log.notification_log.send_notification_email"):
		yield


def accepted_referral(scope: str) -> str:
	"""A referral of an EHC pupil (with complete evidence and an adviser's row) accepted for the
	panel of the suite's placements (in the past, so no live referral joins it)."""
	panel_day, _start = world.placement_dates()
	with world.frozen(f"{add_days(panel_day, -12)} 09:00:00"):
		world.track("Panel", factories.make_panel(panel_day).name)
		referral = factories.make_accepted_referral(
			world.SCHOOLS[scope],
			"Year 8",
			panel_date=panel_day,
			last_name=world.PUPIL_SURNAME,
			has_ehc_plan=1,
		)
	return referral.name


def planted_records() -> list[tuple[str, str]]:
	"""Every record of the app's (non-single, non-child) doctypes that the world made."""
	names = world.suite_names()
	out = []
	for doctype in app_doctypes():
		meta = frappe.get_meta(doctype)
		if meta.issingle or meta.istable:
			continue
		for name in names.get(doctype, []):
			if doctype == "AP Provider" and name not in world.PROVIDERS.values():
				continue  # providers made by other tests' payloads
			if frappe.db.exists(doctype, name):
				out.append((doctype, name))
	return out


def text_fields(meta) -> list:
	"""The free-text fields of a doctype that can take a canary (not the fields its name is made
	from, not phone numbers, not fields too short to hold one)."""
	autoname = meta.autoname or ""
	naming = set(re.findall(r"\{(\w+)\}", autoname)) | (
		{autoname.split(":", 1)[1]} if autoname.startswith("field:") else set()
	)
	return [
		df
		for df in meta.fields
		if df.fieldtype in TEXT_TYPES
		and df.fieldname not in naming
		and (df.options or "") != "Phone"
		and not (df.length and df.length < 40)  # too short for a canary (a UPN)
	]


def canary_value(df, canary: str) -> str:
	if (df.options or "") == "Email":
		return f"{canary}@example.org"
	if (df.options or "") == "URL":
		return f"https://example.org/{canary}"
	return canary


def plant(sw: SweepWorld):
	"""Canaries in every free-text field of every record (raw writes, one Version per record as
	Frappe would keep), then a save of each record so the app's own copies happen, then records
	about them through Frappe's APIs; finally the database is scanned for every canary."""
	sw.records = planted_records()
	for doctype, name in sw.records:
		plant_record(sw, doctype, name)
	for doctype, name in sw.records:
		resave(sw, doctype, name)
	scoped = scoped_doctypes()
	for doctype, name in sw.records:
		if doctype in scoped:
			plant_trails(sw, doctype, name)
	plant_deleted_document(sw)
	frappe.db.commit()
	scan(sw)
	snapshot_rows(sw)


def scoped_doctypes() -> set[str]:
	"""The app's doctypes whose records belong to an organisation: a Link to a doctype that
	users are given User Permissions on (a school, a provider). Records about records (comments,
	files, ...) are planted on these: they are what schools and providers keep apart."""
	allowed = set(frappe.get_all("User Permission", pluck="allow", distinct=True))
	return {
		doctype
		for doctype in app_doctypes()
		if not frappe.get_meta(doctype).istable
		and any(df.options in allowed for df in frappe.get_meta(doctype).get_link_fields())
	}


def plant_record(sw: SweepWorld, doctype: str, name: str):
	meta = frappe.get_meta(doctype)
	row = frappe.db.get_value(doctype, name, "*", as_dict=True)
	values, changed = {}, []
	for df in text_fields(meta):
		canary = new_canary()
		values[df.fieldname] = canary_value(df, canary)
		sw.planted[canary] = Spot(doctype, name, df.fieldname)
		changed.append([df.fieldname, row.get(df.fieldname), values[df.fieldname]])
	if values:
		frappe.db.set_value(doctype, name, values, update_modified=False)
	row_changed = []
	for table in meta.get_table_fields():
		child_meta = frappe.get_meta(table.options)
		rows = frappe.get_all(
			table.options,
			filters={"parenttype": doctype, "parent": name, "parentfield": table.fieldname},
			fields=["*"],
		)
		if not rows:
			rows = [new_child_row(table.options, doctype, name, table.fieldname)]
		for child in rows:
			child_values = {}
			for df in text_fields(child_meta):
				canary = new_canary()
				child_values[df.fieldname] = canary_value(df, canary)
				sw.planted[canary] = Spot(table.options, child.name, df.fieldname, doctype, name)
			if child_values:
				frappe.db.set_value(table.options, child.name, child_values, update_modified=False)
				row_changed.append(
					[
						table.fieldname,
						child.idx,
						child.name,
						[[k, child.get(k), v] for k, v in child_values.items()],
					]
				)
	if meta.track_changes and (changed or row_changed):
		frappe.get_doc(
			{
				"doctype": "Version",
				"ref_doctype": doctype,
				"docname": name,
				"data": frappe.as_json(
					{"changed": changed, "added": [], "removed": [], "row_changed": row_changed}
				),
			}
		).insert(ignore_permissions=True)


def new_child_row(child_doctype: str, parenttype: str, parent: str, parentfield: str):
	"""A row added to an empty child table, its mandatory fields filled."""
	meta = frappe.get_meta(child_doctype)
	values = {}
	for df in meta.fields:
		if not df.reqd:
			continue
		if df.fieldtype == "Select":
			values[df.fieldname] = next((o for o in (df.options or "").split("\n") if o), None)
		elif df.fieldtype in ("Date", "Datetime"):
			values[df.fieldname] = today()
		elif df.fieldtype == "Link":
			values[df.fieldname] = frappe.db.get_value(df.options, {}, "name")
		elif df.fieldtype in ("Int", "Float", "Currency", "Check"):
			values[df.fieldname] = 0
	doc = frappe.get_doc(
		{
			"doctype": child_doctype,
			"parenttype": parenttype,
			"parent": parent,
			"parentfield": parentfield,
			"idx": 1,
			**values,
		}
	)
	doc.db_insert()
	return frappe._dict(doc.as_dict())


def resave(sw: SweepWorld, doctype: str, name: str):
	"""Save the record as it is, so its controller copies what it copies (a refused save is
	noted: the record keeps its raw canaries)."""
	frappe.db.savepoint("sweep_resave")
	try:
		frappe.get_doc(doctype, name).save(ignore_permissions=True)
	except Exception as e:
		frappe.db.rollback(save_point="sweep_resave")
		frappe.clear_messages()
		sw.planting_problems.append(f"{doctype} {name}: saved as is refused ({type(e).__name__})")


def plant_trails(sw: SweepWorld, doctype: str, name: str):
	"""Records about the record, made as Frappe makes them, each with canaries in its text."""
	about = (doctype, name)
	doc = frappe.get_doc(doctype, name)
	canary = new_canary()
	comment = doc.add_comment("Comment", text=canary)
	trail(sw, "Comment", comment.name, "content", canary, about)

	name_canary, content_canary = new_canary(), new_canary()
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"{name_canary}.txt",
			"attached_to_doctype": doctype,
			"attached_to_name": name,
			"is_private": 1,
			"content": content_canary.encode(),
		}
	).insert(ignore_permissions=True)
	trail(sw, "File", file.name, "file_name", name_canary, about)
	trail(sw, "File", file.name, "content", content_canary, about)
	sw.files[file.name] = content_canary.encode()
	sw.file_paths[file.name] = file.get_full_path()

	canary = new_canary()
	todo = frappe.get_doc(
		{
			"doctype": "ToDo",
			"description": canary,
			"reference_type": doctype,
			"reference_name": name,
			"allocated_to": "Administrator",
		}
	).insert(ignore_permissions=True)
	trail(sw, "ToDo", todo.name, "description", canary, about)

	subject, content = new_canary(), new_canary()
	communication = frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": subject,
			"content": content,
			"reference_doctype": doctype,
			"reference_name": name,
		}
	).insert(ignore_permissions=True)
	trail(sw, "Communication", communication.name, "subject", subject, about)
	trail(sw, "Communication", communication.name, "content", content, about)

	subject = new_canary()
	log = frappe.get_doc(
		{
			"doctype": "Notification Log",
			"subject": subject,
			"document_type": doctype,
			"document_name": name,
			"for_user": "Administrator",
			"type": "Alert",
		}
	).insert(ignore_permissions=True)
	trail(sw, "Notification Log", log.name, "subject", subject, about)

	subject = new_canary()
	activity = frappe.get_doc(
		{
			"doctype": "Activity Log",
			"subject": subject,
			"reference_doctype": doctype,
			"reference_name": name,
			"status": "Success",
		}
	).insert(ignore_permissions=True)
	trail(sw, "Activity Log", activity.name, "subject", subject, about)

	page = new_canary()
	access = frappe.get_doc(
		{
			"doctype": "Access Log",
			"export_from": doctype,
			"reference_document": name,
			"file_type": "PDF",
			"method": "Print",
			"page": page,
			"user": "Administrator",
		}
	).insert(ignore_permissions=True)
	trail(sw, "Access Log", access.name, "page", page, about)


def trail(sw: SweepWorld, doctype: str, name: str, fieldname: str, canary: str, about):
	sw.planted[canary] = Spot(doctype, name, fieldname, about=about)
	sw.about[(doctype, name)] = about


def plant_deleted_document(sw: SweepWorld):
	"""A pupil of school A with canaries, deleted: Frappe keeps it as a Deleted Document."""
	name = world.make_pupil("A")
	plant_record(sw, "Pupil", name)
	row = frappe.db.get_value("Pupil", name, "*", as_dict=True)
	sw.rows[("Pupil", name)] = row
	frappe.delete_doc("Pupil", name, ignore_permissions=True, force=True)
	deleted = frappe.db.get_value("Deleted Document", {"deleted_doctype": "Pupil", "deleted_name": name})
	sw.deleted.append(("Pupil", name))
	for canary, spot in list(sw.planted.items()):
		if spot.doctype == "Pupil" and spot.name == name:
			sw.planted[canary] = Spot("Deleted Document", deleted, "data", about=("Pupil", name))
	sw.about[("Deleted Document", deleted)] = ("Pupil", name)


def scan(sw: SweepWorld):
	"""Where each canary is now: every text column of the app's tables (and their child
	tables), and the spots of the records about them."""
	found: dict[str, list[Spot]] = defaultdict(list)
	for doctype in app_doctypes():
		meta = frappe.get_meta(doctype)
		if meta.issingle:
			continue
		columns = [df.fieldname for df in meta.fields if df.fieldtype in TEXT_TYPES]
		if not columns:
			continue
		extra = ", parenttype, parent" if meta.istable else ""
		where = " or ".join(f"`{c}` like '%%CNRY%%'" for c in columns)
		for row in frappe.db.sql(
			f"select name{extra}, {', '.join(f'`{c}`' for c in columns)} from `tab{doctype}` where {where}",
			as_dict=True,
		):
			for column in columns:
				for canary in canaries_in(row.get(column) or ""):
					found[canary].append(
						Spot(doctype, row.name, column, row.get("parenttype"), row.get("parent"))
					)
	for canary, spot in sw.planted.items():
		if spot.about:
			found[canary].append(spot)
	sw.found = dict(found)
	sw.planted = {c: s for c, s in sw.planted.items() if c in sw.found}


def snapshot_rows(sw: SweepWorld):
	"""Every planted row as planted: the permission model judges records as they were."""
	for doctype, name in sw.records:
		sw.rows[(doctype, name)] = frappe.db.get_value(doctype, name, "*", as_dict=True)
		for table in frappe.get_meta(doctype).get_table_fields():
			for row in frappe.get_all(
				table.options, filters={"parenttype": doctype, "parent": name}, fields=["*"]
			):
				sw.rows[(table.options, row.name)] = row


def declared_copy(spot: Spot, origin: Spot) -> bool:
	"""A spot whose reading the meta allows for readers of the origin: the origin itself, a field
	of the same record at the same level, or a field fetched from a link (``fetch_from``)."""
	if spot == origin or spot.about:
		return spot == origin
	meta = frappe.get_meta(spot.doctype)
	df = meta.get_field(spot.field)
	if df and df.fetch_from:
		return True
	if (spot.doctype, spot.name) == (origin.doctype, origin.name) and not origin.about:
		origin_df = frappe.get_meta(origin.doctype).get_field(origin.field)
		return (df.permlevel or 0) == ((origin_df.permlevel or 0) if origin_df else 0)
	return False


def forbidden_canaries(sw: SweepWorld, model: Model) -> dict[str, Spot]:
	"""The canaries the user may not read, with the spot each was planted in."""
	out = {}
	for canary, origin in sw.planted.items():
		spots = [s for s in sw.found.get(canary, [origin]) if declared_copy(s, origin)]
		if origin not in spots:
			spots.append(origin)
		if not any(model.reads(s) for s in spots):
			out[canary] = origin
	return out


def cleanup():
	"""Remove what the sweep made beyond the suite's world (removed by ``world.cleanup``):
	Deleted Documents of its records, and every row any suite user owns in any table."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	frappe.db.sql("delete from `tabDeleted Document` where data like '%%CNRY%%'")
	frappe.db.sql("delete from `tabAccess Log` where page like '%%CNRY%%'")
	frappe.db.sql("delete from `tabActivity Log` where subject like '%%CNRY%%'")
	frappe.db.sql("delete from `tabNotification Log` where subject like '%%CNRY%%'")
	users = frappe.get_all("User", filters={"name": ("like", "sec8-%@example.org")}, pluck="name")
	if users:
		for doctype in frappe.get_all("DocType", filters={"issingle": 0, "is_virtual": 0}, pluck="name"):
			table = f"tab{doctype}"
			try:
				columns = frappe.db.get_table_columns(doctype)
			except Exception:
				continue
			for column in ("owner", "user", "for_user", "allocated_to"):
				if column in columns and doctype not in ("User", "User Permission", "Has Role"):
					frappe.db.sql(
						f"delete from `{table}` where `{column}` in %(users)s", {"users": tuple(users)}
					)
		frappe.db.sql("delete from `__UserSettings` where user in %(users)s", {"users": tuple(users)})
	world.cleanup()
	frappe.db.commit()


# -- calling the site as a user ----------------------------------------------------------------

_TRACEBACKS: dict[int, str] = {}
_WRITES: dict[int, dict[str, set]] = {}  # request thread -> tables written (pending, committed)
WRITE_RE = re.compile(
	r"^\s*(?:insert\s+(?:ignore\s+)?into|replace\s+into|update|delete\s+from)\s+(?:`tab([^`]+)`|tab(\w+))",
	re.IGNORECASE,
)


@dataclass
class Reply:
	status: int
	body: bytes
	content_type: str = ""
	traceback: str = ""
	wrote: dict = field(default_factory=dict)  # table -> the write statements the request committed

	@property
	def text(self) -> str:
		return self.body.decode("utf-8", "replace")

	@property
	def json(self):
		try:
			return json.loads(self.body)
		except ValueError:
			return {}


class Client:
	"""A user with an API key calling the site through ``frappe.app.application`` (werkzeug's
	test client, a thread per request with its own ``frappe.local`` and connection)."""

	def __init__(self, email: str):
		from frappe.utils import get_test_client

		self.email = email
		self.site = frappe.local.site
		self.client = get_test_client(use_cookies=False)
		self.rekeyed = 0
		self.make_key()

	def make_key(self):
		key = frappe.db.get_value("User", self.email, "api_key")
		if not key:
			key = frappe.generate_hash(length=15)
			frappe.db.set_value("User", self.email, "api_key", key, update_modified=False)
		secret = frappe.generate_hash(length=15)
		set_encrypted_password("User", self.email, secret, "api_secret")
		frappe.db.commit()
		self.headers = {"Authorization": f"token {key}:{secret}", "X-Frappe-Site-Name": self.site}

	def request(self, method: str, path: str, **kwargs) -> Reply:
		# A request closes the file streams of its form: asked again, it gets new ones.
		form = kwargs.get("data") if isinstance(kwargs.get("data"), dict) else {}
		files = {k: (v[0].getvalue(), v[1]) for k, v in form.items() if isinstance(v, tuple)}
		reply = self._request(method, path, **kwargs)
		if reply.status == 401:  # the key stopped working (a reset of the user's own keys)
			self.rekeyed += 1
			self.make_key()
			if files:
				kwargs["data"] = {**form, **{k: (io.BytesIO(b), n) for k, (b, n) in files.items()}}
			reply = self._request(method, path, **kwargs)
		return reply

	def _request(self, method: str, path: str, **kwargs) -> Reply:
		box: dict = {}

		def run():
			ident = threading.get_ident()
			_TRACEBACKS.pop(ident, None)
			writes = _WRITES[ident] = {"pending": [], "committed": []}
			try:
				headers = {**self.headers, "X-Forwarded-For": next_address()}
				response = self.client.open(path, method=method, headers=headers, buffered=True, **kwargs)
				box["reply"] = Reply(
					response.status_code,
					response.get_data(),
					response.headers.get("Content-Type", ""),
					_TRACEBACKS.pop(ident, ""),
				)
			except Exception as e:  # the pipeline itself failed: a 5xx
				box["reply"] = Reply(599, f"client-side failure: {e!r}".encode(), "", traceback.format_exc())
			finally:
				_WRITES.pop(ident, None)
				box.setdefault("reply", Reply(599, b"", "", "no reply"))
				wrote = defaultdict(list)
				for table, statement in writes["committed"] + writes["pending"]:
					wrote[table].append(statement)
				box["reply"].wrote = dict(wrote)

		thread = threading.Thread(target=run, daemon=True)
		thread.start()
		thread.join(CALL_TIMEOUT)
		if thread.is_alive():
			return Reply(0, b"", "", "timed out")
		return box["reply"]


_addresses = itertools.count(1)


def next_address() -> str:
	"""An address of its own for each call: Frappe's rate limits count per address (web form
	posts: 10 a minute), and the sweep calls far more often than a person would."""
	n = next(_addresses)
	return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


@contextmanager
def sweep_conditions():
	"""For the length of the sweep: Frappe's exception handler also records the traceback for
	the judge (the client gets the same answer as ever); the database layer notes which tables
	each request wrote to and committed (so the world is fingerprinted only after a request that
	could have changed it, and the change is that request's); connections to anything but this
	machine are refused (no whitelisted method reaches the outside world); background jobs are
	held, not queued."""
	import frappe.app

	original_handler = frappe.app.handle_exception

	def handle_exception(e):
		_TRACEBACKS[threading.get_ident()] = "".join(traceback.format_exception(e))
		return original_handler(e)

	original_connect = socket.socket.connect
	refused = []

	def connect(sock, address):
		if sock.family in (socket.AF_INET, socket.AF_INET6):
			host = address[0]
			if not (host in ("localhost", "::1") or host.startswith("127.")):
				refused.append(host)
				raise OSError(f"the isolation sweep refuses connections to {host}")
		return original_connect(sock, address)

	from frappe.database.database import Database

	original_sql = Database.sql

	def sql(db, query, *args, **kwargs):
		writes = _WRITES.get(threading.get_ident())
		if writes is not None:
			text = str(query)
			head = text.lstrip()[:20].lower()
			if match := WRITE_RE.match(text):
				values = args[0] if args else kwargs.get("values")
				writes["pending"].append((match.group(1) or match.group(2), f"{text} {values!r}"))
			elif head.startswith("commit"):
				writes["committed"] += writes["pending"]
				writes["pending"] = []
			elif head.startswith("rollback") and "savepoint" not in head:
				writes["pending"] = []
		return original_sql(db, query, *args, **kwargs)

	jobs: list[str] = []

	class HeldQueue:
		"""Background jobs a request enqueues are noted, not queued: no worker runs them later
		as the attacker (they are counted in the figures)."""

		def __init__(self, *args, **kwargs):
			pass

		def enqueue_call(self, *args, **kwargs):
			jobs.append(str((kwargs.get("kwargs") or {}).get("method")))
			return frappe._dict(id=f"held-{len(jobs)}", get_status=lambda: "finished")

	with (
		patch("frappe.app.handle_exception", handle_exception),
		patch.object(socket.socket, "connect", connect),
		patch.object(Database, "sql", sql),
		patch("frappe.utils.background_jobs.get_queue", HeldQueue),
	):
		yield refused, jobs


# -- the world's fingerprint: what a call may have changed -------------------------------------


def reference_pairs() -> list[tuple[str, str, str]]:
	"""Frappe's doctypes that keep records about documents: (doctype, field naming the
	doctype, field naming the document), found from the meta: a Link to DocType (or a Data field
	named for a doctype) paired with the Dynamic Link or name field next to it."""
	pairs = []
	for doctype in frappe.get_all(
		"DocType", filters={"istable": 0, "issingle": 0, "is_virtual": 0}, pluck="name", order_by="name"
	):
		meta = frappe.get_meta(doctype)
		if meta.module in frappe.get_all("Module Def", filters={"app_name": APP}, pluck="name"):
			continue
		fields = {df.fieldname: df for df in meta.fields}
		doctype_fields = [
			df
			for df in meta.fields
			if (df.fieldtype == "Link" and df.options == "DocType")
			or (df.fieldtype == "Data" and re.search(r"(doctype|^export_from)$", df.fieldname))
		]
		for dt_field in doctype_fields:
			dynamic = [
				df.fieldname
				for df in meta.fields
				if df.fieldtype == "Dynamic Link" and df.options == dt_field.fieldname
			]
			stem = re.sub(r"(doctype|_type|_dt)$", "", dt_field.fieldname)
			named = [
				f
				for f in (
					f"{stem}name",
					f"{stem}_name",
					f"{stem}docname",
					f"{stem}_docname",
					"docname",
					"document_name",
					"reference_document",
					"reference_name",
				)
				if f in fields and fields[f].fieldtype in ("Data", "Dynamic Link", "Link")
			]
			name_field = (dynamic or named or [None])[0]
			if name_field:
				pairs.append((doctype, dt_field.fieldname, name_field))
				break
	return pairs


@dataclass
class Change:
	table: str
	name: str
	what: str  # "changed", "added", "removed", "count"
	columns: list[str] = field(default_factory=list)
	part: int = -1
	row: dict = field(default_factory=dict)  # the row as it is now (or was, when removed)


class Fingerprint:
	"""One query that hashes every watched row: the planted records, their child rows, the
	records about them (except logs), the row counts of the app's tables, and the attackers'
	own roles and permissions. ``restore`` puts the snapshot back."""

	def __init__(self, sw: SweepWorld, attackers: list[str]):
		self.sw = sw
		self.attackers = attackers
		self.parts: list[tuple[str, str]] = []  # (table, where)
		by_doctype = defaultdict(list)
		for doctype, name in sw.records:
			by_doctype[doctype].append(name)
		for doctype, names in by_doctype.items():
			self.parts.append((doctype, f"name in {sql_list(names)}"))
			for table in frappe.get_meta(doctype).get_table_fields():
				self.parts.append(
					(
						table.options,
						f"parenttype = {frappe.db.escape(doctype)} and parent in {sql_list(names)}",
					)
				)
		self.pairs = [p for p in reference_pairs() if not p[0].endswith(" Log")]
		self.pair_of: dict[int, tuple[str, str]] = {}
		all_names = [name for _doctype, name in sw.records]
		for rd, dt_field, name_field in self.pairs:
			self.pair_of[len(self.parts)] = (dt_field, name_field)
			self.parts.append(
				(
					rd,
					f"`{dt_field}` in {sql_list(sorted(by_doctype))} and `{name_field}` in {sql_list(all_names)}",
				)
			)
		self.parts.append(("Has Role", f"parent in {sql_list(attackers)}"))
		self.parts.append(("User Permission", f"user in {sql_list(attackers)}"))
		self.counted = [d for d in app_doctypes() if not frappe.get_meta(d).issingle]
		self.tables = {table for table, _where in self.parts} | set(self.counted) | {"User"}
		self.columns = {table: frappe.db.get_table_columns(table) for table, _w in self.parts}
		self.sql = self.build_sql()
		self.take_snapshot()

	def build_sql(self) -> str:
		selects = []
		for i, (table, where) in enumerate(self.parts):
			cols = ", ".join(f"ifnull(`{c}`, '~')" for c in self.columns[table])
			selects.append(
				f"select {i} as t, name as k, md5(concat_ws(char(31), {cols})) as h from `tab{table}` where {where}"
			)
		for doctype in self.counted:
			selects.append(
				f"select -1 as t, {frappe.db.escape(doctype)} as k, count(*) as h from `tab{doctype}`"
			)
		selects.append(
			f"select -2 as t, name as k, md5(concat_ws(char(31), enabled, ifnull(api_key, ''))) as h from `tabUser` where name in {sql_list(self.attackers)}"
		)
		return " union all ".join(selects)

	def read(self) -> dict:
		frappe.db.rollback()  # a fresh snapshot: see what the requests committed
		try:
			return {(t, k): h for t, k, h in frappe.db.sql(self.sql)}
		finally:
			frappe.db.rollback()

	def take_snapshot(self):
		frappe.db.commit()
		self.rows = {}
		for i, (table, where) in enumerate(self.parts):
			for row in frappe.db.sql(f"select * from `tab{table}` where {where}", as_dict=True):
				self.rows[(i, row["name"])] = row
		self.users = {
			u: frappe.db.get_value("User", u, ["enabled", "api_key"], as_dict=True) for u in self.attackers
		}
		self.names = {d: set(frappe.get_all(d, pluck="name")) for d in self.counted}
		self.baseline = self.read()

	def changes(self, current: dict) -> list[Change]:
		out = []
		for key in set(self.baseline) | set(current):
			if self.baseline.get(key) == current.get(key):
				continue
			t, k = key
			if t == -1:
				out.append(Change(k, "", "count"))
			elif t == -2:
				out.append(Change("User", k, "changed", ["enabled or api_key"]))
			else:
				table = self.parts[t][0]
				now = frappe.db.sql(f"select * from `tab{table}` where name = %s", k, as_dict=True)
				now = now[0] if now else {}
				if key not in current:
					out.append(Change(table, k, "removed", part=t, row=self.rows.get(key, {})))
				elif key not in self.baseline:
					out.append(Change(table, k, "added", part=t, row=now))
				else:
					before = self.rows.get(key, {})
					columns = [c for c in before if str(now.get(c)) != str(before.get(c))]
					out.append(Change(table, k, "changed", columns, part=t, row=now))
		return out

	def new_records(self, doctype: str) -> list[dict]:
		return [
			row
			for row in frappe.db.sql(f"select * from `tab{doctype}`", as_dict=True)
			if row["name"] not in self.names[doctype]
		]

	def restore(self, changes: list[Change]):
		"""Put every watched row back as it was, remove records that were not there."""
		frappe.db.rollback()
		tables = {c.table for c in changes}
		for i, (table, where) in enumerate(self.parts):
			if table not in tables:
				continue
			frappe.db.sql(f"delete from `tab{table}` where {where}")
			rows = [row for (t, _name), row in self.rows.items() if t == i]
			if rows:
				frappe.db.sql(f"delete from `tab{table}` where name in {sql_list(r['name'] for r in rows)}")
			for row in rows:
				insert_row(table, row)
		for change in changes:
			if change.what == "count":
				for row in self.new_records(change.table):
					for child in frappe.get_meta(change.table).get_table_fields():
						frappe.db.delete(child.options, {"parenttype": change.table, "parent": row["name"]})
					frappe.db.delete(change.table, {"name": row["name"]})
			if change.table == "User":
				values = self.users[change.name]
				frappe.db.set_value("User", change.name, values, update_modified=False)
		for name, content in self.sw.files.items():
			path = self.sw.file_paths[name]
			with open(path, "wb") as f:
				f.write(content)
		frappe.db.commit()
		for doctype, name in self.sw.records:
			frappe.clear_document_cache(doctype, name)
		for user in self.attackers:
			frappe.clear_cache(user=user)
		now = self.read()
		for change in changes:  # not put back (a count of records of others' tests, say): accepted
			key = next((k for k in now if k[1] == (change.name or change.table)), None)
			if key and now.get(key) != self.baseline.get(key):
				self.baseline[key] = now[key]


def insert_row(table: str, row: dict):
	columns = list(row)
	frappe.db.sql(
		f"insert into `tab{table}` ({', '.join(f'`{c}`' for c in columns)}) values ({', '.join(['%s'] * len(columns))})",
		[row[c] for c in columns],
	)


def sql_list(values) -> str:
	values = list(values) or [""]
	return "(" + ", ".join(frappe.db.escape(v) for v in values) + ")"


# -- reading a response ----------------------------------------------------------------------


def response_text(reply: Reply) -> str:
	"""Everything a client could read in the response: JSON or HTML as sent, the text of a PDF,
	the sheets of a spreadsheet (any zip), with the body's raw bytes too."""
	body = reply.body
	parts = [body.decode("latin-1")]
	if body[:4] == b"%PDF":
		parts.append(pdf_text(body))
	if body[:2] == b"PK":
		try:
			with zipfile.ZipFile(io.BytesIO(body)) as z:
				parts.extend(z.read(n).decode("utf-8", "replace") for n in z.namelist())
		except zipfile.BadZipFile:
			pass
	return "\n".join(parts)


def pdf_text(body: bytes) -> str:
	from pypdf import PdfReader

	try:
		reader = PdfReader(io.BytesIO(body))
		text = []
		for page in reader.pages:
			text.append(page.extract_text() or "")
			contents = page.get_contents()
			if contents is not None:
				text.append(contents.get_data().decode("latin-1"))
		return "\n".join(text).replace("\n", "")
	except Exception as e:
		return f"(unreadable PDF: {e!r})"


# -- what there is to call ---------------------------------------------------------------------

SKIPPED_PACKAGES = ("tests", "test", "patches", "commands")


def import_everything() -> list[tuple[str, str]]:
	"""Import every module of every installed app (test modules, patches and CLI commands
	excepted), so ``frappe.whitelisted`` holds every whitelisted function; returns the modules
	that failed to import."""
	failed = []
	for app in frappe.get_installed_apps():
		package = importlib.import_module(app)
		for info in pkgutil.walk_packages(package.__path__, f"{app}."):
			parts = info.name.split(".")
			if any(p in SKIPPED_PACKAGES or p.startswith("test_") for p in parts[1:]):
				continue
			try:
				importlib.import_module(info.name)
			except BaseException as e:  # a module that cannot load has nothing to call
				failed.append((info.name, type(e).__name__))
	return failed


@dataclass
class Param:
	name: str
	required: bool
	native: bool  # annotated as dict or list only: sent as JSON values, not strings
	default: typing.Any = None


@dataclass
class Method:
	fn: typing.Any
	path: str
	doctype: str | None  # a controller method: its doctype ("*" for Document's own)
	http: list[str]
	params: list[Param]
	files: bool = False  # reads uploaded files

	@property
	def names(self) -> set[str]:
		return {p.name for p in self.params}


def scrubbed_doctypes() -> dict[str, str]:
	return {frappe.scrub(d): d for d in frappe.get_all("DocType", pluck="name")}


def whitelisted_methods() -> list[Method]:
	doctypes = scrubbed_doctypes()
	out = []
	for fn in list(frappe.whitelisted):
		qualname = fn.__qualname__
		doctype = None
		if "." in qualname:  # a controller method
			module = fn.__module__
			if module == "frappe.model.document":
				doctype = "*"
			else:
				doctype = doctypes.get(module.rsplit(".", 1)[-1])
			path = f"{module}.{qualname}"
		else:
			path = f"{fn.__module__}.{fn.__name__}"
		params, files = signature_params(fn)
		http = list(frappe.allowed_http_methods_for_whitelisted_func.get(fn, ["GET", "POST"]))
		out.append(Method(fn, path, doctype, http, params, files))
	return sorted(out, key=lambda m: m.path)


def signature_params(fn) -> tuple[list[Param], bool]:
	"""The parameters a whitelisted function takes: its signature, or for one that reads the
	request's form directly (no parameters), the keys its source reads from it."""
	try:
		source = inspect.getsource(inspect.unwrap(fn))
	except (OSError, TypeError):
		source = ""
	params = []
	try:
		signature = inspect.signature(fn)
	except (TypeError, ValueError):
		signature = None
	if signature:
		for p in signature.parameters.values():
			if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
				continue
			annotation = str(p.annotation) if p.annotation is not p.empty else ""
			native = bool(re.search(r"\b(dict|list)\b", annotation)) and "str" not in annotation
			params.append(
				Param(p.name, p.default is p.empty, native, None if p.default is p.empty else p.default)
			)
	if not params and re.search(r"form_dict|get_form_params", source):
		keys = set(re.findall(r"form_dict\.(?:get\(\s*)?[\"']?(\w+)", source))
		keys |= set(re.findall(r"form_dict\[\s*[\"'](\w+)", source))
		keys |= set(re.findall(r"form_params\.(?:get\(|pop\()?\s*[\"']?(\w+)", source))
		if "get_form_params" in source:
			from frappe.model.db_query import DatabaseQuery

			keys |= set(inspect.signature(DatabaseQuery.execute).parameters) - {"self", "args", "kwargs"}
		keys -= {"get", "pop", "update", "items", "keys", "cmd", "setdefault", "copy"}
		params = [Param(k, k == "doctype", False) for k in sorted(keys)]
	return params, "request.files" in source


DOCTYPE_NAMES = {"dt", "reference_type", "document_type", "child_type", "ref_dt", "reference_dt"}
NAME_NAMES = {
	"name",
	"docname",
	"dn",
	"doc_name",
	"document_name",
	"reference_name",
	"reference_docname",
	"ref_docname",
	"source_name",
	"old_name",
	"old",
	"link_name",
	"share_name",
	"reminder_docname",
	"reference_doc",
	"attached_to_name",
}
NAMES_NAMES = {"docnames", "names", "source_names"}
FILTER_NAMES = {"filters", "current_filters", "or_filters", "extra_filters", "export_filters", "filter"}
FIELD_NAMES = {"fieldname", "field", "searchfield", "field_name", "group_by", "workflow_state_field"}
FIELDS_NAMES = {"fields", "select_columns", "columns"}
SEARCH_NAMES = {"txt", "text", "search_text", "search_term", "query", "search", "q"}
PRINT_NAMES = {"print_format", "format"}
REPORT_NAMES = {"report_name", "reference_report", "report"}
WEB_FORM_NAMES = {"web_form", "web_form_name"}
FILE_NAMES = {"file_url", "file_path"}
USER_NAMES = {"user", "to_user", "for_user", "allocated_to", "user_email", "email", "recipients", "sender"}
HOSTILE_NAMES = {"ignore_permissions", "ignore_user_permissions", "ignore_permission", "as_admin"}
BAG_NAMES = {"args", "kwargs", "params", "options", "values", "settings"}
INT_NAMES = {"start", "limit_start", "page_length", "page_len", "limit", "limit_page_length", "page"}
DATE_NAMES = {"from_date", "to_date", "date", "start_date", "end_date", "remind_at", "as_on", "census_date"}
# Parameters filled even when optional: they point the call at the target.
TARGETING = (
	NAME_NAMES
	| NAMES_NAMES
	| FILTER_NAMES
	| FIELD_NAMES
	| FIELDS_NAMES
	| PRINT_NAMES
	| WEB_FORM_NAMES
	| FILE_NAMES
	| HOSTILE_NAMES
	| {"txt", "text", "search_text", "search_term", "doc", "docs", "document", "data", "stats"}
)


def has_doctype_param(m) -> bool:
	return any(is_doctype_param(n) for n in m.names)


def is_doctype_param(name: str) -> bool:
	return name == "doctype" or name.endswith("doctype") or name in DOCTYPE_NAMES


@dataclass
class Target:
	doctype: str
	name: str
	readable: bool  # the attacker may read the record itself (some fields are forbidden)
	canaries: list[str]  # forbidden canaries the record holds
	fields: list[str]  # fields of the record holding them
	parenttype: str | None = None
	parent: str | None = None

	def label(self) -> str:
		return f"{self.doctype} {self.name}"


@dataclass
class Finding:
	kind: str
	attacker: str
	endpoint: str
	detail: str


class Attacker:
	def __init__(self, key: str, email: str, sw: SweepWorld):
		self.key = key
		self.email = email
		self.model = Model(email, dict(sw.rows))
		self.forbidden = forbidden_canaries(sw, self.model)
		self.client: Client | None = None
		self.targets: list[Target] = []

	@property
	def portal(self) -> bool:
		return bool(self.model.user_permissions)


def choose_attackers(sw: SweepWorld) -> list[Attacker]:
	"""School B's referrer, provider B's user, and every LA role (a user of the world without
	User Permissions) with something it may not read."""
	out = [
		Attacker("School Referrer B", sw.users["School Referrer B"], sw),
		Attacker(PROVIDER_B_USER, sw.users[PROVIDER_B_USER], sw),
	]
	for key, email in sorted(sw.users.items()):
		if key in ("School Referrer B", PROVIDER_B_USER) or frappe.db.exists(
			"User Permission", {"user": email}
		):
			continue
		roles = set(frappe.get_roles(email)) - {"All", "Guest", "Desk User"}
		if len(roles) != 1 or "System Manager" in roles:
			continue
		attacker = Attacker(key, email, sw)
		if attacker.forbidden:
			out.append(attacker)
	return same_surface_once(out)


def same_surface_once(attackers: list[Attacker]) -> list[Attacker]:
	"""LA roles that may not read exactly the same canaries, and have the same rights (every
	DocPerm right at every level) on every doctype holding one, meet the same answers from every
	endpoint: the sweep calls as one of them (the one with fewest rights elsewhere)."""
	groups: dict[tuple, list[Attacker]] = defaultdict(list)
	for a in attackers:
		if a.portal:
			groups[(a.key,)].append(a)
			continue
		doctypes = sorted({s.record()[0] if not s.about else s.doctype for s in a.forbidden.values()})
		rights = tuple(
			(d, ptype, tuple(sorted(a.model.levels(d, ptype))))
			for d in doctypes
			for ptype in ("read", "write", "create", "submit", "cancel", "delete")
		)
		groups[(frozenset(a.forbidden), rights)].append(a)
	out = []
	for group in groups.values():
		group.sort(
			key=lambda a: (
				sum(
					len(a.model.levels(d, p))
					for d in app_doctypes()
					for p in ("write", "create", "delete", "submit")
				),
				a.key,
			)
		)
		out.append(group[0])
		for other in group[1:]:
			group[0].also = [*getattr(group[0], "also", []), other.key]
	return sorted(out, key=lambda a: (not a.portal, a.key))


def find_targets(sw: SweepWorld, attacker: Attacker) -> list[Target]:
	"""The records holding canaries the attacker may not read (where they were planted, where
	the app copied them, the records about them), one per kind (doctype, whether the attacker may
	read the record, docstatus and state): the one with most canaries, another organisation's
	before the attacker's own."""
	model = attacker.model
	per_record: dict[tuple[str, str], dict[str, str | None]] = defaultdict(dict)
	parents: dict[tuple[str, str], tuple[str, str]] = {}
	abouts: dict[tuple[str, str], tuple[str, str]] = dict(sw.about)
	for canary, spot in attacker.forbidden.items():
		for place in sw.found.get(canary, [spot]):
			per_record[(place.doctype, place.name)][canary] = place.field
			if place.parenttype:
				parents[(place.doctype, place.name)] = (place.parenttype, place.parent)
				per_record[(place.parenttype, place.parent)].setdefault(canary, None)
	records = {key for key in per_record if key[0] in sw_doctypes(sw)}
	for rd, dt_field, name_field in reference_pairs():
		rows = frappe.db.sql(
			f"select * from `tab{rd}` where `{name_field}` in %(names)s",
			{"names": tuple({n for _d, n in records} or {""})},
			as_dict=True,
		)
		for row in rows:
			about = (row.get(dt_field), row.get(name_field))
			if about not in records:
				continue
			for column, value in row.items():
				for canary in canaries_in(str(value or "")) & set(attacker.forbidden):
					per_record[(rd, row["name"])][canary] = column
					abouts[(rd, row["name"])] = about
	chosen: dict[tuple, Target] = {}
	scores: dict[tuple, tuple] = {}
	for (doctype, name), canaries in per_record.items():
		row = frappe.db.get_value(doctype, name, "*", as_dict=True)
		if not row:
			continue
		about = abouts.get((doctype, name))
		readable = model.can(*about) if about else model.can(doctype, name)
		state = (row.get("workflow_state") or row.get("status") or "") if doctype in sw_doctypes(sw) else ""
		foreign = attacker.portal and not model.in_organisation(*(about or (doctype, name)))
		key = (doctype, readable, row.get("docstatus"), state)
		fields = sorted({f for f in canaries.values() if f})
		parent = parents.get((doctype, name)) or (None, None)
		target = Target(doctype, name, readable, sorted(canaries), fields, *parent)
		score = (foreign, len(target.canaries))
		if key not in chosen or score > scores[key]:
			chosen[key], scores[key] = target, score
	return sorted(chosen.values(), key=lambda t: (t.doctype, t.name))


def sw_doctypes(sw: SweepWorld) -> set[str]:
	return {d for d, _n in sw.records}


# -- the sweep -------------------------------------------------------------------------------


def app_module_names() -> list[str]:
	return frappe.get_all("Module Def", filters={"app_name": APP}, pluck="name")


def report_filters_of(report: str) -> list[dict]:
	"""The filters a script report's page offers (its .js), as {fieldname, fieldtype, options}."""
	doc = frappe.get_doc("Report", report)
	path = frappe.get_module_path(doc.module, "report", frappe.scrub(report), f"{frappe.scrub(report)}.js")
	try:
		with open(path) as f:
			source = f.read()
	except OSError:
		return []
	out = []
	for match in re.finditer(r"fieldname:\s*\"(\w+)\"(.{0,240}?)(?:\}|$)", source, re.S):
		block = match.group(2)
		fieldtype = re.search(r"fieldtype:\s*\"([\w ]+)\"", block)
		options = re.search(r"options:\s*\"([\w ]+)\"", block)
		out.append(
			{
				"fieldname": match.group(1),
				"fieldtype": fieldtype.group(1) if fieldtype else "Data",
				"options": options.group(1) if options else None,
			}
		)
	return out


class Sweep:
	"""The calls, the judge and the figures. Attackers are swept in parallel workers (each with
	its own Frappe context and connection); the world's fingerprint, restore and the findings are
	shared under one lock."""

	def __init__(
		self,
		sw: SweepWorld,
		attacker_keys: list[str] | None = None,
		workers: int = 3,
		processes: int = 2,
	):
		self.sw = sw
		self.started = time.monotonic()
		self.workers = workers
		self.processes = processes
		self.site, self.sites_path = frappe.local.site, frappe.local.sites_path
		self.failed_imports = import_everything()
		self.methods = whitelisted_methods()
		self.app_doctypes = set(app_doctypes())
		self.attackers = [a for a in choose_attackers(sw) if not attacker_keys or a.key in attacker_keys]
		for attacker in self.attackers:
			attacker.targets = find_targets(sw, attacker)
			attacker.client = Client(attacker.email)
		self.fingerprint = Fingerprint(sw, [a.email for a in self.attackers])
		# Every print format, report, web form and page route of the site (any app), not a list.
		self.print_formats: dict[str, list[str]] = defaultdict(list)
		for pf in frappe.get_all("Print Format", fields=["name", "doc_type"], order_by="name"):
			self.print_formats[pf.doc_type].append(pf.name)
		self.reports = frappe.get_all(
			"Report",
			filters={"report_type": ("in", ("Script Report", "Query Report")), "disabled": 0},
			pluck="name",
			order_by="name",
		)
		self.web_forms = frappe.get_all("Web Form", fields=["name", "doc_type", "route"], order_by="name")
		self.www = www_routes()
		self.pairs = reference_pairs()
		self.rules = self.rest_rules()
		self.overridden = set(frappe.get_hooks("override_whitelisted_methods", {}))
		self.lock = threading.RLock()
		self.pending: list[tuple[Attacker, str, set]] = []
		self.figures = Counter()
		self.findings: list[Finding] = []
		self.errors: list[dict] = []
		self.skipped: list[tuple[str, str]] = []
		self.enumerated: dict[str, set] = defaultdict(set)
		self.slow: list[tuple] = []
		self.crashes: list[str] = []
		self.dry_run = False
		self.planned: Counter = Counter()
		frappe.db.commit()

	# -- running ---------------------------------------------------------------------------

	def run(self):
		"""The work in units (a slice of the whitelist, a REST route, the prints, ... of one
		attacker), the largest first, taken by the workers as they come free. Requests are mostly
		Python under the GIL, so the work is shared by `processes` processes (forked once the world
		and the targets are ready; the first is this one) of `workers` threads each; the world's
		fingerprint and restore are under a lock all processes share, and each process's findings
		come back to this one through a pipe."""
		import multiprocessing
		import os
		import pickle

		units = self.units()
		context = multiprocessing.get_context("fork")
		self.world_lock = context.Lock()
		self.next_unit = context.Value("i", 0)
		frappe.db.commit()
		with sweep_conditions() as (refused, jobs):
			children = []
			for _ in range(max(1, self.processes) - 1):
				read_end, write_end = os.pipe()
				pid = os.fork()
				if pid == 0:  # a child: its share of the units, its findings down the pipe, then exit
					os.close(read_end)
					try:
						self.run_here(units)
						payload = self.results(len(refused), len(jobs))
					except BaseException:
						payload = {"crashes": [traceback.format_exc()]}
					with os.fdopen(write_end, "wb") as f:
						f.write(pickle.dumps(payload))
					os._exit(0)
				os.close(write_end)
				children.append((pid, read_end))
			self.run_here(units)
			for pid, read_end in children:
				with os.fdopen(read_end, "rb") as f:
					data = f.read()
				os.waitpid(pid, 0)
				self.merge(pickle.loads(data) if data else {"crashes": [f"process {pid} sent nothing"]})
			frappe.db.rollback()
			self.check_pending(final=True)
			self.figures["outbound connections refused"] += len(refused)
			self.figures["background jobs held"] += len(jobs)
		self.classify_errors()
		self.figures["seconds"] = round(time.monotonic() - self.started)

	def run_here(self, units: list):
		threads = [
			threading.Thread(target=self.worker, args=(units,), daemon=True)
			for _ in range(max(1, min(self.workers, len(units))))
		]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join()

	def take_unit(self, units: list):
		with self.next_unit.get_lock():
			i = self.next_unit.value
			self.next_unit.value += 1
		return units[i] if i < len(units) else None

	def results(self, refused: int, jobs: int) -> dict:
		return {
			"figures": dict(self.figures)
			| {"outbound connections refused": refused, "background jobs held": jobs},
			"findings": self.findings,
			"errors": self.errors,
			"skipped": self.skipped,
			"enumerated": dict(self.enumerated),
			"slow": self.slow,
			"crashes": self.crashes,
		}

	def merge(self, results: dict):
		for key, value in results.get("figures", {}).items():
			self.figures[key] += value
		self.findings += results.get("findings", [])
		self.errors += results.get("errors", [])
		self.skipped += results.get("skipped", [])
		for key, values in results.get("enumerated", {}).items():
			self.enumerated[key] |= values
		self.slow += results.get("slow", [])
		self.crashes += results.get("crashes", [])

	METHODS_PER_UNIT = 40

	def units(self) -> list[tuple]:
		units = []
		for attacker in self.attackers:
			methods = [m for m in self.methods if m.path not in self.overridden]
			for i in range(0, len(methods), self.METHODS_PER_UNIT):
				units.append((attacker, self.sweep_methods, methods[i : i + self.METHODS_PER_UNIT]))
			for rule in self.rules:
				units.append((attacker, self.sweep_rest, [rule]))
			for section in (
				self.sweep_prints,
				self.sweep_web_forms,
				self.sweep_www,
				self.sweep_files,
				self.sweep_oracles,
			):
				units.append((attacker, section, None))
		for m in self.methods:
			self.enumerated["whitelisted methods"].add(m.path)

		# the oracles and the REST records (long units) first, then round robin over the attackers,
		# so that every worker has work until the end
		def weight(unit):
			attacker, section, part = unit
			if section == self.sweep_oracles:
				return 0
			if section == self.sweep_rest and {"doctype", "name"} <= set(part[0].arguments):
				return 1
			return 2

		by_attacker = defaultdict(list)
		for unit in sorted(units, key=weight):
			by_attacker[unit[0].key].append(unit)
		ordered = []
		while any(by_attacker.values()):
			for key in list(by_attacker):
				if by_attacker[key]:
					ordered.append(by_attacker[key].pop(0))
		return ordered

	def worker(self, queue: list):
		frappe.init(site=self.site, sites_path=self.sites_path)
		frappe.connect()
		frappe.set_user("Administrator")
		frappe.flags.in_test = True
		try:
			while unit := self.take_unit(queue):
				attacker, section, part = unit
				started, before = time.monotonic(), self.figures["calls made"]
				section(attacker, part) if part is not None else section(attacker)
				progress(
					f"== {attacker.key} {section.__name__}: {self.figures['calls made'] - before} calls (this process), {time.monotonic() - started:.0f}s, unit {self.next_unit.value} of {len(queue)}"
				)
		except Exception:
			self.crashes.append(traceback.format_exc())
		finally:
			frappe.destroy()

	def call(
		self,
		attacker: Attacker,
		label: str,
		http: str,
		path: str,
		*,
		body=None,
		query=None,
		form=None,
		doctype=None,
		key=None,
	) -> Reply:
		kwargs = {}
		if body is not None:
			kwargs["data"] = json.dumps(body, default=str)
			kwargs["content_type"] = "application/json"
		if query is not None:
			kwargs["query_string"] = {
				k: v if isinstance(v, str) else json.dumps(v, default=str) for k, v in query.items()
			}
		files = {k: (v[0].getvalue(), v[1]) for k, v in (form or {}).items() if isinstance(v, tuple)}

		def fresh_form():
			# A request closes the streams it was given: an asked-again request gets new ones.
			return {**form, **{k: (io.BytesIO(data), name) for k, (data, name) in files.items()}}

		if form is not None:
			kwargs["data"] = fresh_form()
		sent = path + json.dumps(
			[body, query, {k: v for k, v in (form or {}).items() if isinstance(v, str)}], default=str
		)
		if self.dry_run:
			with self.lock:
				self.figures["calls made"] += 1
				self.planned[(attacker.key, label.split(" ")[0].split("(")[0])] += 1
			return Reply(403, b"")
		frappe.db.rollback()  # hold no metadata lock while the request runs (it may alter a table)
		started = time.monotonic()
		reply = attacker.client.request(http, path, **kwargs)
		for _again in range(3):  # the sweep's own requests running side by side hold row locks
			if reply.status < 500 or not LOCKED_RE.search(reply.traceback.strip()[-300:]):
				break
			with self.lock:
				self.figures["calls asked again after a lock"] += 1
			time.sleep(0.5)
			if form is not None:
				kwargs["data"] = fresh_form()
			reply = attacker.client.request(http, path, **kwargs)
		took = time.monotonic() - started
		with self.lock:
			self.figures["calls made"] += 1
			if took > 5:
				self.slow.append((round(took, 1), attacker.key, label))
		progress(f"{took:.2f}s {reply.status} {attacker.key} {label[:160]}")
		self.judge(attacker, label, reply, sent, doctype, key or label)
		return reply

	def judge(self, attacker: Attacker, label: str, reply: Reply, sent: str, doctype, key):
		if reply.status == 0:
			self.skipped.append((f"{attacker.key}: {label}", f"no answer within {CALL_TIMEOUT} s"))
			return
		if reply.status >= 500:
			self.errors.append(
				{
					"attacker": attacker.key,
					"label": label,
					"key": key,
					"doctype": doctype,
					"status": reply.status,
					"traceback": reply.traceback,
					"exception": (reply.traceback.strip().splitlines() or ["?"])[-1][:160],
				}
			)
		text = response_text(reply)
		for canary in canaries_in(text) - canaries_in(sent):
			spot = attacker.forbidden.get(canary)
			if spot:
				victim = "{} {}".format(*(spot.about or spot.record()))
				self.findings.append(Finding("leak", attacker.key, label, f"{spot.label()} of {victim}"))
		watched = {t: w for t, w in reply.wrote.items() if t in self.fingerprint.tables}
		if watched:
			with self.lock:
				self.pending.append((attacker, label, watched))
				self.check_pending()

	def check_pending(self, final: bool = False):
		"""Compare the world with its snapshot after requests that committed writes to watched
		tables. Each change is the request's whose own statements wrote that row (its table and
		name); a change no waiting request wrote is left for the request that did (its check is
		on its way; after the sweep it is reported unattributed). Judged changes are put back."""
		with self.lock, self.world_lock:
			self.figures["world checks"] += 1
			waiting, self.pending = self.pending, []
			current = self.fingerprint.read()
			if current == self.fingerprint.baseline:
				return
			judged = []
			for change in self.fingerprint.changes(current):
				candidates = self.writers(change, waiting)
				if not candidates and not final:
					continue
				judged.append(change)
				if not candidates:
					verdicts = {self.judge_change(a, change) for a in self.attackers} - {None}
					if verdicts:
						self.findings.append(
							Finding("write", "(unattributed)", "(found after the sweep)", sorted(verdicts)[0])
						)
					continue
				for attacker, label, _wrote in candidates:
					verdict = self.judge_change(attacker, change)
					if verdict:
						note = f" (one of {len(candidates)} concurrent calls)" if len(candidates) > 1 else ""
						self.findings.append(Finding("write", attacker.key, label + note, verdict))
			if judged:
				self.fingerprint.restore(judged)
				self.figures["world restored"] += 1

	def writers(self, change: Change, waiting: list) -> list:
		"""The waiting requests whose statements wrote the changed row (by table and name; a new
		record by the names of the records that appeared)."""
		if change.what == "count":
			names = [r["name"] for r in self.fingerprint.new_records(change.table)]
		else:
			names = [change.name]
		by_table = [w for w in waiting if change.table in w[2]]
		exact = [w for w in by_table if any(n and n in text for n in names for text in w[2][change.table])]
		if change.what in ("added", "count"):
			return exact  # the insert names the row: no other request can have written it
		return exact or by_table

	def judge_change(self, attacker: Attacker, change: Change) -> str | None:
		"""Why the change is one the attacker may not make (None: it is theirs to make)."""
		model = attacker.model
		if change.what == "count":
			bad = []
			for row in self.fingerprint.new_records(change.table):
				for df in frappe.get_meta(change.table).get_link_fields():
					value = row.get(df.fieldname)
					if value and (df.options, value) in model.rows and not model.can(df.options, value):
						bad.append(f"created {change.table} {row['name']} linked to {df.options} {value}")
			return "; ".join(bad) or None
		if change.table in ("User", "Has Role", "User Permission"):
			return f"{change.what} {change.table} of {change.name} (the attacker's own rights)"
		if change.part in self.fingerprint.pair_of:
			dt_field, name_field = self.fingerprint.pair_of[change.part]
			about = (change.row.get(dt_field), change.row.get(name_field))
			if model.can(*about):
				return None
			return f"{change.what} {change.table} {change.name} about {about[0]} {about[1]}"
		meta = frappe.get_meta(change.table)
		if meta.istable:
			parent = (change.row.get("parenttype"), change.row.get("parent"))
			if model.can(*parent, "write"):
				columns = [
					c
					for c in change.columns
					if c not in META_COLUMNS
					and not model.can(*parent, "write", model.field_level(change.table, c))
				]
				return (
					f"{change.what} {change.table} row of {parent[0]} {parent[1]}: {', '.join(columns)}"
					if columns
					else None
				)
			return f"{change.what} {change.table} row of {parent[0]} {parent[1]}"
		if change.what == "removed":
			return (
				None
				if model.can(change.table, change.name, "delete")
				else f"deleted {change.table} {change.name}"
			)
		bad = []
		for column in change.columns:
			if column in ("_liked_by", "_comments", "_assign", "_user_tags", "_seen"):
				ok = model.can(change.table, change.name)
			elif column in META_COLUMNS:
				ok = model.writes(change.table, change.name)
			else:
				ok = model.writes(change.table, change.name, column)
			if not ok:
				bad.append(column)
		return f"changed {change.table} {change.name}: {', '.join(bad)}" if bad else None

	def classify_errors(self):
		"""5xx on the app's doctypes against 5xx in Frappe elsewhere. On the app's doctypes: the
		traceback runs through the app's code, or fails inside a document of one of the app's
		doctypes handling its values (the innermost frame, database layer aside, is Frappe's
		Document or BaseDocument: validating, saving, inserting). Elsewhere: a Frappe function
		failing on its own arguments (a parameter that is not the JSON it expects), whatever
		doctype it was named."""
		for e in self.errors:
			e["app"] = raised_on_app_doctype(e["traceback"], e["doctype"] in self.app_doctypes)

	# -- targets -----------------------------------------------------------------------------

	def kinds(self, attacker: Attacker) -> list[Target]:
		"""One target per doctype and readability: what the whitelisted functions are called with.
		Of the records the attacker reads, one they may also save (a draft) comes first: saving
		answers with the record, and that answer must not carry the fields above their level."""
		if not hasattr(attacker, "_kinds"):
			seen, out = set(), []

			def order(t: Target):
				writable = t.readable and attacker.model.writes(t.doctype, t.name)
				docstatus = (attacker.model.row(t.doctype, t.name) or {}).get("docstatus") or 0
				return (not writable, docstatus, -len(t.canaries))

			for t in sorted(attacker.targets, key=order):
				if (t.doctype, t.readable) not in seen:
					seen.add((t.doctype, t.readable))
					out.append(t)
			attacker._kinds = sorted(out, key=lambda t: (t.doctype, t.readable))
		return attacker._kinds

	def relation(self, attacker: Attacker, t: Target) -> str:
		"""How the attacker stands to the target: no read on its doctype at all, a child row, a
		record of its doctype they may read, or one they may not."""
		meta = frappe.get_meta(t.doctype)
		doctype = t.parenttype if meta.istable and t.parenttype else t.doctype
		if not attacker.model.levels(doctype):
			return "no read on the doctype"
		if meta.istable:
			return "child row readable" if t.readable else "child row"
		return "readable" if t.readable else "record of another organisation"

	def function_kinds(self, attacker: Attacker, doctype_only: bool = False) -> list[Target]:
		"""What Frappe's whitelisted functions taking a doctype are called with: a record of each of
		the app's doctypes the attacker reads but whose records here are another organisation's
		(the app's scope rules are set per doctype), and one record of the app per other relation
		of the attacker to it (a doctype they have no permission on, a record they read with fields
		above their level, a child row): Frappe's functions reach those through the same permission
		checks whatever the doctype, so one stands for the others; each doctype of the app is still
		read, listed, counted, written, deleted and printed record by record (REST routes,
		/printview, oracles, web forms).
		Frappe's records about records (files, versions, comments, ...) each have their own rules:
		one of each the attacker has some permission on (a doctype they have none on is refused by
		the same check as the app's). A function naming no record (a doctype's settings or meta)
		is called once per relation with the app's parent doctypes."""
		if not hasattr(attacker, "_function_kinds"):
			out, reps = [], {}
			for t in sorted(
				self.kinds(attacker), key=lambda t: (t.doctype not in self.app_doctypes, -len(t.canaries))
			):
				relation = self.relation(attacker, t)
				if relation == "record of another organisation":
					pass  # the app's scope rules are set per doctype: each one
				elif t.doctype in self.app_doctypes or relation == "no read on the doctype":
					if relation in reps:
						continue
					reps[relation] = t
				out.append(t)
			parents = {}
			for t in sorted(self.app_kinds(attacker, parents_only=True), key=lambda t: -len(t.canaries)):
				parents.setdefault(self.relation(attacker, t), t)
			attacker._function_kinds = sorted(out, key=lambda t: (t.doctype, t.readable))
			attacker._doctype_kinds = sorted(parents.values(), key=lambda t: t.doctype)
		return attacker._doctype_kinds if doctype_only else attacker._function_kinds

	def forge_targets(self, attacker: Attacker) -> list[Target]:
		"""One target of each of the app's parent doctypes: what forged documents are made of."""
		seen, out = set(), []
		for t in self.app_kinds(attacker, parents_only=True):
			if t.doctype not in seen:
				seen.add(t.doctype)
				out.append(t)
		return out

	def app_kinds(self, attacker: Attacker, parents_only: bool = False) -> list[Target]:
		return [
			t
			for t in self.kinds(attacker)
			if t.doctype in self.app_doctypes and not (parents_only and frappe.get_meta(t.doctype).istable)
		]

	def primary(self, attacker: Attacker) -> Target:
		unreadable = [t for t in self.app_kinds(attacker, True) if not t.readable]
		return (unreadable or self.app_kinds(attacker) or attacker.targets)[0]

	def target_of(self, attacker: Attacker, doctype: str) -> Target | None:
		options = [t for t in attacker.targets if t.doctype == doctype]
		options.sort(key=lambda t: (t.readable, -len(t.canaries)))
		return options[0] if options else None

	def doctypes_named_by(self, m: Method) -> set[str]:
		"""Doctypes a function names: a parameter named after one (``referral``), the doctype
		whose folder holds the function, a doctype in the function's name (``referral_summary``)."""
		out = {self.doctype_named(n) for n in m.names}
		parts = m.path.split(".")
		if "doctype" in parts:
			out.add(self.doctype_named(parts[parts.index("doctype") + 1]))
		words = parts[-1].split("_")
		for i in range(len(words)):
			for j in range(i + 1, min(i + 4, len(words)) + 1):
				out.add(self.doctype_named("_".join(words[i:j])))
		return out - {None}

	def doctype_named(self, name: str) -> str | None:
		candidate = name.replace("_", " ").title()
		if candidate not in self._doctype_names:
			return None
		return candidate

	@property
	def _doctype_names(self) -> set[str]:
		if not hasattr(self, "_doctypes_cache"):
			self._doctypes_cache = set(frappe.get_all("DocType", pluck="name"))
		return self._doctypes_cache

	def targets_for(self, attacker: Attacker, m: Method) -> list[Target]:
		"""Whom to call a whitelisted function at:
		- with a doctype parameter (or a print's ``doc`` and ``name``): ``function_kinds`` when it
		  also names a record (a name, filters, a document, fields), else one of the app's doctypes
		  per relation of the attacker to it; the app's own functions: every kind of target;
		- a mapper (``source_name``): a record of each of the app's doctypes;
		- a function taking a web form: each kind of the app's targets whose doctype has one;
		- a function that names a doctype (parameter, folder, name): the targets of that doctype;
		- otherwise the attacker's primary target."""
		names = m.names
		record = names & (
			NAME_NAMES
			| NAMES_NAMES
			| FILTER_NAMES
			| FIELD_NAMES
			| FILE_NAMES
			| FIELDS_NAMES
			| {"doc", "docs", "document", "data"}
		)
		own = m.path.startswith(f"{APP}.")  # the app's own functions: every kind of the app's targets
		if any(is_doctype_param(n) for n in names) or {"doc", "name"} <= names:
			if own:
				return self.app_kinds(attacker) if record else self.app_kinds(attacker, parents_only=True)
			return self.function_kinds(attacker, doctype_only=not record)
		if "source_name" in names:
			return self.forge_targets(attacker)
		if names & WEB_FORM_NAMES:  # the web form names the doctype
			with_forms = {w.doc_type for w in self.web_forms}
			return [t for t in self.app_kinds(attacker) if t.doctype in with_forms] or [
				self.primary(attacker)
			]
		named = self.doctypes_named_by(m)
		hits = [
			t for t in (self.kinds(attacker) if own else self.function_kinds(attacker)) if t.doctype in named
		]
		if own and named and not hits:
			hits = [t for t in self.kinds(attacker) if t.doctype in named]
		return hits or [self.primary(attacker)]

	# -- parameters --------------------------------------------------------------------------

	def own_record(self, attacker: Attacker, doctype: str) -> str | None:
		"""A record of the attacker's own organisation (portal users only)."""
		if not attacker.portal:
			return None
		if doctype in attacker.model.user_permissions:
			return sorted(attacker.model.user_permissions[doctype])[0]
		for d, name in self.sw.records:
			if d == doctype and attacker.model.can(d, name):
				return name
		return None

	def readable_dict(self, attacker: Attacker, doctype: str, name: str) -> dict:
		"""The record as the attacker may read it: fields above their levels, and any value holding
		a canary they may not read, left out."""
		doc = frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)
		levels = attacker.model.levels(frappe.get_meta(doctype).istable and doctype or doctype)

		def clean(d: dict, dt: str) -> dict:
			meta = frappe.get_meta(dt)
			out = {}
			for k, v in d.items():
				if k.startswith("__"):
					continue
				df = meta.get_field(k)
				if df and (df.permlevel or 0) not in levels:
					continue
				if isinstance(v, list):
					v = [clean(row, df.options) for row in v] if df and df.options else v
				elif isinstance(v, str) and canaries_in(v) & set(attacker.forbidden):
					continue
				out[k] = v
			return out

		return clean(doc, doctype)

	def record_json(self, attacker: Attacker, t: Target) -> dict:
		"""The target as a client would send it back: as read (a record the attacker reads), or
		the record's name with the attacker's own organisation in its scope links."""
		if t.readable and not frappe.get_meta(t.doctype).istable:
			return self.readable_dict(attacker, t.doctype, t.name)
		doc = {
			"doctype": t.doctype,
			"name": t.name,
			"modified": str(frappe.db.get_value(t.doctype, t.name, "modified")),
		}
		for df in frappe.get_meta(t.doctype).get_link_fields():
			own = self.own_record(attacker, df.options)
			if own:
				doc[df.fieldname] = own
		return doc

	def forged(self, attacker: Attacker, doctype: str) -> dict:
		"""A new document of `doctype`: the attacker's own record (or an empty one) with every link
		pointed at the records they may not read (the links placing it in an organisation stay
		the attacker's own), every check ticked, submitted."""
		own = self.own_record(attacker, doctype)
		doc = self.readable_dict(attacker, doctype, own) if own else {}
		for key in ("name", "owner", "creation", "modified", "modified_by", "amended_from", "idx"):
			doc.pop(key, None)
		doc["doctype"] = doctype
		doc["docstatus"] = 1
		meta = frappe.get_meta(doctype)

		def point(d: dict, m):
			for df in m.fields:
				if df.fieldtype == "Link" and df.options in attacker.model.user_permissions:
					d[df.fieldname] = self.own_record(attacker, df.options)
				elif df.fieldtype == "Link" and (victim := self.target_of(attacker, df.options)):
					d[df.fieldname] = victim.name
				elif df.fieldtype == "Check":
					d[df.fieldname] = 1

		point(doc, meta)
		for table in meta.get_table_fields():
			rows = doc.get(table.fieldname) or [{}]
			row = {k: v for k, v in rows[0].items() if k not in ("name", "parent", "idx")}
			point(row, frappe.get_meta(table.options))
			doc[table.fieldname] = [row]
		return doc

	def file_url(self, attacker: Attacker, t: Target) -> str | None:
		files = [x for x in attacker.targets if x.doctype == "File"]
		if t.doctype == "File":
			files.insert(0, t)
		return frappe.db.get_value("File", files[0].name, "file_url") if files else None

	def values(self, attacker: Attacker, m: Method, p: Param, t: Target, forged: bool) -> list | None:
		"""Candidate values of one parameter for a call at the target (None: leave it out).
		Parameters that point the call somewhere are always filled (the target's doctype, name,
		filters on it, its forbidden fields, a document, a search for one of its canaries, a print
		format or web form of its doctype, its file, flags that ask to skip permissions);
		others only when required (dates, numbers, the victim's user, a probe text)."""
		n = p.name
		names = m.names
		has_doctype = any(is_doctype_param(x) for x in names)
		first_field = (
			t.fields or [next((df.fieldname for df in text_fields(frappe.get_meta(t.doctype))), "name")]
		)[0]
		if n in ("parent", "parenttype", "parent_doctype"):
			return [t.parenttype] if t.parenttype else ([t.doctype] if p.required else None)
		if is_doctype_param(n):
			return [t.doctype]
		if n in NAME_NAMES or (n == "document" and has_doctype) or self.doctype_named(n) == t.doctype:
			return None if forged and not p.required else [t.name]
		if n in ("doc", "data", "document"):
			if forged:
				return [self.forged(attacker, t.doctype)]
			if n == "doc" and not has_doctype and names & NAME_NAMES:
				return [t.doctype]
			if has_doctype and names & NAME_NAMES and not p.required:
				return None  # the record is named: its stored version is printed
			return [self.record_json(attacker, t)]
		if n == "docs":
			return [[self.forged(attacker, t.doctype)]] if forged else [[self.record_json(attacker, t)]]
		if n in NAMES_NAMES:
			return [[t.name]]
		if n in FILTER_NAMES:
			return [[[t.doctype, "name", "=", t.name]]]
		if n in FIELD_NAMES:
			return [first_field]
		if n == "value":
			return [new_probe()]
		if n in FIELDS_NAMES:
			return [["name", *t.fields]]
		if n == "stats":
			return [[first_field]]
		if n == "txt":  # a link search: finds the record by its name, answers with its search fields
			return [t.name]
		if n in SEARCH_NAMES:
			if n == "query" and not p.required:
				return None
			return [(t.canaries or ["CNRY0000000000"])[0][:10]]
		if n in PRINT_NAMES:
			return self.print_formats.get(t.doctype) or ["Standard"]
		if n in WEB_FORM_NAMES:
			return [w.name for w in self.web_forms if w.doc_type == t.doctype] or [self.web_forms[0].name]
		if n in FILE_NAMES or n.endswith("_url"):
			url = self.file_url(attacker, t)
			return [url] if url else None
		if n in HOSTILE_NAMES:
			return [1]
		if n == "assign_to":
			return [[attacker.email]]
		if n in BAG_NAMES:
			return [
				{
					"doctype": t.doctype,
					"name": t.name,
					"docname": t.name,
					"reference_doctype": t.doctype,
					"reference_name": t.name,
					"assign_to": [attacker.email],
					"description": new_probe(),
				}
			]
		if not p.required:
			return None
		if n in USER_NAMES:
			return [self.victim_user()]
		if n in INT_NAMES:
			return [0 if "start" in n else 20]
		if n in DATE_NAMES or n in ("start", "end"):
			return [today()]
		if n == "action":
			return ["Save", *self.workflow_actions(t)[:1]]
		if n == "method":
			return [x.path for x in self.methods if "source_name" in x.names and not x.doctype][:3]
		if n in REPORT_NAMES:
			return list(self.reports)
		if isinstance(p.default, bool) or n.startswith(("is_", "with_", "as_")):
			return [0]
		if re.search(r"(map|settings|config|args|_dict|values)$", n):
			return [{}]
		if n.endswith("s") and not n.endswith("ss"):
			return [[new_probe()]]
		return [new_probe()]

	def cached_values(self, attacker: Attacker, m: Method, p: Param, t: Target, forged: bool):
		"""``values``, worked out once per attacker, target and parameter (reading records costs
		queries; the world is put back whenever a call changes it). Probes stay fresh."""
		cache = attacker.__dict__.setdefault("_values", {})
		key = (
			t.doctype,
			t.name,
			p.name,
			p.required,
			forged,
			bool(m.names & NAME_NAMES),
			has_doctype_param(m),
		)
		if key not in cache:
			cache[key] = self.values(attacker, m, p, t, forged)
		values = cache[key]
		if values and any(isinstance(v, str) and v.startswith(PROBE) for v in values):
			return [new_probe() if isinstance(v, str) and v.startswith(PROBE) else v for v in values]
		return values

	def victim_user(self) -> str:
		"""A user of the organisation the attackers may not read (school A's referrer)."""
		return self.sw.users.get("School Referrer") or "Administrator"

	def workflow_actions(self, t: Target) -> list[str]:
		if not frappe.get_meta(t.doctype).has_field("workflow_state"):
			return []
		state = frappe.db.get_value(t.doctype, t.name, "workflow_state")
		workflow = frappe.db.get_value("Workflow", {"document_type": t.doctype, "is_active": 1})
		return frappe.get_all(
			"Workflow Transition", filters={"parent": workflow, "state": state}, pluck="action", distinct=True
		)

	def kwargs_variants(
		self, attacker: Attacker, m: Method, t: Target, forged: bool = False, cap: int = 3
	) -> list[dict]:
		choices = []
		for p in m.params:
			values = self.cached_values(attacker, m, p, t, forged)
			if values:
				choices.append([(p, v) for v in values])
		return [
			{p.name: encode(p, v) for p, v in combo}
			for combo in itertools.islice(itertools.product(*choices), cap)
		]

	# -- whitelisted functions -------------------------------------------------------------------

	def sweep_methods(self, attacker: Attacker, methods: list[Method] | None = None):
		"""Every whitelisted function (an override of Frappe's is called under its own name: a
		request for the overridden one runs it)."""
		for m in methods if methods is not None else self.methods:
			if m.path in self.overridden:
				continue
			if m.doctype:
				self.sweep_controller_method(attacker, m)
				continue
			http = "POST" if "POST" in m.http else m.http[0]
			if names_reports(m):
				calls = [(self.primary(attacker), kw) for kw in self.report_variants(attacker, m)]
			else:
				calls = []
				for t in self.targets_for(attacker, m):
					calls += [(t, kw) for kw in self.kwargs_variants(attacker, m, t)]
				if m.names & {"doc", "docs", "document", "data"}:
					for t in self.forge_targets(attacker):
						calls += [(t, kw) for kw in self.kwargs_variants(attacker, m, t, forged=True)]
			failures = []
			for i, (t, kwargs) in enumerate(calls):
				if len(failures) >= 2 and len(set(failures[-2:])) == 1 and failures[-1]:
					self.skipped.append(
						(
							f"{attacker.key}: {m.path}: {len(calls) - i} more calls",
							f"failed twice running with the same error before touching a document ({failures[-1]})",
						)
					)
					break
				label = f"{m.path}({', '.join(sorted(kwargs))}) at {t.label()}"
				reply = self.method_call(attacker, m, http, kwargs, label, t.doctype)
				failures.append(argument_failure(reply))

	def method_call(self, attacker, m: Method, http: str, kwargs: dict, label: str, doctype: str | None):
		path = f"/api/method/{m.path}"
		if m.files and http == "POST":
			form = {k: v if isinstance(v, str) else json.dumps(v, default=str) for k, v in kwargs.items()}
			form["file"] = (io.BytesIO(new_probe().encode()), "probe.txt")
			form.setdefault("is_private", "1")
			return self.call(attacker, label, http, path, form=form, doctype=doctype, key=m.path)
		if http == "GET":
			return self.call(attacker, label, http, path, query=kwargs, doctype=doctype, key=m.path)
		return self.call(attacker, label, http, path, body=kwargs, doctype=doctype, key=m.path)

	def report_variants(self, attacker: Attacker, m: Method) -> list[dict]:
		out = []
		for report in self.reports:
			kwargs = {}
			for p in m.params:
				if p.name in REPORT_NAMES:
					kwargs[p.name] = report
				elif p.name in FILTER_NAMES:
					kwargs[p.name] = json.dumps(self.report_filters(attacker, report))
				elif p.name == "file_format_type":
					kwargs[p.name] = "CSV"
				elif p.required:
					values = self.values(attacker, m, p, self.primary(attacker), False)
					if values:
						kwargs[p.name] = encode(p, values[0])
			out.append(kwargs)
		return out

	def report_filters(self, attacker: Attacker, report: str) -> dict:
		"""The report's filters naming the records the attacker may not read (a school, a
		provider), dates wide open."""
		filters = {}
		for f in report_filters_of(report):
			if f["fieldtype"] == "Link":
				victim = self.target_of(attacker, f["options"])
				record = victim.name if victim else None
				if not record:
					record = next(
						(n for d, n in self.sw.records if d == f["options"] and not attacker.model.can(d, n)),
						None,
					)
				if record:
					filters[f["fieldname"]] = record
			elif f["fieldtype"] == "Date":
				filters[f["fieldname"]] = "2000-01-01" if "from" in f["fieldname"] else today()
		return filters

	def controller_targets(self, attacker: Attacker, m: Method) -> list[Target]:
		"""A controller method runs on targets of its doctype; Document's own (submit, cancel,
		rename, add_comment) on each kind of the app's targets."""
		kinds = self.function_kinds(attacker)
		if m.doctype == "*":
			return [t for t in kinds if t.doctype in self.app_doctypes]
		return [t for t in kinds if t.doctype == m.doctype]

	def sweep_controller_method(self, attacker: Attacker, m: Method):
		"""A whitelisted method of a document's controller, through ``run_doc_method`` (on the stored
		record, and on the record sent as a document) and API v2's ``run_doc_method``; the REST
		routes for document methods call it too (sweep_rest)."""
		method = m.path.rsplit(".", 1)[-1]
		targets = self.controller_targets(attacker, m)
		if not targets:
			self.enumerated["controller methods with no target"].add(m.path)
			return
		for t in targets:
			kwargs = (self.kwargs_variants(attacker, m, t) or [{}])[0]
			record = self.record_json(attacker, t)
			label = f"{m.path} on {t.label()}"
			args = json.dumps(kwargs)
			for note, path, body in (
				(
					"run_doc_method",
					"/api/method/run_doc_method",
					{"dt": t.doctype, "dn": t.name, "args": args},
				),
				(
					"run_doc_method(docs)",
					"/api/method/run_doc_method",
					{"docs": json.dumps(record), "args": args},
				),
				(
					"v2 run_doc_method",
					"/api/v2/method/run_doc_method",
					{"document": record, "kwargs": kwargs},
				),
			):
				self.call(
					attacker,
					f"{note} {label}",
					"POST",
					path,
					body={"method": method, **body},
					doctype=t.doctype,
					key=m.path,
				)

	# -- REST routes -------------------------------------------------------------------------

	def rest_rules(self) -> list:
		from frappe.api import API_URL_MAP

		seen, rules = set(), []
		for rule in API_URL_MAP.iter_rules():
			key = (rule.endpoint, tuple(sorted(rule.methods or ())), tuple(sorted(rule.arguments)))
			if key in seen:
				continue
			seen.add(key)
			rules.append(rule)
		return rules

	def rest_targets(self, attacker: Attacker) -> list[Target]:
		"""Every target of the app's doctypes (their states matter: a draft can be saved, a
		submitted record cannot), one of each kind of Frappe's records about them."""
		return [t for t in attacker.targets if t.doctype in self.app_doctypes] + [
			t for t in self.kinds(attacker) if t.doctype not in self.app_doctypes
		]

	def sweep_rest(self, attacker: Attacker, rules: list | None = None):
		for rule in rules if rules is not None else self.rules:
			args = set(rule.arguments)
			default = {"POST"} if rule.rule.endswith(("upload_file", "run_doc_method")) else {"GET"}
			for http in sorted((rule.methods or default) - {"HEAD", "OPTIONS"}):
				self.enumerated["REST routes"].add(f"{http} {rule.rule}")
				if "method" in args and "name" not in args:
					continue  # /api/method/...: the whitelisted functions, called above
				if args == {"doctype", "name", "method"}:
					self.rest_document_methods(attacker, rule, http)
				elif args == {"doctype", "name"}:
					for t in self.rest_targets(attacker):
						self.rest_record(attacker, rule, http, t)
				elif args == {"doctype"}:
					for t in self.kinds(attacker):
						self.rest_collection(attacker, rule, http, t)
					if http == "POST":
						self.rest_about(attacker, rule)
				elif not args:
					self.rest_plain(attacker, rule, http)

	def rest_document_methods(self, attacker: Attacker, rule, http: str):
		for m in self.methods:
			if not m.doctype:
				continue
			method = m.path.rsplit(".", 1)[-1]
			for t in self.controller_targets(attacker, m):
				kwargs = (self.kwargs_variants(attacker, m, t) or [{}])[0]
				path = build_path(rule.rule, doctype=t.doctype, name=t.name, method=method)
				self.call(
					attacker,
					f"{http} {rule.rule} {m.path} on {t.label()}",
					http,
					path,
					body=kwargs if http != "GET" else None,
					query=kwargs if http == "GET" else None,
					doctype=t.doctype,
					key=rule.rule,
				)

	def rest_record(self, attacker: Attacker, rule, http: str, t: Target):
		path = build_path(rule.rule, doctype=t.doctype, name=t.name)
		label = f"{http} {rule.rule} {t.label()}"
		if http == "GET":
			self.call(attacker, label, http, path, doctype=t.doctype, key=rule.rule)
		elif http in ("PUT", "PATCH"):
			bodies = self.update_bodies(attacker, t)
			if "/v2/" in rule.rule:  # the same update as API v1's, reached another way
				bodies = [bodies[0], bodies[-1]]
			for note, body in bodies:
				self.call(
					attacker, f"{label} {note}", http, path, body=body, doctype=t.doctype, key=rule.rule
				)
		elif http == "DELETE":
			if attacker.model.can(t.doctype, t.name, "delete"):
				self.skipped.append((f"{attacker.key}: {label}", "the attacker may delete it"))
			else:
				self.call(attacker, label, http, path, doctype=t.doctype, key=rule.rule)
		elif http == "POST":  # API v1: a controller method by ?run_method=
			for m in self.methods:
				if m.doctype and t in self.controller_targets(attacker, m):
					method = m.path.rsplit(".", 1)[-1]
					kwargs = (self.kwargs_variants(attacker, m, t) or [{}])[0]
					for verb in ("GET", "POST"):
						self.call(
							attacker,
							f"{verb} {rule.rule} run_method={method} {t.label()}",
							verb,
							path,
							body={"run_method": method, **kwargs} if verb == "POST" else None,
							query={"run_method": method, **kwargs} if verb == "GET" else None,
							doctype=t.doctype,
							key=rule.rule,
						)

	def update_bodies(self, attacker: Attacker, t: Target) -> list[tuple[str, dict]]:
		"""An empty update, every text field set to a probe, and each link the attacker has a
		record of their own for (a school, a pupil, a provider) pointed at it, then all of them."""
		meta = frappe.get_meta(t.doctype)
		bodies = [("{}", {}), ("text probe", {df.fieldname: new_probe() for df in text_fields(meta)})]
		own_links = {}
		for df in meta.get_link_fields():
			own = self.own_record(attacker, df.options)
			if own:
				own_links[df.fieldname] = own
				bodies.append((f"{df.fieldname}=own", {df.fieldname: own}))
		if len(own_links) > 1:
			bodies.append(("all links=own", own_links))
		return bodies

	def rest_collection(self, attacker: Attacker, rule, http: str, t: Target):
		path = build_path(rule.rule, doctype=t.doctype)
		label = f"{http} {rule.rule} {t.doctype}"
		if http == "GET":
			names = [x.name for x in attacker.targets if x.doctype == t.doctype]
			query = {
				"fields": ["*", *t.fields],
				"filters": [["name", "in", names]],
				"limit_page_length": 0,
				"limit": 1000,
			}
			if t.parenttype:
				query["parent"] = t.parenttype
			self.call(attacker, label, http, path, query=query, doctype=t.doctype, key=rule.rule)
		elif http == "POST" and t.doctype in self.app_doctypes:
			body = self.forged(attacker, t.doctype)
			body["docstatus"] = 0
			self.call(
				attacker,
				f"{label} linked to {t.label()}",
				http,
				path,
				body=body,
				doctype=t.doctype,
				key=rule.rule,
			)

	def rest_about(self, attacker: Attacker, rule):
		"""A record of each of Frappe's doctypes about documents, about the attacker's target."""
		t = self.primary(attacker)
		for rd, dt_field, name_field in self.pairs:
			body = {dt_field: t.doctype, name_field: t.name}
			for df in frappe.get_meta(rd).fields:
				if df.fieldname in body:
					continue
				if df.fieldtype in TEXT_TYPES:
					body[df.fieldname] = new_probe()
				elif df.reqd and df.fieldtype == "Select":
					body[df.fieldname] = next((o for o in (df.options or "").split("\n") if o), None)
			self.call(
				attacker,
				f"POST {rule.rule} {rd} about {t.label()}",
				"POST",
				build_path(rule.rule, doctype=rd),
				body=body,
				doctype=rd,
				key=rule.rule,
			)

	def rest_plain(self, attacker: Attacker, rule, http: str):
		label = f"{http} {rule.rule}"
		if rule.rule.endswith("upload_file"):
			for t in self.kinds(attacker):
				form = {
					"doctype": t.doctype,
					"docname": t.name,
					"is_private": "1",
					"file": (io.BytesIO(new_probe().encode()), "probe.txt"),
				}
				self.call(
					attacker,
					f"{label} to {t.label()}",
					http,
					rule.rule,
					form=form,
					doctype=t.doctype,
					key=rule.rule,
				)
		elif not rule.rule.endswith("run_doc_method"):  # that one: with each controller method
			self.call(attacker, label, http, rule.rule, key=rule.rule)

	# -- prints, web forms, files ---------------------------------------------------------------

	def sweep_prints(self, attacker: Attacker):
		for t in self.rest_targets(attacker):
			for print_format in [*self.print_formats.get(t.doctype, []), "Standard"]:
				self.enumerated["print formats"].add(print_format)
				query = {"doctype": t.doctype, "name": t.name, "format": print_format}
				self.call(
					attacker,
					f"/printview {print_format} {t.label()}",
					"GET",
					"/printview",
					query=query,
					doctype=t.doctype,
					key="/printview",
				)

	def sweep_web_forms(self, attacker: Attacker):
		for w in self.web_forms:
			routes = [f"/{w.route}", f"/{w.route}/new"]
			for t in attacker.targets:
				if t.doctype == w.doc_type:
					routes += [f"/{w.route}/{t.name}", f"/{w.route}/{t.name}/edit"]
			for route in routes:
				self.enumerated["web form routes"].add(
					route.replace(f"/{w.route}/", f"/{w.route}/<name>/")
					if route.count("/") > 1 and not route.endswith("/new")
					else route
				)
				self.call(
					attacker, f"GET {route}", "GET", route, doctype=w.doc_type, key=f"web form {w.name}"
				)

	def sweep_www(self, attacker: Attacker):
		"""Every page route of every installed app (``www`` folders, as Frappe's router finds
		them, and ``website_route_rules``), as the attacker: bare, then with the query a page may
		read (``q``, ``name``, ``doctype``, ``saved``, ``txt``) naming a record the attacker may not
		read; the app's own pages with one such query per doctype of the app's records."""
		targets = first_of_each_doctype([t for t in self.app_kinds(attacker, True) if not t.readable])
		primary = targets[:1] or [self.primary(attacker)]
		for route, app in self.www:
			self.enumerated["www routes"].add(route)
			path = route if "<" not in route else self.fill_route(route, primary[0])
			self.call(attacker, f"GET {path}", "GET", path, key=f"www {route}")
			for t in targets if app == APP else primary:
				query = {"q": t.name, "name": t.name, "doctype": t.doctype, "saved": t.name, "txt": t.name}
				if "<" in route:
					path = self.fill_route(route, t)
				self.call(
					attacker,
					f"GET {route} at {t.label()}",
					"GET",
					path,
					query=query,
					doctype=t.doctype,
					key=f"www {route}",
				)

	@staticmethod
	def fill_route(route: str, t: Target) -> str:
		"""A route rule's parameters for a record: its doctype, the desk's path to it, else its name."""
		values = defaultdict(lambda: t.name)
		values.update(doctype=t.doctype, app_path=f"{frappe.scrub(t.doctype).replace('_', '-')}/{t.name}")
		return build_path(route, **{name: values[name] for name in re.findall(r"<(?:\w+:)?(\w+)>", route)})

	def sweep_files(self, attacker: Attacker):
		for t in attacker.targets:
			if t.doctype == "File":
				url = frappe.db.get_value("File", t.name, "file_url")
				self.call(attacker, f"GET {url}", "GET", url, doctype="File", key="private file")

	# -- filter oracles -------------------------------------------------------------------------

	def oracle_endpoints(self) -> list:
		"""Every list and count endpoint: whitelisted functions taking a doctype and filters,
		REST collection routes."""
		out = [
			("method", m)
			for m in self.methods
			if not m.doctype
			and m.path not in self.overridden
			and any(is_doctype_param(n) for n in m.names)
			and m.names & FILTER_NAMES
		]
		out += [
			("rest", rule)
			for rule in self.rules
			if set(rule.arguments) == {"doctype"} and "GET" in (rule.methods or ())
		]
		return out

	def sweep_oracles(self, attacker: Attacker):
		"""Ask each list and count endpoint the same question about a forbidden field with its
		value and with another: a different answer tells the attacker the field's value. Asked
		about a forbidden field of each kind of record the attacker reads, and of one record of
		the app per relation the attacker has with records they may not read (another
		organisation's, a doctype they have no permission on, a child row)."""
		endpoints = self.oracle_endpoints()
		questions, relations = [], set()
		for t in sorted(self.function_kinds(attacker), key=lambda t: -len(t.canaries)):
			relation = self.relation(attacker, t)
			if t.fields and t.doctype in self.app_doctypes and (t.readable or relation not in relations):
				relations.add(relation)
				questions.append((t, t.fields[0]))
		for t, fieldname in questions:
			if not frappe.get_meta(t.doctype).has_field(fieldname):
				continue
			value = frappe.db.get_value(t.doctype, t.name, fieldname)
			if not value or not canaries_in(value):
				continue
			canary = sorted(canaries_in(value))[0]
			decoy = value.replace(canary, new_canary())
			for kind, endpoint in endpoints:
				self.oracle(attacker, kind, endpoint, t, fieldname, value, decoy)

	def oracle(self, attacker, kind, endpoint, t: Target, fieldname: str, value: str, decoy: str):
		def ask(v):
			condition = [[t.doctype, fieldname, "=", v]]
			if kind == "method":
				m = endpoint
				kwargs = (self.kwargs_variants(attacker, m, t) or [{}])[0]
				for p in m.params:
					if p.name in FILTER_NAMES:
						kwargs[p.name] = encode(p, condition)
					elif (p.name in NAME_NAMES or p.name in FIELD_NAMES) and not p.required:
						kwargs.pop(p.name, None)
				http = "POST" if "POST" in m.http else m.http[0]
				reply = self.method_call(
					attacker, m, http, kwargs, f"oracle {m.path} on {t.doctype}.{fieldname}", t.doctype
				)
			else:
				query = {"filters": condition, "fields": ["name"], "limit_page_length": 0}
				if t.parenttype:
					query["parent"] = t.parenttype
				reply = self.call(
					attacker,
					f"oracle GET {endpoint.rule} on {t.doctype}.{fieldname}",
					"GET",
					build_path(endpoint.rule, doctype=t.doctype),
					query=query,
					doctype=t.doctype,
					key=endpoint.rule,
				)
			return f"{reply.status} " + reply.text.replace(v, "<V>")

		with self.lock:
			self.figures["filter oracle questions"] += 1
		with_value, with_decoy = ask(value), ask(decoy)
		if with_value == with_decoy:
			return
		if ask(decoy) != with_decoy:
			with self.lock:
				self.figures["filter oracle answers that vary"] += 1
			return
		name = endpoint.path if kind == "method" else f"GET {endpoint.rule}"
		self.findings.append(
			Finding(
				"oracle",
				attacker.key,
				name,
				f"filter on {t.doctype}.{fieldname} of {t.name} answers differently",
			)
		)

	# -- figures -------------------------------------------------------------------------------

	def counts(self) -> dict:
		return {
			"whitelisted methods enumerated": len(self.enumerated["whitelisted methods"]),
			"REST routes": len(self.enumerated["REST routes"]),
			"print/pdf formats": len(self.enumerated["print formats"]),
			"web form routes": len(self.enumerated["web form routes"]),
			"www routes": len(self.enumerated["www routes"]),
			"reports": len(self.reports),
			"attackers": len(self.attackers),
			"canaries": len(self.sw.planted),
			"forbidden canaries (all attackers)": len(set().union(*(a.forbidden for a in self.attackers))),
			"calls made": self.figures["calls made"],
			"leaks": len([f for f in self.findings if f.kind in ("leak", "oracle")]),
			"writes": len([f for f in self.findings if f.kind == "write"]),
			"5xx on app doctypes": len([e for e in self.errors if e.get("app")]),
			"5xx in Frappe elsewhere": len([e for e in self.errors if not e.get("app")]),
			"skipped": len(self.skipped),
			"seconds": self.figures["seconds"],
		}

	def summary_line(self) -> str:
		return "isolation sweep: " + ", ".join(f"{k} {v}" for k, v in self.counts().items())

	def report(self, limit: int = 60) -> str:
		"""The findings, one line per attacker and endpoint (records named by the call shown as
		<name>): writes, leaks, filter oracles, 5xx on the app's doctypes, each section capped at
		`limit` lines."""
		names = sorted({t.name for a in self.attackers for t in a.targets}, key=len, reverse=True)

		def family(label: str) -> str:
			for name in names:
				label = label.replace(f" {name}", " <name>")
			return shorten(label)

		lines = [self.summary_line()]
		lines += [
			f"(swept as {a.key}, who may not read the same data and has the same rights on it: {', '.join(a.also)})"
			for a in self.attackers
			if getattr(a, "also", None)
		]
		groups: dict[tuple, dict] = defaultdict(lambda: {"what": set(), "records": set()})
		for f in self.findings:
			what, _, record = f.detail.partition(" of ")
			group = groups[(f.kind, f.attacker, family(f.endpoint))]
			group["what"].add(what if f.kind == "leak" else f.detail)
			group["records"].add(record)
		sections: dict[str, list[str]] = {"write": [], "leak": [], "oracle": [], "5xx": []}
		for (kind, attacker, endpoint), group in sorted(groups.items()):
			what = ", ".join(sorted(group["what"])[:6]) + (" ..." if len(group["what"]) > 6 else "")
			records = len(group["records"] - {""})
			suffix = f" ({records} records)" if kind == "leak" and records > 1 else ""
			sections[kind].append(f"{kind}: {attacker} | {endpoint} | {what}{suffix}")
		errors = Counter(
			(e["attacker"], family(e["label"]), e["exception"][:120]) for e in self.errors if e.get("app")
		)
		for (attacker, label, exception), n in sorted(errors.items()):
			sections["5xx"].append(
				f"5xx on app doctype: {attacker} | {label} | {exception}" + (f" (x{n})" if n > 1 else "")
			)
		for section in sections.values():
			lines += section[:limit]
			if len(section) > limit:
				lines.append(f"... and {len(section) - limit} more lines like these")
		if self.crashes:
			lines += ["sweep worker crashed:", *self.crashes]
		return "\n".join(lines)

	def kinds_of_findings(self) -> list[str]:
		"""The findings summed up by kind of leak or write (for a person reading the result)."""
		kinds = Counter()
		for f in self.findings:
			what = f.detail.partition(" of ")[0] if f.kind == "leak" else f.detail.split(" ")[0]
			kinds[(f.kind, f.attacker, what)] += 1
		return [f"{kind}: {attacker}: {what} x{n}" for (kind, attacker, what), n in sorted(kinds.items())]


WWW_SKIPPED = ("printview", "printpreview")  # swept with every print format (sweep_prints)


def www_routes() -> list[tuple[str, str]]:
	"""Every page route of every installed app: the files of its ``www`` (and
	``templates/pages``) folders as Frappe's router finds them, and the ``from_route`` of every
	``website_route_rules`` hook; (route, app), assets (.js, .css) and the print view left out.
	(Not ``get_pages(app)``: its cache holds one app's pages for every app.)"""
	from frappe.website.router import get_pages_from_path, get_start_folders

	routes = {}
	for app in frappe.get_installed_apps():
		for start in get_start_folders():
			for route in get_pages_from_path(start, app, frappe.get_app_path(app)):
				if route.endswith((".js", ".css")) or route in WWW_SKIPPED:
					continue
				routes.setdefault("/" + route.strip("/"), app)
		for rule in frappe.get_hooks("website_route_rules", app_name=app) or []:
			routes.setdefault(rule["from_route"], app)
	return sorted(routes.items())


def code_frames(tb: str) -> list[str]:
	"""The frames of a traceback in the bench's apps (``frappe/model/document.py``,
	``ap_provision/permissions.py``), the database layer and the sweep itself left out."""
	frames = re.findall(r'File "[^"]*/apps/[^/"]+/([^"]+)", line \d+', tb)
	return [f for f in frames if not f.startswith(("frappe/database/", "frappe/query_builder/", SWEEP_FILE))]


def raised_on_app_doctype(tb: str, app_doctype: bool) -> bool:
	"""Whether a 5xx is the app's: raised in the app's code, or inside a document of one of the
	app's doctypes handling its values (Frappe's Document or BaseDocument innermost)."""
	frames = code_frames(tb)
	innermost = frames[-1] if frames else ""
	if innermost.startswith(f"{APP}/"):
		return True
	return app_doctype and innermost in ("frappe/model/document.py", "frappe/model/base_document.py")


def argument_failure(reply: Reply) -> str | None:
	"""The error of a 5xx raised by a function on its own arguments, before a document was
	touched (None for any other answer)."""
	frames = code_frames(reply.traceback)
	if reply.status < 500 or any(f.startswith(("frappe/model/", f"{APP}/")) for f in frames):
		return None
	return (reply.traceback.strip().splitlines() or ["?"])[-1][:100]


def progress(line: str):
	"""A line of progress for someone watching a long sweep (SWEEP_LOG=path)."""
	import os

	if path := os.environ.get("SWEEP_LOG"):
		with open(path, "a") as f:
			f.write(line + "\n")


def shorten(label: str, width: int = 150) -> str:
	label = re.sub(r"\s+", " ", label)
	return label if len(label) <= width else label[: width - 3] + "..."


def names_reports(m: Method) -> bool:
	return bool(m.names & {"report_name", "reference_report"}) and not m.doctype


def first_of_each_doctype(targets: list[Target]) -> list[Target]:
	seen, out = set(), []
	for t in sorted(targets, key=lambda t: (t.readable, -len(t.canaries))):
		if t.doctype not in seen:
			seen.add(t.doctype)
			out.append(t)
	return sorted(out, key=lambda t: t.doctype)


def first_of_doctype(targets: list[Target], t: Target) -> Target:
	return next(x for x in first_of_each_doctype(targets) if x.doctype == t.doctype)


def build_path(rule: str, **values) -> str:
	from urllib.parse import quote

	def sub(match):
		return quote(str(values[match.group(1)]), safe="")

	return re.sub(r"<(?:\w+:)?(\w+)>", sub, rule)


def encode(p: Param, value):
	"""A value as the desk sends it: text, with dictionaries and lists as JSON (native JSON values
	for parameters annotated as a dictionary or list only)."""
	if isinstance(value, dict | list) and not p.native:
		return json.dumps(value, default=str)
	return value
