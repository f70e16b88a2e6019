"""The database's own limit for each script report's answer: one hand-written SQL query (two
for the reports with a total row, whose total is summed from the group rows) computing the
same figures on the same data, for the PRT Officer (who may read every record: no
permission condition to add). The benchmark times each report against its query
(benchmarks/report.py: "SQL limit"), and the bench tier checks that both give the same
figures (ap_provision/tests/perf/test_perf.py), so the baseline cannot be cheaper by answering
something else.

Each ``run(report, filters)`` returns the report's figures as tuples in the order of
``KEYS[report]``; ``report_figures(report, result)`` turns a report's result into the same
shape. Filters: the date filters each report offers (from_date / to_date, as_on) and the
default grouping; the benchmark and the tests use no others.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

import frappe
from frappe.utils import getdate, today

from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.ap_provision.report.placement_register import placement_register
from ap_provision.ap_provision.report.referral_tracker import referral_tracker
from ap_provision.rules.placements import RUNNING_STATUSES

# The reports' own columns and states: the baseline computes the same figures, never a copy.
OPEN_STATES = referral_tracker.OPEN_STATES
TRACKER_FIELDS = tuple(referral_tracker.FIELDS)
REGISTER_FIELDS = tuple(placement_register.FIELDS)
ENDED = ("Completed", "Ended Early", "Transitioned")
RUNNING = ("Active", "Reintegrating")
KEY_STAGES = ("KS1", "KS2", "KS3", "KS4")

KEYS = {
	"Referral Tracker": (*TRACKER_FIELDS, "timeliness", "days_to_decision", "days_open"),
	"Placement Register": (*REGISTER_FIELDS, "days_left", "update_overdue_days", "update_overdue"),
	"AP Funding Impact": (
		"school",
		"school_name",
		"term",
		"placements",
		"funding_ceased",
		"funding_continues",
		"awpu_retained",
		"ceased_share",
	),
	"Panel Outcomes": (
		"group",
		"panel_date",
		"heard",
		"approved",
		"declined",
		"deferred",
		"pending",
		"approval_rate",
		"deferral_rate",
		"late",
		"ehc",
	),
	"Reintegration Outcomes": (
		"group",
		"ended",
		"reintegrated",
		"pathway_completed",
		"re_referred",
		"ended_early",
		"extended",
		"reintegration_rate",
		"avg_days_to_reintegration",
	),
	"Provider Sufficiency": (
		"panel",
		"panel_date",
		"status",
		"key_stage",
		"capacity",
		"in_use",
		"free_before",
		"on_agenda",
		"approved",
		"free_after",
		"utilisation",
	),
	"Part-time and Hours": (
		"name",
		"pupil_name",
		"school",
		"provider",
		"key_stage",
		"ap_hours_per_week",
		"school_hours_per_week",
		"total_hours_per_week",
		"full_time_hours",
		"hours_gap",
		"part_time_arrangement",
		"arrangement_end",
		"arrangement_review",
		"arrangement_overdue",
		"no_arrangement",
		"needs_more_eyes",
	),
	"EHC Statutory Compliance": (
		"name",
		"pupil_name",
		"school_name",
		"key_stage",
		"status",
		"start_date",
		"planned_end_date",
		"send_caseworker",
		"next_annual_review_due",
		"review_due_in_placement",
		"annual_review_held",
		"annual_review_missing",
		"reviews",
		"caseworker_invited",
		"newest_advice",
		"advice_age_days",
		"advice_status",
	),
}


def run(report: str, filters: dict | None = None) -> list[tuple]:
	filters = frappe._dict(filters or {})
	return QUERIES[report](filters)


def report_figures(report: str, result: list) -> list[tuple]:
	"""The report's rows (dicts) as tuples of `KEYS[report]`, normalised like `run`'s."""
	keys = KEYS[report]
	return [normalise(tuple(row.get(k) for k in keys)) for row in result if isinstance(row, dict)]


def normalise(row: tuple) -> tuple:
	out = []
	for value in row:
		if isinstance(value, datetime):
			value = value.isoformat(sep=" ")
		elif isinstance(value, date):
			value = value.isoformat()
		elif isinstance(value, Decimal | float):
			value = round(float(value), 1)
			value = int(value) if value == int(value) else value
		elif isinstance(value, bool):
			value = int(value)
		out.append(value)
	return tuple(out)


def same_figures(a: list[tuple], b: list[tuple]) -> str:
	"""'' when both hold the same rows (in any order; a percentage or average may differ in
	its last place, 0.1, from rounding), else the first difference."""
	if len(a) != len(b):
		return f"{len(a)} rows against {len(b)}"
	key = lambda row: tuple(str(v) for v in row)  # noqa: E731
	for x, y in zip(sorted(a, key=key), sorted(b, key=key), strict=True):
		for vx, vy in zip(x, y, strict=True):
			if vx == vy:
				continue
			if isinstance(vx, int | float) and isinstance(vy, int | float) and abs(vx - vy) <= 0.1001:
				continue
			return f"{x} against {y}"
	return ""


def _sql(query: str, values=None) -> list[tuple]:
	return [normalise(row) for row in frappe.db.sql(query, values or {})]


def _date_range(filters, column: str, values: dict, datetime_column=False) -> str:
	out = ""
	if filters.get("from_date"):
		values["from_date"] = getdate(filters.from_date)
		out += f" and {column} >= %(from_date)s"
	if filters.get("to_date"):
		values["to_date"] = (
			f"{getdate(filters.to_date)} 23:59:59.999999" if datetime_column else getdate(filters.to_date)
		)
		out += f" and {column} <= %(to_date)s"
	return out


def _total(rows: list[tuple], label, sums: range, derive) -> list[tuple]:
	"""The group rows and their total row (counts summed, then the derived figures)."""
	if not rows:
		return []
	total = [0] * len(rows[0])
	for row in rows:
		for i in sums:
			total[i] += row[i] or 0
	total[0] = label
	return [*rows, normalise(tuple(derive(total)))]


def _pct(part, whole):
	return round(100.0 * part / whole, 1) if whole else 0.0


# -- the queries ---------------------------------------------------------------------------------


def referral_tracker(filters) -> list[tuple]:
	values = {"today": getdate(today()), "open": OPEN_STATES}
	where = _date_range(filters, "creation", values, datetime_column=True)
	return _sql(
		f"""select {", ".join(TRACKER_FIELDS)},
			case when received_on is null then '' when late_referral then 'Late' else 'On time' end,
			case when decided_on is not null then datediff(decided_on, received_on) end,
			case when received_on is not null and workflow_state in %(open)s
				then datediff(%(today)s, received_on) end
		from `tabReferral` where 1 = 1 {where}
		order by creation desc""",
		values,
	)


def placement_register(filters) -> list[tuple]:
	values = {"on": getdate(filters.get("as_on") or today())}
	return _sql(
		f"""select {", ".join(REGISTER_FIELDS)},
			datediff(planned_end_date, %(on)s),
			case when next_update_due < %(on)s then datediff(%(on)s, next_update_due) else 0 end,
			ifnull(next_update_due < %(on)s, 0)
		from `tabPlacement`
		where status != 'Planned' and start_date <= %(on)s
			and (actual_end_date is null or actual_end_date >= %(on)s)
		order by start_date""",
		values,
	)


def ap_funding_impact(filters) -> list[tuple]:
	values = {}
	where = _date_range(filters, "start_date", values)
	rows = _sql(
		f"""select school, school_name,
			concat(case when month(d) >= 9 then 'Autumn' when month(d) <= 3 then 'Spring' else 'Summer' end,
				' ', year(d)) as term,
			count(*), sum(ehc_funding_ceased), count(*) - sum(ehc_funding_ceased), sum(awpu_retained),
			round(100 * sum(ehc_funding_ceased) / count(*), 1)
		from (
			select school, school_name, ifnull(ehc_funding_ceased_from, start_date) as d,
				ehc_funding_ceased, awpu_retained
			from `tabPlacement`
			where key_stage = 'KS4' and has_ehc_plan = 1 and status != 'Planned' {where}
		) placements
		group by school, school_name, term
		order by min(year(d)), min(case when month(d) <= 3 then 0 when month(d) >= 9 then 2 else 1 end), school""",
		values,
	)
	return _total(
		rows,
		"Total",
		range(3, 7),
		lambda t: [None, "Total", "", t[3], t[4], t[5], t[6], _pct(t[4], t[3])],
	)


def panel_outcomes(filters) -> list[tuple]:
	values = {"decisions": ("Approved", "Declined", "Deferred")}
	where = _date_range(filters, "p.panel_date", values)
	d = "ifnull(i.decision, '')"
	rows = _sql(
		f"""select p.name, p.panel_date,
			sum({d} in %(decisions)s), sum({d} = 'Approved'), sum({d} = 'Declined'),
			sum({d} = 'Deferred'), sum({d} not in %(decisions)s),
			round(100 * sum({d} = 'Approved') / nullif(sum({d} in %(decisions)s), 0), 1),
			round(100 * sum({d} = 'Deferred') / nullif(sum({d} in %(decisions)s), 0), 1),
			sum(i.late_referral), sum(i.has_ehc_plan)
		from `tabPanel` p
		join `tabPanel Agenda Item` i on i.parent = p.name and i.parenttype = 'Panel'
		where 1 = 1 {where}
		group by p.name, p.panel_date
		order by p.panel_date""",
		values,
	)
	rows = [(*r[:7], r[7] or 0.0, r[8] or 0.0, *r[9:]) for r in rows]
	return _total(
		rows,
		"Total",
		(*range(2, 7), 9, 10),
		lambda t: [t[0], None, *t[2:7], _pct(t[3], t[2]), _pct(t[5], t[2]), t[9], t[10]],
	)


def reintegration_outcomes(filters) -> list[tuple]:
	values = {"ended": ENDED}
	where = _date_range(filters, "p.actual_end_date", values)
	rows = _sql(
		f"""select ifnull(nullif(provider, ''), 'Not recorded') as grp, count(*),
			sum(outcome = 'reintegrated'), sum(outcome = 'pathway_completed'), sum(outcome = 're_referred'),
			sum(outcome = 'ended_early'), sum(extended),
			round(100 * sum(outcome = 'reintegrated') / nullif(sum(intervention), 0), 1),
			round(sum(if(outcome = 'reintegrated', days, 0)) / nullif(sum(outcome = 'reintegrated'), 0), 1),
			sum(intervention), sum(if(outcome = 'reintegrated', days, 0))
		from (
			select p.provider, p.placement_type = 'Intervention Placement' as intervention,
				datediff(p.actual_end_date, p.start_date) as days,
				ifnull(p.extended_from, '') != '' or ifnull(max(r.outcome = 'Extend'), 0) = 1 as extended,
				case when ifnull(max(r.outcome = 'Re-refer to BOSS'), 0) = 1 then 're_referred'
					when p.status = 'Ended Early' then 'ended_early'
					when p.placement_type = 'Intervention Placement' then 'reintegrated'
					else 'pathway_completed' end as outcome
			from `tabPlacement` p
			left join `tabReview` r on r.placement = p.name and r.docstatus = 1
				and r.outcome in ('Extend', 'Re-refer to BOSS')
			where p.status in %(ended)s {where}
			group by p.name
		) placements
		group by grp
		order by grp""",
		values,
	)
	rows = [(*r[:7], r[7] or 0.0, r[8], r[9], r[10]) for r in rows]
	total = _total(
		rows,
		"Total",
		(*range(1, 7), 9, 10),
		lambda t: [
			t[0],
			*t[1:7],
			_pct(t[2], t[9]),
			round(t[10] / t[2], 1) if t[2] else None,
			t[9],
			t[10],
		],
	)
	return [r[:9] for r in total]


def provider_sufficiency(filters) -> list[tuple]:
	"""Per panel and key stage; the places in use on each panel's date counted by one sweep of
	the database: a running sum (window function) over the places' start and end events, read
	for the places that overlap the panels' dates only (as the report)."""
	weeks = int(get_settings().placement_weeks or 16)
	values = {"weeks": weeks}
	where = _date_range(filters, "panel_date", values)
	first, last = frappe.db.sql(
		f"select min(panel_date), max(panel_date) from `tabPanel` where 1 = 1 {where}", values
	)[0]
	if not first:
		return []
	values.update(first=first, last=last, ends_after=first - timedelta(weeks=weeks))
	capacity = frappe.db.sql(
		"select "
		+ ", ".join(f"ifnull(sum(if(serves_{ks.lower()}, capacity_{ks.lower()}, 0)), 0)" for ks in KEY_STAGES)
		+ " from `tabAP Provider` where is_active = 1"
	)[0]
	capacity = dict(zip(KEY_STAGES, (int(c) for c in capacity), strict=True))
	# the places overlapping [first, last]: placements, and approved referrals without one
	placements = """select key_stage as ks, start_date as taken, ifnull(actual_end_date, planned_end_date) as ends
		from `tabPlacement`
		where status != 'Planned' and start_date < %(last)s
			and (actual_end_date is null or actual_end_date > %(first)s)"""
	referrals = """select r.key_stage as ks, date(r.decided_on) as taken,
			ifnull(r.expected_start_date, date(r.decided_on)) + interval %(weeks)s week as ends
		from `tabReferral` r
		left join `tabPlacement` p on p.referral = r.name and p.status != 'Planned'
		where r.workflow_state = 'Approved' and r.docstatus = 1 and r.decided_on < %(last)s
			and (r.expected_start_date > %(ends_after)s or r.decided_on > %(ends_after)s)
			and p.name is null"""
	rows = frappe.db.sql(
		f"""with panels as (
			select name, panel_date, status from `tabPanel` where 1 = 1 {where}
		), stages as (
			select 'KS1' as ks union all select 'KS2' union all select 'KS3' union all select 'KS4'
		), events as (
			-- on a panel's day: places ended by then counted off (0), the panel (1), places taken
			-- that day not yet in use (2); a place that ends on or before its start never counts
			select ks, taken as day, 2 as ord, 1 as delta from ({placements}) x where ends is null or ends > taken
			union all
			select ks, ends, 0, -1 from ({placements}) x where ends > taken
			union all
			select ks, taken, 2, 1 from ({referrals}) x where ends > taken
			union all
			select ks, ends, 0, -1 from ({referrals}) x where ends > taken
			union all
			select stages.ks, panels.panel_date, 1, 0 from panels join stages
		), running as (
			select ks, day, ord, sum(delta) over (partition by ks order by day, ord rows unbounded preceding) as in_use
			from events
		), in_use as (
			select ks, day, max(in_use) as in_use from running where ord = 1 group by ks, day
		), agenda as (
			select i.parent, i.key_stage, count(*) as on_agenda, sum(i.decision = 'Approved') as approved
			from `tabPanel Agenda Item` i
			where i.parenttype = 'Panel' and i.parent in (select name from panels)
			group by i.parent, i.key_stage
		)
		select panels.name, panels.panel_date, panels.status, stages.ks, ifnull(in_use.in_use, 0),
			ifnull(agenda.on_agenda, 0), ifnull(agenda.approved, 0)
		from panels join stages
		left join in_use on in_use.ks = stages.ks and in_use.day = panels.panel_date
		left join agenda on agenda.parent = panels.name and agenda.key_stage = stages.ks
		order by panels.panel_date, stages.ks""",
		values,
	)
	out = []
	for panel, day, status, ks, in_use, on_agenda, approved in rows:
		cap, in_use, approved = capacity[ks], int(in_use), int(approved)
		used = in_use + approved
		out.append(
			normalise(
				(
					panel,
					day,
					status,
					ks,
					cap,
					in_use,
					cap - in_use,
					int(on_agenda),
					approved,
					cap - used,
					round(100.0 * used / cap, 1) if cap else 0.0,
				)
			)
		)
	return out


def ehc_statutory_compliance(filters) -> list[tuple]:
	settings = get_settings()
	on = getdate(filters.get("as_on") or today())
	values = {
		"on": on,
		"window": int(settings.advice_window_months or 12),
		"warning": int(settings.advice_warning_months or 6),
	}
	where = ""
	if filters.get("from_date"):
		values["from_date"] = getdate(filters.from_date)
		where += " and p.planned_end_date >= %(from_date)s"
	if filters.get("to_date"):
		values["to_date"] = getdate(filters.to_date)
		where += " and p.start_date <= %(to_date)s"
	return _sql(
		f"""select p.name, p.pupil_name, p.school_name, p.key_stage, p.status, p.start_date, p.planned_end_date,
			p.send_caseworker, pu.next_annual_review_due,
			ifnull(pu.next_annual_review_due between p.start_date
				and ifnull(p.actual_end_date, p.planned_end_date), 0) as due_in,
			r.held,
			ifnull(pu.next_annual_review_due between p.start_date
				and ifnull(p.actual_end_date, p.planned_end_date), 0)
				and r.held is null and pu.next_annual_review_due < %(on)s,
			ifnull(r.reviews, 0), ifnull(r.invited, 0), a.newest, datediff(%(on)s, a.newest),
			case when a.newest is null then 'None recorded'
				when a.newest < %(on)s - interval %(window)s month then 'Out of date'
				when a.newest < %(on)s - interval %(warning)s month then 'Ageing'
				else 'Current' end
		from `tabPlacement` p
		left join `tabPupil` pu on pu.name = p.pupil
		left join (
			select rv.placement, count(*) as reviews,
				max(if(rv.review_type = 'EHC Annual Review' and rv.docstatus = 1, rv.review_date, null)) as held,
				sum(exists(
					select 1 from `tabReview Attendee` ra
					where ra.parent = rv.name and ra.parenttype = 'Review'
						and ra.attendee_role = 'SEND Caseworker' and ra.invited = 1
				)) as invited
			from `tabReview` rv
			where rv.docstatus < 2
			group by rv.placement
		) r on r.placement = p.name
		left join `tabReferral` rf on rf.name = p.referral
		left join (
			select parent, max(advice_date) as newest from `tabEHC Professional Advice`
			where parenttype = 'EHC Assessment' group by parent
		) a on a.parent = rf.ehc_assessment
		where p.has_ehc_plan = 1 and p.status != 'Planned' {where}
		order by p.start_date""",
		values,
	)


def part_time_and_hours(filters) -> list[tuple]:
	values = {"on": getdate(filters.get("as_on") or today()), "running": RUNNING_STATUSES}
	where = "" if filters.get("include_full_time") else " and p.below_full_time = 1"
	for field in ("school", "provider", "key_stage"):
		if filters.get(field):
			values[field] = filters.get(field)
			where += f" and p.{field} = %({field})s"
	rows = _sql(
		f"""select p.name, p.pupil_name, p.school, p.provider, p.key_stage, p.ap_hours_per_week,
			p.school_hours_per_week, p.total_hours_per_week, p.full_time_hours, p.hours_gap,
			a.name, a.end_date, a.review_date,
			case when a.name is not null and (a.end_date < %(on)s or a.review_date < %(on)s)
				then 1 else 0 end,
			case when p.below_full_time = 1 and a.name is null then 1 else 0 end,
			case when exists (select 1 from `tabPupil Social Care` sc
				where sc.pupil = p.pupil and sc.needs_more_eyes = 1) then 1 else 0 end
		from `tabPlacement` p
		left join `tabPart-time Arrangement` a on a.name = (
			select x.name from `tabPart-time Arrangement` x
			where x.placement = p.name and x.status = 'Active'
			order by x.end_date desc limit 1)
		where p.status in %(running)s and p.full_time_hours > 0 {where}""",
		values,
	)
	if filters.get("needs_more_eyes"):
		rows = [r for r in rows if r[-1]]
	return rows


QUERIES = {
	"Part-time and Hours": part_time_and_hours,
	"Referral Tracker": referral_tracker,
	"Placement Register": placement_register,
	"AP Funding Impact": ap_funding_impact,
	"Panel Outcomes": panel_outcomes,
	"Reintegration Outcomes": reintegration_outcomes,
	"Provider Sufficiency": provider_sufficiency,
	"EHC Statutory Compliance": ehc_statutory_compliance,
}
