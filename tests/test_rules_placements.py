"""The placement lifecycle (R4, R5): length, start conditions, statuses, extensions."""

from datetime import date, timedelta

import pytest

from ap_provision.rules import placements as p
from ap_provision.rules.panels import Closure

IP = p.INTERVENTION_PLACEMENT
AP = p.ALTERNATIVE_PATHWAY
MONDAY = date(2027, 1, 11)


def confirmed_stakeholders(**overrides):
	rows = {
		role: p.Stakeholder(role, f"{role} person", "Agreed duties", True) for role in p.REQUIRED_STAKEHOLDERS
	}
	rows.update(overrides)
	return list(rows.values())


def start(**kwargs):
	values = {
		"placement_type": IP,
		"start_date": MONDAY,
		"today": MONDAY,
		"admission_meeting_date": date(2027, 1, 8),
		"stakeholders": confirmed_stakeholders(),
		"safeguarding_arrangements": "DSLs named; concerns by phone the same day.",
	}
	values.update(kwargs)
	return p.start_problem(**values)


@pytest.mark.parametrize(
	"ks, expected", [("KS1", IP), ("KS3", IP), ("KS4", AP), ("EYFS", None), (None, None)]
)
def test_placement_type_follows_key_stage(ks, expected):
	assert p.placement_type_for(ks) == expected


def test_sixteen_calendar_weeks():
	assert p.planned_end_date(MONDAY, 16) == date(2027, 5, 2)


def test_term_time_counting_skips_closures_and_weekends():
	easter = Closure("Easter", date(2027, 3, 29), date(2027, 4, 9))
	# 2 weeks = 10 school days; the Easter fortnight does not count.
	assert p.planned_end_date(date(2027, 3, 22), 2, [easter], term_time_only=True) == date(2027, 4, 16)
	# Without closures term time counting matches calendar weeks (ending on the Friday).
	assert p.planned_end_date(MONDAY, 16, [], term_time_only=True) == date(2027, 4, 30)
	# Bank holiday Monday pushes the end one school day on.
	bank = Closure("May Day", date(2027, 5, 3), date(2027, 5, 3), "Bank Holiday")
	assert p.planned_end_date(date(2027, 4, 26), 2, [bank], term_time_only=True) == date(2027, 5, 10)


def test_weeks_must_be_positive():
	with pytest.raises(ValueError):
		p.planned_end_date(MONDAY, 0)
	# One week is the shortest: from a Monday to the Sunday.
	assert p.planned_end_date(MONDAY, 1) == MONDAY + timedelta(days=6)


@pytest.mark.parametrize(
	"ptype, days, ok",
	[
		(IP, 5, True),
		(IP, 4, False),
		(AP, 1, True),
		(AP, 5, True),
		(AP, 0, False),
		(AP, 6, False),
		(AP, 2.5, False),
		(AP, None, False),
	],
)
def test_days_per_week(ptype, days, ok):
	assert (p.days_per_week_problem(ptype, days) is None) is ok


def test_start_allowed_when_everything_is_recorded():
	assert start() is None


def test_start_refused_before_the_start_date():
	assert "cannot be made active before" in start(today=date(2027, 1, 8))


def test_start_refused_without_safeguarding_arrangements():
	assert "safeguarding arrangements" in start(safeguarding_arrangements="  ")


def test_r4_meeting_must_be_recorded_and_held():
	assert "admission meeting" in start(admission_meeting_date=None)
	assert "once it has been held" in start(admission_meeting_date=date(2027, 1, 12))
	assert start(today=date(2027, 1, 12), admission_meeting_date=date(2027, 1, 12)) is None  # held today


def test_r4_every_required_stakeholder_listed_and_confirmed():
	rows = [s for s in confirmed_stakeholders() if s.role != p.PARENT]
	assert "Parent/Carer" in start(stakeholders=rows)
	unconfirmed = confirmed_stakeholders(School=p.Stakeholder("School", "Ms Head", "Duties", False))
	assert "Ms Head" in start(stakeholders=unconfirmed)
	no_text = confirmed_stakeholders(PRT=p.Stakeholder("PRT", "Officer", " ", True))
	assert "responsibilities agreed for: PRT" in start(stakeholders=no_text)


def test_ks4_needs_no_admission_meeting_but_needs_safeguarding():
	assert start(placement_type=AP, admission_meeting_date=None, stakeholders=[]) is None
	assert "safeguarding" in start(placement_type=AP, safeguarding_arrangements=None)


@pytest.mark.parametrize(
	"ptype, old, new, ok",
	[
		(IP, None, p.PLANNED, True),
		(IP, None, p.ACTIVE, False),
		(IP, p.PLANNED, p.ACTIVE, True),
		(IP, p.ACTIVE, p.REINTEGRATING, True),
		(IP, p.REINTEGRATING, p.COMPLETED, True),
		(IP, p.ACTIVE, p.ENDED_EARLY, True),
		(IP, p.PLANNED, p.COMPLETED, False),
		(IP, p.ACTIVE, p.TRANSITIONED, False),
		(IP, p.COMPLETED, p.ACTIVE, False),
		(AP, p.ACTIVE, p.TRANSITIONED, True),
		(AP, p.ACTIVE, p.COMPLETED, True),
		# KS4 pupils do not *usually* return to mainstream: a return goes through reintegration.
		(AP, p.ACTIVE, p.REINTEGRATING, True),
		(AP, p.REINTEGRATING, p.COMPLETED, True),
		(AP, p.REINTEGRATING, p.ENDED_EARLY, True),
		(AP, p.REINTEGRATING, p.TRANSITIONED, False),
		(AP, p.ACTIVE, "Paused", False),
	],
)
def test_status_transitions(ptype, old, new, ok):
	assert (p.status_problem(ptype, old, new) is None) is ok


def test_status_messages_are_specific():
	assert "Only a KS4" in p.status_problem(IP, p.ACTIVE, p.TRANSITIONED)
	assert "no longer change" in p.status_problem(IP, p.COMPLETED, p.ACTIVE)
	assert "Next it can be" in p.status_problem(IP, p.PLANNED, p.COMPLETED)


def test_extension_needs_a_later_date_and_a_reason():
	old = date(2027, 5, 2)
	assert "later than" in p.extension_problem(old, date(2027, 5, 1), "Reason")
	assert "later than" in p.extension_problem(old, old, "Reason")  # the same day is no extension
	assert p.extension_problem(old, date(2027, 5, 3), "One more day") is None
	assert "reason" in p.extension_problem(old, date(2027, 6, 1), "")
	assert p.extension_problem(old, date(2027, 6, 1), "More time to settle") is None


def test_next_due_counts_from_the_last_or_the_start():
	assert p.next_due(None, MONDAY, 7) == date(2027, 1, 18)
	assert p.next_due(date(2027, 1, 22), MONDAY, 7) == date(2027, 1, 29)


def test_full_time_is_over_18_hours():
	assert p.is_full_time(p.default_hours_per_week(5))
	assert not p.is_full_time(18)
	assert not p.is_full_time(p.default_hours_per_week(3))
