"""Committed test data for the browser tier (browser_tests/), called through `bench execute`.

Not a test module (Frappe's runner only collects test_*.py): a served site runs in other
processes, so its data must be committed. Every run uses fresh names (the run id) so runs
never collide; the users' password is given by the harness.
"""

import frappe
from frappe.utils import add_days, today

from ap_provision.tests import factories


def prepare(run: str, password: str) -> dict:
	"""A school, a provider, a scheduled panel and one user per role of the journey."""
	frappe.set_user("Administrator")
	school = factories.make_school(f"{int(run[-5:], 16) % 100000 + 700000}", f"Browser School {run}").name
	provider = factories.make_provider(f"Browser Provider {run}", places=3).name
	panel = factories.make_panel(factories.next_weekday(add_days(today(), 7), 2)).name
	users = {
		"school": factories.make_user(f"school-{run}@example.org", ["School Referrer"], school=school),
		"prt": factories.make_user(f"prt-{run}@example.org", ["PRT Officer"]),
		"chair": factories.make_user(f"chair-{run}@example.org", ["Panel Chair"]),
		"provider": factories.make_user(
			f"provider-{run}@example.org", ["AP Provider User"], provider=provider
		),
	}
	from frappe.utils.password import check_password, update_password

	for email in users.values():
		update_password(email, password)
	frappe.db.commit()
	for email in users.values():
		check_password(email, password)
	return {"school": school, "provider": provider, "panel": panel, "users": users}


def panel_day(referral: str, chair: str) -> dict:
	"""Time passes: the referral's panel meets today, chaired by `chair` (a served site cannot
	freeze time, and a decision is refused before the panel date)."""
	frappe.set_user("Administrator")
	panel = frappe.db.get_value("Referral", referral, "panel")
	frappe.db.set_value("Panel", panel, {"panel_date": today(), "chair": chair})
	frappe.db.set_value("Referral", referral, "panel_date", today())
	frappe.db.commit()
	return {"panel": panel}


def latest_referral(pupil_first_name: str) -> str | None:
	frappe.set_user("Administrator")
	pupil = frappe.db.get_value("Pupil", {"first_name": pupil_first_name}, "name")
	return frappe.db.get_value("Referral", {"pupil": pupil}, "name") if pupil else None


def make_placement(referral: str) -> str:
	"""The PRT's Create Placement from the approved referral (done in the desk in real life)."""
	frappe.set_user("Administrator")
	from ap_provision.ap_provision.doctype.placement import placement as placement_module

	doc = placement_module.make_placement(referral)
	doc.insert(ignore_permissions=True)
	frappe.db.commit()
	return doc.name


def state(referral: str) -> dict:
	frappe.set_user("Administrator")
	return frappe.db.get_value(
		"Referral", referral, ["workflow_state", "panel", "provider", "boss_report"], as_dict=True
	)


def boss_file(referral: str) -> dict:
	frappe.set_user("Administrator")
	url = frappe.db.get_value("Referral", referral, "boss_report")
	return frappe.db.get_value(
		"File",
		{"file_url": url},
		["name", "is_private", "attached_to_doctype", "attached_to_name", "owner"],
		as_dict=True,
	)
