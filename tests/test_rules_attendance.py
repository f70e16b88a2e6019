"""Provider reports: session marks, absence reasons and their summary (R5)."""

from datetime import date

from ap_provision.rules import attendance as a

MON, TUE, WED = date(2027, 1, 11), date(2027, 1, 12), date(2027, 1, 13)


def test_summary_counts_sessions_possible_and_attended():
	days = [
		a.Day(MON, a.PRESENT, None, a.LATE, None),
		a.Day(TUE, a.ABSENT, "Illness", a.ABSENT, a.UNEXPLAINED),
		a.Day(WED, a.NO_SESSION, None, a.PRESENT, None),
	]
	s = a.summarise(days)
	assert (s.sessions_possible, s.sessions_attended) == (5, 3)
	assert (s.authorised_absences, s.unexplained_absences, s.late_sessions) == (1, 1, 1)
	assert s.attendance_percent == 60.0


def test_empty_summary_is_zero_percent():
	assert a.summarise([]).attendance_percent == 0.0


def test_every_absence_needs_a_reason():
	problems = a.day_problems([a.Day(MON, a.ABSENT, None, a.PRESENT, None)], MON, WED)
	assert len(problems) == 1 and "reason" in problems[0] and "AM" in problems[0]


def test_marks_outside_the_period_or_twice_are_refused():
	days = [a.Day(MON, a.PRESENT, None, a.PRESENT, None), a.Day(MON, a.PRESENT, None, a.PRESENT, None)]
	assert any("twice" in p for p in a.day_problems(days, MON, WED))
	assert any(
		"outside" in p
		for p in a.day_problems([a.Day(date(2027, 1, 20), a.PRESENT, None, a.PRESENT, None)], MON, WED)
	)
	assert any(
		"choose a mark" in p for p in a.day_problems([a.Day(MON, None, None, a.PRESENT, None)], MON, WED)
	)


def test_valid_marks_have_no_problems():
	assert (
		a.day_problems([a.Day(MON, a.PRESENT, None, a.ABSENT, "Medical or dental appointment")], MON, WED)
		== []
	)


def test_unexplained_absences_listed_in_order():
	days = [
		a.Day(TUE, a.ABSENT, a.UNEXPLAINED, a.PRESENT),
		a.Day(MON, a.PRESENT, None, a.ABSENT, a.UNEXPLAINED),
	]
	assert a.unexplained_absences(days) == [(MON, "PM"), (TUE, "AM")]


def test_combine_adds_reports():
	one = a.Summary(10, 8, 1, 1, 0)
	two = a.Summary(10, 10, 0, 0, 2)
	total = a.combine([one, two])
	assert total == a.Summary(20, 18, 1, 1, 2)
	assert total.attendance_percent == 90.0


def test_period_problems():
	assert "first and last" in a.period_problem(None, WED, MON, WED)
	assert "ends before" in a.period_problem(WED, MON, MON, WED)
	assert "before the placement" in a.period_problem(date(2027, 1, 4), WED, MON, WED)
	assert "not happened" in a.period_problem(MON, date(2027, 1, 15), MON, WED)
	assert a.period_problem(MON, WED, MON, WED) is None


def test_marks_on_the_first_and_last_day_of_the_period_are_inside_it():
	days = [a.Day(MON, a.PRESENT, None, a.PRESENT, None), a.Day(WED, a.PRESENT, None, a.PRESENT, None)]
	assert a.day_problems(days, MON, WED) == []
	sunday, thursday = date(2027, 1, 10), date(2027, 1, 14)
	for day in (sunday, thursday):
		problems = a.day_problems([a.Day(day, a.PRESENT, None, a.PRESENT, None)], MON, WED)
		assert len(problems) == 1 and "outside" in problems[0]


def test_a_one_day_report_from_the_placement_start_up_to_today_is_fine():
	assert a.period_problem(MON, MON, MON, MON) is None
	assert "ends before" in a.period_problem(TUE, MON, MON, WED)
	assert "not happened" in a.period_problem(MON, TUE, MON, MON)
