"""The daily register and the school's codes: ap_provision.rules.register."""

from datetime import date, datetime, time

import pytest

from ap_provision.rules import register
from ap_provision.rules.attendance import ABSENCE_REASONS


@pytest.mark.parametrize(
	"mark, reason, code",
	[
		("Present", None, "K"),
		("Late", None, "K"),
		("Absent", "Illness", "I"),
		("Absent", "Medical or dental appointment", "M"),
		("Absent", "Religious observance", "R"),
		("Absent", "Exclusion", "E"),
		("Absent", "Authorised by the school", "C"),
		("Absent", "Family emergency", "C"),
		("Absent", "Unexplained", "O"),
		("Absent", None, "O"),
		(None, None, "N"),
	],
)
def test_register_codes(mark, reason, code):
	assert register.register_code(mark, reason) == code


def test_every_absence_reason_has_a_code():
	assert set(register.ABSENCE_CODES) == set(ABSENCE_REASONS)


def test_mark_problems():
	today = date(2027, 1, 11)
	assert register.mark_problems("Present", None, today, today) == []
	assert register.mark_problems("Absent", "Illness", today, today) == []
	assert any("reason" in p for p in register.mark_problems("Absent", None, today, today))
	assert any(
		"Present, Late or Absent" in p for p in register.mark_problems("No Session", None, today, today)
	)
	assert any(
		"not happened yet" in p for p in register.mark_problems("Present", None, date(2027, 1, 12), today)
	)


def test_cutoff_stages():
	day = date(2027, 1, 11)
	cutoff = time(10, 0)
	assert register.missing_stage(datetime(2027, 1, 11, 9, 59), day, cutoff, 60) is None
	assert register.missing_stage(datetime(2027, 1, 11, 10, 0), day, cutoff, 60) == "provider"
	assert register.missing_stage(datetime(2027, 1, 11, 10, 59), day, cutoff, 60) == "provider"
	assert register.missing_stage(datetime(2027, 1, 11, 11, 0), day, cutoff, 60) == "prt"
	assert register.missing_stage(datetime(2027, 1, 11, 10, 0), day, cutoff, 0) == "prt"


def test_week_days_are_monday_to_friday_of_the_week():
	assert register.week_days(date(2027, 1, 13)) == [date(2027, 1, d) for d in range(11, 16)]
	assert register.week_days(date(2027, 1, 17))[0] == date(2027, 1, 11)


def test_csv_columns_start_with_upn_and_hold_the_code():
	assert register.CSV_COLUMNS[0] == "UPN"
	assert {"Date", "Session", "Code"} <= set(register.CSV_COLUMNS)


def test_no_session_on_a_bank_holiday_or_in_the_school_holidays_only():
	from ap_provision.rules.panels import Closure

	christmas = Closure("Christmas", date(2026, 12, 21), date(2027, 1, 1), "School Holiday")
	boxing = Closure("Boxing Day (substitute)", date(2026, 12, 28), date(2026, 12, 28), "Bank Holiday")
	training = Closure("LA training", date(2026, 12, 2), date(2026, 12, 2), "Training Day")
	other = Closure("Office move", date(2026, 12, 3), date(2026, 12, 4), "Other")
	closures = [christmas, boxing, training, other]
	# The school holidays, first and last day included; the bank holiday inside them too.
	assert register.no_session_closure(date(2026, 12, 21), closures) is christmas
	assert register.no_session_closure(date(2027, 1, 1), closures) is christmas
	assert register.no_session_closure(date(2026, 12, 28), [boxing]) is boxing
	# The day before and after: sessions as usual.
	assert register.no_session_closure(date(2026, 12, 18), closures) is None
	assert register.no_session_closure(date(2027, 1, 4), closures) is None
	# A closure of the LA's office is not a day off at the provider.
	assert register.no_session_closure(date(2026, 12, 2), closures) is None
	assert register.no_session_closure(date(2026, 12, 4), closures) is None
	assert register.no_session_closure(date(2026, 12, 2), []) is None


def test_changing_a_mark_needs_a_reason_and_after_the_providers_days_the_prt():
	session = date(2027, 1, 11)

	def problems(today, reason=True, prt=False, changed=True, days=5):
		return register.amendment_problems(
			changed=changed,
			reason_given=reason,
			day=session,
			today=today,
			amend_days=days,
			may_amend_late=prt,
		)

	assert problems(session, changed=False, reason=False) == []
	assert problems(session) == []
	assert problems(date(2027, 1, 16)) == []  # the fifth day after: still the provider's
	assert problems(session, reason=False) == [
		"This session was already marked: give the reason for changing the mark."
	]
	assert problems(date(2027, 1, 17)) == [
		"A mark more than 5 days old is corrected by the PRT: ask them to change it and say why."
	]
	assert problems(date(2027, 1, 17), prt=True) == []
	assert len(problems(date(2027, 1, 17), reason=False, prt=True)) == 1  # the PRT gives a reason too
	assert problems(date(2027, 1, 12), days=0) != []  # 0 days: only on the day
	assert problems(session, days=0) == []


def test_a_providers_own_closures_need_dates_in_order_and_a_reason():
	monday, tuesday = date(2027, 1, 11), date(2027, 1, 12)
	assert register.own_closure_problems([(monday, tuesday, "INSET days")]) == []
	assert register.own_closure_problems([(monday, monday, "INSET day")]) == []
	assert register.own_closure_problems([(tuesday, monday, "INSET")]) == [
		"Own closure 1: it ends on 11 January 2027, before it starts on 12 January 2027."
	]
	assert register.own_closure_problems([(monday, monday, "INSET"), (monday, None, " ")]) == [
		"Own closure 2: give its first and last day.",
		"Own closure 2: say why the provider is closed.",
	]
