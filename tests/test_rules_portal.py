"""The portal's home: what needs a school or a provider, countdowns, report status, colours."""

from datetime import date, datetime, time, timedelta

import pytest

from ap_provision.rules import portal

TODAY = date(2026, 3, 9)  # a Monday


@pytest.mark.parametrize(
	"deadline, words",
	[
		(date(2026, 3, 9), "today"),
		(date(2026, 3, 10), "tomorrow"),
		(date(2026, 3, 12), "in 3 days"),
		(date(2026, 3, 8), "passed yesterday"),
		(date(2026, 3, 5), "passed 4 days ago"),
	],
)
def test_countdown(deadline, words):
	assert portal.countdown(deadline, TODAY) == words


@pytest.mark.parametrize(
	"due, status",
	[
		(None, None),
		(date(2026, 3, 8), "Overdue"),
		(date(2026, 3, 9), "Due"),
		(date(2026, 3, 12), "Due"),
		(date(2026, 3, 13), "On time"),
	],
)
def test_report_status(due, status):
	assert portal.report_status(due, TODAY) == status


def test_deadline_colour_gets_warmer_as_the_deadline_nears():
	assert portal.deadline_colour(date(2026, 3, 20), TODAY) == "blue"
	assert portal.deadline_colour(date(2026, 3, 14), TODAY) == "orange"
	assert portal.deadline_colour(date(2026, 3, 11), TODAY) == "red"
	assert portal.deadline_colour(None, TODAY) == "grey"


@pytest.mark.parametrize("days, colour", [(-1, "red"), (2, "red"), (3, "orange"), (7, "orange"), (8, "blue")])
def test_deadline_colour_edges(days, colour):
	assert portal.deadline_colour(TODAY + timedelta(days=days), TODAY) == colour


def test_a_decision_stays_on_the_home_for_30_days():
	rows = [
		referral("REF-30", "Approved", decided_on=datetime.combine(TODAY - timedelta(days=30), time(9))),
		referral("REF-31", "Declined", decided_on=datetime.combine(TODAY - timedelta(days=31), time(9))),
	]
	actions = portal.school_actions(rows, TODAY, None, None)
	assert [(a.kind, a.name) for a in actions] == [("decision", "REF-30")]


def test_every_state_has_a_colour():
	for state in portal.REFERRAL_STATES:
		assert portal.colour_of(state) != "grey" or state in ("Draft", "Withdrawn")
	assert portal.colour_of("Active") == "green"
	assert portal.colour_of("Overdue") == "red"
	assert portal.colour_of("nonsense") == "grey"


def referral(name, state, pupil="Ada Lovelace", **values):
	return {"name": name, "pupil_name": pupil, "workflow_state": state, **values}


def test_school_actions_in_order_drafts_by_deadline_then_information_evidence_decisions():
	rows = [
		referral("REF-4", "Approved", decided_on=datetime(2026, 3, 4, 11, 0)),
		referral("REF-5", "Declined", decided_on=datetime(2026, 3, 6, 11, 0), pupil="Bo"),
		referral("REF-3", "More Information Requested"),
		referral(
			"REF-1", "Draft", ehc_assessment="EHC-1", ehc_complete=0, ehc_completeness="3 of 25 answered"
		),
		referral("REF-2", "Submitted"),
		referral("REF-6", "Approved", decided_on=datetime(2026, 1, 2, 11, 0)),  # too old
		referral("REF-7", "Draft", ehc_assessment="EHC-7", ehc_complete=1),
	]
	actions = portal.school_actions(rows, TODAY, date(2026, 3, 12), date(2026, 3, 25))
	assert [(a.kind, a.name) for a in actions] == [
		("submit", "REF-1"),
		("submit", "REF-7"),
		("more_information", "REF-3"),
		("ehc_evidence", "REF-1"),
		("decision", "REF-5"),
		("decision", "REF-4"),
	]
	submit = actions[0]
	assert submit.due == date(2026, 3, 12)
	assert "Thursday 12 March 2026" in submit.message and "in 3 days" in submit.message
	assert "25 March 2026" in submit.message
	assert submit.colour == "orange"
	evidence = actions[3]
	assert evidence.record == "EHC-1" and "3 of 25 answered" in evidence.message
	assert actions[4].detail == "Declined" and actions[4].colour == "red"


def test_a_draft_with_no_panel_open_still_asks_to_be_submitted():
	(action,) = portal.school_actions([referral("REF-1", "Draft")], TODAY, None)
	assert action.kind == "submit" and action.due is None and "no panel" in action.message


def test_referral_counts_follow_the_workflow_order_and_skip_empty_states():
	rows = [("Approved", 2), ("Draft", 3), ("Submitted", 0)]
	assert portal.referral_counts(rows) == [("Draft", 3, "grey"), ("Approved", 2, "green")]


def placement(name, status, due=None, start=None, pupil="Pupil"):
	return {"name": name, "status": status, "next_update_due": due, "start_date": start, "pupil_name": pupil}


def test_provider_reports_due_and_overdue_most_overdue_first():
	rows = [
		placement("P1", "Active", date(2026, 3, 12)),
		placement("P2", "Active", date(2026, 3, 1)),
		placement("P3", "Active", date(2026, 3, 13)),  # on time
		placement("P4", "Completed", date(2026, 3, 1)),  # over
		placement("P5", "Reintegrating", date(2026, 3, 9)),
	]
	reports = portal.provider_reports(rows, TODAY)
	assert [(r["name"], r["report_status"]) for r in reports] == [
		("P2", "Overdue"),
		("P5", "Due"),
		("P1", "Due"),
	]
	assert reports[0]["colour"] == "red" and reports[0]["countdown"] == "passed 8 days ago"


def test_starting_soon_is_planned_within_two_weeks():
	rows = [
		placement("P1", "Planned", start=date(2026, 3, 20)),
		placement("P2", "Planned", start=date(2026, 3, 30)),
		placement("P3", "Active", start=date(2026, 3, 10)),
		placement("P4", "Planned", start=date(2026, 3, 2)),  # late: still planned
	]
	assert [p["name"] for p in portal.starting_soon(rows, TODAY)] == ["P4", "P1"]
	edges = [
		placement("P14", "Planned", start=TODAY + timedelta(days=14)),
		placement("P15", "Planned", start=TODAY + timedelta(days=15)),
	]
	assert [p["name"] for p in portal.starting_soon(edges, TODAY)] == ["P14"]
