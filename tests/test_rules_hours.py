"""Full-time hours and part-time arrangements: ap_provision.rules.hours."""

from datetime import date

import pytest

from ap_provision.rules import hours
from ap_provision.rules.hours import AT_PROVIDER, AT_SCHOOL, NOWHERE, Session


def week(am=(AT_PROVIDER, 3.0), pm=(NOWHERE, 0.0)):
	return [
		Session(day, session, where, h)
		for day in hours.WEEKDAYS
		for session, (where, h) in (("AM", am), ("PM", pm))
	]


@pytest.mark.parametrize(
	"year_group, expected",
	[
		("Reception", 21.0),
		("Year 1", 21.0),
		("Year 2", 21.0),
		("Year 3", 23.5),
		("Year 6", 23.5),
		("Year 7", 24.0),
		("Year 8", 24.0),
		("Year 10", 24.0),
		("Year 11", 25.0),
	],
)
def test_full_time_defaults_by_year_group(year_group, expected):
	assert hours.full_time_hours(year_group) == expected


def test_settings_override_the_defaults_and_unknown_year_groups_have_none():
	assert hours.full_time_hours("Year 8", {"full_time_hours_ks3": 25}) == 25.0
	assert hours.full_time_hours("Year 8", {"full_time_hours_ks3": None}) == 24.0
	assert hours.full_time_hours(None) is None
	assert hours.full_time_hours("Year Twelve") is None


def test_fifteen_hours_for_year_8_is_nine_below_full_time():
	h = hours.weekly_hours(week(), hours.full_time_hours("Year 8"))
	assert (h.at_provider, h.at_school, h.total, h.gap, h.below_full_time) == (15, 0, 15, 9, True)
	assert "9 below the full time of 24 hours" in hours.below_full_time_message("Ann", h)


def test_school_sessions_count_and_above_full_time_has_no_gap():
	h = hours.weekly_hours(week(pm=(AT_SCHOOL, 2.5)), 24.0)
	assert (h.at_provider, h.at_school, h.total, h.gap, h.below_full_time) == (15, 12.5, 27.5, 0, False)
	assert hours.weekly_hours(week(), None).gap == 0


def test_pattern_problems():
	assert hours.pattern_problems(week()) == []
	doubled = [*week(), Session("Monday", "AM", AT_PROVIDER, 3)]
	assert any("twice" in p for p in hours.pattern_problems(doubled))
	assert hours.pattern_problems([Session("Saturday", "AM", AT_PROVIDER, 3)])
	assert any("no hours" in p for p in hours.pattern_problems([Session("Monday", "AM", NOWHERE, 2)]))
	assert any("hours" in p for p in hours.pattern_problems([Session("Monday", "AM", AT_PROVIDER, 0)]))
	assert any("hours" in p for p in hours.pattern_problems([Session("Monday", "AM", AT_PROVIDER, 7)]))
	assert hours.pattern_problems([Session("Monday", "AM", "Library", 2)])


def test_sessions_at_provider():
	pattern = week(pm=(AT_SCHOOL, 2))
	assert hours.sessions_at_provider(pattern, "Monday") == ["AM"]
	assert hours.sessions_at_provider(pattern, "Monday", "PM") == []


def test_arrangement_within_the_allowed_weeks_with_agreement_is_accepted():
	ok = dict(
		reason="Medical", parent_agreed=True, start=date(2027, 1, 4), end=date(2027, 2, 12), review=None
	)
	assert hours.arrangement_problems(**ok, max_weeks=6) == []
	assert hours.arrangement_problems(**{**ok, "end": date(2027, 2, 15)}, max_weeks=6)[0].startswith(
		"A part-time timetable lasts at most 6 weeks"
	)
	assert any(
		"agreement" in p for p in hours.arrangement_problems(**{**ok, "parent_agreed": False}, max_weeks=6)
	)
	assert any("reason" in p for p in hours.arrangement_problems(**{**ok, "reason": " "}, max_weeks=6))
	assert any(
		"ends before" in p for p in hours.arrangement_problems(**{**ok, "end": date(2027, 1, 1)}, max_weeks=6)
	)
	assert any(
		"Review" in p for p in hours.arrangement_problems(**{**ok, "review": date(2027, 3, 1)}, max_weeks=6)
	)
	assert any("temporary" in p for p in hours.arrangement_problems(**{**ok, "end": None}, max_weeks=6))


def test_arrangement_due_after_its_end_or_review_not_on_the_day():
	end, review = date(2027, 2, 12), date(2027, 1, 25)
	assert hours.arrangement_due(date(2027, 1, 25), end, review) == []
	assert hours.arrangement_due(date(2027, 1, 26), end, review) == [("review", review)]
	assert hours.arrangement_due(date(2027, 2, 13), end, review) == [("end", end), ("review", review)]
	assert hours.arrangement_due(date(2027, 2, 13), None, None) == []
