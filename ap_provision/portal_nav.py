"""Navigation of the school and provider portals: where sign-in lands, the top bar, the footer.

- Sign-in lands on the role's home (hooks.py ``role_home_page``): /school or /provider.
- The portal menu is ``standard_portal_menu_items`` in hooks.py (Frappe shows it beside "My
  Account" at /me, and an administrator can switch items off in Portal Settings); the top bar of
  every website page shows the same items to a portal user, after a link to their home
  (``update_website_context`` below).
- Every page's footer links to the accessibility statement (/accessibility), and a "Skip to main
  content" link comes first on every page.
"""

import frappe
from frappe import _

from ap_provision.access.scope import PROVIDER_ROLE, SCHOOL_ROLE

HOMES = {SCHOOL_ROLE: "/school", PROVIDER_ROLE: "/provider"}
PORTAL_ROUTES = ("/school", "/provider")


def home_for(roles) -> str | None:
	"""The portal home of the first portal role among `roles`."""
	for role in (SCHOOL_ROLE, PROVIDER_ROLE):
		if role in roles:
			return HOMES[role]
	return None


def menu_for(roles) -> list[dict]:
	"""The app's portal menu items (hooks.py standard_portal_menu_items) a user with `roles` sees,
	in the hooks' order, less any an administrator switched off in Portal Settings."""
	switched_off = {
		row.route
		for row in frappe.get_cached_doc("Portal Settings").get("menu") or []
		if not row.enabled and row.route
	}
	return [
		item
		for item in frappe.get_hooks("standard_portal_menu_items", app_name="ap_provision")
		if item.get("route", "").startswith(PORTAL_ROUTES)
		and item.get("role") in roles
		and item["route"] not in switched_off
	]


def update_website_context(context):
	"""Every website page: the portal user's menu in the top bar, the accessibility statement in the
	footer, a skip link, and the service's name as the brand (unless Website Settings set one)."""
	if not context.get("brand_html"):
		la_name = frappe.db.get_single_value("AP Settings", "la_name")
		context.brand_html = frappe.utils.escape_html(
			_("{0}: alternative provision").format(la_name) if la_name else _("Alternative provision")
		)
	context.banner_html = (
		'<a class="ap-skip-link" href="#main-content">' + _("Skip to main content") + "</a>"
	) + (context.get("banner_html") or "")
	footer = list(context.get("footer_items") or [])
	if not any((item.get("url") or "") == "/accessibility" for item in footer):
		footer.append(frappe._dict(label=_("Accessibility statement"), url="/accessibility"))
	context.footer_items = footer

	if frappe.session.user == "Guest":
		return
	roles = frappe.get_roles()
	home = home_for(roles)
	if not home:
		return
	items = [frappe._dict(label=_("Home"), url=home)]
	items += [frappe._dict(label=_(item["title"]), url=item["route"]) for item in menu_for(roles)]
	context.top_bar_items = items + [i for i in context.get("top_bar_items") or [] if i.get("url") != home]


def web_form_titles(context, new_title: str):
	"""Singular page titles on the app's web forms: "New referral" for a new record, and the
	record's title with its ID ("Ada Lovelace (REF-2026-00012)") for a saved one."""
	if context.get("is_new"):
		context.title = new_title
	elif context.get("doc_name") and context.get("title") and context.title != context.doc_name:
		context.title = _("{0} ({1})").format(context.title, context.doc_name)
	return context
