"""Move the PRT's triage notes and a placement's safeguarding arrangements into doctypes of
their own (Referral Triage, Placement Safeguarding), with their change history, and drop the
old columns. Before this, they were fields at permission levels on Referral and Placement,
which the school (triage) and the panel (safeguarding) could not read in the form but could
reach through write responses, version history, filters and prints (docs/security.md).

Written for a region's site (100,000 referrals and more): rows are read and written in chunks
with multi-row inserts, and each chunk is committed, so no transaction nears Frappe's limit on
writes per transaction and the move runs at database speed, not one document at a time."""

import json

import frappe

CHUNK = 5000

MOVES = (
	# (from doctype, to doctype, link field on the new doctype, fields moved)
	("Referral", "Referral Triage", "referral", ("prt_notes", "recommendation")),
	(
		"Placement",
		"Placement Safeguarding",
		"placement",
		("safeguarding_arrangements", "provider_dsl", "school_dsl"),
	),
)
DROPPED_ELSEWHERE = (("Panel Agenda Item", "recommendation"),)


def execute():
	for source, target, link, fields in MOVES:
		present = [f for f in fields if frappe.db.has_column(source, f)]
		if not present:
			continue
		move_values(source, target, link, present)
		move_versions(source, target, present)
		drop_columns(source, present)
	for doctype, field in DROPPED_ELSEWHERE:
		if frappe.db.has_column(doctype, field):
			drop_columns(doctype, [field])
	if frappe.db.has_column("Placement", "safeguarding_recorded"):
		frappe.db.sql(
			"""update `tabPlacement` p join `tabPlacement Safeguarding` s on s.placement = p.name
			set p.safeguarding_recorded = 1 where ifnull(s.safeguarding_arrangements, '') != ''"""
		)


def chunks(query: str, values: dict | None = None):
	"""Rows of ``query`` (ordered by name, with ``%(after)s`` as its lower bound) a chunk at a time."""
	after = ""
	while True:
		rows = frappe.db.sql(query, {**(values or {}), "after": after, "limit": CHUNK}, as_dict=True)
		if not rows:
			return
		yield rows
		after = rows[-1].name


def move_values(source: str, target: str, link: str, fields: list[str]):
	"""One record of ``target`` per record of ``source`` with any of ``fields`` filled, named after
	it (the new doctypes are named by their link), keeping who wrote it and when."""
	columns = ", ".join(f"s.`{f}`" for f in fields)
	filled = " or ".join(f"trim(ifnull(s.`{f}`, '')) != ''" for f in fields)
	query = f"""select s.name, s.owner, s.creation, s.modified, s.modified_by, {columns}
		from `tab{source}` s left join `tab{target}` t on t.name = s.name
		where s.name > %(after)s and t.name is null and ({filled})
		order by s.name limit %(limit)s"""
	for rows in chunks(query):
		frappe.db.bulk_insert(
			target,
			fields=["name", "owner", "creation", "modified", "modified_by", "docstatus", link, *fields],
			values=[
				(r.name, r.owner, r.creation, r.modified, r.modified_by, 0, r.name, *(r[f] for f in fields))
				for r in rows
			],
		)
		frappe.db.commit()


def move_versions(source: str, target: str, fields: list[str]):
	"""The changes of the moved fields leave the source's version history (which its readers
	can open) for a Version of the new record (which they cannot)."""
	mentions = " or ".join(f"data like %(f{i})s" for i in range(len(fields)))
	query = f"""select name, docname, data, owner, creation from `tabVersion`
		where ref_doctype = %(source)s and name > %(after)s and ({mentions})
		order by name limit %(limit)s"""
	values = {"source": source, **{f"f{i}": f'%"{f}"%' for i, f in enumerate(fields)}}
	targets_seen = set()
	for rows in chunks(query, values):
		names = {r.docname for r in rows} - targets_seen
		if names:
			targets_seen |= set(frappe.get_all(target, filters={"name": ("in", list(names))}, pluck="name"))
		new_versions, deleted = [], []
		for version in rows:
			try:
				data = json.loads(version.data or "{}")
			except ValueError:
				continue
			changed = data.get("changed") or []
			moved = [c for c in changed if c and c[0] in fields]
			if not moved:
				continue
			kept = [c for c in changed if not (c and c[0] in fields)]
			if kept or data.get("added") or data.get("removed") or data.get("row_changed"):
				data["changed"] = kept
				frappe.db.set_value("Version", version.name, "data", json.dumps(data), update_modified=False)
			else:
				deleted.append(version.name)
			if version.docname in targets_seen:
				new_versions.append(
					(
						frappe.generate_hash(length=10),
						version.owner,
						version.creation,
						version.creation,
						version.owner,
						0,
						target,
						version.docname,
						json.dumps({"changed": moved, "added": [], "removed": [], "row_changed": []}),
					)
				)
		if deleted:
			frappe.db.delete("Version", {"name": ("in", deleted)})
		if new_versions:
			frappe.db.bulk_insert(
				"Version",
				fields=[
					"name",
					"owner",
					"creation",
					"modified",
					"modified_by",
					"docstatus",
					"ref_doctype",
					"docname",
					"data",
				],
				values=new_versions,
			)
		frappe.db.commit()


def drop_columns(doctype: str, fields: list[str]):
	drops = ", ".join(f"drop column `{f}`" for f in fields)
	frappe.db.sql_ddl(f"alter table `tab{doctype}` {drops}")
