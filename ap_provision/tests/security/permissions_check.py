"""Check the permission matrix cell by cell on a site, as real users through REST."""

from __future__ import annotations

import json

import frappe

from ap_provision.access import matrix
from ap_provision.tests.security import world
from ap_provision.tests.security.client import Reply, RestUser

HAS_PERMISSION = "frappe.client.has_permission"


def check_cell(user: RestUser, w: world.World, doctype: str, right: str, allowed: bool) -> str | None:
	"""Act on the cell; return a description of the mismatch, or None when it agrees."""
	name = w.record(doctype, "A")
	reply: Reply
	if right == "read":
		reply = user.get_doc(doctype, name)
		ok = reply.status == 200 if allowed else reply.status == 403
	elif right == "write":
		change = dict(world.TOUCH[doctype])
		for key, value in change.items():
			if value is None:
				change[key] = frappe.db.get_value(doctype, name, key)
		reply = user.update(doctype, name, change)
		ok = reply.status == 200 if allowed else reply.status == 403
	elif right == "create":
		reply = user.insert(doctype, world.valid_payload(doctype, "A"))
		ok = reply.status == 200 if allowed else reply.status == 403
	elif right == "delete":
		target = world.throwaway(doctype)
		reply = user.delete(doctype, target)
		if allowed:
			# Permission granted; Frappe may still refuse a record that others link to.
			ok = reply.status == 202 or reply.json.get("exc_type") == "LinkExistsError"
		else:
			frappe.db.rollback()
			ok = reply.status == 403 and frappe.db.exists(doctype, target)
	elif right == "export":
		reply = user.form_post(
			"frappe.desk.reportview.export_query",
			doctype=doctype,
			file_format_type="CSV",
			fields=json.dumps([f"`tab{doctype}`.`name`"]),
			title=doctype,
		)
		ok = reply.status == 200 if allowed else reply.status == 403
	else:  # report, print, submit, cancel: Frappe's permission engine, asked over REST
		reply = user.call(HAS_PERMISSION, http="GET", doctype=doctype, docname=name, perm_type=right)
		ok = reply.status == 200 and bool((reply.data or {}).get("has_permission")) == allowed
	if ok:
		return None
	return f"{doctype} / {user.email} / {right}: expected {'allowed' if allowed else 'refused'}, got HTTP {reply.status} {reply.message()[:160]}"


def check_scope(user: RestUser, w: world.World, doctype: str, grant: matrix.Grant) -> list[str]:
	"""A scoped user reaches their own scope's records only (by GET, list, PUT and POST)."""
	problems = []
	own, other = w.records[doctype]["A"], w.records[doctype]["B"]
	field = grant.scope_field
	reply = user.get_doc(doctype, other)
	if reply.status != 403:
		problems.append(f"{doctype}: {user.email} read {other} of another {grant.scope}: HTTP {reply.status}")
	reply = user.get_list(doctype, fields=["name", field])
	rows = reply.data or []
	own_value = world.SCHOOLS["A"] if grant.scope == "school" else world.PROVIDERS["A"]
	if reply.status != 200 or own not in [r["name"] for r in rows]:
		problems.append(f"{doctype}: {user.email} list misses own record {own}: HTTP {reply.status}")
	strangers = [r["name"] for r in rows if r.get(field) != own_value]
	if strangers:
		problems.append(f"{doctype}: {user.email} lists records of another {grant.scope}: {strangers[:5]}")
	if "write" in grant.rights:
		reply = user.update(doctype, other, world.TOUCH[doctype])
		if reply.status != 403:
			problems.append(
				f"{doctype}: {user.email} wrote {other} of another {grant.scope}: HTTP {reply.status}"
			)
	if "create" in grant.rights:
		reply = user.insert(doctype, world.valid_payload(doctype, "B"))
		if reply.status != 403:
			problems.append(
				f"{doctype}: {user.email} created a record for another {grant.scope}: HTTP {reply.status} {reply.message()[:120]}"
			)
	return problems
