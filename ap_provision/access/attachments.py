"""Attach fields: what a user may attach, and who may then read the file."""

import os

import frappe
from frappe import _

from ap_provision.access.scope import portal_scope
from ap_provision.exceptions import AttachmentError
from ap_provision.rules import evidence

HEAD_BYTES = 16


def validate_attachments(doc, method=None):
	"""An Attach field may only name a stored File the user uploaded themselves (or one already
	attached to this record), of an accepted type judged by its content, within the size limit
	measured on disk; a portal user's evidence is private.

	A file URL posted by hand (school A's BOSS report on school B's referral, or a URL with no
	file behind it at all) is refused: once attached it would become readable through school B's
	referral, or satisfy R2 with nothing.
	"""
	for df in doc.meta.get("fields", {"fieldtype": ("in", ("Attach", "Attach Image"))}):
		url = doc.get(df.fieldname)
		if not url or not doc.has_value_changed(df.fieldname):
			continue
		file = attachable_file(url, doc)
		if not file:
			frappe.throw(
				_("{0}: {1} is not a file you uploaded. Upload the file again.").format(
					_(df.label), frappe.bold(url)
				),
				AttachmentError,
				title=_("File not found"),
			)
		size, head = stored_size_and_head(file)
		if problem := evidence.attachment_problem(file.file_name or url.rsplit("/", 1)[-1], size, head):
			frappe.throw(f"{_(df.label)}: {problem}", AttachmentError, title=_("File not accepted"))
		if not file.is_private and portal_scope() is not None:
			frappe.throw(
				_("{0}: evidence about a pupil must be uploaded as a private file.").format(_(df.label)),
				AttachmentError,
				title=_("Private file needed"),
			)


def attachable_file(url: str, doc):
	"""The File behind `url` that the session user may attach to `doc`: one they uploaded, or one
	already attached to this very record. None when there is none."""
	user = frappe.session.user
	for file in frappe.get_all(
		"File",
		filters={"file_url": url, "is_folder": 0},
		fields=["name", "owner", "file_name", "is_private", "attached_to_doctype", "attached_to_name"],
	):
		if user == "Administrator" or file.owner == user:
			return file
		if file.attached_to_doctype == doc.doctype and file.attached_to_name == doc.name and not doc.is_new():
			return file
	return None


def stored_size_and_head(file) -> tuple[int, bytes]:
	"""The file's real size on disk and its first bytes (0 and nothing when it is not on disk)."""
	try:
		path = frappe.get_doc("File", file.name).get_full_path()
		with open(path, "rb") as handle:
			return os.path.getsize(path), handle.read(HEAD_BYTES)
	except (OSError, frappe.DoesNotExistError):
		return 0, b""


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
