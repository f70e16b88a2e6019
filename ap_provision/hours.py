"""Full-time education of placed pupils: a placement's weekly hours against full time,
part-time arrangements, and the daily job that flags arrangements past their end or review.

The policy is in :mod:`ap_provision.rules.hours`; this module reads and writes records.
"""

import frappe
from frappe import _
from frappe.utils import getdate, today

from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.ap_provision.doctype.placement_alert import placement_alert as alerts
from ap_provision.exceptions import PlacementHoursError
from ap_provision.rules import hours, placements
from ap_provision.rules._i18n import english_date

HOURS_FIELDS = (
	"ap_hours_per_week",
	"school_hours_per_week",
	"total_hours_per_week",
	"full_time_hours",
	"hours_gap",
	"below_full_time",
	"part_time_arrangement",
	"hours_flag",
)


def settings_values() -> dict:
	settings = get_settings()
	return {
		**{f: settings.get(f) for f in hours.FULL_TIME_FIELDS},
		"below_full_time_action": settings.get("below_full_time_action") or hours.REFUSE,
		"part_time_max_weeks": settings.get("part_time_max_weeks") or hours.DEFAULT_MAX_WEEKS,
	}


def sessions_of(doc) -> list[hours.Session]:
	return [
		hours.Session(row.weekday, row.session, row.location, float(row.hours or 0))
		for row in doc.get("session_pattern") or []
	]


def current_arrangement(placement: str | None, on) -> str | None:
	"""The running part-time arrangement of a placement covering the day ``on``."""
	if not placement:
		return None
	return frappe.db.get_value(
		"Part-time Arrangement",
		{
			"placement": placement,
			"status": "Active",
			"start_date": ("<=", on),
			"end_date": (">=", on),
		},
		"name",
		order_by="end_date desc",
	)


def validate_placement_hours(doc, method=None):
	"""doc_events Placement validate: hours a week from the pattern, against full time."""
	sessions = sessions_of(doc)
	if problems := hours.pattern_problems(sessions):
		frappe.throw("<br>".join(problems), PlacementHoursError, title=_("Weekly pattern"))
	if not sessions:  # no pattern recorded: the hours are not known
		for fieldname in HOURS_FIELDS:
			doc.set(fieldname, None)
		return
	values = settings_values()
	year_group = frappe.db.get_value("Pupil", doc.pupil, "year_group") if doc.pupil else None
	week = hours.weekly_hours(sessions, hours.full_time_hours(year_group, values))
	doc.ap_hours_per_week = week.at_provider
	doc.school_hours_per_week = week.at_school
	doc.total_hours_per_week = week.total
	doc.full_time_hours = week.full_time
	doc.hours_gap = week.gap
	doc.below_full_time = int(week.below_full_time)
	on = max(getdate(today()), getdate(doc.start_date)) if doc.start_date else getdate(today())
	doc.part_time_arrangement = current_arrangement(None if doc.is_new() else doc.name, on)
	if not week.below_full_time or doc.part_time_arrangement:
		doc.hours_flag = None
		return
	message = hours.below_full_time_message(doc.pupil_name or doc.pupil, week)
	if must_refuse(doc, values):
		frappe.throw(message, PlacementHoursError, title=_("Below full time"))
	doc.hours_flag = message
	frappe.msgprint(message, title=_("Below full time"), indicator="orange")


def must_refuse(doc, values: dict) -> bool:
	"""Refused when the settings say so and the placement starts, or changes its pattern, while
	running; otherwise (a planned placement, or the setting "Flag") it is flagged."""
	if values["below_full_time_action"] != hours.REFUSE or doc.status not in placements.RUNNING_STATUSES:
		return False
	before = doc.get_doc_before_save()
	if before is None or before.status not in placements.RUNNING_STATUSES:
		return True
	return sessions_of(before) != sessions_of(doc)


def refresh_placement(placement: str):
	"""Recompute a placement's hours flag after its part-time arrangements change."""
	doc = frappe.get_doc("Placement", placement)
	if not doc.session_pattern:
		return
	on = max(getdate(today()), getdate(doc.start_date)) if doc.start_date else getdate(today())
	arrangement = current_arrangement(placement, on)
	values = {"part_time_arrangement": arrangement}
	if arrangement:
		values["hours_flag"] = None
	elif doc.below_full_time:
		values["hours_flag"] = hours.below_full_time_message(
			doc.pupil_name or doc.pupil,
			hours.Hours(doc.ap_hours_per_week or 0, doc.school_hours_per_week or 0, doc.full_time_hours),
		)
	frappe.db.set_value("Placement", placement, values, update_modified=False)


# -- daily job ---------------------------------------------------------------------------------


def flag_part_time_arrangements(on=None) -> int:
	"""A running part-time arrangement past its last day or its review date is flagged to the PRT
	and the school, once for each date (the alert's key names it)."""
	on = getdate(on or today())
	rows = frappe.get_all(
		"Part-time Arrangement",
		filters={"status": "Active"},
		or_filters={"end_date": ("<", on), "review_date": ("<", on)},
		fields=["name", "placement", "pupil_name", "school", "provider", "end_date", "review_date"],
		order_by="name",
	)
	prt = alerts.prt_users() if rows else []
	sent = 0
	for row in rows:
		end = getdate(row.end_date) if row.end_date else None
		review = getdate(row.review_date) if row.review_date else None
		for kind, day in hours.arrangement_due(on, end, review):
			if kind == "end":
				subject = _("Part-time timetable ended {0}: {1}").format(english_date(day), row.pupil_name)
				message = _(
					"{0}'s part-time timetable ({1}) ended on {2}. Return the pupil to full time, or review it "
					"with the parent and record a new arrangement."
				)
			else:
				subject = _("Part-time timetable review due {0}: {1}").format(
					english_date(day), row.pupil_name
				)
				message = _(
					"{0}'s part-time timetable ({1}) was due for review on {2}. Review it with the parent, the "
					"school and the provider, and record the next review."
				)
			sent += alerts.send(
				alerts.PART_TIME_DUE,
				f"part-time-{kind}:{row.name}:{day}",
				placement=row.placement,
				subject=subject,
				message=message.format(row.pupil_name, row.name, english_date(day, weekday=True)),
				users=prt + alerts.school_users(row.school),
				reference_doctype="Part-time Arrangement",
				reference_name=row.name,
			)
	return sent
