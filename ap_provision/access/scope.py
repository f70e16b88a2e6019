"""Query scope and record checks: which school's or provider's records a user may touch.

A School Referrer works for one school and an AP Provider User for one provider: each has a
User Permission on that School or AP Provider (see :mod:`ap_provision.onboarding`). Frappe
applies User Permissions on its own, but only while they exist: a portal user whose User
Permission was removed, or never added, would see every school's records. These hooks close
that gap and hold in every channel (desk, REST, ``frappe.client``, reportview, search, print,
web forms), because they sit under ``frappe.get_list`` and ``frappe.has_permission``:

- ``permission_query_conditions``: a portal user's lists hold only the records of the
  schools (or providers) named in their User Permissions, and nothing when there are none;
- ``has_permission``: the same for one record (hooks can only deny), judged on the record as
  stored as well as on the values a request brings (Frappe checks write permission after
  applying the client's values, so a check of the new values alone would let a school write
  its own URN into another school's pupil and take it over);
- ``has_website_permission``: web form views defer to the document permission above;
- the fields that place a record in an organisation (:data:`PLACING_FIELDS`) are the
  server's: a portal user never moves them (``keep_placing_fields``), and every save is
  checked against the record as stored (``validate_portal_scope``).

Staff of the local authority (any desk role of the service) are not narrowed here.
"""

import frappe
from frappe import _
from frappe.core.doctype.user_permission.user_permission import get_user_permissions

from ap_provision.exceptions import PortalScopeError

SCHOOL_ROLE = "School Referrer"
PROVIDER_ROLE = "AP Provider User"
PORTAL_ROLES = (SCHOOL_ROLE, PROVIDER_ROLE)
LA_ROLES = (
	"System Manager",
	"AP Administrator",
	"PRT Officer",
	"Panel Chair",
	"Panel Member",
	"SEND Caseworker",
	"BOSS Practitioner",
)

# Doctype -> the Link fields that tie its records to a school or a provider. A portal user
# reads a record when one of its fields names an organisation of theirs.
SCOPE_FIELDS = {
	"Pupil": {"School": "school"},
	"Referral": {"School": "school"},
	"EHC Assessment": {"School": "school"},
	"Placement": {"School": "school", "AP Provider": "provider"},
	"Placement Update": {"School": "school", "AP Provider": "provider"},
	"Review": {"School": "school", "AP Provider": "provider"},
	"Placement Safeguarding": {"School": "school", "AP Provider": "provider"},
	"Part-time Arrangement": {"School": "school", "AP Provider": "provider"},
	"AP Session Mark": {"School": "school", "AP Provider": "provider"},
}

# Doctype -> the fields that place a record in a school or provider, directly or through the
# record they come from. Set by the server (from the user's User Permission, or the pupil,
# referral or placement the record belongs to); on an existing record a portal user's request
# never changes them: only LA staff move a record (a pupil changing school, say).
PLACING_FIELDS = {
	"Pupil": ("school",),
	"Referral": ("school", "pupil", "ehc_assessment"),
	"EHC Assessment": ("school", "referral", "pupil"),
	"Placement": ("school", "provider", "referral", "pupil"),
	"Placement Update": ("school", "provider", "placement", "pupil"),
	"Review": ("school", "provider", "placement", "pupil"),
	"Placement Safeguarding": ("school", "provider", "placement"),
	"Part-time Arrangement": ("school", "provider", "placement", "pupil"),
	"AP Session Mark": ("school", "provider", "placement", "pupil"),
}

# Fields the server alone fills on a new record (whatever a portal user's request says).
SERVER_SET_ON_INSERT = {
	"Referral": ("ehc_assessment",),
}


def portal_scope(user: str | None = None) -> dict[str, list[str]] | None:
	"""The schools and providers a portal user may see, or None for LA staff and Administrator."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roles = set(frappe.get_roles(user))
	if roles.intersection(LA_ROLES) or not roles.intersection(PORTAL_ROLES):
		return None
	# Frappe's own cache of the user's User Permissions (the one its permission checks read),
	# cleared by Frappe whenever a User Permission of the user is saved or deleted: this is
	# called for every list query and again for every document, so it must not query.
	permissions = get_user_permissions(user)
	return {
		"School": [p.doc for p in permissions.get("School", [])] if SCHOOL_ROLE in roles else [],
		"AP Provider": [p.doc for p in permissions.get("AP Provider", [])] if PROVIDER_ROLE in roles else [],
	}


def user_schools(user: str | None = None) -> list[str]:
	return (portal_scope(user) or {}).get("School", [])


def user_providers(user: str | None = None) -> list[str]:
	return (portal_scope(user) or {}).get("AP Provider", [])


# -- permission_query_conditions -------------------------------------------------------------


def _conditions(doctype: str, user: str | None) -> str:
	scope = portal_scope(user)
	if scope is None:
		return ""
	clauses = []
	for allow, fieldname in SCOPE_FIELDS[doctype].items():
		if values := scope.get(allow):
			quoted = ", ".join(frappe.db.escape(v) for v in values)
			clauses.append(f"`tab{doctype}`.`{fieldname}` in ({quoted})")
	return "(" + " or ".join(clauses) + ")" if clauses else "1=0"


def query_conditions(user=None, doctype=None):
	"""permission_query_conditions of every scoped doctype (Frappe passes the doctype)."""
	return _conditions(doctype, user) if doctype in SCOPE_FIELDS else ""


# -- has_permission / has_website_permission --------------------------------------------------


def in_scope(doc, user: str | None = None) -> bool:
	"""Whether the record belongs to one of the portal user's organisations (True for LA staff)."""
	scope = portal_scope(user)
	if scope is None:
		return True
	return _values_in_scope(doc.doctype, doc, scope, is_new=bool(getattr(doc, "is_new", lambda: False)()))


def _values_in_scope(doctype: str, values, scope: dict, is_new: bool = False) -> bool:
	for allow, fieldname in SCOPE_FIELDS[doctype].items():
		value = values.get(fieldname)
		if value and isinstance(value, str) and value in scope.get(allow, []):
			return True
	# A new record has no school yet: the server sets it (see set_portal_school); creating is
	# judged by the role, and saving by validate_portal_scope.
	return is_new and not any(values.get(f) for f in SCOPE_FIELDS[doctype].values())


def stored_scope_values(doc) -> dict | None:
	"""The scope fields of the record as stored, or None for a record not (yet) in the database."""
	name = doc.get("name")
	if not name or not isinstance(name, str) or (hasattr(doc, "is_new") and doc.is_new()):
		return None
	before = doc.get_doc_before_save() if hasattr(doc, "get_doc_before_save") else None
	if before is not None:
		return before
	return frappe.db.get_value(doc.doctype, name, list(SCOPE_FIELDS[doc.doctype].values()), as_dict=True)


def has_permission(doc, ptype=None, user=None, debug=False):
	"""Deny a portal user any record outside their school or provider, as sent and as stored;
	no opinion otherwise (a has_permission hook can only deny in Frappe v15)."""
	if doc.doctype not in SCOPE_FIELDS:
		return None
	scope = portal_scope(user)
	if scope is None:
		return None
	if not in_scope(doc, user):
		return False
	stored = stored_scope_values(doc)
	if stored is not None and not _values_in_scope(doc.doctype, stored, scope):
		return False
	if ptype in ("write", "submit", "cancel", "delete") and locked_for_portal(doc):
		return False
	return None


def locked_for_portal(doc) -> str | None:
	"""Why a portal user may no longer change this record (None when they may).

	EHC evidence belongs to its referral: once the referral has gone to the PRT (anything but
	Draft or More Information Requested) the school can no longer change it.
	"""
	if doc.doctype != "EHC Assessment" or not doc.get("referral"):
		return None
	from ap_provision.ap_provision.doctype.referral.referral import SCHOOL_EDITABLE_STATES

	state = frappe.db.get_value("Referral", doc.get("referral"), "workflow_state")
	if state and state not in SCHOOL_EDITABLE_STATES:
		return state
	return None


def has_website_permission(doc, ptype="read", user=None, verbose=False):
	"""Web form views (read, edit): exactly what the document permissions allow."""
	return bool(frappe.has_permission(doc.doctype, ptype=ptype, doc=doc, user=user))


# -- doc_events: saving through any channel ---------------------------------------------------


def keep_placing_fields(doc, method=None):
	"""before_validate: a portal user's request never moves a record to another organisation.

	On an existing record a request that changes a field of :data:`PLACING_FIELDS` is refused
	(HTTP 403) and nothing is saved; on a new one the fields the server fills are cleared for it
	to fill (say the EHC assessment of a referral), and the user's school or provider is set
	where the record takes it from the user (a pupil added by a school)."""
	scope = portal_scope()
	if scope is None or doc.doctype not in PLACING_FIELDS:
		return
	if doc.is_new():
		for fieldname in SERVER_SET_ON_INSERT.get(doc.doctype, ()):
			doc.set(fieldname, None)
		set_portal_school(doc, scope=scope)
		return
	before = doc.get_doc_before_save()
	stored = (
		before.as_dict()
		if before is not None
		else frappe.db.get_value(doc.doctype, doc.name, PLACING_FIELDS[doc.doctype], as_dict=True) or {}
	)
	moved = [
		fieldname
		for fieldname in PLACING_FIELDS[doc.doctype]
		if doc.meta.has_field(fieldname) and (doc.get(fieldname) or None) != (stored.get(fieldname) or None)
	]
	if moved:
		frappe.throw(
			_(
				"The {0} of this {1} is set by the Pupil Referral Team and cannot be changed here. Reload the page to see it as it is."
			).format(", ".join(_(doc.meta.get_label(fieldname)) for fieldname in moved), _(doc.doctype)),
			PortalScopeError,
			title=_("Not permitted"),
		)


def set_portal_school(doc, method=None, scope=None):
	"""A school user's new record belongs to their school; a provider user's to their provider."""
	scope = scope or portal_scope()
	if scope is None or not doc.is_new():
		return
	for allow, fieldname in SCOPE_FIELDS.get(doc.doctype, {}).items():
		if not doc.get(fieldname) and len(scope.get(allow, [])) == 1 and doc.meta.has_field(fieldname):
			field = doc.meta.get_field(fieldname)
			if not field.read_only:
				doc.set(fieldname, scope[allow][0])


def validate_portal_scope(doc, method=None):
	"""Refuse a save by a portal user of a record that is not their school's or provider's,
	as it is now and as it was stored.

	Web forms insert and save with ignore_permissions, so this is the check that holds there too.
	"""
	scope = portal_scope()
	if doc.doctype not in SCOPE_FIELDS or scope is None:
		return
	stored = stored_scope_values(doc)
	if in_scope(doc) and (stored is None or _values_in_scope(doc.doctype, stored, scope)):
		return
	frappe.throw(
		_(
			"This {0} belongs to another school or provider: you can only add or change your own records."
		).format(_(doc.doctype)),
		PortalScopeError,
		title=_("Not permitted"),
	)
