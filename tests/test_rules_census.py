"""The AP census rules: which placements a census date covers and how fields are written."""

import random
from datetime import date, timedelta

from ap_provision.rules import census, sufficiency

CENSUS = census.Window(date(2027, 1, 21))


def test_covers_placements_open_on_the_census_date():
	assert CENSUS.covers(date(2026, 9, 7), None)
	assert CENSUS.covers(date(2027, 1, 21), None)
	assert not CENSUS.covers(date(2027, 1, 22), None)
	assert not CENSUS.covers(None, None)


def test_covers_placements_that_ended_within_the_year_before():
	assert CENSUS.covers(date(2025, 9, 1), date(2026, 1, 21))
	assert not CENSUS.covers(date(2025, 9, 1), date(2026, 1, 20))


def test_leaving_date_only_when_on_or_before_the_census_date():
	assert CENSUS.leaving_date(date(2027, 1, 21)) == date(2027, 1, 21)
	assert CENSUS.leaving_date(date(2027, 3, 1)) is None
	assert CENSUS.leaving_date(None) is None


def test_field_values():
	assert census.attendance_pattern(5) == "Full time"
	assert census.attendance_pattern(3) == "Part time"
	assert census.attendance_pattern(4) == "Part time"  # one day short of a full week
	assert census.attendance_pattern(4.5) == "Part time"
	assert census.sessions_per_week(5) == 10
	assert census.sessions_per_week(2.5) == 5
	assert census.setting_type("Pupil Referral Unit").startswith("PRU")
	assert census.setting_type(None).startswith("OTH")
	assert census.reason("Alternative Pathway").startswith("ALT")


def test_sufficiency_cycle():
	places = [
		sufficiency.Place("KS2", date(2027, 1, 6), date(2027, 5, 1)),
		sufficiency.Place("KS2", date(2027, 1, 20), date(2027, 5, 1)),  # taken at this panel
		sufficiency.Place("KS2", date(2026, 9, 1), date(2027, 1, 10)),  # already ended
	]
	on = date(2027, 1, 20)
	in_use = sufficiency.in_use_counts(places, [on])[on]
	figures = sufficiency.cycle(capacity=3, in_use=in_use, on_agenda=2, approved_here=1)
	assert figures == {
		"capacity": 3,
		"in_use": 1,
		"free_before": 2,
		"on_agenda": 2,
		"approved": 1,
		"free_after": 1,
		"utilisation": 66.7,
	}
	assert sufficiency.cycle(0, 0, 0, 0)["utilisation"] == 0.0


def test_places_in_use_by_sweep_agree_with_each_place():
	"""The sweep gives, for every day, what testing each place on that day gives: open-ended
	places, places ending on the day, taken on the day, and places ending before they start."""
	rng = random.Random(20261128)
	first = date(2027, 1, 1)
	for _ in range(200):
		places = []
		for _ in range(rng.randint(0, 30)):
			taken = first + timedelta(days=rng.randint(0, 60))
			ends = None if rng.random() < 0.2 else taken + timedelta(days=rng.randint(-5, 40))
			places.append(sufficiency.Place("KS3", taken, ends))
		days = [first + timedelta(days=d) for d in range(-2, 110, 3)]
		assert sufficiency.in_use_counts(places, days) == {
			day: sum(1 for p in places if p.in_use_on(day)) for day in days
		}


def test_cells_that_would_start_a_formula_are_neutralised():
	from ap_provision.rules.census import safe_cell

	for text in ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
		assert safe_cell(text) == "'" + text
	for text in ("Smith", "O'Neil", "100001", "2026-09-01", ""):
		assert safe_cell(text) == text
