"""The process right over time, rule by rule (pure functions, no Frappe).

Each test names the numbered problem of the issue it pins. The bench tier
(ap_provision/tests/test_process_over_time.py) drives the same stories through the real
controllers with people acting days apart.
"""

from dataclasses import replace
from datetime import date, datetime

import pytest

from ap_provision.rules import academic, attendance, deadlines, ehc, funding, panels, placements
from ap_provision.rules.deadlines import PanelSlot, choose_panel, referral_deadline
from ap_provision.rules.panels import Closure

# Christmas 2025: the LA is closed 22 December 2025 - 2 January 2026; bank holidays 25, 26
# December and 1 January.
CHRISTMAS = Closure("Christmas holiday", date(2025, 12, 22), date(2026, 1, 2))
BANK_HOLIDAYS = [
	Closure("Christmas Day", date(2025, 12, 25), date(2025, 12, 25), "Bank Holiday"),
	Closure("Boxing Day", date(2025, 12, 26), date(2025, 12, 26), "Bank Holiday"),
	Closure("New Year's Day", date(2026, 1, 1), date(2026, 1, 1), "Bank Holiday"),
	Closure("Good Friday", date(2026, 4, 3), date(2026, 4, 3), "Bank Holiday"),
]


# -- 1. R1 is about receipt, not triage ------------------------------------------------------

# Wednesday panels 20 January and 3 February 2027; deadlines Thursday 14 and 28 January.
JAN = PanelSlot("PANEL-2027-01-20", date(2027, 1, 20), date(2027, 1, 14))
FEB = PanelSlot("PANEL-2027-02-03", date(2027, 2, 3), date(2027, 1, 28))


def test_1_an_on_time_referral_keeps_its_panel_after_the_agenda_papers_closed():
	"""Received Thursday 15:00, triaged Friday: the January panel (papers closed, not held)."""
	choice = choose_panel(datetime(2027, 1, 14, 15, 0), [FEB, JAN])
	assert choice.panel == JAN
	assert not choice.is_late and not choice.overtaken
	assert "Received in time for the panel on Wednesday 20 January 2027" in deadlines.on_time_message(choice)


def test_1_a_referral_received_at_23_59_on_the_deadline_thursday_is_on_time():
	assert choose_panel(datetime(2027, 1, 14, 23, 59, 59), [JAN, FEB]).panel == JAN
	assert choose_panel(datetime(2027, 1, 15, 0, 0), [JAN, FEB]).panel == FEB


def test_1_only_a_held_panel_is_rolled_past_and_that_is_not_late():
	held = replace(JAN, held=True)
	choice = choose_panel(datetime(2027, 1, 14, 15, 0), [held, FEB])
	assert choice.panel == FEB
	assert choice.overtaken == (held,)
	assert not choice.is_late
	message = deadlines.overtaken_message(choice)
	assert "received in time for the panel on Wednesday 20 January 2027" in message
	assert "Wednesday 3 February 2027" in message
	assert deadlines.late_message(choice) is None


def test_1_a_late_referral_is_late_whether_or_not_the_missed_panel_has_met():
	for missed in (JAN, replace(JAN, held=True)):
		choice = choose_panel(datetime(2027, 1, 15, 9, 0), [missed, FEB])
		assert choice.panel == FEB and choice.missed == (missed,) and choice.is_late


@pytest.mark.parametrize(
	"rule, open_days, expected",
	[
		# Default: the end of the first open day after the deadline (Friday).
		(deadlines.AFTER_DEADLINE, 1, date(2027, 1, 15)),
		# N open days before the panel (Wednesday 20): 1 -> Tuesday 19, 2 -> Monday 18, 3 -> Friday 15.
		(deadlines.BEFORE_PANEL, 1, date(2027, 1, 19)),
		(deadlines.BEFORE_PANEL, 2, date(2027, 1, 18)),
		(deadlines.BEFORE_PANEL, 3, date(2027, 1, 15)),
		# Never before the deadline itself.
		(deadlines.BEFORE_PANEL, 10, date(2027, 1, 14)),
	],
)
def test_1_agenda_papers_close_on_a_configurable_day(rule, open_days, expected):
	assert deadlines.papers_close_on(date(2027, 1, 20), date(2027, 1, 14), (), rule, open_days) == expected


def test_1_papers_close_by_the_day_before_the_panel_at_the_latest():
	# A deadline on the Tuesday before a Wednesday panel: the open day after it is the panel's
	# day, so the papers close at the end of the Tuesday.
	assert deadlines.papers_close_on(date(2027, 1, 20), date(2027, 1, 19)) == date(2027, 1, 19)


def test_1_a_referral_late_for_two_panels_is_told_both():
	extra = PanelSlot("PANEL-2027-01-21", date(2027, 1, 21), date(2027, 1, 14))
	choice = choose_panel(datetime(2027, 1, 15, 9, 0), [JAN, extra, FEB])
	assert choice.missed == (JAN, extra) and choice.panel == FEB
	message = deadlines.late_message(choice)
	assert "deadlines for the panels on Wednesday 20 January 2027" in message
	assert ") and Thursday 21 January 2027" in message


def test_1_papers_close_after_the_deadline_skip_closed_days():
	# Panel Wednesday 8 April 2026, deadline Thursday 2 April; Good Friday is a bank holiday.
	assert deadlines.papers_close_on(date(2026, 4, 8), date(2026, 4, 2), BANK_HOLIDAYS) == date(2026, 4, 6)


# -- 3. Deadlines on bank holidays and in closures; cancelled panels ------------------------


def test_3_the_deadline_of_the_7_january_2026_panel_is_not_new_years_day():
	assert deadlines.nominal_deadline(date(2026, 1, 7)) == date(2026, 1, 1)
	# New Year's Day alone: the open day before (Wednesday 31 December).
	assert referral_deadline(date(2026, 1, 7), closures=BANK_HOLIDAYS) == date(2025, 12, 31)
	# Inside the Christmas closure: the last open day before it (Friday 19 December).
	assert referral_deadline(date(2026, 1, 7), closures=[CHRISTMAS, *BANK_HOLIDAYS]) == date(2025, 12, 19)
	# The LA may move it later instead: the first open day after (Monday 5 January), never
	# the panel's day or later.
	assert referral_deadline(
		date(2026, 1, 7), closures=[CHRISTMAS, *BANK_HOLIDAYS], move=deadlines.LATER
	) == date(2026, 1, 5)
	assert referral_deadline(
		date(2026, 1, 5), closures=[CHRISTMAS, *BANK_HOLIDAYS], move=deadlines.LATER
	) == date(2025, 12, 19)


def test_3_an_open_deadline_day_does_not_move():
	assert referral_deadline(date(2026, 5, 13), closures=[CHRISTMAS, *BANK_HOLIDAYS]) == date(2026, 5, 7)


def test_3_a_monday_panel_on_a_bank_holiday_moves_to_the_tuesday():
	easter_monday = Closure("Easter Monday", date(2026, 4, 6), date(2026, 4, 6), "Bank Holiday")
	(planned,) = panels.plan_schedule(date(2026, 4, 6), date(2026, 4, 6), closures=[easter_monday])
	assert (planned.panel_date, planned.moved_from) == (date(2026, 4, 7), date(2026, 4, 6))
	# With the Tuesday a training day too, the Wednesday.
	training = Closure("Training day", date(2026, 4, 7), date(2026, 4, 7), "Training Day")
	(planned,) = panels.plan_schedule(date(2026, 4, 6), date(2026, 4, 6), closures=[easter_monday, training])
	assert planned.panel_date == date(2026, 4, 8)


def test_3_a_friday_deadline_on_a_bank_holiday_moves_too():
	# An LA whose deadline is the Friday (weekday 4): the panel of Wednesday 8 April 2026 would
	# have its deadline on Good Friday, 3 April; it moves to the open day before, Thursday 2 April.
	assert deadlines.nominal_deadline(date(2026, 4, 8), weekday=4) == date(2026, 4, 3)
	assert referral_deadline(date(2026, 4, 8), weekday=4, closures=BANK_HOLIDAYS) == date(2026, 4, 2)
	# A deadline weekday the LA set on a weekend stays where it put it.
	assert referral_deadline(date(2026, 4, 8), weekday=5, closures=BANK_HOLIDAYS) == date(2026, 4, 4)


def test_1_a_referral_late_for_one_panel_is_told_that_panel():
	choice = choose_panel(datetime(2027, 1, 15, 9, 0), [JAN, FEB])
	assert choice.missed == (JAN,) and choice.panel == FEB
	message = deadlines.late_message(choice)
	assert message.startswith(
		"This referral arrived after the deadline for the panel on Wednesday 20 January 2027"
	)
	assert " and " not in message.split(".")[0]


def test_3_the_schedule_gives_each_panel_its_moved_deadline():
	plan = panels.plan_schedule(date(2026, 1, 7), date(2026, 1, 21), closures=[CHRISTMAS, *BANK_HOLIDAYS])
	assert [(p.panel_date, p.referral_deadline) for p in plan] == [
		(date(2026, 1, 7), date(2025, 12, 19)),
		(date(2026, 1, 21), date(2026, 1, 15)),
	]


def status(old, new, **kw):
	values = {
		"today": date(2027, 1, 10),
		"panel_date": date(2027, 1, 20),
		"referral_deadline": date(2027, 1, 14),
		"has_chair": True,
		"all_decided": True,
		"has_minutes": True,
	}
	values.update(kw)
	return panels.status_problem(old, new, **values)


def test_3_a_panel_not_yet_held_can_be_cancelled_with_a_reason():
	assert "reason" in status("Scheduled", panels.CANCELLED)
	assert status("Scheduled", panels.CANCELLED, cancellation_reason="Chair ill") is None
	assert status("Agenda Closed", panels.CANCELLED, cancellation_reason="Chair ill") is None
	assert "held" in status("Held", panels.CANCELLED, cancellation_reason="Chair ill")
	assert "cancelled" in status(panels.CANCELLED, "Scheduled")


# -- 4. Year group and key stage at the start; the end of Year 6 and Year 11 -----------------


def test_4_a_year_9_pupil_referred_in_june_and_placed_in_september_is_ks4():
	assert academic.year_group_on("Year 9", date(2027, 6, 10), date(2027, 9, 8)) == "Year 10"
	assert academic.key_stage_for("Year 10") == "KS4"
	assert academic.year_group_on("Year 9", date(2027, 6, 10), date(2027, 7, 1)) == "Year 9"
	assert academic.year_group_on("Year 11", date(2027, 6, 10), date(2027, 9, 8)) is None


def test_4_the_start_is_estimated_from_the_panel_on_an_open_day():
	summer = Closure("Summer holiday", date(2027, 7, 22), date(2027, 9, 1))
	# Panel Wednesday 14 July 2027, 10 days' lead: 24 July is in the holiday -> Thursday 2 September.
	assert academic.estimated_start(date(2027, 7, 14), 10, [summer]) == date(2027, 9, 2)
	# Without a recorded holiday the first weekday after the lead: Monday 26 July.
	assert academic.estimated_start(date(2027, 7, 14), 10) == date(2027, 7, 26)


def test_4_reception_and_younger_children_are_each_told_why():
	# In October 2026: born 1 October 2021 is in Reception; born 1 October 2022 is not yet of
	# Reception age; born 1 October 2020 is in Year 1 and can be referred.
	on = date(2026, 10, 1)
	assert academic.referability_problem(date(2021, 10, 1), on).startswith("This pupil is in Reception")
	assert "not yet of Reception age" in academic.referability_problem(date(2022, 10, 1), on)
	assert academic.referability_problem(date(2020, 10, 1), on) is None


def test_4_year_groups_move_on_and_back_within_reception_to_year_11():
	assert academic.advance_year_group("Year 1", -1) == "Reception"
	assert academic.advance_year_group("Reception", -1) is None
	assert academic.advance_year_group("Year 10", 1) == "Year 11"
	assert academic.advance_year_group("Year 11", 1) is None
	assert academic.advance_year_group(None, 1) is None


def test_4_referability_is_judged_at_the_start():
	dob_year_11 = date(2010, 12, 15)  # Year 11 in 2026/27
	assert academic.referability_at_start_problem(dob_year_11, date(2027, 6, 10), date(2027, 7, 1)) is None
	problem = academic.referability_at_start_problem(dob_year_11, date(2027, 6, 10), date(2027, 9, 8))
	assert "finished Year 11" in problem
	# Out of cohort: taught in Year 10 this year, so Year 11 next year.
	assert (
		academic.referability_at_start_problem(dob_year_11, date(2027, 6, 10), date(2027, 9, 8), "Year 10")
		is None
	)


@pytest.mark.parametrize(
	"year_group, end, warns",
	[
		("Year 6", date(2027, 7, 20), False),
		("Year 6", date(2027, 7, 21), False),  # ends on the last day of Year 6
		("Year 6", date(2027, 7, 22), True),  # the day after
		("Year 6", date(2027, 9, 20), True),
		("Year 11", date(2027, 10, 1), True),
		("Year 5", date(2027, 10, 1), False),
		("Year 10", date(2027, 10, 1), False),
	],
)
def test_4_a_placement_past_the_end_of_year_6_or_year_11_is_flagged(year_group, end, warns):
	summer = Closure("Summer holiday", date(2027, 7, 22), date(2027, 9, 1))
	warning = academic.end_of_phase_warning(year_group, date(2027, 5, 4), end, [summer])
	assert bool(warning) is warns
	if warns:
		assert "Wednesday 21 July 2027" in warning  # the last open day of the year
		assert year_group in warning


def test_4_the_yearly_roll_moves_everyone_up_on_1_september():
	on = date(2027, 9, 1)
	rolled = academic.rolled_year_group(date(2016, 12, 15), on, False, None, "Year 5")
	assert rolled == {
		"year_group": "Year 6",
		"key_stage": "KS2",
		"year_group_override": 0,
		"override_year_group": None,
	}
	out_of_cohort = academic.rolled_year_group(date(2016, 12, 15), on, True, "Year 4", "Year 4")
	assert out_of_cohort["year_group"] == "Year 5" and out_of_cohort["override_year_group"] == "Year 5"
	leaver = academic.rolled_year_group(date(2010, 12, 15), on, False, None, "Year 11")
	assert leaver["year_group"] is None and leaver["key_stage"] is None


# -- 5. R7 to the planned end; annual reviews every 12 months --------------------------------


def test_5_r7_measures_to_the_placements_planned_end():
	panel = date(2027, 1, 20)
	# 16 weeks after the panel is 12 May; a term-time placement from 1 February ends in June.
	due = date(2027, 5, 20)
	assert ehc.annual_review_problem(due, panel, 16) is None
	assert "during the 16-week placement" in ehc.annual_review_problem(
		due, panel, 16, placement_end=date(2027, 6, 18)
	)
	# Due on the panel's day: in the window, not overdue; the day before is overdue.
	assert "during the 16-week placement" in ehc.annual_review_problem(panel, panel, 16)
	assert "overdue" in ehc.annual_review_problem(date(2027, 1, 19), panel, 16)


def test_5_the_next_annual_review_is_within_12_months_of_the_last():
	last = date(2026, 3, 10)
	assert ehc.annual_review_dates_problem(last, date(2027, 3, 10)) is None
	assert "12 months" in ehc.annual_review_dates_problem(last, date(2027, 3, 11))
	assert "after the last one" in ehc.annual_review_dates_problem(last, date(2026, 3, 10))
	assert ehc.annual_review_dates_problem(date(2028, 2, 29), date(2029, 2, 28)) is None
	assert ehc.annual_review_dates_problem(None, date(2030, 1, 1)) is None


def test_5_the_annual_review_is_checked_again_when_the_placement_starts():
	check = dict(placement_type=placements.INTERVENTION_PLACEMENT, has_ehc_plan=True, today=date(2027, 2, 1))
	end = date(2027, 5, 23)
	assert (
		placements.annual_review_before_start_problem(
			next_annual_review_due=date(2027, 6, 1), planned_end=end, **check
		)
		is None
	)
	assert "during the placement" in placements.annual_review_before_start_problem(
		next_annual_review_due=date(2027, 5, 23), planned_end=end, **check
	)
	assert "was due" in placements.annual_review_before_start_problem(
		next_annual_review_due=date(2027, 1, 31), planned_end=end, **check
	)
	# Due on the start day itself: not yet overdue, but still held first.
	assert "during the placement" in placements.annual_review_before_start_problem(
		next_annual_review_due=date(2027, 2, 1), planned_end=end, **check
	)
	ks4 = {**check, "placement_type": placements.ALTERNATIVE_PATHWAY}
	assert (
		placements.annual_review_before_start_problem(
			next_annual_review_due=date(2027, 3, 1), planned_end=end, **ks4
		)
		is None
	)


# -- 6. KS4 days decided by the panel; the funding timeline ---------------------------------


def decision(**kw):
	values = dict(
		decision="Approved",
		user="chair",
		panel="P",
		panel_date=date(2027, 1, 20),
		panel_chair="chair",
		on_agenda=True,
		today=date(2027, 1, 20),
		provider="Oak",
		provider_free_places=3,
		key_stage="KS4",
		expected_start_date=date(2027, 2, 1),
		placement_type=placements.ALTERNATIVE_PATHWAY,
	)
	values.update(kw)
	return panels.decision_problem(panels.DecisionRequest(**values))


def test_6_a_ks4_approval_records_the_days_a_week():
	assert "1 to 5 days" in decision()
	assert "1 to 5 days" in decision(days_per_week=6)
	assert decision(days_per_week=3) is None
	assert decision(days_per_week=1) is None and decision(days_per_week=5) is None
	assert "1 to 5 days" in decision(days_per_week=0)
	assert decision(key_stage="KS3", placement_type=placements.INTERVENTION_PLACEMENT) is None
	assert "full time" in decision(
		key_stage="KS3", placement_type=placements.INTERVENTION_PLACEMENT, days_per_week=3
	)


def period(days, previous=None, today=date(2027, 3, 1), started=True, ended=False, end=None):
	return funding.funding_period(
		key_stage="KS4",
		has_ehc_plan=True,
		days_per_week=days,
		started=started,
		ended=ended,
		start_date=date(2027, 2, 1),
		actual_end_date=end,
		today=today,
		previous=previous or funding.FundingPeriod(),
	)


def test_6_the_funding_timeline_follows_every_change():
	planned = period(5, started=False)
	assert planned == funding.FundingPeriod(date(2027, 2, 1), None) and planned.ceased
	running = period(5, planned, today=date(2027, 2, 1))
	assert running == planned
	dropped = period(3, running, today=date(2027, 3, 1))
	assert dropped == funding.FundingPeriod(date(2027, 2, 1), date(2027, 3, 1)) and not dropped.ceased
	back = period(5, dropped, today=date(2027, 4, 12))
	assert back == funding.FundingPeriod(date(2027, 4, 12), None)
	ended = period(5, back, today=date(2027, 7, 16), ended=True, end=date(2027, 7, 16))
	assert ended == funding.FundingPeriod(date(2027, 4, 12), date(2027, 7, 17))
	assert period(3, started=False) == funding.FundingPeriod()
	assert period(5, planned, ended=True, end=date(2027, 1, 25)) == funding.FundingPeriod()
	# Ended on its first day: funding ceased for that day and is back the next.
	assert period(5, planned, ended=True, end=date(2027, 2, 1)) == funding.FundingPeriod(
		date(2027, 2, 1), date(2027, 2, 2)
	)


def test_6_the_note_says_when_funding_came_back():
	note = funding.funding_note("KS4", True, 3, date(2027, 2, 1), restored_on=date(2027, 3, 1))
	assert "ceased from 1 February 2027" in note and "restored from 1 March 2027" in note


# -- 8. A report without attendance, progress or attainment does not count -------------------


def days(*dates):
	return [attendance.Day(d, "Present", None, "Present", None) for d in dates]


def test_8_a_report_needs_every_weekday_marked_progress_and_attainment():
	week = [date(2027, 2, d) for d in (1, 2, 3, 4, 5)]
	ok = attendance.report_content_problem(days(*week), week[0], week[-1], "Settling", "Reading age 9")
	assert ok is None
	assert "Mark the pupil's attendance" in attendance.report_content_problem(
		[], week[0], week[-1], "Settling", "Reading"
	)
	assert "Wednesday 3 February 2027" in attendance.report_content_problem(
		days(*week[:2], *week[3:]), week[0], week[-1], "Settling", "Reading"
	)
	# "progress and attainment" is one item of the seed's list: either says something.
	assert attendance.report_content_problem(days(*week), week[0], week[-1], "Settling", " ") is None
	assert attendance.report_content_problem(days(*week), week[0], week[-1], "", "Reading age 9") is None
	assert "progress and attainment" in attendance.report_content_problem(
		days(*week), week[0], week[-1], None, " "
	)
	# A weekend inside the period needs no marks.
	assert attendance.unmarked_days(days(*week), week[0], date(2027, 2, 7)) == []
	# The period's first and last days are in it: each must be marked, and marks on them count.
	assert attendance.unmarked_days(days(*week[:-1]), week[0], week[-1]) == [week[-1]]
	assert attendance.unmarked_days(days(*week[1:]), week[0], week[-1]) == [week[0]]
	assert attendance.day_problems(days(*week), week[0], week[-1]) == []
	assert "outside the reporting period" in attendance.day_problems(days(*week), week[1], week[-1])[0]
	# A report may cover a single day.
	assert attendance.period_problem(week[0], week[0], week[0], week[-1]) is None
	assert "ends before it starts" in attendance.period_problem(week[1], week[0], week[0], week[-1])


# -- 9. The checklists in the seed's words; answers the panel must see ----------------------


SEED_WORDS = {
	"KS1-3": [
		"has an annual review been held, or have robust discussions taken place",
		"has the send graduated approach been followed?",
		"with different strategies introduced and previous strategies revisited",
		"is not inadvertently discriminated through the application of an inflexible behaviour policy",
	],
	"KS4": [
		"has an annual review been held, with robust discussions",
		"have robust cycles of assess, plan, do, review (send graduated approach) been followed?",
		"with different strategies being followed and previous strategies revisited",
		"is not inadvertently discriminated through the application of an inflexible behaviour policy",
	],
}


@pytest.mark.parametrize("pathway", ["KS1-3", "KS4"])
def test_9_each_checklist_asks_in_the_seeds_words(pathway):
	labels = " ".join(q.label.lower() for q in ehc.questions_for(pathway))
	for words in SEED_WORDS[pathway]:
		assert words in labels, words
	other = "KS4" if pathway == "KS1-3" else "KS1-3"
	for words in SEED_WORDS[other][:3]:
		assert words not in labels, words


def test_9_no_to_meeting_needs_or_section_f_is_flagged_for_the_panel():
	answers = {"can_continue_to_meet_needs": "No", "section_f_implemented": "No"}
	flags = ehc.panel_flags("KS1-3", answers)
	assert any("not be able to continue to meet" in f for f in flags)
	assert any("section F" in f for f in flags)
	assert (
		ehc.panel_flags("KS1-3", {"can_continue_to_meet_needs": "Yes", "section_f_implemented": "Yes"}) == []
	)
	# KS4 has no "continue to meet needs" question.
	assert ehc.panel_flags("KS4", answers) == [
		"The provision in section F of the EHC plan has not been consistently implemented."
	]


def test_9_the_resources_windows_are_used():
	today = date(2027, 1, 14)
	# KS1-3: the caseworker discussion about the next 6 months is held within the last 6.
	assert ehc.resources_discussion_problem("Yes", date(2026, 8, 1), "Agreed", today) is None
	assert "more than 6 months ago" in ehc.resources_discussion_problem(
		"Yes", date(2026, 7, 13), "Agreed", today
	)
	assert (
		ehc.resources_discussion_problem("Yes", date(2026, 7, 13), "Agreed", today, window_months=9) is None
	)
	assert "next 9 months" in ehc.resources_discussion_problem("Yes", None, None, today, window_months=9)
	# KS4: a request answered Yes is within the last 24 months.
	assert ehc.ks4_resources_request_problem("Yes", date(2025, 1, 14), today) is None
	assert "more than 24 months ago" in ehc.ks4_resources_request_problem("Yes", date(2025, 1, 13), today)
	assert ehc.ks4_resources_request_problem("Yes", date(2025, 1, 13), today, window_months=36) is None
	assert ehc.ks4_resources_request_problem("No", date(2020, 1, 1), today) is None
	# The edges: a discussion exactly 6 months back counts; a request dated today counts, tomorrow
	# is in the future.
	assert ehc.resources_discussion_problem("Yes", date(2026, 7, 14), "Agreed", today) is None
	assert ehc.ks4_resources_request_problem("Yes", today, today) is None
	assert "in the future" in ehc.ks4_resources_request_problem("Yes", date(2027, 1, 15), today)


def test_9_the_shipped_ehc_form_and_web_form_ask_the_checklists_questions():
	"""The EHC Assessment doctype and the school's web form carry every question of
	`ehc.QUESTIONS` with its wording (a label over Frappe's 140 characters is shortened and
	the full question is its description), its options and when it is shown."""
	import json
	from pathlib import Path

	root = Path(__file__).resolve().parent.parent / "ap_provision" / "ap_provision"
	doctype = json.loads((root / "doctype/ehc_assessment/ehc_assessment.json").read_text())
	web_form = json.loads((root / "web_form/ehc_evidence/ehc_evidence.json").read_text())
	fields = {f["fieldname"]: f for f in doctype["fields"]}
	web = {f["fieldname"]: f for f in web_form["web_form_fields"]}
	for question in ehc.QUESTIONS:
		for where, field in (
			("doctype", fields.get(question.fieldname)),
			("web form", web.get(question.fieldname)),
		):
			assert field, (where, question.fieldname)
			assert len(field["label"]) <= 140, (where, question.fieldname)
			assert field["label"] == question.label or field.get("description") == question.label, (
				where,
				question.fieldname,
			)
			assert (field.get("options") or None) == question.options, (where, question.fieldname)
			shown = field.get("depends_on") or ""
			if set(question.pathways) != set(ehc.PATHWAYS):
				assert f"doc.pathway=='{question.pathways[0]}'" in shown, (where, question.fieldname)
			if question.condition:
				assert f"doc.{question.condition[0]}=='{question.condition[1]}'" in shown, (
					where,
					question.fieldname,
				)
