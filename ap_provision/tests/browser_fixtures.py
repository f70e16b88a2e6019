"""Committed test data for the browser tier (browser_tests/), called through `bench execute`.

Not a test module (Frappe's runner only collects test_*.py): a served site runs in other
processes, so its data must be committed. Each run adds its own pupil and
referral; the users' password is set by the harness on every run.
"""

import frappe
from frappe.utils import add_days, getdate, today

from ap_provision.register import closure_on
from ap_provision.tests import factories


def prepare(run: str, password: str) -> dict:
	"""A school, a provider, a scheduled panel and one user per role of the journey."""
	frappe.set_user("Administrator")
	# A fresh test site never ran Frappe's setup wizard, which the desk would open first.
	frappe.db.set_single_value("System Settings", "setup_complete", 1)
	# The same users and organisations every run (Frappe throttles user creation); each run's
	# pupil and referral are new.
	school = factories.make_school("799001", "Browser Test School").name
	provider = factories.make_provider("Browser Test Provider", places=50).name
	ready_provider(provider)
	restore_moved_panels()
	panel = factories.make_panel(factories.next_weekday(add_days(today(), 7), 2)).name
	# The bench tier creates many users on the test site within the hour; Frappe's
	# throttle on user creation (60 an hour) is skipped as for imports.
	frappe.flags.in_import = True
	users = {
		"school": factories.make_user("browser-school@example.org", ["School Referrer"], school=school),
		"prt": factories.make_user("browser-prt@example.org", ["PRT Officer"]),
		"chair": factories.make_user("browser-chair@example.org", ["Panel Chair"]),
		"provider": factories.make_user(
			"browser-provider@example.org", ["AP Provider User"], provider=provider
		),
	}
	frappe.flags.in_import = False
	from frappe.utils.password import check_password, update_password

	for email in users.values():
		frappe.db.set_value("User", email, "enabled", 1)  # inserted in import mode: enable
		update_password(email, password)
	frappe.db.commit()
	for email in users.values():
		check_password(email, password)
	return {"school": school, "provider": provider, "panel": panel, "users": users}


def restore_moved_panels():
	"""Put back the dates of panels an earlier run moved to its day (see panel_day)."""
	for panel in frappe.get_all("Panel", fields=["name", "panel_date"]):
		named = panel.name.removeprefix("PANEL-")
		if panel.name.startswith("PANEL-") and named != str(panel.panel_date):
			frappe.db.set_value("Panel", panel.name, "panel_date", named)


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


def ready_provider(provider: str):
	"""The provider passes due diligence (registered, current safeguarding checks), and the
	placements of earlier runs are over, so every run finds its places free."""
	from frappe.utils import add_years

	doc = frappe.get_doc("AP Provider", provider)
	if not doc.registration_status or not doc.safeguarding_checks:
		doc.registration_status = "Registered school"
		doc.urn = doc.urn or "799101"
		doc.set("safeguarding_checks", [])
	for check in ("Enhanced DBS checks of staff", "Safeguarding policy"):
		rows = [r for r in doc.safeguarding_checks if r.check_type == check]
		if not rows:
			rows = [doc.append("safeguarding_checks", {"check_type": check})]
		for row in rows:
			if not row.expires_on or getdate(row.expires_on) < getdate(add_years(today(), 1)):
				row.checked_on = add_days(today(), -30)
				row.expires_on = add_years(today(), 2)
				row.checked_by = "Browser test PRT"
	doc.save(ignore_permissions=True)
	tidy(provider)


def start_placement(referral: str, prt: str) -> dict:
	"""The PRT's Create Placement from the approved referral, then its start: the admission
	meeting held today with every stakeholder's role confirmed, the safeguarding arrangements
	recorded, status Active (done in the desk in real life; a served site cannot wait for the
	expected start date, so the placement starts today)."""
	from ap_provision.ap_provision.doctype.placement import placement as placement_module

	frappe.set_user(prt)
	doc = placement_module.make_placement(referral)
	doc.start_date = today()
	doc.insert()
	factories.prepare_start(doc, meeting_date=today())
	doc.status = "Active"
	doc.save()
	frappe.db.commit()
	frappe.set_user("Administrator")
	return {"placement": doc.name, "status": doc.status, "start_date": str(doc.start_date)}


def latest_update(placement: str) -> dict | None:
	frappe.set_user("Administrator")
	return frappe.db.get_value(
		"Placement Update",
		{"placement": placement},
		[
			"name",
			"owner",
			"provider",
			"school",
			"period_start",
			"period_end",
			"sessions_possible",
			"sessions_attended",
			"behaviour_incidents",
			"safeguarding_concern",
		],
		as_dict=True,
		order_by="creation desc",
	)


def tidy(provider: str) -> dict:
	"""After a run: the panels it moved are back on their dates and its placements are over, so
	the bench tier's tests on the same site find no panel on today's date and no running
	placement that is not theirs."""
	frappe.set_user("Administrator")
	restore_moved_panels()
	ended = frappe.get_all(
		"Placement", filters={"provider": provider, "status": ("in", ("Planned", "Active"))}, pluck="name"
	)
	for name in ended:
		frappe.db.set_value(
			"Placement", name, {"status": "Completed", "actual_end_date": today()}, update_modified=False
		)
	frappe.db.commit()
	return {"ended": ended}


def sweep_data(run: str, school: str, provider: str, prt: str, chair: str) -> dict:
	"""Records for the accessibility sweep and the portal pages' screenshots, committed: a draft
	referral of a pupil with an EHC plan (its BOSS report and EHC evidence), a referral the panel
	approved (its decision letter) whose placement runs at the provider from today, with a report
	posted and a review booked."""
	from ap_provision.ap_provision.doctype.placement.placement import make_review

	frappe.set_user("Administrator")
	pupil = factories.make_pupil(
		school, "Year 8", first_name=f"Sweep{run}", last_name="Draft", has_ehc_plan=1
	)
	draft = frappe.get_doc(
		{
			"doctype": "Referral",
			"pupil": pupil.name,
			"boss_report": factories.boss_report(),
			"reason_for_referral": "Escalating incidents despite a personalised behaviour plan.",
		}
	).insert()
	approved = factories.make_approved_referral(
		school,
		"Year 8",
		chair=chair,
		provider=provider,
		has_ehc_plan=0,
		first_name=f"Sweep{run}",
		last_name="Placed",
	)
	placed = start_placement(approved.name, prt)
	frappe.set_user("Administrator")
	day = getdate(placed["start_date"])
	update = frappe.get_doc(
		{
			"doctype": "Placement Update",
			"placement": placed["placement"],
			"period_start": day,
			"period_end": day,
			"attendance": [{"attendance_date": day, "am_mark": "Present", "pm_mark": "Present"}],
			"behaviour_incidents": 0,
			"progress": "Settled in well on the first day.",
		}
	).insert(ignore_permissions=True)
	frappe.set_user(prt)
	review = make_review(placed["placement"])
	review.review_date = add_days(day, 14)
	review.next_review_date = add_days(day, 56)
	review.insert()
	frappe.set_user("Administrator")
	frappe.db.commit()
	return {
		"pupil": pupil.name,
		"draft": draft.name,
		"ehc_assessment": frappe.db.get_value("Referral", draft.name, "ehc_assessment"),
		"approved": approved.name,
		"placement": placed["placement"],
		"update": update.name,
		"review": review.name,
		"panel": frappe.db.get_value("Referral", approved.name, "panel"),
	}


def add_pupil(school: str, first_name: str, last_name: str = "Keyboard", year_group: str = "Year 8") -> str:
	"""A pupil on the school's register (committed), for a journey that starts at the referral."""
	frappe.set_user("Administrator")
	name = factories.make_pupil(school, year_group, first_name=first_name, last_name=last_name).name
	frappe.db.commit()
	return name


def register_data(run: str, school: str, provider: str, prt: str, chair: str) -> dict:
	"""Two pupils placed at the provider from today (the register journey), committed."""
	placed = []
	for n in (1, 2):
		approved = factories.make_approved_referral(
			school,
			"Year 8",
			chair=chair,
			provider=provider,
			has_ehc_plan=0,
			first_name=f"Register{run}",
			last_name=f"Pupil{n}",
		)
		placed.append(start_placement(approved.name, prt)["placement"])
	frappe.set_user("Administrator")
	closure = closure_on(getdate(today()))
	return {
		"placements": placed,
		"names": [frappe.db.get_value("Placement", p, "pupil_name") for p in placed],
		"today": today(),
		"closure": f"{closure.name} ({closure.closure_type})" if closure else None,
	}


def session_marks(placements: list, day: str, session: str) -> dict:
	frappe.set_user("Administrator")
	return {
		m.placement: [m.mark, m.absence_reason, m.register_code, m.marked_by]
		for m in frappe.get_all(
			"AP Session Mark",
			filters={"placement": ("in", placements), "mark_date": day, "session": session},
			fields=["placement", "mark", "absence_reason", "register_code", "marked_by"],
		)
	}
