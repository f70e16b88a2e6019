"""/school/register: the week's sessions of the school's pupils at AP providers, as register
entries (code K where they attended), with the CSV for the school's MIS."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

from ap_provision import portal_home, register
from ap_provision.rules import register as rules
from ap_provision.rules._i18n import english_date

no_cache = 1


def get_context(context):
	portal_home.require_role(portal_home.SCHOOL_ROLE)
	school = register.user_school()
	monday = rules.week_days(register.parse_day(frappe.form_dict.get("week"), getdate(today())))[0]
	context.title = _("AP register")
	context.heading = _("AP register: week of {0}").format(english_date(monday))
	context.intro = _(
		"Your pupils' sessions at AP providers, as entries for your register: K where the pupil attended "
		"provision arranged by the local authority, the absence code where they did not, N where the "
		"provider has not marked the session yet."
	)
	context.parents = [{"route": "/school", "title": _("Home")}]
	context.week = str(monday)
	context.previous_week = str(add_days(monday, -7))
	context.next_week = str(add_days(monday, 7)) if add_days(monday, 7) <= getdate(today()) else None
	context.columns = rules.CSV_COLUMNS
	context.rows = register.school_register_rows(school, monday)
	context.download_url = f"/api/method/ap_provision.register.download_school_register?week_start={monday}"
	return context
