"""Test data for the bench tier: schools, users with their User Permissions, pupils, panels.

Every helper inserts as Administrator and returns the document; tests then act as the
real users (School Referrer of school A, PRT Officer, ...) with ``self.set_user``.
"""

import itertools
import random

import frappe
from frappe.utils import add_days, add_years, getdate
from stdnum.gb import upn as stdnum_upn

from ap_provision.rules import ehc

_counter = itertools.count(1)
_random = random.SystemRandom()


def unique(prefix: str) -> str:
	return f"{prefix}{frappe.generate_hash(length=6)}{next(_counter)}"


def make_upn() -> str:
	"""A valid, unused UPN (LA 202), with stdnum's check letter."""
	while True:
		body = f"202{_random.randint(0, 9999):04d}26{_random.randint(0, 999):03d}"
		number = stdnum_upn.calc_check_digit(body) + body
		if not frappe.db.exists("Pupil", {"upn": number}):
			return number


def make_school(urn: str | None = None, name: str | None = None):
	urn = urn or f"{_random.randint(900000, 999999)}"
	if frappe.db.exists("School", urn):
		return frappe.get_doc("School", urn)
	return frappe.get_doc(
		{"doctype": "School", "urn": urn, "school_name": name or f"Test School {urn}", "phase": "Primary"}
	).insert(ignore_permissions=True)


def make_user(email: str, roles: list[str], school: str | None = None, provider: str | None = None) -> str:
	if not frappe.db.exists("User", email):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"roles": [{"role": r} for r in roles],
			}
		)
		user.flags.no_welcome_mail = True
		user.insert(ignore_permissions=True)
	for allow, value in (("School", school), ("AP Provider", provider)):
		if value and not frappe.db.exists(
			"User Permission", {"user": email, "allow": allow, "for_value": value}
		):
			frappe.get_doc(
				{"doctype": "User Permission", "user": email, "allow": allow, "for_value": value}
			).insert(ignore_permissions=True)
	return email


def make_pupil(school: str, year_group: str = "Year 5", on=None, **values):
	"""A pupil whose date of birth puts them in ``year_group`` on ``on`` (default today)."""
	on = getdate(on or frappe.utils.today())
	start_year = on.year if (on.month, on.day) >= (9, 1) else on.year - 1
	year_number = 0 if year_group == "Reception" else int(year_group.split()[-1])
	# Age on 31 August at the start of the academic year is year_number + 4.
	dob = getdate(f"{start_year - (year_number + 4) - 1}-12-15")
	doc = {
		"doctype": "Pupil",
		"first_name": unique("Pupil"),
		"last_name": "Test",
		"date_of_birth": dob,
		"upn": make_upn(),
		"school": school,
	}
	doc.update(values)
	return frappe.get_doc(doc).insert(ignore_permissions=True)


def make_panel(panel_date, status="Scheduled"):
	name = f"PANEL-{getdate(panel_date)}"
	if frappe.db.exists("Panel", name):
		return frappe.get_doc("Panel", name)
	return frappe.get_doc({"doctype": "Panel", "panel_date": panel_date, "status": status}).insert(
		ignore_permissions=True
	)


def complete_ehc_answers(assessment, today=None, advice_date=None, **overrides):
	"""Answer every checklist question of the assessment's pathway, plus recent advice."""
	today = getdate(today or frappe.utils.today())
	for question in ehc.questions_for(assessment.pathway):
		if question.fieldtype == "Select":
			value = "No"
		elif question.fieldtype == "Date":
			value = add_years(today, -2) if question.fieldname == "ehc_plan_since" else add_days(today, -100)
		elif question.fieldtype in ("Int", "Check"):
			value = 1
		else:
			value = f"Answer to {question.label}"
		assessment.set(question.fieldname, value)
	assessment.set("next_annual_review_due", add_days(today, 300))
	assessment.set("professional_advice", [])
	assessment.append(
		"professional_advice",
		{
			"agency": "Educational Psychologist",
			"advice_date": advice_date or add_days(today, -30),
			"implemented": 1,
			"reviewed": 1,
		},
	)
	assessment.update(overrides)
	return assessment
