"""Portal users of a school or a provider: added and removed from the School or AP Provider form.

Adding makes (or reuses) a Website User with the portal role and one User Permission on the
organisation; removing deletes that User Permission and, when the user is left with no
organisation of that kind, the role too. Both are AP Administrator actions.
"""

import frappe
from frappe import _
from frappe.utils import validate_email_address

from ap_provision.access.scope import LA_ROLES, PROVIDER_ROLE, SCHOOL_ROLE
from ap_provision.exceptions import OnboardingError

ROLE_FOR = {"School": SCHOOL_ROLE, "AP Provider": PROVIDER_ROLE}
MANAGERS = ("AP Administrator", "System Manager")


def _check(doctype: str, name: str):
	if doctype not in ROLE_FOR:
		frappe.throw(_("Portal users belong to a School or an AP Provider, not to a {0}.").format(doctype))
	if not set(MANAGERS).intersection(frappe.get_roles()):
		frappe.throw(
			_("Only an AP Administrator can add or remove portal users."),
			frappe.PermissionError,
			title=_("Not permitted"),
		)
	if not frappe.db.exists(doctype, name):
		frappe.throw(
			_("{0} {1} does not exist.").format(_(doctype), frappe.bold(name)), frappe.DoesNotExistError
		)


@frappe.whitelist(methods=["POST"])
def add_portal_user(doctype: str, name: str, email: str, first_name: str, last_name: str | None = None):
	"""Give `email` portal access to the School or AP Provider `name`; returns the user's id."""
	_check(doctype, name)
	email = (email or "").strip().lower()
	if not email or not validate_email_address(email):
		frappe.throw(_("Enter a valid email address for the new user."), OnboardingError)
	if not (first_name or "").strip():
		frappe.throw(_("Enter the new user's first name."), OnboardingError)
	role = ROLE_FOR[doctype]

	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
		if staff := set(frappe.get_roles(email)).intersection(LA_ROLES):
			frappe.throw(
				_("{0} is a member of LA staff ({1}) and cannot be a portal user.").format(
					frappe.bold(email), ", ".join(sorted(staff))
				),
				OnboardingError,
			)
		other = frappe.get_all(
			"User Permission",
			filters={"user": email, "allow": doctype, "for_value": ("!=", name)},
			pluck="for_value",
		)
		if other:
			frappe.throw(
				_("{0} already works for {1}: remove them there first (one organisation per user).").format(
					frappe.bold(email), ", ".join(frappe.bold(o) for o in other)
				),
				OnboardingError,
			)
		if not user.enabled:
			user.enabled = 1
		if role not in [r.role for r in user.roles]:
			user.append("roles", {"role": role})
		user.flags.ignore_permissions = True
		user.save()
	else:
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name.strip(),
				"last_name": (last_name or "").strip() or None,
				"user_type": "Website User",
				"send_welcome_email": 1,
				"roles": [{"role": role}],
			}
		)
		user.flags.ignore_permissions = True
		user.insert()

	if not frappe.db.exists("User Permission", {"user": email, "allow": doctype, "for_value": name}):
		frappe.get_doc(
			{
				"doctype": "User Permission",
				"user": email,
				"allow": doctype,
				"for_value": name,
				"apply_to_all_doctypes": 1,
				"is_default": 1,
			}
		).insert(ignore_permissions=True)
	return user.name


@frappe.whitelist(methods=["POST"])
def remove_portal_user(doctype: str, name: str, user: str):
	"""Take `user`'s access to the School or AP Provider `name` away: the User Permission, and the
	portal role when no organisation of that kind is left."""
	_check(doctype, name)
	permissions = frappe.get_all(
		"User Permission", filters={"user": user, "allow": doctype, "for_value": name}, pluck="name"
	)
	if not permissions:
		frappe.throw(
			_("{0} is not a portal user of {1}.").format(frappe.bold(user), frappe.bold(name)),
			OnboardingError,
		)
	for permission in permissions:
		frappe.delete_doc("User Permission", permission, ignore_permissions=True)
	if not frappe.db.exists("User Permission", {"user": user, "allow": doctype}):
		doc = frappe.get_doc("User", user)
		doc.set("roles", [r for r in doc.roles if r.role != ROLE_FOR[doctype]])
		doc.flags.ignore_permissions = True
		doc.save()
	frappe.clear_cache(user=user)
	return user


@frappe.whitelist()
def portal_users(doctype: str, name: str) -> list[dict]:
	"""The portal users of a School or AP Provider, for its form."""
	frappe.has_permission(doctype, "read", doc=name, throw=True)
	users = frappe.get_all(
		"User Permission", filters={"allow": doctype, "for_value": name}, pluck="user", order_by="user"
	)
	return frappe.get_all(
		"User",
		filters={"name": ("in", users or [""])},
		fields=["name", "full_name", "enabled", "last_login"],
		order_by="name",
	)
