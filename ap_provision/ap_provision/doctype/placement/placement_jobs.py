# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt
"""Daily jobs about running placements (hooks.py scheduler_events["daily"]).

Each job finds its placements in one query and sends each alert through
``placement_alert.send``, whose key makes a second run (or a second worker) send nothing.
"""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

from ap_provision.ap_provision.doctype.placement_alert import placement_alert as alerts
from ap_provision.rules import placements
from ap_provision.rules._i18n import english_date

REVIEW_NOTICE_DAYS = 7
ENDING_NOTICE_DAYS = 14


def _running(extra_filters: dict, fields: list[str]) -> list:
	return frappe.get_all(
		"Placement",
		filters={"status": ("in", placements.RUNNING_STATUSES), **extra_filters},
		fields=["name", "pupil_name", "school", "provider", "placement_type", *fields],
		order_by="name",
	)


def flag_overdue_updates(on=None) -> int:
	"""R5: a provider report overdue is flagged to the PRT and the school, once per due date."""
	on = getdate(on or today())
	sent = 0
	for p in _running({"next_update_due": ("<", on)}, ["next_update_due"]):
		due = getdate(p.next_update_due)
		sent += alerts.send(
			alerts.UPDATE_OVERDUE,
			f"update-overdue:{p.name}:{due}",
			placement=p.name,
			subject=_("Provider report overdue: {0} at {1}").format(p.pupil_name, p.provider),
			message=_(
				"The provider's report on {0} at {1} was due on {2} and has not arrived. Please contact the "
				"provider."
			).format(p.pupil_name, p.provider, english_date(due, weekday=True)),
			users=alerts.prt_users() + alerts.school_users(p.school) + alerts.provider_users(p.provider),
		)
	return sent


def remind_reviews_due(on=None) -> int:
	"""R6: a review due within a week (or overdue) is announced to the PRT, school and provider."""
	on = getdate(on or today())
	sent = 0
	for p in _running({"next_review_date": ("<=", add_days(on, REVIEW_NOTICE_DAYS))}, ["next_review_date"]):
		due = getdate(p.next_review_date)
		sent += alerts.send(
			alerts.REVIEW_DUE,
			f"review-due:{p.name}:{due}",
			placement=p.name,
			subject=_("Review due {0}: {1}").format(english_date(due), p.pupil_name),
			message=_(
				"The review of {0}'s placement at {1} is due on {2}. The PRT arranges it with the school, the "
				"provider and BOSS."
			).format(p.pupil_name, p.provider, english_date(due, weekday=True)),
			users=alerts.prt_users() + alerts.school_users(p.school) + alerts.provider_users(p.provider),
		)
	return sent


def plan_reintegration_for_ending_placements(on=None) -> int:
	"""Placements ending within 2 weeks: reintegration planning (KS1-3), next steps (KS4)."""
	on = getdate(on or today())
	sent = 0
	for p in _running(
		{"planned_end_date": ("between", (on, add_days(on, ENDING_NOTICE_DAYS)))}, ["planned_end_date"]
	):
		end = getdate(p.planned_end_date)
		if p.placement_type == placements.INTERVENTION_PLACEMENT:
			message = _(
				"{0}'s placement at {1} ends on {2}. Hold a reintegration planning review with the school, the "
				"provider and BOSS, and agree the return timetable."
			)
		else:
			message = _(
				"{0}'s Alternative Pathway at {1} ends on {2}. Agree the pupil's next step (completion or "
				"transition) with the school and the provider."
			)
		sent += alerts.send(
			alerts.PLACEMENT_ENDING,
			f"placement-ending:{p.name}:{end}",
			placement=p.name,
			subject=_("Placement ending {0}: {1}").format(english_date(end), p.pupil_name),
			message=message.format(p.pupil_name, p.provider, english_date(end, weekday=True)),
			users=alerts.prt_users() + alerts.school_users(p.school) + alerts.provider_users(p.provider),
		)
	return sent


def flag_annual_reviews_in_placements(on=None) -> int:
	"""R10/R13: an EHC annual review falling due while a placement runs (from today to its
	planned end) is flagged to the caseworker and the PRT; KS4 schools too, as they attend."""
	on = getdate(on or today())
	placement = frappe.qb.DocType("Placement")
	pupil = frappe.qb.DocType("Pupil")
	rows = (
		frappe.qb.from_(placement)
		.join(pupil)
		.on(pupil.name == placement.pupil)
		.select(
			placement.name,
			placement.pupil_name,
			placement.school,
			placement.key_stage,
			placement.send_caseworker,
			pupil.next_annual_review_due,
		)
		.where(
			(placement.status.isin(placements.RUNNING_STATUSES))
			& (pupil.has_ehc_plan == 1)
			& (pupil.next_annual_review_due >= on)
			& (pupil.next_annual_review_due <= placement.planned_end_date)
		)
		.orderby(placement.name)
		.run(as_dict=True)
	)
	sent = 0
	for p in rows:
		due = getdate(p.next_annual_review_due)
		users = [p.send_caseworker, *alerts.prt_users()]
		if p.key_stage == "KS4":
			users += alerts.school_users(p.school)
		sent += alerts.send(
			alerts.ANNUAL_REVIEW_IN_PLACEMENT,
			f"annual-review:{p.name}:{due}",
			placement=p.name,
			subject=_("EHC annual review due {0} during the placement: {1}").format(
				english_date(due), p.pupil_name
			),
			message=_(
				"{0}'s EHC annual review is due on {1}, while their placement runs. Arrange it with the "
				"school attending, and record it as an EHC Annual Review of the placement."
			).format(p.pupil_name, english_date(due, weekday=True)),
			users=users,
		)
	return sent
