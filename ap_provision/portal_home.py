"""The portal's pages for schools and providers: each role's home and its lists.

Every record and every figure here is read with ``frappe.get_list`` as the signed-in user, so the
permission hooks (ap_provision/access/: User Permissions on School / AP Provider) decide
what is counted: a school's home can never count another school's records. The home page and the
list of the same records use the same query functions. What "needs your action" means is policy,
in ap_provision/rules/portal.py.

Pages: ap_provision/www/school/ (School Referrer) and ap_provision/www/provider/ (AP Provider
User); menus and the top bar: ap_provision/portal_nav.py.
"""

from dataclasses import dataclass, field

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate, now_datetime, today

from ap_provision.access.scope import PROVIDER_ROLE, SCHOOL_ROLE
from ap_provision.rules import deadlines, portal
from ap_provision.rules.panels import DECISIONS
from ap_provision.rules.placements import LIVE_STATUSES, RUNNING_STATUSES, STATUSES

PAGE_LENGTH = 20


def require_role(role: str):
	"""Guests go to the login page (and come back); signed-in users without the role are refused."""
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + frappe.utils.quote(
			frappe.request.path if frappe.request else "/"
		)
		raise frappe.Redirect(302)  # not 301: browsers would remember it
	if role not in frappe.get_roles():
		frappe.throw(_("This page is for the {0} role.").format(_(role)), frappe.PermissionError)


def organisation_name(doctype: str) -> str | None:
	"""The name of the School or AP Provider the user works for (the first they may read)."""
	title = {"School": "school_name", "AP Provider": "provider_name"}[doctype]
	rows = frappe.get_list(doctype, fields=[title], order_by=f"{title} asc", limit_page_length=1)
	return rows[0].get(title) if rows else None


def decision_letter_url(referral: str) -> str:
	"""The panel's decision letter of a referral, as the school reads it (print view)."""
	from urllib.parse import urlencode

	return "/printview?" + urlencode(
		{"doctype": "Referral", "name": referral, "format": "Panel Decision Letter"}
	)


# -- queries (as the signed-in user) ------------------------------------------------------------


def count_by(doctype: str, fieldname: str, filters=None) -> dict[str, int]:
	"""{value: count} of `doctype` grouped by `fieldname`, among the records the user may read."""
	rows = frappe.get_list(
		doctype,
		filters=filters or {},
		fields=[f"`tab{doctype}`.`{fieldname}` as value", "count(*) as count"],
		group_by=f"`tab{doctype}`.`{fieldname}`",
		order_by=None,
		limit_page_length=0,
	)
	return {r.value: cint(r.count) for r in rows}


def count(doctype: str, filters=None) -> int:
	"""How many records of `doctype` the user may read (with `filters`)."""
	rows = frappe.get_list(doctype, filters=filters or {}, fields=["count(*) as count"], order_by=None)
	return cint(rows[0].count) if rows else 0


def referral_rows(filters=None, limit: int = 0) -> list:
	"""The user's referrals with what the home and the list show."""
	rows = frappe.get_list(
		"Referral",
		filters=filters or {},
		fields=[
			"name",
			"pupil",
			"pupil_name",
			"workflow_state",
			"key_stage",
			"panel_date",
			"ehc_assessment",
			"ehc_completeness",
			"decided_on",
			"modified",
		],
		order_by="modified desc",
		limit_page_length=limit,
	)
	assessments = [r.ehc_assessment for r in rows if r.ehc_assessment]
	complete = {}
	if assessments:
		complete = {
			a.name: cint(a.is_complete)
			for a in frappe.get_list(
				"EHC Assessment",
				filters={"name": ("in", assessments)},
				fields=["name", "is_complete"],
				limit_page_length=0,
			)
		}
	for r in rows:
		r.ehc_complete = complete.get(r.ehc_assessment, 0)
		r.colour = portal.colour_of(r.workflow_state)
	return rows


def placement_rows(filters=None, limit: int = 0, order_by: str = "start_date desc") -> list:
	"""The user's placements (a school's pupils' or a provider's) with their report status."""
	rows = frappe.get_list(
		"Placement",
		filters=filters or {},
		fields=[
			"name",
			"pupil_name",
			"school_name",
			"provider_name",
			"status",
			"start_date",
			"planned_end_date",
			"next_update_due",
			"last_update_date",
			"next_review_date",
		],
		order_by=order_by,
		limit_page_length=limit,
	)
	return with_report_status(rows)


def with_report_status(rows: list) -> list:
	"""Placement rows with their status colour and, while running, where their reports stand."""
	on = getdate(today())
	for r in rows:
		r.colour = portal.colour_of(r.status)
		r.report_status = (
			portal.report_status(getdate(r.next_update_due) if r.next_update_due else None, on)
			if r.status in RUNNING_STATUSES
			else None
		)
		r.report_colour = portal.colour_of(r.report_status)
	return rows


def next_deadline():
	"""The panel a referral submitted now would go to (R1), from the LA's published panel
	calendar (dates only, the same for every school): a PanelSlot or None."""
	from ap_provision.ap_provision.doctype.panel.agenda import panel_slots_for

	now = now_datetime()
	return deadlines.choose_panel(now, panel_slots_for(now.date())).panel


# -- homes --------------------------------------------------------------------------------------


@dataclass
class Home:
	actions: list = field(default_factory=list)
	figures: list = field(default_factory=list)  # (label, number, link)
	sections: dict = field(default_factory=dict)


def school_home(on=None) -> Home:
	"""A School Referrer's home: what needs them, their referrals by state, pupils, placements."""
	on = getdate(on or today())
	slot = next_deadline()
	unsubmitted = referral_rows(filters=[["workflow_state", "in", portal.UNSUBMITTED_STATES]])
	decided = referral_rows(
		filters=[
			["workflow_state", "in", DECISIONS],
			["decided_on", ">=", add_days(on, -portal.DECISION_NOTICE_DAYS)],
		]
	)
	actions = portal.school_actions(
		unsubmitted + decided,
		on,
		slot.referral_deadline if slot else None,
		slot.panel_date if slot else None,
	)
	by_state = portal.referral_counts(count_by("Referral", "workflow_state").items())
	pupils = count("Pupil")
	placements = placement_rows(
		filters={"status": ("in", LIVE_STATUSES)}, order_by="start_date asc", limit=PAGE_LENGTH
	)
	home = Home(actions=actions)
	home.figures = [
		(_("Referrals"), sum(n for _state, n, _colour in by_state), "/school/referrals"),
		(_("Pupils"), pupils, "/school/pupils"),
		(
			_("Current placements"),
			count("Placement", {"status": ("in", LIVE_STATUSES)}),
			"/school/placements",
		),
	]
	home.sections = {
		"by_state": by_state,
		"placements": placements,
		"deadline": slot,
		"pupils": pupils,
	}
	return home


def provider_home(on=None) -> Home:
	"""An AP Provider User's home: reports due and overdue, placements starting soon, reviews booked,
	and every running placement with its Post a report button."""
	on = getdate(on or today())
	live = placement_rows(filters={"status": ("in", LIVE_STATUSES)}, order_by="start_date asc")
	for p in live:
		p.next_update_due = getdate(p.next_update_due) if p.next_update_due else None
		p.start_date = getdate(p.start_date) if p.start_date else None
	reports = portal.provider_reports(live, on)
	soon = portal.starting_soon(live, on)
	reviews = frappe.get_list(
		"Review",
		filters={"docstatus": 0, "review_date": (">=", on)},
		fields=["name", "placement", "pupil_name", "review_date", "review_type"],
		order_by="review_date asc",
		limit_page_length=PAGE_LENGTH,
	)
	running = [p for p in live if p.status in RUNNING_STATUSES]
	home = Home(actions=reports)
	home.figures = [
		(_("Running placements"), len(running), "/provider/placements"),
		(_("Reports overdue"), sum(1 for r in reports if r["report_status"] == portal.OVERDUE), None),
		(
			_("Reports due within three days"),
			sum(1 for r in reports if r["report_status"] == portal.DUE),
			None,
		),
		(_("Starting soon"), len(soon), None),
		(_("Reviews booked"), count("Review", {"docstatus": 0, "review_date": (">=", on)}), None),
	]
	home.sections = {"running": running, "starting_soon": soon, "reviews": reviews}
	return home


# -- lists --------------------------------------------------------------------------------------


@dataclass
class ListPage:
	rows: list
	total: int
	page: int
	pages: int
	query: str
	filters: dict
	action: str = ""

	def url(self, page: int) -> str:
		"""This list's address with the same search and filters, at `page`."""
		from urllib.parse import urlencode

		args = {"q": self.query} if self.query else {}
		args.update(self.filters)
		args["page"] = page
		return f"{self.action}?{urlencode(args)}"

	@property
	def has_previous(self) -> bool:
		return self.page > 1

	@property
	def has_next(self) -> bool:
		return self.page < self.pages


def list_page(
	action: str,
	fetch,
	doctype: str,
	search_fields: tuple[str, ...],
	form: dict,
	filter_fields: dict,
	base_filters=None,
) -> ListPage:
	"""One page of a portal list: `form` is the request's query (q, page and the filters named in
	`filter_fields` {param: (fieldname, allowed values)}); the search matches any of `search_fields`
	and the record's ID."""
	filters = list(base_filters or [])
	chosen = {}
	for param, (fieldname, allowed) in filter_fields.items():
		value = (form.get(param) or "").strip()
		if value and value in allowed:
			filters.append([fieldname, "=", value])
			chosen[param] = value
	query = (form.get("q") or "").strip()[:100]
	or_filters = [[f, "like", f"%{query}%"] for f in ("name", *search_fields)] if query else None
	total = cint(
		(
			frappe.get_list(
				doctype, filters=filters, or_filters=or_filters, fields=["count(*) as count"], order_by=None
			)
			or [frappe._dict(count=0)]
		)[0].count
	)
	pages = max(1, -(-total // PAGE_LENGTH))
	page = min(max(cint(form.get("page")) or 1, 1), pages)
	rows = fetch(filters, or_filters, (page - 1) * PAGE_LENGTH)
	return ListPage(rows, total, page, pages, query, chosen, action)


def fetch_referrals(filters, or_filters, start):
	rows = frappe.get_list(
		"Referral",
		filters=filters,
		or_filters=or_filters,
		fields=["name", "pupil", "pupil_name", "workflow_state", "key_stage", "panel_date", "modified"],
		order_by="modified desc",
		limit_start=start,
		limit_page_length=PAGE_LENGTH,
	)
	for r in rows:
		r.colour = portal.colour_of(r.workflow_state)
	return rows


def fetch_pupils(filters, or_filters, start):
	return frappe.get_list(
		"Pupil",
		filters=filters,
		or_filters=or_filters,
		fields=["name", "full_name", "year_group", "key_stage", "upn"],
		order_by="last_name asc, first_name asc",
		limit_start=start,
		limit_page_length=PAGE_LENGTH,
	)


def fetch_assessments(filters, or_filters, start):
	return frappe.get_list(
		"EHC Assessment",
		filters=filters,
		or_filters=or_filters,
		fields=[
			"name",
			"pupil_name",
			"referral",
			"pathway",
			"answered_count",
			"required_count",
			"is_complete",
		],
		order_by="modified desc",
		limit_start=start,
		limit_page_length=PAGE_LENGTH,
	)


def fetch_placements(filters, or_filters, start):
	rows = frappe.get_list(
		"Placement",
		filters=filters,
		or_filters=or_filters,
		fields=[
			"name",
			"pupil_name",
			"school_name",
			"provider_name",
			"status",
			"start_date",
			"planned_end_date",
			"next_update_due",
			"next_review_date",
		],
		order_by="start_date desc",
		limit_start=start,
		limit_page_length=PAGE_LENGTH,
	)
	return with_report_status(rows)


def fetch_reports(filters, or_filters, start):
	return frappe.get_list(
		"Placement Update",
		filters=filters,
		or_filters=or_filters,
		fields=[
			"name",
			"placement",
			"pupil_name",
			"period_start",
			"period_end",
			"attendance_percent",
			"behaviour_incidents",
		],
		order_by="period_end desc, creation desc",
		limit_start=start,
		limit_page_length=PAGE_LENGTH,
	)


REFERRAL_FILTERS = {
	"status": ("workflow_state", portal.REFERRAL_STATES),
	"key_stage": ("key_stage", ("KS1", "KS2", "KS3", "KS4")),
}
PUPIL_FILTERS = {
	"year_group": ("year_group", tuple(f"Year {n}" for n in range(1, 12))),
	"key_stage": ("key_stage", ("KS1", "KS2", "KS3", "KS4")),
}
ASSESSMENT_FILTERS = {"pathway": ("pathway", ("KS1-3", "KS4"))}
PLACEMENT_FILTERS = {"status": ("status", STATUSES)}
