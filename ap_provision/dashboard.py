"""Numbers and charts of the "Alternative Provision" workspace that Frappe's own Document
Type cards and Count charts cannot express. Every figure is read through
``frappe.get_list`` (the user's permissions apply) in a fixed number of queries, and
nothing is cached across users."""

import frappe
from frappe import _
from frappe.utils import add_months, formatdate, get_first_day, getdate, today

from ap_provision import reporting

KEY_STAGES = reporting.KEY_STAGES


@frappe.whitelist()
def next_panel(filters=None) -> str:
	"""Number card: the next panel still open to referrals and its deadline, as words."""
	panel = frappe.get_list(
		"Panel",
		filters={"status": "Scheduled", "referral_deadline": (">=", today())},
		fields=["name", "panel_date", "referral_deadline"],
		order_by="referral_deadline asc",
		limit_page_length=1,
	)
	if not panel:
		return _("None scheduled")
	panel = panel[0]
	return _("{0} (deadline {1})").format(
		formatdate(panel.panel_date, "EEE d MMM"), formatdate(panel.referral_deadline, "EEE d MMM")
	)


@frappe.whitelist()
def to_triage_for_next_panel(filters=None) -> dict:
	"""Number card: referrals received in time for the next panel (not yet held) that the PRT
	has not yet accepted or asked about. They keep that panel until it is held (R1), so they
	are the PRT's triage list for it; the card opens the list."""
	panel = frappe.get_list(
		"Panel",
		filters={"status": ("in", ("Scheduled", "Agenda Closed")), "panel_date": (">=", today())},
		fields=["name", "panel_date"],
		order_by="panel_date asc",
		limit_page_length=1,
	)
	if not panel:
		return {"value": 0, "fieldtype": "Int"}
	panel = panel[0]
	filters = {"workflow_state": "Submitted", "panel": panel.name}
	count = len(frappe.get_list("Referral", filters=filters, pluck="name"))
	return {
		"value": count,
		"fieldtype": "Int",
		"route": ["List", "Referral"],
		"route_options": filters,
	}


def month_labels(end, months: int = 12) -> list[str]:
	"""'YYYY-MM' for the `months` months ending with the month of `end`."""
	first = get_first_day(add_months(getdate(end), -(months - 1)))
	return [add_months(first, i).strftime("%Y-%m") for i in range(months)]


@frappe.whitelist()
def referrals_by_month(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
) -> dict:
	"""Chart source: referrals received in each of the last 12 months, one dataset per key
	stage (drafts, which have not been received, are left out)."""
	months = month_labels(to_date or today())
	start = f"{months[0]}-01"
	rows = reporting.scoped_list(
		"Referral",
		["received_on", "key_stage"],
		[["Referral", "received_on", ">=", start], ["Referral", "received_on", "is", "set"]],
	)
	counts = {ks: dict.fromkeys(months, 0) for ks in KEY_STAGES}
	for row in rows:
		month = getdate(row.received_on).strftime("%Y-%m")
		if row.key_stage in counts and month in counts[row.key_stage]:
			counts[row.key_stage][month] += 1
	return {
		"labels": [formatdate(f"{m}-01", "MMM yy") for m in months],
		"datasets": [{"name": ks, "values": list(counts[ks].values())} for ks in KEY_STAGES],
	}


PLACEMENT_OUTCOMES = (
	("Live", ("Planned", "Active", "Reintegrating")),
	("Completed", ("Completed",)),
	("Transitioned", ("Transitioned",)),
	("Ended Early", ("Ended Early",)),
)


@frappe.whitelist()
def outcomes_by_provider(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
) -> dict:
	"""Chart source: placements of the last year at each provider by how they stand or ended."""
	start = add_months(getdate(today()), -12)
	rows = reporting.scoped_list(
		"Placement",
		["provider", "status"],
		[["Placement", "start_date", ">=", start]],
	)
	providers = sorted({r.provider for r in rows if r.provider})
	counts = {label: dict.fromkeys(providers, 0) for label, _statuses in PLACEMENT_OUTCOMES}
	for row in rows:
		for label, statuses in PLACEMENT_OUTCOMES:
			if row.status in statuses and row.provider:
				counts[label][row.provider] += 1
	return {
		"labels": providers,
		"datasets": [
			{"name": _(label), "values": list(counts[label].values())}
			for label, _statuses in PLACEMENT_OUTCOMES
		],
	}
