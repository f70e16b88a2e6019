"""Rows of child tables checked against their own parent record.

Frappe v15 checks a child-table row loaded on its own (``frappe.client.get`` of a child doctype
by name or by ``{"parent": ...}``, ``/api/resource/<child>/<name>``, ``getdoc``) against the
parent *doctype* only: ``has_child_permission`` passes ``child.parent_doc``, which is None for a
row loaded without its parent, so no record-level rule (User Permissions, the app's
``has_permission`` hooks) is applied. Provider X could read the session marks of provider Y's
report by naming it. The child controllers inherit :class:`ParentScoped`, which adds the missing
check: a row loaded on its own is readable only by those who may read its parent record.
Rows listed through ``frappe.get_list`` are scoped by :func:`child_query` (``permission_query_conditions`` in hooks.py).
"""

import frappe

from ap_provision.access.scope import SCOPE_FIELDS, _conditions, portal_scope

# Child tables -> their parent doctypes. Frappe lists a child table's rows (frappe.client.get_list
# and reportview with a parent doctype) after checking only that the user may read the parent
# doctype, with the child's own query conditions: without these, provider X would list the session
# marks of provider Y's reports.
CHILD_PARENTS = {
	"Placement Attendance Day": ("Placement Update",),
	"Placement Stakeholder": ("Placement",),
	"Placement Session": ("Placement",),
	"Review Attendee": ("Review",),
	"Review Action": ("Review",),
	"EHC Professional Advice": ("EHC Assessment",),
	"AP Provider Check": ("AP Provider",),
	"AP Provider Closure": ("AP Provider",),
	"Panel Attendance": ("Panel",),
	"Panel Agenda Item": ("Panel",),
}


def child_query(user=None, doctype=None):
	"""A portal user lists the rows of a child table only where the parent is their school's or
	provider's (nothing for parents they never read, such as panels)."""
	scope = portal_scope(user)
	if scope is None or doctype not in CHILD_PARENTS:
		return ""
	clauses = []
	for parenttype in CHILD_PARENTS[doctype]:
		if parenttype in SCOPE_FIELDS:
			parents = f"select `tab{parenttype}`.`name` from `tab{parenttype}` where {_conditions(parenttype, user)}"
		elif scope.get(parenttype):
			parents = ", ".join(frappe.db.escape(v) for v in scope[parenttype])
		else:
			continue
		clauses.append(
			f"(`tab{doctype}`.`parenttype` = {frappe.db.escape(parenttype)} and `tab{doctype}`.`parent` in ({parents}))"
		)
	return "(" + " or ".join(clauses) + ")" if clauses else "1=0"


class ParentScoped:
	def load_from_db(self):
		"""A row loaded on its own keeps its parent record as ``parent_doc``, so that Frappe's
		check of a child (``has_child_permission``, used by ``/printview`` among others) checks
		that record, not only its doctype."""
		super().load_from_db()
		if (
			getattr(self, "_parent_doc", None) is None
			and self.parenttype
			and self.parent
			and frappe.db.exists(self.parenttype, self.parent)
		):
			self._parent_doc = frappe.get_doc(self.parenttype, self.parent)

	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		if not super().has_permission(permtype, debug=debug, user=user):
			return False
		if self.flags.ignore_permissions or self.parent_doc is not None:
			return True  # loaded with its parent, which was checked
		if not (self.parenttype and self.parent):
			return True
		return bool(frappe.has_permission(self.parenttype, permtype, doc=self.parent, user=user))
