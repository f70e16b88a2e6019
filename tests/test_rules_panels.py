"""The panel cycle: schedule around closures, who may decide and when, panel status order."""

from datetime import date, datetime, timedelta

import pytest

from ap_provision.rules.panels import (
	Closure,
	DecisionRequest,
	agenda_sort_key,
	all_decided,
	decision_problem,
	free_places,
	plan_schedule,
	status_problem,
)

SPRING_HALF_TERM = Closure("Spring half term", date(2027, 2, 15), date(2027, 2, 19))
EASTER_HOLIDAY = Closure("Easter holiday", date(2027, 3, 29), date(2027, 4, 9))
EASTER_MONDAY = Closure("Easter Monday", date(2027, 3, 29), date(2027, 3, 29), "Bank Holiday")
MAY_DAY = Closure("May Day", date(2027, 5, 3), date(2027, 5, 3), "Bank Holiday")


def created(plan):
	return [p.panel_date for p in plan if p.to_create]


# schedule ------------------------------------------------------------------------------


def test_fortnightly_from_the_first_panel():
	plan = plan_schedule(date(2027, 1, 6), date(2027, 2, 10))
	assert created(plan) == [date(2027, 1, 6), date(2027, 1, 20), date(2027, 2, 3)]
	assert [p.referral_deadline for p in plan] == [date(2026, 12, 31), date(2027, 1, 14), date(2027, 1, 28)]


def test_cadence_is_a_setting():
	plan = plan_schedule(date(2027, 1, 6), date(2027, 1, 27), cadence_days=7)
	assert len(created(plan)) == 4


def test_a_daily_cadence_is_the_smallest_allowed():
	plan = plan_schedule(date(2027, 1, 4), date(2027, 1, 6), cadence_days=1)
	assert [p.slot for p in plan] == [date(2027, 1, 4), date(2027, 1, 5), date(2027, 1, 6)]


def test_closure_week_is_skipped_and_the_rhythm_kept():
	plan = plan_schedule(date(2027, 2, 3), date(2027, 3, 3), closures=[SPRING_HALF_TERM])
	assert created(plan) == [date(2027, 2, 3), date(2027, 3, 3)]
	skipped = [p for p in plan if p.skipped_because]
	assert len(skipped) == 1 and skipped[0].slot == date(2027, 2, 17)
	assert "Spring half term" in skipped[0].skipped_because
	assert "Wednesday 17 February 2027" in skipped[0].skipped_because


def test_bank_holiday_moves_the_panel_to_the_next_open_day_and_the_deadline_follows():
	# Monday panels; May Day is Monday 3 May 2027.
	plan = plan_schedule(date(2027, 4, 19), date(2027, 5, 3), closures=[MAY_DAY])
	moved = plan[-1]
	assert moved.moved_from == date(2027, 5, 3)
	assert moved.panel_date == date(2027, 5, 4)
	# Thursday of the week before the panel's week: unchanged by the move.
	assert moved.referral_deadline == date(2027, 4, 29)


def test_bank_holiday_followed_by_a_closed_day_moves_to_the_first_open_day():
	# Easter Monday 29 March 2027, then a training day on the Tuesday: the panel is Wednesday.
	training_day = Closure("Training day", date(2027, 3, 30), date(2027, 3, 30))
	plan = plan_schedule(date(2027, 3, 29), date(2027, 3, 29), closures=[EASTER_MONDAY, training_day])
	assert plan[0].moved_from == date(2027, 3, 29)
	assert plan[0].panel_date == date(2027, 3, 31)


def test_bank_holiday_on_a_thursday_can_move_to_the_friday():
	# Christmas Day, Thursday 25 December 2025: the panel moves to Friday, the week's last
	# working day.
	christmas = Closure("Christmas Day", date(2025, 12, 25), date(2025, 12, 25), "Bank Holiday")
	plan = plan_schedule(date(2025, 12, 25), date(2025, 12, 25), closures=[christmas])
	assert plan[0].panel_date == date(2025, 12, 26)


def test_bank_holiday_inside_a_holiday_skips_rather_than_moves():
	plan = plan_schedule(date(2027, 3, 29), date(2027, 3, 29), closures=[EASTER_MONDAY, EASTER_HOLIDAY])
	assert created(plan) == []
	assert "Easter holiday" in plan[0].skipped_because


def test_bank_holiday_with_no_open_day_left_in_the_week_is_skipped():
	friday = date(2027, 12, 24)
	closures = [Closure("Christmas Eve", friday, friday, "Bank Holiday")]
	plan = plan_schedule(friday, friday, closures=closures)
	assert created(plan) == [] and "no later day" in plan[0].skipped_because


def test_existing_panel_in_the_week_is_not_created_twice():
	plan = plan_schedule(date(2027, 1, 6), date(2027, 1, 20), existing=[date(2027, 1, 7)])
	assert created(plan) == [date(2027, 1, 20)]
	assert plan[0].already_exists


def test_running_the_plan_again_creates_nothing():
	first = plan_schedule(date(2027, 1, 6), date(2027, 7, 21), closures=[SPRING_HALF_TERM, EASTER_HOLIDAY])
	again = plan_schedule(
		date(2027, 1, 6),
		date(2027, 7, 21),
		closures=[SPRING_HALF_TERM, EASTER_HOLIDAY],
		existing=created(first),
	)
	assert created(again) == []


@pytest.mark.parametrize("bad", [{"cadence_days": 0}, {"first_panel": date(2027, 1, 9)}])
def test_bad_schedule_arguments(bad):
	kwargs = {"first_panel": date(2027, 1, 6), "until": date(2027, 2, 1), **bad}
	with pytest.raises(ValueError):
		plan_schedule(**kwargs)


# decisions -----------------------------------------------------------------------------

PANEL_DAY = date(2027, 1, 20)


def request(**overrides) -> DecisionRequest:
	values = dict(
		decision="Approved",
		user="chair@example.org",
		panel="PANEL-2027-01-20",
		panel_date=PANEL_DAY,
		panel_chair="chair@example.org",
		on_agenda=True,
		today=PANEL_DAY,
		reason=None,
		provider="Oak PRU",
		provider_free_places=2,
		key_stage="KS3",
		expected_start_date=PANEL_DAY + timedelta(days=7),
	)
	values.update(overrides)
	return DecisionRequest(**values)


def test_chair_on_the_day_with_a_place_and_a_date_may_approve():
	assert decision_problem(request()) is None


def test_approval_edges_a_start_today_and_the_last_free_place_are_allowed():
	assert decision_problem(request(expected_start_date=PANEL_DAY)) is None
	assert decision_problem(request(provider_free_places=1)) is None
	assert "no free KS3 place" in decision_problem(request(provider_free_places=-1))


@pytest.mark.parametrize(
	"overrides, words",
	[
		({"user": "other-chair@example.org"}, "Only the chair of panel PANEL-2027-01-20"),
		({"panel_chair": None}, "has no chair recorded"),
		({"panel": None}, "has no panel"),
		({"on_agenda": False}, "not on the agenda"),
		({"today": PANEL_DAY - timedelta(days=1)}, "Wednesday 20 January 2027"),
		({"provider": None}, "Choose the AP provider"),
		({"expected_start_date": None}, "expected start date"),
		({"expected_start_date": PANEL_DAY - timedelta(days=1)}, "in the past"),
		({"provider_free_places": 0}, "no free KS3 place"),
		({"provider_free_places": None}, "no free KS3 place"),
		({"decision": "Maybe"}, "not a panel decision"),
	],
)
def test_decision_refusals_say_what_to_fix(overrides, words):
	assert words in decision_problem(request(**overrides))


@pytest.mark.parametrize("decision", ["Declined", "Deferred"])
def test_decline_and_defer_need_reasons_but_no_provider(decision):
	assert "reasons" in decision_problem(request(decision=decision, reason="  ", provider=None))
	assert (
		decision_problem(request(decision=decision, reason="Needs a BOSS review first", provider=None))
		is None
	)


def test_free_places_never_negative():
	assert free_places(3, 1) == 2
	assert free_places(None, 0) == 0
	assert free_places(2, 5) == 0


def test_agenda_order_is_by_received_then_name():
	rows = [
		(datetime(2027, 1, 14, 9), "REF-2"),
		(None, "REF-0"),
		(datetime(2027, 1, 13, 9), "REF-9"),
		(datetime(2027, 1, 14, 9), "REF-1"),
	]
	ordered = sorted(rows, key=lambda r: agenda_sort_key(*r))
	assert [name for _, name in ordered] == ["REF-9", "REF-1", "REF-2", "REF-0"]


def test_all_decided():
	assert all_decided(["Approved", "Declined", "Deferred"])
	assert not all_decided(["Approved", None])
	assert all_decided([])


# panel status --------------------------------------------------------------------------

DEADLINE = date(2027, 1, 14)


def status(old, new, today, **kw):
	values = dict(
		today=today,
		panel_date=PANEL_DAY,
		referral_deadline=DEADLINE,
		has_chair=True,
		all_decided=True,
		has_minutes=True,
	)
	values.update(kw)
	return status_problem(old, new, **values)


def test_status_moves_forward_in_order():
	assert status("Scheduled", "Agenda Closed", DEADLINE + timedelta(days=1)) is None
	assert status("Agenda Closed", "Held", PANEL_DAY) is None
	assert status("Held", "Closed", PANEL_DAY) is None


@pytest.mark.parametrize(
	"old, new, today, kw, words",
	[
		("Held", "Scheduled", PANEL_DAY, {}, "only moves forward"),
		("Scheduled", "Agenda Closed", DEADLINE, {}, "after the referral deadline"),
		("Agenda Closed", "Held", PANEL_DAY - timedelta(days=1), {}, "meets on Wednesday 20 January 2027"),
		("Agenda Closed", "Held", PANEL_DAY, {"has_chair": False}, "Record the panel's chair"),
		("Agenda Closed", "Closed", PANEL_DAY, {}, "Mark the panel as Held"),
		("Held", "Closed", PANEL_DAY, {"all_decided": False}, "needs a decision"),
		("Held", "Closed", PANEL_DAY, {"has_minutes": False}, "minutes"),
		("Held", "Adjourned", PANEL_DAY, {}, "not a panel status"),
	],
)
def test_status_refusals(old, new, today, kw, words):
	assert words in status(old, new, today, **kw)


def test_new_panel_status_is_not_checked():
	assert status(None, "Held", PANEL_DAY - timedelta(days=30)) is None
