"""AP census export: the placement module rows for a census date, as CSV.

    /api/method/ap_provision.census.download_ap_census?census_date=2027-01-21

Reads placements, their pupils, schools and providers through ``frappe.get_list`` (the
user's permissions apply) in four queries, whatever the number of placements.
"""

import csv
import io

import frappe
from frappe import _
from frappe.utils import getdate

from ap_provision import reporting
from ap_provision.rules import census

CENSUS_ROLES = ("AP Administrator", "PRT Officer", "System Manager")


def census_rows(census_date) -> list[dict]:
	"""One row per placement the census covers, ordered by home school URN and UPN."""
	window = census.Window(getdate(census_date))
	placements = reporting.scoped_list(
		"Placement",
		[
			"name",
			"pupil",
			"school",
			"provider",
			"placement_type",
			"days_per_week",
			"start_date",
			"actual_end_date",
			"status",
		],
		[
			["Placement", "start_date", "<=", window.census_date],
			["Placement", "status", "!=", "Planned"],
		],
	)
	placements = [
		p
		for p in placements
		if window.covers(getdate(p.start_date), getdate(p.actual_end_date) if p.actual_end_date else None)
	]
	if not placements:
		return []
	pupils = by_name(
		"Pupil", ["name", "upn", "first_name", "last_name", "date_of_birth"], placements, "pupil"
	)
	schools = by_name("School", ["name", "urn"], placements, "school")
	providers = by_name("AP Provider", ["name", "urn", "ukprn", "provider_type"], placements, "provider")
	rows = []
	for p in placements:
		pupil = pupils.get(p.pupil) or frappe._dict()
		provider = providers.get(p.provider) or frappe._dict()
		school = schools.get(p.school) or frappe._dict()
		leaving = window.leaving_date(getdate(p.actual_end_date) if p.actual_end_date else None)
		rows.append(
			{
				"placement": p.name,
				"home_school_urn": school.urn or p.school,
				"upn": pupil.upn,
				"surname": pupil.last_name,
				"forename": pupil.first_name,
				"date_of_birth": pupil.date_of_birth,
				"provider_urn": provider.urn or "",
				"provider_ukprn": provider.ukprn or "",
				"setting_type": census.setting_type(provider.provider_type),
				"reason": census.reason(p.placement_type),
				"entry_date": getdate(p.start_date),
				"leaving_date": leaving,
				"attendance_pattern": census.attendance_pattern(p.days_per_week),
				"sessions_per_week": census.sessions_per_week(p.days_per_week),
			}
		)
	rows.sort(key=lambda r: (str(r["home_school_urn"]), str(r["upn"] or ""), r["placement"]))
	return rows


def by_name(doctype: str, fields: list[str], rows, key: str) -> dict:
	names = sorted({r.get(key) for r in rows if r.get(key)})
	if not names:
		return {}
	return {d.name: d for d in reporting.scoped_list(doctype, fields, [[doctype, "name", "in", names]])}


def census_csv(census_date) -> str:
	out = io.StringIO()
	writer = csv.writer(out, lineterminator="\n")
	writer.writerow([label for _field, label in census.COLUMNS])
	for row in census_rows(census_date):
		writer.writerow([format_value(row[field]) for field, _label in census.COLUMNS])
	return out.getvalue()


def format_value(value) -> str:
	if value is None:
		return ""
	if hasattr(value, "isoformat"):
		return value.isoformat()
	return census.safe_cell(str(value))


@frappe.whitelist()
@frappe.read_only()
def download_ap_census(census_date: str):
	"""The AP census CSV for `census_date` as a file download (PRT and AP administrators).
	Reads only: on the read replica when the site reads from one (ap_provision/replica.py)."""
	frappe.only_for(CENSUS_ROLES)
	if not census_date:
		frappe.throw(_("Choose the census date."))
	frappe.response["filename"] = f"ap-census-{getdate(census_date).isoformat()}.csv"
	frappe.response["filecontent"] = census_csv(census_date)
	frappe.response["type"] = "download"
