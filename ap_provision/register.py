"""The daily register: the sessions each provider expects, marking them on one portal
screen, the cut-off alerts, and the home school's register export.

The policy (codes, cut-off stages) is in :mod:`ap_provision.rules.register`; expected sessions
come from each placement's weekly pattern (:mod:`ap_provision.rules.hours`). A placement with no
pattern recorded is expected at the provider on its first ``days_per_week`` weekdays, morning and
afternoon.
"""

import csv
import io
import json
from datetime import date, datetime
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import get_datetime, get_time, getdate, now_datetime, today

from ap_provision.access.scope import portal_scope
from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.ap_provision.doctype.panel.agenda import closures_between
from ap_provision.ap_provision.doctype.placement_alert import placement_alert as alerts
from ap_provision.rules import hours, placements, register
from ap_provision.rules._i18n import english_date

SESSIONS = hours.SESSIONS
PLACEMENT_FIELDS = ["name", "pupil", "pupil_name", "school", "provider", "days_per_week", "start_date"]


def weekday_name(day: date) -> str | None:
	return hours.WEEKDAYS[day.weekday()] if day.weekday() < 5 else None


def closure_on(day: date, closures: list | None = None):
	"""The LA closure (a bank holiday, a school holiday) on which no session is expected on
	``day``, or None. ``closures``: the closures around ``day`` when the caller has them."""
	if closures is None:
		closures = closures_between(day, day)
	return register.no_session_closure(day, closures)


def expected(
	day: date,
	session: str,
	filters: dict | None = None,
	as_user: bool = False,
	closures: list | None = None,
) -> list:
	"""Placements whose pupil is expected at the provider for ``session`` of ``day``, by pupil
	name (four queries: the LA's closures unless given, the running placements, their providers'
	own closures, then their patterns). None on a weekend or a closure without sessions; none at
	a provider on its own closure days. ``as_user``: through frappe.get_list, so a portal user
	sees only their own provider's or school's."""
	weekday = weekday_name(day)
	if not weekday or session not in SESSIONS or closure_on(day, closures):
		return []
	query = frappe.get_list if as_user else frappe.get_all
	rows = query(
		"Placement",
		filters={
			"status": ("in", placements.RUNNING_STATUSES),
			"start_date": ("<=", day),
			**(filters or {}),
		},
		fields=PLACEMENT_FIELDS,
		order_by="pupil_name asc, name asc",
	)
	if closed := own_closures_on(day, {r.provider for r in rows}):
		rows = [r for r in rows if r.provider not in closed]
	if not rows:
		return []
	patterns: dict[str, list[hours.Session]] = {}
	for s in frappe.get_all(
		"Placement Session",
		filters={"parenttype": "Placement", "parent": ("in", [r.name for r in rows])},
		fields=["parent", "weekday", "session", "location", "hours"],
	):
		patterns.setdefault(s.parent, []).append(hours.Session(s.weekday, s.session, s.location, s.hours))
	out = []
	for row in rows:
		if row.name in patterns:
			if hours.sessions_at_provider(patterns[row.name], weekday, session):
				out.append(row)
		elif day.weekday() < min(int(row.days_per_week or 5), 5):
			out.append(row)
	return out


def amend_days() -> int:
	"""Days after a session its provider may correct the mark (AP Settings), then the PRT."""
	days = get_settings().get("register_amend_days")
	return register.DEFAULT_AMEND_DAYS if days is None else int(days)


def own_closures_on(day: date, providers) -> dict[str, str]:
	"""The providers of ``providers`` closed on ``day`` by their own closures (AP Provider > Own
	closures), with why: one query. Not the LA's calendar (see ``closure_on``)."""
	if not providers:
		return {}
	rows = frappe.get_all(
		"AP Provider Closure",
		filters={
			"parenttype": "AP Provider",
			"parentfield": "own_closures",
			"parent": ("in", list(providers)),
			"from_date": ("<=", day),
			"to_date": (">=", day),
		},
		fields=["parent", "description"],
	)
	return {r.parent: r.description for r in rows}


def marks_for(placement_names: list[str], day: date, session: str, as_user: bool = False) -> dict:
	if not placement_names:
		return {}
	query = frappe.get_list if as_user else frappe.get_all
	return {
		m.placement: m
		for m in query(
			"AP Session Mark",
			filters={"placement": ("in", placement_names), "mark_date": day, "session": session},
			fields=["name", "placement", "mark", "absence_reason", "register_code", "marked_by"],
		)
	}


# -- the provider's screen ---------------------------------------------------------------------


def register_sheet(day: date, session: str, closures: list | None = None) -> list[dict]:
	"""The session's pupils for the portal user's provider, with any marks already made."""
	rows = expected(day, session, as_user=True, closures=closures)
	marks = marks_for([r.name for r in rows], day, session, as_user=True)
	return [{**row, "mark": marks.get(row.name)} for row in rows]


def save_marks(day, session: str, marks: list[dict]) -> int:
	"""Insert or update the marks of one session as the session user (their permissions and the
	scope hooks apply); all or nothing (an error rolls the request back). A mark already recorded
	changes only with its ``amendment_reason``."""
	day = getdate(day)
	if session not in SESSIONS:
		frappe.throw(_("Choose the morning (AM) or afternoon (PM) session."), frappe.ValidationError)
	saved = 0
	for entry in marks:
		placement = entry.get("placement")
		mark = entry.get("mark")
		if not placement or not mark:
			continue
		name = f"{placement}-{day}-{session}"
		if frappe.db.exists("AP Session Mark", name):
			doc = frappe.get_doc("AP Session Mark", name)
			if doc.mark == mark and (doc.absence_reason or None) == (entry.get("absence_reason") or None):
				continue
			doc.check_permission("write")
		else:
			doc = frappe.new_doc("AP Session Mark")
			doc.update({"placement": placement, "mark_date": day, "session": session})
		doc.mark = mark
		doc.absence_reason = entry.get("absence_reason") or None
		doc.amendment_reason = entry.get("amendment_reason") or None
		doc.save()
		saved += 1
	return saved


@frappe.whitelist(methods=["POST"])
def save_register(mark_date: str, session: str, marks: str | list) -> int:
	"""The portal screen's marks (JSON list of {placement, mark, absence_reason, amendment_reason})."""
	if isinstance(marks, str):
		marks = json.loads(marks)
	return save_marks(mark_date, session, marks)


@frappe.whitelist(methods=["POST"])
def submit_register(mark_date: str, session: str, **form) -> None:
	"""The register form posted without script: fields mark-<placement>, reason-<placement> and,
	for a mark already recorded, change-<placement> (why it changes); back to the page with what
	was saved, or what to correct (nothing saved then)."""
	marks = [
		{
			"placement": key[5:],
			"mark": value,
			"absence_reason": form.get(f"reason-{key[5:]}"),
			"amendment_reason": form.get(f"change-{key[5:]}"),
		}
		for key, value in form.items()
		if key.startswith("mark-") and value
	]
	query = {"date": str(getdate(mark_date)), "session": session}
	frappe.db.savepoint("register_form")
	try:
		query["saved"] = save_marks(mark_date, session, marks)
	except frappe.ValidationError as e:
		frappe.db.rollback(save_point="register_form")
		frappe.clear_messages()
		query["error"] = frappe.utils.strip_html(str(e))[:300]
	frappe.local.response["type"] = "redirect"
	frappe.local.response["location"] = "/provider/register?" + urlencode(query)


# -- cut-off alerts ------------------------------------------------------------------------------


def check_register(now=None) -> int:
	"""Sessions of today still unmarked at their cut-off alert the provider; after the escalation
	delay the PRT too (once per provider, day and session each)."""
	now = get_datetime(now) if now else now_datetime()
	day = now.date()
	if day.weekday() >= 5:
		return 0
	settings = get_settings()
	cutoffs = {
		"AM": get_time(settings.get("register_am_cutoff_at") or "10:00"),
		"PM": get_time(settings.get("register_pm_cutoff_at") or "14:00"),
	}
	escalate = int(settings.get("register_escalate_minutes") or 0)
	closures = closures_between(day, day)
	sent = 0
	for session in SESSIONS:
		stage = register.missing_stage(now, day, cutoffs[session], escalate)
		if not stage:
			continue
		rows = expected(day, session, closures=closures)
		marked = marks_for([r.name for r in rows], day, session)
		missing: dict[str, list] = {}
		for row in rows:
			if row.name not in marked:
				missing.setdefault(row.provider, []).append(row)
		for provider, pupils in sorted(missing.items()):
			sent += alert_missing(provider, pupils, day, session, stage)
	return sent


def alert_missing(provider: str, pupils: list, day: date, session: str, stage: str) -> int:
	names = ", ".join(p.pupil_name or p.pupil for p in pupils)
	when = _("{0} {1}").format(english_date(day, weekday=True), session)
	sent = alerts.send(
		alerts.REGISTER_NOT_MARKED,
		f"register-missing:{provider}:{day}:{session}",
		placement=pupils[0].name if len(pupils) == 1 else None,
		subject=_("Register not marked: {0}, {1}").format(provider, when),
		message=_(
			"The register of {0} is not marked for {1}: {2}. Mark it now on the portal's Register page."
		).format(provider, when, names),
		users=alerts.provider_users(provider),
		reference_doctype="AP Provider",
		reference_name=provider,
	)
	if stage == "prt":
		sent += alerts.send(
			alerts.REGISTER_NOT_MARKED,
			f"register-missing-prt:{provider}:{day}:{session}",
			placement=pupils[0].name if len(pupils) == 1 else None,
			subject=_("Register still not marked: {0}, {1}").format(provider, when),
			message=_(
				"{0} has not marked its register for {1} after the cut-off and a reminder: {2}. Please call "
				"the provider and check the pupils are safe."
			).format(provider, when, names),
			users=alerts.prt_users(),
			reference_doctype="AP Provider",
			reference_name=provider,
		)
	return sent


# -- the school's register -----------------------------------------------------------------------


def school_register_rows(school: str, week_start, on=None) -> list[dict]:
	"""The week's sessions of the school's pupils at providers, as register entries: a marked
	session with its code, an expected session not marked (up to today) as N. Read as the
	session user (get_list), so a school sees only its own pupils."""
	days = register.week_days(getdate(week_start))
	on = getdate(on or today())
	marks = frappe.get_list(
		"AP Session Mark",
		filters={"school": school, "mark_date": ("between", (days[0], days[-1]))},
		fields=["placement", "pupil", "mark_date", "session", "mark", "absence_reason", "provider"],
		limit_page_length=0,
	)
	entries = {(m.placement, getdate(m.mark_date), m.session): m for m in marks}
	closures = closures_between(days[0], days[-1])
	for day in days:
		if day > on:
			break
		for session in SESSIONS:
			for row in expected(day, session, filters={"school": school}, as_user=True, closures=closures):
				entries.setdefault(
					(row.name, day, session),
					frappe._dict(
						placement=row.name,
						pupil=row.pupil,
						mark_date=day,
						session=session,
						mark=None,
						absence_reason=None,
						provider=row.provider,
					),
				)
	pupil_names = sorted({e.pupil for e in entries.values() if e.pupil})
	pupils = {
		p.name: p
		for p in frappe.get_list(
			"Pupil",
			filters={"name": ("in", pupil_names or [""])},
			fields=["name", "upn", "first_name", "last_name", "date_of_birth"],
			limit_page_length=0,
		)
	}
	out = []
	for (placement, day, session), e in entries.items():
		pupil = pupils.get(e.pupil) or frappe._dict()
		out.append(
			{
				"UPN": pupil.upn or "",
				"Surname": pupil.last_name or "",
				"Forename": pupil.first_name or "",
				"Date of birth": str(pupil.date_of_birth or ""),
				"Date": str(day),
				"Session": session,
				"Code": register.register_code(e.mark, e.absence_reason),
				"Provider": e.provider or "",
				"Absence reason": e.absence_reason or "",
				"Placement": placement,
			}
		)
	out.sort(key=lambda r: (r["Surname"], r["Forename"], r["UPN"], r["Date"], r["Session"]))
	return out


def register_csv(rows: list[dict]) -> str:
	buffer = io.StringIO()
	writer = csv.DictWriter(buffer, fieldnames=register.CSV_COLUMNS, lineterminator="\r\n")
	writer.writeheader()
	writer.writerows(rows)
	return buffer.getvalue()


def user_school(school: str | None = None) -> str:
	"""The school whose register is asked for: a school user's own; LA staff name one."""
	scope = portal_scope()
	if scope is not None:
		schools = scope.get("School") or []
		if not schools or (school and school not in schools):
			frappe.throw(_("You can download only your own school's register."), frappe.PermissionError)
		return school or schools[0]
	if not school:
		frappe.throw(_("Choose the school."), frappe.MandatoryError)
	frappe.has_permission("School", "read", doc=school, throw=True)
	return school


@frappe.whitelist()
def download_school_register(week_start: str, school: str | None = None) -> None:
	"""The week's register entries of a school's pupils at providers, as CSV (docs/register.md)."""
	school = user_school(school)
	frappe.has_permission("AP Session Mark", "read", throw=True)
	monday = register.week_days(getdate(week_start))[0]
	frappe.response["filename"] = f"ap-register-{school}-{monday}.csv"
	frappe.response["filecontent"] = register_csv(school_register_rows(school, monday))
	frappe.response["type"] = "download"


def parse_day(value, default: date) -> date:
	try:
		return getdate(value) if value else default
	except Exception:
		return default


def current_session(now: datetime) -> str:
	return "AM" if now.hour < 12 else "PM"


# -- the weekly provider report reuses the marks -------------------------------------------------


def fill_report_from_marks(doc, method=None):
	"""doc_events Placement Update before_validate: a new report sent without attendance rows
	takes them from the register's marks of its period (a session with no mark is No Session);
	the provider writes only the narrative (behaviour, progress, attainment)."""
	if (
		not doc.is_new()
		or doc.get("attendance")
		or not (doc.placement and doc.period_start and doc.period_end)
	):
		return
	marks = frappe.get_all(
		"AP Session Mark",
		filters={
			"placement": doc.placement,
			"mark_date": ("between", (getdate(doc.period_start), getdate(doc.period_end))),
		},
		fields=["mark_date", "session", "mark", "absence_reason"],
		order_by="mark_date asc",
	)
	by_day: dict = {}
	for m in marks:
		by_day.setdefault(getdate(m.mark_date), {})[m.session] = m
	for day, sessions in sorted(by_day.items()):
		row = {"attendance_date": day}
		for session in SESSIONS:
			m = sessions.get(session)
			prefix = session.lower()
			row[f"{prefix}_mark"] = m.mark if m else "No Session"
			row[f"{prefix}_reason"] = m.absence_reason if m else None
		doc.append("attendance", row)
