"""A small committed world for the security suite (bench tier).

REST requests run on their own database connections (see ``client.py``), so the records
they act on are committed. Everything here is recognisable by a marker (URNs 8808xx,
providers and closures named "SEC8 ...", pupils with last name "Sectest", panels in 2019)
and :func:`cleanup` removes all of it, also after an interrupted run.
"""

from __future__ import annotations

import itertools
import random

import frappe
from frappe.utils import getdate

from ap_provision.security.matrix import APP_ROLES, MATRIX
from ap_provision.tests import factories

SCHOOLS = {"A": "880801", "B": "880802"}
PROVIDERS = {"A": "SEC8 Provider A", "B": "SEC8 Provider B"}
PUPIL_SURNAME = "Sectest"
CLOSURE_PREFIX = "SEC8"
PANEL_YEAR = 2019  # panels of the suite lie in the past: no live referral is ever assigned to them
_seq = itertools.count(1)
TRACKED: list[tuple[str, str]] = []  # (doctype, name) made outside the markers above


def track(doctype: str, name: str) -> str:
	TRACKED.append((doctype, name))
	return name


_rand = random.Random(8)


def user_for(role: str, scope: str = "A") -> str:
	slug = role.lower().replace(" ", "-")
	return f"sec8-{slug}-{scope.lower()}@example.org"


class World:
	"""Users of every role and, per doctype, a record in scope A and one in scope B."""

	def __init__(self):
		self.users: dict[str, str] = {}
		self.records: dict[str, dict[str, str]] = {}

	def record(self, doctype: str, scope: str = "A") -> str:
		return self.records[doctype][scope]


def build() -> World:
	frappe.set_user("Administrator")
	cleanup()
	world = World()
	for scope, urn in SCHOOLS.items():
		factories.make_school(urn, f"SEC8 School {scope}")
		factories.make_provider(PROVIDERS[scope])
	for role in APP_ROLES:
		world.users[role] = factories.make_user(
			user_for(role),
			[role],
			school=SCHOOLS["A"] if role == "School Referrer" else None,
			provider=PROVIDERS["A"] if role == "AP Provider User" else None,
		)
	world.users["School Referrer B"] = factories.make_user(
		user_for("School Referrer", "B"), ["School Referrer"], school=SCHOOLS["B"]
	)
	world.records["School"] = dict(SCHOOLS)
	world.records["AP Provider"] = dict(PROVIDERS)
	world.records["Pupil"] = {s: make_pupil(s) for s in SCHOOLS}
	world.records["Referral"] = {s: make_referral(s) for s in SCHOOLS}
	world.records["EHC Assessment"] = {
		s: frappe.db.get_value("Referral", make_referral(s, ehc=True), "ehc_assessment") for s in SCHOOLS
	}
	world.records["Panel"] = {"A": make_panel()}
	world.records["LA Closure"] = {"A": make_closure()}
	world.records["AP Settings"] = {"A": "AP Settings"}
	frappe.db.commit()
	return world


# -- record makers (as Administrator) -------------------------------------------------------


def make_pupil(scope: str = "A", **values) -> str:
	return factories.make_pupil(SCHOOLS[scope], "Year 5", last_name=PUPIL_SURNAME, **values).name


def year5_date_of_birth() -> str:
	"""A date of birth in Year 5 today (age 9 on 31 August of this academic year)."""
	on = getdate()
	start_year = on.year if (on.month, on.day) >= (9, 1) else on.year - 1
	return f"{start_year - 10}-12-15"


def make_referral(scope: str = "A", ehc: bool = False) -> str:
	pupil = make_pupil(scope, has_ehc_plan=1) if ehc else make_pupil(scope)
	doc = frappe.get_doc(
		{"doctype": "Referral", "pupil": pupil, "reason_for_referral": "Security suite"}
	).insert(ignore_permissions=True)
	return doc.name


def next_panel_date():
	frappe.db.commit()  # see what requests on other connections committed
	used = set(
		frappe.get_all(
			"Panel",
			filters={"panel_date": ("between", [f"{PANEL_YEAR}-01-01", f"{PANEL_YEAR}-12-31"])},
			pluck="panel_date",
		)
	)
	day = getdate(f"{PANEL_YEAR}-01-02")
	while day in used:
		day = frappe.utils.add_days(day, 1)
	return day


def make_panel() -> str:
	return factories.make_panel(next_panel_date()).name


def make_closure() -> str:
	n = next(_seq)
	day = getdate(f"2018-{1 + n % 12:02d}-{1 + n % 27:02d}")
	return (
		frappe.get_doc(
			{
				"doctype": "LA Closure",
				"closure_name": f"{CLOSURE_PREFIX} closure {frappe.generate_hash(length=6)}",
				"closure_type": "Other",
				"start_date": day,
				"end_date": day,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def new_urn() -> str:
	while True:
		urn = f"8808{_rand.randint(10, 99)}"
		if not frappe.db.exists("School", urn):
			return urn


# -- what a user posts to create a valid record of each doctype --------------------------


def valid_payload(doctype: str, scope: str = "A") -> dict | None:
	"""A payload that a user allowed to create ``doctype`` in ``scope`` can insert."""
	frappe.db.commit()  # see what requests on other connections committed
	tag = frappe.generate_hash(length=6)
	if doctype == "School":
		return {"urn": new_urn(), "school_name": f"SEC8 School {tag}", "phase": "Primary"}
	if doctype == "AP Provider":
		return {"provider_name": f"SEC8 Provider {tag}", "provider_type": "Pupil Referral Unit"}
	if doctype == "Pupil":
		return {
			"first_name": f"Pupil{tag}",
			"last_name": PUPIL_SURNAME,
			"date_of_birth": year5_date_of_birth(),
			"upn": factories.make_upn(),
			"school": SCHOOLS[scope],
		}
	if doctype == "Referral":
		pupil = make_pupil(scope)
		frappe.db.commit()
		return {"pupil": pupil, "reason_for_referral": "Security suite"}
	if doctype == "EHC Assessment":
		referral = make_referral(scope)  # no EHC plan yet, so no assessment
		frappe.db.set_value("Pupil", frappe.db.get_value("Referral", referral, "pupil"), "has_ehc_plan", 1)
		frappe.db.set_value("Referral", referral, "has_ehc_plan", 1)
		frappe.db.commit()
		return {"referral": referral}
	if doctype == "Panel":
		return {"panel_date": str(next_panel_date()), "status": "Scheduled"}
	if doctype == "LA Closure":
		return {
			"closure_name": f"{CLOSURE_PREFIX} closure {tag}",
			"closure_type": "Other",
			"start_date": "2018-06-01",
			"end_date": "2018-06-02",
		}
	return None


# A harmless change at permission level 0 that a user with write may save.
TOUCH = {
	"School": {"headteacher": "SEC8 Head"},
	"AP Provider": {"contact_name": "SEC8 Contact"},
	"Pupil": {"first_name": "Sectouch"},
	"Referral": {"support_already_given": "SEC8 support"},
	"EHC Assessment": {"annual_review_summary": "SEC8 summary"},
	"Panel": {"venue": "SEC8 room"},
	"LA Closure": {"closure_type": "Training Day"},
	"AP Settings": {"la_phone": None},  # None: keep the current value
}


def throwaway(doctype: str) -> str | None:
	"""A committed record of ``doctype`` (scope A) that a delete test may remove."""
	frappe.db.commit()
	if doctype == "Referral":
		name = make_referral("A")
	elif doctype == "EHC Assessment":
		name = frappe.db.get_value("Referral", make_referral("A", ehc=True), "ehc_assessment")
	elif doctype == "Pupil":
		name = make_pupil("A")
	elif doctype == "Panel":
		name = make_panel()
	elif doctype == "LA Closure":
		name = make_closure()
	elif doctype == "School":
		name = factories.make_school(new_urn(), "SEC8 School throwaway").name
	elif doctype == "AP Provider":
		name = factories.make_provider(f"SEC8 Provider {frappe.generate_hash(length=6)}").name
	else:
		return None
	frappe.db.commit()
	return name


# -- cleanup ----------------------------------------------------------------------------------


def suite_names() -> dict[str, list[str]]:
	pupils = frappe.get_all("Pupil", filters={"last_name": PUPIL_SURNAME}, pluck="name")
	pupils += frappe.get_all("Pupil", filters={"school": ("like", "8808%")}, pluck="name")
	referrals = frappe.get_all("Referral", filters={"pupil": ("in", pupils or [""])}, pluck="name")
	names = {
		"School": frappe.get_all("School", filters={"name": ("like", "8808%")}, pluck="name"),
		"AP Provider": frappe.get_all("AP Provider", filters={"name": ("like", "SEC8 %")}, pluck="name"),
		"Pupil": pupils,
		"Referral": referrals,
		"EHC Assessment": frappe.get_all(
			"EHC Assessment", filters={"referral": ("in", referrals or [""])}, pluck="name"
		),
		"Panel": frappe.get_all(
			"Panel",
			filters={"panel_date": ("between", [f"{PANEL_YEAR}-01-01", f"{PANEL_YEAR}-12-31"])},
			pluck="name",
		),
		"LA Closure": frappe.get_all(
			"LA Closure", filters={"closure_name": ("like", f"{CLOSURE_PREFIX}%")}, pluck="name"
		),
	}
	for doctype, name in TRACKED:
		names.setdefault(doctype, []).append(name)
	for doctype in MATRIX:
		if frappe.db.exists("DocType", doctype) and not frappe.get_meta(doctype).issingle:
			names.setdefault(doctype, []).extend(
				frappe.get_all(doctype, filters={"owner": ("like", "sec8-%@example.org")}, pluck="name")
			)
	return names


def cleanup():
	"""Remove every record the suite made (raw deletes: no hooks, no link checks)."""
	frappe.set_user("Administrator")
	for doctype, names in suite_names().items():
		if not names:
			continue
		meta = frappe.get_meta(doctype)
		for table in meta.get_table_fields():
			frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", names)})
		frappe.db.delete(doctype, {"name": ("in", names)})
		frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})
		if doctype == "Referral":
			frappe.db.delete("Panel Agenda Item", {"referral": ("in", names)})
	users = frappe.get_all("User", filters={"name": ("like", "sec8-%@example.org")}, pluck="name")
	if users:
		frappe.db.delete("User Permission", {"user": ("in", users)})
	frappe.db.commit()
