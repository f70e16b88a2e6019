"""Isolation of schools and providers, through Frappe's own permission hooks.

A School Referrer works for one school and an AP Provider User for one provider: each has a
User Permission on that School or AP Provider (see :mod:`ap_provision.onboarding`). Frappe
applies User Permissions on its own, but only while they exist: a portal user whose User
Permission was removed, or never added, would see every school's records. These hooks close
that gap and hold in every channel (desk, REST, ``frappe.client``, reportview, search, print,
web forms), because they sit under ``frappe.get_list`` and ``frappe.has_permission``:

- ``permission_query_conditions``: a portal user's lists hold only the records of the
  schools (or providers) named in their User Permissions, and nothing when there are none;
- ``has_permission``: the same for one record (hooks can only deny);
- ``has_website_permission``: web form views defer to the document permission above.

Staff of the local authority (any desk role of the service) are not narrowed here.
"""

import frappe
from frappe import _
from frappe.core.doctype.user_permission.user_permission import get_user_permissions

from ap_provision.exceptions import AttachmentError, PortalScopeError

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


def pupil_query(user=None):
	return _conditions("Pupil", user)


def referral_query(user=None):
	return _conditions("Referral", user)


def ehc_assessment_query(user=None):
	return _conditions("EHC Assessment", user)


def placement_query(user=None):
	return _conditions("Placement", user)


def placement_update_query(user=None):
	return _conditions("Placement Update", user)


def review_query(user=None):
	return _conditions("Review", user)


# Child tables -> their parent doctypes. Frappe lists a child table's rows (frappe.client.get_list
# and reportview with a parent doctype) after checking only that the user may read the parent
# doctype, with the child's own query conditions: without these, provider X would list the session
# marks of provider Y's reports.
CHILD_PARENTS = {
	"Placement Attendance Day": ("Placement Update",),
	"Placement Stakeholder": ("Placement",),
	"Review Attendee": ("Review",),
	"Review Action": ("Review",),
	"EHC Professional Advice": ("EHC Assessment",),
	"AP Provider Check": ("AP Provider",),
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


# -- has_permission / has_website_permission --------------------------------------------------


def in_scope(doc, user: str | None = None) -> bool:
	"""Whether the record belongs to one of the portal user's organisations (True for LA staff)."""
	scope = portal_scope(user)
	if scope is None:
		return True
	for allow, fieldname in SCOPE_FIELDS[doc.doctype].items():
		if doc.get(fieldname) and doc.get(fieldname) in scope.get(allow, []):
			return True
	# A new record has no school yet: the form sets it (see set_portal_school); creating is
	# judged by the role, and saving by validate_portal_scope.
	return bool(doc.is_new() if hasattr(doc, "is_new") else False) and not any(
		doc.get(f) for f in SCOPE_FIELDS[doc.doctype].values()
	)


def has_permission(doc, ptype=None, user=None, debug=False):
	"""Deny a portal user any record outside their school or provider; no opinion otherwise."""
	if doc.doctype not in SCOPE_FIELDS:
		return None
	if not in_scope(doc, user):
		return False
	return None


def has_website_permission(doc, ptype="read", user=None, verbose=False):
	"""Web form views (read, edit): exactly what the document permissions allow."""
	return bool(frappe.has_permission(doc.doctype, ptype=ptype, doc=doc, user=user))


# -- doc_events: saving through any channel ---------------------------------------------------


def set_portal_school(doc, method=None):
	"""A school user's new record belongs to their school; a provider user's to their provider."""
	scope = portal_scope()
	if scope is None or not doc.is_new():
		return
	for allow, fieldname in SCOPE_FIELDS.get(doc.doctype, {}).items():
		if not doc.get(fieldname) and len(scope.get(allow, [])) == 1 and doc.meta.has_field(fieldname):
			field = doc.meta.get_field(fieldname)
			if not field.read_only:
				doc.set(fieldname, scope[allow][0])


def validate_portal_scope(doc, method=None):
	"""Refuse a save by a portal user of a record that is not their school's or provider's.

	Web forms insert with ignore_permissions, so this is the check that holds there too.
	"""
	if doc.doctype not in SCOPE_FIELDS or portal_scope() is None or in_scope(doc):
		return
	owners = [doc.get(f) for f in SCOPE_FIELDS[doc.doctype].values() if doc.get(f)]
	frappe.throw(
		_(
			"This {0} belongs to {1}: you can only add or change records of your own school or provider."
		).format(_(doc.doctype), ", ".join(frappe.bold(o) for o in owners) or _("another organisation")),
		PortalScopeError,
		title=_("Not permitted"),
	)


# -- attachments ----------------------------------------------------------------------------

# What a portal user may upload as evidence, and how large (MB).
ALLOWED_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".png", ".jpg", ".jpeg")
MAX_ATTACHMENT_MB = 10


def validate_attachments(doc, method=None):
	"""Attach fields may only name private files the user can read, of an accepted type and size.

	A file URL posted by hand (say school A's BOSS report on school B's referral) is refused:
	once attached it would become readable through school B's referral.
	"""
	for df in doc.meta.get("fields", {"fieldtype": ("in", ("Attach", "Attach Image"))}):
		url = doc.get(df.fieldname)
		if not url or not doc.has_value_changed(df.fieldname):
			continue
		files = frappe.get_all("File", filters={"file_url": url}, pluck="name")
		file = _readable_file(files)
		if files and not file:
			frappe.throw(
				_("{0}: the file {1} is not one of your uploads. Upload the file again.").format(
					_(df.label), frappe.bold(url)
				),
				AttachmentError,
				title=_("File not found"),
			)
		file = file or frappe._dict(
			file_name=url.rsplit("/", 1)[-1], file_size=0, is_private=url.startswith("/private/")
		)
		if not (file.file_name or url).lower().endswith(ALLOWED_EXTENSIONS):
			frappe.throw(
				_(
					"{0}: {1} is not an accepted file type. Upload a PDF, Word document, text file or image."
				).format(_(df.label), frappe.bold(file.file_name or url)),
				AttachmentError,
				title=_("Wrong file type"),
			)
		if (file.file_size or 0) > MAX_ATTACHMENT_MB * 1024 * 1024:
			frappe.throw(
				_("{0}: {1} is larger than {2} MB. Upload a smaller file.").format(
					_(df.label), frappe.bold(file.file_name), MAX_ATTACHMENT_MB
				),
				AttachmentError,
				title=_("File too large"),
			)
		if not file.is_private and portal_scope() is not None:
			frappe.throw(
				_("{0}: evidence about a pupil must be uploaded as a private file.").format(_(df.label)),
				AttachmentError,
				title=_("Private file needed"),
			)


def _readable_file(names: list[str]):
	from frappe.core.doctype.file.file import has_permission as file_has_permission

	for name in names:
		doc = frappe.get_doc("File", name)
		if file_has_permission(doc, "read"):
			return doc
	return None


def link_attachments(doc, method=None):
	"""Attach the files named in Attach fields to the document, privately.

	Web forms upload a file before the document exists, so the File is not attached to
	anything and only its uploader could read it. Once attached, Frappe lets exactly those who
	may read the document read the file (and nobody else: the file stays private).
	"""
	for df in doc.meta.get("fields", {"fieldtype": ("in", ("Attach", "Attach Image"))}):
		url = doc.get(df.fieldname)
		if not url:
			continue
		for name in frappe.get_all(
			"File",
			filters={"file_url": url, "attached_to_doctype": ("is", "not set")},
			pluck="name",
		):
			file = frappe.get_doc("File", name)
			if file.owner != frappe.session.user and frappe.session.user != "Administrator":
				continue
			file.db_set(
				{
					"attached_to_doctype": doc.doctype,
					"attached_to_name": doc.name,
					"attached_to_field": df.fieldname,
				}
			)


# -- field-level read permissions outside frappe.client -------------------------------------


def readable_dict(doc) -> dict:
	"""The document as a dict without the fields the user may not read (permission levels)."""
	doc = frappe.get_doc(doc.doctype, doc.name)
	doc.apply_fieldlevel_read_permissions()
	return doc.as_dict(no_nulls=True)


@frappe.whitelist(allow_guest=True)
def get_form_data(doctype, docname=None, web_form_name=None):
	"""Frappe's web form data endpoint, returning only the fields the user may read.

	Frappe's own returns the whole document, which would show a school the PRT's notes
	(permission level 2) of its referral. Overrides
	``frappe.website.doctype.web_form.web_form.get_form_data`` (hooks.py).
	"""
	from frappe.website.doctype.web_form.web_form import get_form_data as frappe_get_form_data

	out = frappe_get_form_data(doctype, docname=docname, web_form_name=web_form_name)
	if out.get("doc") is not None:
		out.doc = readable_dict(out.doc)
	return out


def validate_web_form_create(doc, method=None):
	"""A web form inserts with ignore_permissions, so a new record posted through one needs the
	user's own create permission: a provider cannot add a Placement through the read-only
	placements page, nor a school a Placement Update."""
	if not frappe.flags.in_web_form or not doc.is_new() or not frappe.form_dict.get("web_form"):
		return
	if frappe.get_cached_value("Web Form", frappe.form_dict.web_form, "doc_type") != doc.doctype:
		return
	if not frappe.has_permission(doc.doctype, "create"):
		frappe.throw(
			_("You cannot add a {0} here: this page only shows them.").format(_(doc.doctype)),
			frappe.PermissionError,
			title=_("Not permitted"),
		)


def validate_web_form_mandatory(doc, method=None):
	"""A web form's own mandatory fields hold on the server too (Frappe checks them in the browser
	only), so a post with a field left out saves nothing."""
	if not frappe.flags.in_web_form or not frappe.form_dict.get("web_form"):
		return
	web_form = frappe.get_cached_doc("Web Form", frappe.form_dict.web_form)
	if web_form.doc_type != doc.doctype:
		return
	missing = [
		f.label or f.fieldname for f in web_form.web_form_fields if f.reqd and not doc.get(f.fieldname)
	]
	if missing:
		frappe.throw(
			_("Fill in {0} before saving.").format(", ".join(frappe.bold(_(label)) for label in missing)),
			frappe.MandatoryError,
			title=_("Missing information"),
		)


@frappe.whitelist()
def get_count(doctype, filters=None, debug=False, cache=False):
	"""``frappe.client.get_count`` within the user's permissions.

	Frappe v15's own counts the whole table, whatever the user may read: school B could learn
	whether a pupil with a given UPN or name is on another school's roll. Overrides
	``frappe.client.get_count`` (hooks.py).
	"""
	from frappe.client import get_safe_filters

	return frappe.get_list(
		doctype,
		filters=get_safe_filters(filters),
		fields=[f"count(`tab{doctype}`.`name`) as total_count"],
		as_list=True,
	)[0][0]
