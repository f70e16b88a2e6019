"""Demo data for full-time education and the daily register (ap_provision/demo.py calls it): weekly patterns and part-time
arrangements, pupils who need more eyes, the daily register of the last five school days (one mark
corrected with its reason), and a provider's own training day."""

from datetime import timedelta

import frappe
from frappe.utils import add_days

from ap_provision.rules import placements as placement_rules
from ap_provision.rules.hours import WEEKDAYS

SOCIAL_CARE = (
	{
		"looked_after": 1,
		"responsible_authority": "Northshire County Council",
		"virtual_school_head": "Vivian Hale (Virtual School Head)",
		"virtual_school_head_email": "virtual.school@northshire.example.org",
		"social_worker": "Sam Okafor",
		"social_worker_email": "sam.okafor@northshire.example.org",
	},
	{
		"child_protection_plan": 1,
		"social_worker": "Priya Shah",
		"social_worker_email": "priya.shah@northshire.example.org",
	},
	{
		"child_in_need": 1,
		"social_worker": "Tom Reed",
		"social_worker_email": "tom.reed@northshire.example.org",
	},
	{"youth_justice_worker": "Dana Cole", "youth_justice_worker_email": "dana.cole@yjs.example.org"},
)


def pattern(pm_location: str) -> list[dict]:
	rows = []
	for day in WEEKDAYS:
		rows.append({"weekday": day, "session": "AM", "location": "AP provider", "hours": 3.0})
		rows.append(
			{
				"weekday": day,
				"session": "PM",
				"location": pm_location,
				"hours": 0 if pm_location == "None" else 2.0,
			}
		)
	return rows


def make_full_time_and_register(rand, today, prt: str):
	from freezegun import freeze_time

	running = frappe.get_all(
		"Placement",
		filters={"status": ("in", placement_rules.RUNNING_STATUSES)},
		fields=["name", "pupil", "placement_type", "days_per_week", "start_date"],
		order_by="name",
	)
	frappe.set_user(prt)
	with freeze_time(f"{today} 08:00:00"):
		for i, row in enumerate(running):
			doc = frappe.get_doc("Placement", row.name)
			part_time = row.placement_type == placement_rules.ALTERNATIVE_PATHWAY and i % 3 == 0
			if part_time:
				frappe.get_doc(
					{
						"doctype": "Part-time Arrangement",
						"placement": row.name,
						"reason": "Phased timetable after a long absence; afternoons added as confidence grows.",
						"start_date": add_days(today, -14),
						"end_date": add_days(today, 21),
						"review_date": add_days(today, 7),
						"parent_agreed": 1,
						"parent_agreed_on": add_days(today, -16),
						"parent_views": "Agrees mornings first; wants afternoons back before Easter.",
						"pupil_views": "Finds mornings easier.",
					}
				).insert()
			doc.set("session_pattern", pattern("None" if part_time else "AP provider"))
			doc.save()
		for row, values in zip(running[1::5], SOCIAL_CARE, strict=False):
			if not frappe.db.exists("Pupil Social Care", row.pupil):
				frappe.get_doc({"doctype": "Pupil Social Care", "pupil": row.pupil, **values}).insert()
	frappe.set_user("Administrator")
	days, day = [], today - timedelta(days=1)
	while len(days) < 5:
		if day.weekday() < 5:
			days.insert(0, day)
		day -= timedelta(days=1)
	from ap_provision.register import expected

	for day in days:
		for session in ("AM", "PM"):
			with freeze_time(f"{day} {'09:30:00' if session == 'AM' else '13:30:00'}"):
				for row in expected(day, session):
					absent = rand.random() < 0.06
					frappe.get_doc(
						{
							"doctype": "AP Session Mark",
							"placement": row.name,
							"mark_date": day,
							"session": session,
							"mark": "Absent" if absent else ("Late" if rand.random() < 0.05 else "Present"),
							"absence_reason": rand.choice(
								("Illness", "Medical or dental appointment", "Unexplained")
							)
							if absent
							else None,
						}
					).insert(ignore_permissions=True)
	placed = [row.name for row in running]
	correct_a_mark(days[-1], placed)
	close_a_provider_for_training(today, placed)


def correct_a_mark(day, placements: list[str]):
	"""One of the last day's marks corrected, with its reason: the history keeps the original."""
	from freezegun import freeze_time

	marks = frappe.get_all(
		"AP Session Mark",
		filters={
			"placement": ("in", placements or [""]),
			"mark_date": day,
			"session": "AM",
			"mark": "Present",
		},
		pluck="name",
		order_by="name asc",
		limit=1,
	)
	if not marks:
		return
	with freeze_time(f"{day} 11:00:00"):
		doc = frappe.get_doc("AP Session Mark", marks[0])
		doc.mark = "Late"
		doc.amendment_reason = "Arrived at 09:50 after the taxi was delayed; marked present before we knew."
		doc.save(ignore_permissions=True)


def close_a_provider_for_training(today, placements: list[str]):
	"""A provider with running placements closed for its own training day, a week or two ahead."""
	provider = frappe.get_all(
		"Placement",
		filters={"name": ("in", placements or [""])},
		pluck="provider",
		order_by="provider asc",
		limit=1,
	)
	if not provider:
		return
	day = add_days(today, 7 + (4 - today.weekday()) % 7)  # a Friday one to two weeks ahead
	doc = frappe.get_doc("AP Provider", provider[0])
	if not doc.own_closures:
		doc.append("own_closures", {"from_date": day, "to_date": day, "description": "Staff training day"})
		doc.save(ignore_permissions=True)
