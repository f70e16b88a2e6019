"""/provider/register: the day's register of the provider's placed pupils, one session on one
screen. Marks are posted to ap_provision.register.submit_register."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, now_datetime

from ap_provision import portal_home, register
from ap_provision.access.scope import user_providers
from ap_provision.rules import register as rules
from ap_provision.rules._i18n import english_date
from ap_provision.rules.attendance import ABSENCE_REASONS

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.PROVIDER_ROLE)
	now = now_datetime()
	day = register.parse_day(frappe.form_dict.get("date"), now.date())
	if day > now.date():
		day = now.date()
	session = frappe.form_dict.get("session")
	if session not in register.SESSIONS:
		session = register.current_session(now)
	context.title = _("Register")
	context.heading = _("Register: {0}, {1}").format(
		english_date(day, weekday=True), _("morning") if session == "AM" else _("afternoon")
	)
	context.parents = [{"route": "/provider", "title": _("Home")}]
	context.day = str(day)
	context.session = session
	context.sessions = [("AM", _("Morning (AM)")), ("PM", _("Afternoon (PM)"))]
	context.previous_day = str(_school_day(day, -1))
	context.next_day = str(_school_day(day, 1)) if day < now.date() else None
	closures = register.closures_between(day, day)
	context.closure = register.closure_on(day, closures)
	context.rows = register.register_sheet(day, session, closures)
	# The provider's own closure that day (its training day, say): why there is no register.
	own = register.own_closures_on(day, user_providers())
	context.own_closure = "; ".join(f"{provider}: {why}" for provider, why in sorted(own.items()))
	context.marks = rules.MARKS
	context.reasons = ABSENCE_REASONS
	context.is_school_day = day.weekday() < 5
	context.amend_days = register.amend_days()
	context.any_marked = any(row.get("mark") for row in context.rows)
	context.corrections_by_prt = not rules.provider_may_correct(day, now.date(), context.amend_days)
	if error := frappe.form_dict.get("error"):
		context.notice = _("Nothing was saved: {0}").format(error)
		context.notice_colour = "orange"
	elif (saved := frappe.form_dict.get("saved")) is not None:
		saved = frappe.utils.cint(saved)
		context.notice = _("Register saved: {0}. The school and the PRT see it now.").format(
			_("1 mark") if saved == 1 else _("{0} marks").format(saved)
		)
	return context


def _school_day(day, step: int):
	day = add_days(day, step)
	while day.weekday() >= 5:
		day = add_days(day, step)
	return getdate(day)
