"""Test data for the bench tier: schools, users with their User Permissions, pupils, panels.

Every helper inserts as Administrator and returns the document; tests then act as the
real users (School Referrer of school A, PRT Officer, ...) with ``self.set_user``.
"""

import itertools
import random
from unittest.mock import patch

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
				# Explicit: on a site whose only System Manager is Administrator, Frappe's User
				# validation refuses a user whose enabled flag is still unset.
				"enabled": 1,
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
	# Within 12 months of the last review (100 days ago), and after a placement from the next
	# panels would end (R7).
	assessment.set("next_annual_review_due", add_days(today, 250))
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


def make_provider(
	name: str | None = None, places: int = 5, key_stages=("KS1", "KS2", "KS3", "KS4"), **values
):
	"""An active AP provider with `places` places for each of `key_stages`."""
	name = name or unique("Provider ")
	if frappe.db.exists("AP Provider", name):
		return frappe.get_doc("AP Provider", name)
	doc = {
		"doctype": "AP Provider",
		"provider_name": name,
		"provider_type": "Pupil Referral Unit",
		"is_active": 1,
	}
	for ks in key_stages:
		doc[f"serves_{ks.lower()}"] = 1
		doc[f"capacity_{ks.lower()}"] = places
	doc.update(values)
	return frappe.get_doc(doc).insert(ignore_permissions=True)


def set_chair(panel: str, chair: str):
	frappe.db.set_value("Panel", panel, "chair", chair)


def next_weekday(day, weekday: int):
	"""The first `weekday` (Monday = 0) strictly after `day`."""
	day = getdate(day)
	return add_days(day, (weekday - day.weekday() - 1) % 7 + 1)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def boss_report(name: str = "boss-report.pdf", content: bytes | None = None) -> str:
	"""A private BOSS report uploaded by the session user: the URL of a real File on disk (the
	app accepts only a File the user uploaded, of a type its content bears out). Each is unique,
	so Frappe never points it at another upload with the same content."""
	content = content or PDF + f"% {frappe.generate_hash(length=12)}\n".encode()
	file = frappe.get_doc({"doctype": "File", "file_name": name, "is_private": 1, "content": content}).insert(
		ignore_permissions=True
	)
	return file.file_url


def make_accepted_referral(
	school: str, year_group: str = "Year 8", pupil=None, panel_date=None, **pupil_values
):
	"""A referral submitted and accepted for a panel, as Administrator (a test shortcut).

	A panel is scheduled on the Wednesday at least a week after today (or on `panel_date`),
	and the referral goes to the earliest open panel (R1). EHC pupils get complete evidence.
	"""
	from frappe.model.workflow import apply_workflow

	panel_date = getdate(panel_date or next_weekday(add_days(frappe.utils.today(), 7), 2))
	make_panel(panel_date)
	if pupil is None:
		pupil = make_pupil(school, year_group, **pupil_values)
	referral = frappe.get_doc(
		{
			"doctype": "Referral",
			"pupil": pupil.name,
			"boss_report": boss_report(),
			"reason_for_referral": "Test",
		}
	).insert(ignore_permissions=True)
	if referral.ehc_assessment:
		assessment = frappe.get_doc("EHC Assessment", referral.ehc_assessment)
		complete_ehc_answers(assessment).save(ignore_permissions=True)
	apply_workflow(frappe.get_doc("Referral", referral.name), "Submit")
	return apply_workflow(frappe.get_doc("Referral", referral.name), "Accept")


def decide(referral: str, decision: str, chair: str, **details):
	"""Record a panel decision on the referral's panel date (time frozen there), as the
	panel's chair; `chair` becomes the chair of a panel that has none."""
	from freezegun import freeze_time

	from ap_provision.ap_provision.doctype.referral.referral import record_decision

	panel = frappe.db.get_value("Referral", referral, "panel")
	panel_date = frappe.db.get_value("Panel", panel, "panel_date")
	if existing := frappe.db.get_value("Panel", panel, "chair"):
		chair = existing
	else:
		set_chair(panel, chair)
	if decision == "Approved":
		details.setdefault("provider", make_provider().name)
		details.setdefault("expected_start_date", str(add_days(panel_date, 7)))
		if frappe.db.get_value("Referral", referral, "key_stage") == "KS4":
			details.setdefault("days_per_week", 5)  # KS4: the panel decides the days
	if decision in ("Declined", "Deferred"):
		details.setdefault("decision_reason", f"{decision} by the panel for the test")
	current = frappe.session.user
	try:
		frappe.set_user(chair)
		with freeze_time(f"{panel_date} 11:00:00"):
			return record_decision(referral, decision, **details)
	finally:
		frappe.set_user(current)


def make_approved_referral(school: str, year_group: str = "Year 8", chair: str | None = None, **kwargs):
	"""A referral approved by the chair of its panel, with a provider place and start date.

	`kwargs` go to make_accepted_referral (pupil values such as has_ehc_plan) except
	`provider` and `expected_start_date`, which go to the decision.
	"""
	details = {k: kwargs.pop(k) for k in ("provider", "expected_start_date") if k in kwargs}
	chair = chair or make_user("factory-panel-chair@example.org", ["Panel Chair"])
	referral = make_accepted_referral(school, year_group, **kwargs)
	return decide(referral.name, "Approved", chair, **details)


def make_email_account():
	"""A default outgoing email account, so notifications reach the Email Queue (Frappe does
	not queue mail without one; in tests nothing is actually sent)."""
	name = "AP Test Outgoing"
	if not frappe.db.exists("Email Account", name):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": name,
				"email_id": "ap-notifications@example.org",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "smtp.example.org",
				"password": "not-used-in-tests",
			}
		).insert(ignore_permissions=True)
	return name


# -- placements --------------------------------------------------------------------------


def make_checked_provider(
	name: str | None = None,
	places: int = 5,
	registration_status: str = "Registered school",
	expires_on=None,
	**values,
):
	"""An active provider with a registration status (a URN when registered) and current
	safeguarding checks (expiring in two years unless `expires_on`)."""
	today = getdate(frappe.utils.today())
	values.setdefault("registration_status", registration_status)
	if registration_status == "Registered school":
		values.setdefault("urn", f"{_random.randint(100000, 999999)}")
	else:
		values.setdefault("provider_type", "Unregistered Provider")
	values.setdefault(
		"safeguarding_checks",
		[
			{
				"check_type": check,
				"checked_on": add_days(today, -30),
				"expires_on": expires_on or add_years(today, 2),
				"checked_by": "Test PRT",
			}
			for check in ("Enhanced DBS checks of staff", "Safeguarding policy")
		],
	)
	return make_provider(name, places=places, **values)


def new_placement(referral: str, **values):
	"""The mapped Placement of an approved referral (Create > Placement), not yet saved."""
	from ap_provision.ap_provision.doctype.placement.placement import make_placement

	doc = make_placement(referral)
	doc.update(values)
	return doc


def make_placement(referral: str, **values):
	"""A Planned placement of an approved referral, inserted as the current user."""
	return new_placement(referral, **values).insert()


def prepare_start(placement, meeting_date=None):
	"""Everything a placement needs before it starts (R4, R5): the admission meeting held,
	every stakeholder confirmed, safeguarding arrangements recorded."""
	placement.admission_meeting_date = meeting_date or add_days(placement.start_date, -2)
	for row in placement.stakeholders:
		row.person_name = row.person_name or f"{row.stakeholder_role} contact"
		row.confirmed = 1
		row.confirmed_on = placement.admission_meeting_date
	record_safeguarding(placement.name)
	return placement


def record_safeguarding(
	placement: str, arrangements: str = "DSLs named; concerns by phone to both DSLs the same day."
):
	"""The placement's safeguarding arrangements (R5), in its Placement Safeguarding record."""
	doc = (
		frappe.get_doc("Placement Safeguarding", placement)
		if frappe.db.exists("Placement Safeguarding", placement)
		else frappe.new_doc("Placement Safeguarding", placement=placement)
	)
	doc.update(
		{
			"safeguarding_arrangements": arrangements,
			"provider_dsl": "Provider DSL",
			"school_dsl": "School DSL",
		}
	)
	return doc.save(ignore_permissions=True)


def attendance_rows(start, days: int = 5, absent: dict | None = None):
	"""`days` school-day rows from `start`, all present except `absent` {row: (AM, PM)}: a
	reason (or "" for none given) marks that session Absent, None leaves it Present."""
	rows = []
	day = getdate(start)
	while len(rows) < days:
		if day.weekday() < 5:
			am, pm = (absent or {}).get(len(rows), (None, None))
			rows.append(
				{
					"attendance_date": day,
					"am_mark": "Absent" if am is not None else "Present",
					"am_reason": am,
					"pm_mark": "Absent" if pm is not None else "Present",
					"pm_reason": pm,
				}
			)
		day = add_days(day, 1)
	return rows


def at(day, time: str = "10:00:00") -> str:
	"""`day` at `time`, for freeze_time."""
	return f"{getdate(day)} {time}"


def mute_notification_emails(cleanup):
	"""Frappe e-mails assignment and alert notifications at once in tests, and sending commits:
	patch that out until `cleanup` (a test's addCleanup or a class's addClassCleanup) runs."""
	patcher = patch("frappe.desk.doctype.notification_log.notification_log.send_notification_email")
	patcher.start()
	cleanup(patcher.stop)
