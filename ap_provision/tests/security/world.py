"""A small committed world for the security suite (bench tier).

REST requests run on their own database connections (see ``client.py``), so the records
they act on are committed. Everything here is recognisable by a marker (URNs 8808xx,
providers and closures named "SEC8 ...", pupils with last name "Sectest", panels in 2019)
and :func:`cleanup` removes all of it, also after an interrupted run.
"""

from __future__ import annotations

import itertools
import random
from contextlib import contextmanager

import frappe
from frappe.utils import add_days, getdate

from ap_provision.access.matrix import APP_ROLES, MATRIX
from ap_provision.tests import factories

SCHOOLS = {"A": "880801", "B": "880802"}
PROVIDERS = {"A": "SEC8 Provider A", "B": "SEC8 Provider B"}
PUPIL_SURNAME = "Sectest"
CLOSURE_PREFIX = "SEC8"
PANEL_YEAR = 2019  # panels of the suite lie in the past: no live referral is ever assigned to them
PLACES = 400  # places per key stage at the suite's providers (every accepted payload takes one)
PLACEMENT_DAYS_AGO = 600  # the suite's placements started this long ago: a weekday each to report on
ALERT_PREFIX = "SEC8-alert-"
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


def exact_roles(email: str, roles: list[str]):
	user = frappe.get_doc("User", email)
	if sorted(r.role for r in user.roles) != sorted(roles) or not user.enabled:
		user.enabled = 1
		user.set("roles", [{"role": r} for r in roles])
		user.save(ignore_permissions=True)


def build() -> World:
	frappe.set_user("Administrator")
	cleanup()
	world = World()
	# Frappe gives System Manager to a desk user saved while no enabled user but Administrator
	# has it (User.add_system_manager_role): on such a site (a new one, say) the world's first
	# users would be made System Managers. The world's own System Manager, made first, keeps
	# every other user of the world to exactly its role.
	factories.make_user(user_for("System Manager"), ["System Manager"])
	for scope, urn in SCHOOLS.items():
		factories.make_school(urn, f"SEC8 School {scope}")
		factories.make_checked_provider(PROVIDERS[scope], places=PLACES)
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
	# A second member of staff at provider A (two providers' staff racing on one placement).
	world.users["AP Provider User 2"] = factories.make_user(
		user_for("AP Provider User", "2"), ["AP Provider User"], provider=PROVIDERS["A"]
	)
	# The world's users are reused from run to run: each has exactly its role, enabled, whatever
	# an earlier run (or a run of older code whose attack succeeded) left on the site.
	for key, email in world.users.items():
		exact_roles(email, ["AP Provider User" if key == "AP Provider User 2" else key.removesuffix(" B")])
	world.records["School"] = dict(SCHOOLS)
	world.records["AP Provider"] = dict(PROVIDERS)
	world.records["AP Provider"]["spare"] = factories.make_checked_provider("SEC8 Provider spare").name
	world.records["Pupil"] = {s: make_pupil(s) for s in SCHOOLS}
	world.records["Referral"] = {s: make_referral(s) for s in SCHOOLS}
	world.records["EHC Assessment"] = {
		s: frappe.db.get_value("Referral", make_referral(s, ehc=True), "ehc_assessment") for s in SCHOOLS
	}
	world.records["Panel"] = {"A": make_panel()}
	world.records["LA Closure"] = {"A": make_closure()}
	world.records["AP Settings"] = {"A": "AP Settings"}
	placements = {s: make_running_placement(s) for s in SCHOOLS}
	world.records["Placement"] = placements
	world.records["Placement Update"] = {s: make_placement_update(placements[s]) for s in SCHOOLS}
	world.records["Review"] = {s: make_review(placements[s]) for s in SCHOOLS}
	world.records["Placement Alert"] = {"A": make_alert(placements["A"])}
	world.records["Referral Triage"] = {s: make_triage(world.records["Referral"][s]) for s in SCHOOLS}
	# Running placements have their safeguarding recorded (factories.prepare_start).
	world.records["Placement Safeguarding"] = dict(placements)
	world.records["Part-time Arrangement"] = {s: make_part_time(placements[s]) for s in SCHOOLS}
	world.records["Pupil Social Care"] = {s: make_social_care(world.records["Pupil"][s]) for s in SCHOOLS}
	world.records["AP Session Mark"] = {s: make_session_mark(placements[s]) for s in SCHOOLS}
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


def make_triage(referral: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Referral Triage",
				"referral": referral,
				"prt_notes": "SEC8 triage notes",
				"recommendation": "SEC8 recommendation",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def part_time_payload(placement: str) -> dict:
	return {
		"placement": placement,
		"reason": "Security suite phased return",
		"start_date": str(getdate()),
		"end_date": str(add_days(getdate(), 14)),
		"review_date": str(add_days(getdate(), 7)),
		"parent_agreed": 1,
	}


def make_part_time(placement: str) -> str:
	return frappe.get_doc({"doctype": "Part-time Arrangement", **part_time_payload(placement)}).insert().name


def make_social_care(pupil: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Pupil Social Care",
				"pupil": pupil,
				"looked_after": 1,
				"responsible_authority": "SEC8 authority",
				"social_worker": "SEC8 social worker",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def session_mark_payload(placement: str) -> dict:
	"""A session of the placement no mark covers yet (weekdays back from today)."""
	frappe.db.commit()
	day = getdate()
	for _i in range(PLACEMENT_DAYS_AGO):
		if day.weekday() < 5:
			for session in ("AM", "PM"):
				if not frappe.db.exists("AP Session Mark", f"{placement}-{day}-{session}"):
					return {
						"placement": placement,
						"mark_date": str(day),
						"session": session,
						"mark": "Present",
					}
		day = add_days(day, -1)
	raise RuntimeError(f"{placement}: every session is marked")


def make_session_mark(placement: str) -> str:
	return frappe.get_doc({"doctype": "AP Session Mark", **session_mark_payload(placement)}).insert().name


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


# -- placements: a running placement per school, reports, reviews, alerts -------------


@contextmanager
def frozen(moment: str):
	from freezegun import freeze_time

	with freeze_time(moment):
		yield


def placement_dates():
	"""The suite's panel day and placement start (a Monday), PLACEMENT_DAYS_AGO in the past."""
	start = factories.next_weekday(add_days(getdate(), -PLACEMENT_DAYS_AGO), 0)
	return add_days(start, -5), start


def chair() -> str:
	return factories.make_user(user_for("Panel Chair"), ["Panel Chair"])


def approved_referral(scope: str = "A", fresh: bool = False) -> str:
	"""An approved referral of the school of ``scope`` with no placement yet (one left by a
	refused payload is used again), approved for the provider of ``scope``."""
	if not fresh:
		frappe.db.commit()
		free = frappe.db.sql(
			"""select r.name from `tabReferral` r
			join `tabPupil` p on p.name = r.pupil and p.last_name = %s
			left join `tabPlacement` pl on pl.referral = r.name
			where r.workflow_state = 'Approved' and r.school = %s and r.provider = %s and pl.name is null
			order by r.creation limit 1""",
			(PUPIL_SURNAME, SCHOOLS[scope], PROVIDERS[scope]),
		)
		if free:
			return free[0][0]
	panel_day, start = placement_dates()
	with frozen(f"{add_days(panel_day, -12)} 09:00:00"):
		track("Panel", factories.make_panel(panel_day).name)
		referral = factories.make_accepted_referral(
			SCHOOLS[scope], "Year 8", panel_date=panel_day, last_name=PUPIL_SURNAME
		)
	factories.decide(
		referral.name, "Approved", chair(), provider=PROVIDERS[scope], expected_start_date=str(start)
	)
	frappe.db.commit()
	return referral.name


def make_planned_placement(scope: str = "A") -> str:
	referral = approved_referral(scope, fresh=True)
	_panel_day, start = placement_dates()
	with frozen(f"{add_days(start, -3)} 10:00:00"):
		return factories.make_placement(referral).name


def make_running_placement(scope: str = "A") -> str:
	"""An Active placement of school ``scope`` at provider ``scope``, started long ago."""
	name = make_planned_placement(scope)
	doc = frappe.get_doc("Placement", name)
	with frozen(f"{doc.start_date} 09:00:00"):
		factories.prepare_start(doc)
		doc.status = "Active"
		doc.save()
	return name


def next_report_day(placement: str):
	"""The first weekday of the placement that no report covers yet."""
	last = frappe.db.sql("select max(period_end) from `tabPlacement Update` where placement = %s", placement)[
		0
	][0]
	day = add_days(last, 1) if last else getdate(frappe.db.get_value("Placement", placement, "start_date"))
	while day.weekday() >= 5:
		day = add_days(day, 1)
	if day > getdate():
		raise RuntimeError(f"{placement}: every day up to today is reported; raise PLACEMENT_DAYS_AGO")
	return day


def update_payload(placement: str) -> dict:
	day = next_report_day(placement)
	return {
		"placement": placement,
		"period_start": str(day),
		"period_end": str(day),
		"attendance": [
			{k: str(v) if k == "attendance_date" else v for k, v in row.items()}
			for row in factories.attendance_rows(day, 1)
		],
		"behaviour_incidents": 0,
		"progress": "Security suite report",
	}


def make_placement_update(placement: str) -> str:
	return frappe.get_doc({"doctype": "Placement Update", **update_payload(placement)}).insert().name


def review_payload(placement: str) -> dict:
	from ap_provision.ap_provision.doctype.placement.placement import make_review as map_review

	doc = map_review(placement)
	doc.review_date = getdate()
	doc.next_review_date = add_days(getdate(), 42)
	return as_payload(doc)


def make_review(placement: str) -> str:
	return frappe.get_doc({"doctype": "Review", **review_payload(placement)}).insert().name


def make_alert(placement: str) -> str:
	return (
		frappe.get_doc(
			{
				"doctype": "Placement Alert",
				"alert_key": f"{ALERT_PREFIX}{frappe.generate_hash(length=8)}",
				"alert_type": "Update Overdue",
				"placement": placement,
				"reference_doctype": "Placement",
				"reference_name": placement,
				"sent_on": frappe.utils.now_datetime(),
				"subject": "Security suite alert",
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def as_payload(doc) -> dict:
	"""A new (mapped) document as a client posts it: no internal keys, no empty values."""

	def clean(d: dict) -> dict:
		return {
			k: (str(v) if hasattr(v, "year") else v)
			for k, v in d.items()
			if not k.startswith("__") and v not in (None, "") and k not in ("doctype", "name")
		}

	data = clean(doc.as_dict(no_default_fields=True))
	for df in doc.meta.get_table_fields():
		data[df.fieldname] = [clean(row.as_dict(no_default_fields=True)) for row in doc.get(df.fieldname)]
	return data


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
	if doctype == "Placement":
		from ap_provision.ap_provision.doctype.placement.placement import make_placement as map_placement

		return as_payload(map_placement(approved_referral(scope)))
	if doctype == "Placement Update":
		return update_payload(running_placement(scope))
	if doctype == "Review":
		return review_payload(running_placement(scope))
	if doctype == "Referral Triage":
		referral = make_referral(scope)
		frappe.db.commit()
		return {"referral": referral, "prt_notes": "Security suite triage"}
	if doctype == "Placement Safeguarding":
		placement = make_planned_placement(scope)
		frappe.db.commit()
		return {"placement": placement, "safeguarding_arrangements": "Security suite arrangements"}
	if doctype == "Part-time Arrangement":
		return part_time_payload(running_placement(scope))
	if doctype == "Pupil Social Care":
		pupil = make_pupil(scope)
		frappe.db.commit()
		return {"pupil": pupil, "child_in_need": 1, "social_worker": "Security suite social worker"}
	if doctype == "AP Session Mark":
		return session_mark_payload(running_placement(scope))
	if doctype == "Placement Alert":
		return {
			"alert_key": f"{ALERT_PREFIX}{tag}",
			"alert_type": "Update Overdue",
			"placement": running_placement(scope),
			"subject": "Security suite alert",
		}
	return None


def running_placement(scope: str = "A") -> str:
	"""The suite's running placement of ``scope`` (the world's, found again by its marker)."""
	name = frappe.db.sql(
		"""select pl.name from `tabPlacement` pl join `tabPupil` p on p.name = pl.pupil
		where p.last_name = %s and pl.school = %s and pl.provider = %s and pl.status = 'Active'
		order by pl.creation limit 1""",
		(PUPIL_SURNAME, SCHOOLS[scope], PROVIDERS[scope]),
	)
	return name[0][0] if name else make_running_placement(scope)


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
	"Placement": {"admission_meeting_notes": "SEC8 meeting notes"},
	"Placement Update": {"progress": "SEC8 progress"},
	"Review": {"pupil_views": "SEC8 pupil views"},
	"Placement Alert": {"subject": "SEC8 subject"},
	"Referral Triage": {"prt_notes": "SEC8 touched notes"},
	"Placement Safeguarding": {"provider_dsl": "SEC8 DSL"},
	"Part-time Arrangement": {"parent_views": "SEC8 parent views"},
	"Pupil Social Care": {"responsible_authority": "SEC8 touched authority"},
	"AP Session Mark": {"mark": "Late", "amendment_reason": "SEC8 correction"},
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
	elif doctype == "Placement":
		name = make_planned_placement("A")
	elif doctype == "Placement Update":
		name = make_placement_update(running_placement("A"))
	elif doctype == "Review":
		name = make_review(running_placement("A"))
	elif doctype == "Placement Alert":
		name = make_alert(running_placement("A"))
	elif doctype == "Referral Triage":
		name = make_triage(make_referral("A"))
	elif doctype == "Placement Safeguarding":
		name = factories.record_safeguarding(make_planned_placement("A")).name
	elif doctype == "Part-time Arrangement":
		name = make_part_time(running_placement("A"))
	elif doctype == "Pupil Social Care":
		name = make_social_care(make_pupil("A"))
	elif doctype == "AP Session Mark":
		name = make_session_mark(running_placement("A"))
	else:
		return None
	frappe.db.commit()
	return name


# -- cleanup ----------------------------------------------------------------------------------


def suite_names() -> dict[str, list[str]]:
	pupils = frappe.get_all("Pupil", filters={"last_name": PUPIL_SURNAME}, pluck="name")
	pupils += frappe.get_all("Pupil", filters={"school": ("like", "8808%")}, pluck="name")
	referrals = frappe.get_all("Referral", filters={"pupil": ("in", pupils or [""])}, pluck="name")
	placements = frappe.get_all("Placement", filters={"referral": ("in", referrals or [""])}, pluck="name")
	placements += frappe.get_all("Placement", filters={"pupil": ("in", pupils or [""])}, pluck="name")
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
		)
		+ suite_only_panels(referrals),
		"LA Closure": frappe.get_all(
			"LA Closure", filters={"closure_name": ("like", f"{CLOSURE_PREFIX}%")}, pluck="name"
		),
		"Placement": placements,
		"Placement Update": frappe.get_all(
			"Placement Update", filters={"placement": ("in", placements or [""])}, pluck="name"
		),
		"Review": frappe.get_all("Review", filters={"placement": ("in", placements or [""])}, pluck="name"),
		"Placement Alert": frappe.get_all(
			"Placement Alert", filters={"placement": ("in", placements or [""])}, pluck="name"
		)
		+ frappe.get_all("Placement Alert", filters={"name": ("like", f"{ALERT_PREFIX}%")}, pluck="name"),
		"Referral Triage": frappe.get_all(
			"Referral Triage", filters={"referral": ("in", referrals or [""])}, pluck="name"
		),
		"Placement Safeguarding": frappe.get_all(
			"Placement Safeguarding", filters={"placement": ("in", placements or [""])}, pluck="name"
		),
		"Part-time Arrangement": frappe.get_all(
			"Part-time Arrangement", filters={"placement": ("in", placements or [""])}, pluck="name"
		),
		"AP Session Mark": frappe.get_all(
			"AP Session Mark", filters={"placement": ("in", placements or [""])}, pluck="name"
		),
		"Pupil Social Care": frappe.get_all(
			"Pupil Social Care", filters={"pupil": ("in", pupils or [""])}, pluck="name"
		),
	}
	for doctype, name in TRACKED:
		names.setdefault(doctype, []).append(name)
	for doctype in MATRIX:
		if frappe.db.exists("DocType", doctype) and not frappe.get_meta(doctype).issingle:
			names.setdefault(doctype, []).extend(
				frappe.get_all(doctype, filters={"owner": ("like", "sec8-%@example.org")}, pluck="name")
			)
	return {doctype: sorted(set(n)) for doctype, n in names.items()}


def suite_only_panels(referrals: list[str]) -> list[str]:
	"""Panels the suite's referrals sit on that no other referral uses (found again after an
	interrupted run, when TRACKED is lost)."""
	panels = set(frappe.get_all("Referral", filters={"name": ("in", referrals or [""])}, pluck="panel")) - {
		None,
		"",
	}
	used_elsewhere = set(
		frappe.get_all(
			"Referral",
			filters={"panel": ("in", list(panels) or [""]), "name": ("not in", referrals or [""])},
			pluck="panel",
		)
	)
	return sorted(panels - used_elsewhere)


# Records Frappe keeps about a document, removed with it: (doctype, doctype field, name field).
TRAILS = (
	("Version", "ref_doctype", "docname"),
	("ToDo", "reference_type", "reference_name"),
	("Comment", "reference_doctype", "reference_name"),
	("Communication", "reference_doctype", "reference_name"),
	("Notification Log", "document_type", "document_name"),
	("Workflow Action", "reference_doctype", "reference_name"),
	("DocShare", "share_doctype", "share_name"),
	("File", "attached_to_doctype", "attached_to_name"),
)


def cleanup():
	"""Remove every record the suite made (raw deletes: no hooks, no link checks)."""
	frappe.set_user("Administrator")
	frappe.db.rollback()
	for doctype, names in suite_names().items():
		if not names:
			continue
		meta = frappe.get_meta(doctype)
		for table in meta.get_table_fields():
			frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", names)})
		frappe.db.delete(doctype, {"name": ("in", names)})
		for trail, doctype_field, name_field in TRAILS:
			frappe.db.delete(trail, {doctype_field: doctype, name_field: ("in", names)})
		queued = frappe.get_all(
			"Email Queue",
			filters={"reference_doctype": doctype, "reference_name": ("in", names)},
			pluck="name",
		)
		if queued:
			frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued)})
			frappe.db.delete("Email Queue", {"name": ("in", queued)})
		if doctype == "Referral":
			frappe.db.delete("Panel Agenda Item", {"referral": ("in", names)})
	users = frappe.get_all("User", filters={"name": ("like", "sec8-%@example.org")}, pluck="name")
	if users:
		frappe.db.delete("User Permission", {"user": ("in", users)})
		frappe.db.delete("ToDo", {"allocated_to": ("in", users)})
		frappe.db.delete("Notification Log", {"for_user": ("in", users)})
		# Deleted directly, so Frappe's cache of these users' permissions is cleared by hand.
		for user in users:
			frappe.clear_cache(user=user)
	reset_ap_settings()
	frappe.db.commit()


def reset_ap_settings():
	"""AP Settings back to the doctype's defaults (blank where it has none): the suite's payloads
	are written to them by a real AP Administrator, and later tests expect a fresh site's."""
	from frappe.model import no_value_fields

	meta = frappe.get_meta("AP Settings")
	values = {f.fieldname: f.default for f in meta.fields if f.fieldtype not in no_value_fields}
	for fieldname, value in values.items():
		frappe.db.set_single_value("AP Settings", fieldname, value, update_modified=False)
	frappe.clear_document_cache("AP Settings", "AP Settings")
	frappe.cache.delete_value("ap_settings")
