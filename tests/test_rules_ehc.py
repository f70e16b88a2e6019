"""R7, R8, R9, R11: EHC plan checklists, annual review window, resources, outside advice."""

import re
from datetime import date, timedelta

import pytest

from ap_provision.rules import ehc
from ap_provision.rules.ehc import (
	ADVICE_AGENCIES,
	KS4_RESOURCE_WINDOW_MONTHS,
	PATHWAYS,
	QUESTIONS,
	Advice,
	Question,
	advice_problem,
	advice_warning,
	annual_review_problem,
	completeness,
	missing_items,
	months_before,
	pathway_for,
	questions_for,
	resources_discussion_problem,
)

FRAPPE_RESERVED = {
	"name",
	"owner",
	"creation",
	"modified",
	"modified_by",
	"docstatus",
	"idx",
	"parent",
	"parentfield",
	"parenttype",
	"doctype",
}
BY_NAME = {question.fieldname: question for question in QUESTIONS}


def fieldnames(pathway: str) -> set[str]:
	return {question.fieldname for question in questions_for(pathway)}


def label(fieldname: str) -> str:
	return BY_NAME[fieldname].label


def full_answers(pathway: str, select: str = "No") -> dict[str, object]:
	"""Every question of the pathway answered, Selects all `select`; conditional questions only
	when their condition holds."""
	answers: dict[str, object] = {}
	for question in questions_for(pathway):
		if question.depends_on and select != "Yes":
			continue
		if question.fieldtype == "Select":
			answers[question.fieldname] = select
		elif question.fieldtype == "Date":
			answers[question.fieldname] = date(2026, 1, 15)
		elif question.fieldtype == "Int":
			answers[question.fieldname] = 0
		else:
			answers[question.fieldname] = "Details for the panel."
	return answers


# QUESTIONS: the definitions the EHC Assessment doctype is generated from ------------------


def test_fieldnames_are_unique_snake_case_short_and_not_reserved():
	names = [question.fieldname for question in QUESTIONS]
	assert len(names) == len(set(names))
	for name in names:
		assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", name), name
		assert len(name) <= 40, name
		assert name not in FRAPPE_RESERVED


def test_question_definitions_are_well_formed():
	for question in QUESTIONS:
		assert question.fieldtype in ("Small Text", "Select", "Date", "Int", "Check")
		assert question.pathways and set(question.pathways) <= set(PATHWAYS)
		assert question.label and question.label[0].isupper()
		if question.fieldtype == "Select":
			# Blank first: Frappe defaults a Select to its first option.
			assert question.options == "\nYes\nNo"
		else:
			assert question.options is None


def test_depends_on_is_frappe_syntax_on_an_earlier_yes_no_question():
	order = [question.fieldname for question in QUESTIONS]
	conditional = [question for question in QUESTIONS if question.depends_on]
	assert conditional
	for question in conditional:
		fieldname, value = question.condition
		assert question.depends_on == f"eval:doc.{fieldname}=='{value}'"
		assert order.index(fieldname) < order.index(question.fieldname)
		parent = BY_NAME[fieldname]
		assert parent.fieldtype == "Select"
		assert value in parent.options.split("\n")
		assert set(question.pathways) <= set(parent.pathways)


def test_unsupported_depends_on_is_a_programmer_error():
	question = Question("x", "X", "Date", ("KS4",), depends_on="eval:doc.a > 3")
	with pytest.raises(ValueError):
		question.condition


SHARED = {
	"ehc_plan_since",
	"last_annual_review_date",
	"annual_review_summary",
	"section_b_needs_changed",
	"section_b_changes",
	"difficulties_linked_to_needs",
	"section_f_implemented",
	"section_f_implementation",
	"graduated_approach_evidence",
	"strategies_tried",
	"reasonable_adjustments_made",
	"reasonable_adjustments",
}
KS1_3_ONLY = {
	"annual_review_held",
	"graduated_approach_followed",
	"section_f_reviewed",
	"next_annual_review_due",
	"resources_likely_next_6_months",
	"caseworker_discussion_date",
	"caseworker_discussion_notes",
	"impact_of_moving_settings_16_weeks",
	"hoped_for_outcome_16_weeks",
	"working_with_ap",
	"can_continue_to_meet_needs",
	"reintegration_plan",
}
KS4_ONLY = {
	"annual_review_held_ks4",
	"graduated_approach_followed_ks4",
	"section_f_reviewed_ks4",
	"resources_request_date",
	"pupil_views",
	"pupil_aware_of_impact",
	"resources_requested_last_24_months",
	"resources_request_outcome",
	"request_advice_followed",
	"impact_of_moving_settings",
	"potential_and_qualifications",
	"preparation_for_adulthood",
	"hoped_for_outcome",
}


def test_checklists_per_pathway():
	assert fieldnames("KS1-3") == SHARED | KS1_3_ONLY
	assert fieldnames("KS4") == SHARED | KS4_ONLY
	assert {question.fieldname for question in QUESTIONS} == SHARED | KS1_3_ONLY | KS4_ONLY


def test_shared_questions_are_listed_once_with_both_pathways():
	for name in SHARED:
		assert BY_NAME[name].pathways == ("KS1-3", "KS4")


def test_fieldtypes_of_split_compound_questions():
	assert BY_NAME["ehc_plan_since"].fieldtype == "Date"
	assert BY_NAME["annual_review_held"].fieldtype == "Select"
	assert BY_NAME["last_annual_review_date"].fieldtype == "Date"
	assert BY_NAME["resources_likely_next_6_months"].fieldtype == "Select"
	assert BY_NAME["caseworker_discussion_date"].fieldtype == "Date"
	assert BY_NAME["caseworker_discussion_notes"].fieldtype == "Small Text"


def test_ks4_checklist_covers_r11():
	labels = " ".join(question.label for question in questions_for("KS4"))
	assert "GCSE" in labels
	assert "24 months" in labels
	assert "adulthood" in labels
	assert "views" in labels
	assert KS4_RESOURCE_WINDOW_MONTHS == 24


def test_questions_for_keeps_definition_order():
	for pathway in PATHWAYS:
		names = [question.fieldname for question in questions_for(pathway)]
		order = [question.fieldname for question in QUESTIONS]
		assert names == sorted(names, key=order.index)


@pytest.mark.parametrize("pathway", ["KS1", "KS1-2", "", "ks4"])
def test_unknown_pathway_is_a_programmer_error(pathway):
	with pytest.raises(ValueError):
		questions_for(pathway)
	with pytest.raises(ValueError):
		missing_items(pathway, {})


@pytest.mark.parametrize(
	"key_stage, pathway", [("KS1", "KS1-3"), ("KS2", "KS1-3"), ("KS3", "KS1-3"), ("KS4", "KS4")]
)
def test_pathway_for(key_stage, pathway):
	assert pathway_for(key_stage) == pathway


@pytest.mark.parametrize("key_stage", ["EYFS", "KS5", ""])
def test_pathway_for_unreferable_key_stage(key_stage):
	with pytest.raises(ValueError):
		pathway_for(key_stage)


def test_advice_agencies():
	assert ADVICE_AGENCIES == (
		"Working Together Team",
		"BOSS",
		"PRT",
		"Healthy Minds",
		"MHST",
		"CAMHS",
		"SALT",
		"Educational Psychologist",
		"Specialist Teaching Team",
		"Ask SALL",
		"Other",
	)


# missing_items and completeness ------------------------------------------------------------


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_nothing_answered_lists_every_unconditional_question(pathway):
	expected = [
		question.label
		for question in questions_for(pathway)
		if question.depends_on is None and question.required
	]
	assert missing_items(pathway, {}) == expected


@pytest.mark.parametrize("pathway", PATHWAYS)
@pytest.mark.parametrize("select", ["No", "Yes"])
def test_everything_answered_is_complete(pathway, select):
	assert missing_items(pathway, full_answers(pathway, select)) == []


def test_ks1_3_does_not_ask_ks4_questions_and_vice_versa():
	ks1_3_missing = missing_items("KS1-3", {})
	ks4_missing = missing_items("KS4", {})
	assert label("pupil_views") not in ks1_3_missing
	assert label("preparation_for_adulthood") not in ks1_3_missing
	assert label("next_annual_review_due") in ks1_3_missing
	assert label("resources_likely_next_6_months") not in ks4_missing
	assert label("working_with_ap") not in ks4_missing
	assert label("pupil_views") in ks4_missing


@pytest.mark.parametrize("blank", [None, "", "   ", "\n"])
def test_blank_answers_are_missing(blank):
	answers = full_answers("KS4")
	answers["pupil_views"] = blank
	answers["ehc_plan_since"] = blank
	assert missing_items("KS4", answers) == [label("ehc_plan_since"), label("pupil_views")]


def test_select_needs_a_value():
	answers = full_answers("KS1-3")
	answers["can_continue_to_meet_needs"] = ""
	assert missing_items("KS1-3", answers) == [label("can_continue_to_meet_needs")]


def test_checks_are_always_answered_and_int_zero_is_an_answer(monkeypatch):
	check = Question("pupil_consulted", "Pupil consulted", "Check", ("KS4",))
	count = Question("exclusions_this_year", "Exclusions this year", "Int", ("KS4",))
	monkeypatch.setattr(ehc, "QUESTIONS", (*QUESTIONS, check, count))
	answers = full_answers("KS4")
	answers.pop("pupil_consulted", None)
	answers["exclusions_this_year"] = 0
	assert missing_items("KS4", answers) == []
	answers["exclusions_this_year"] = None
	assert missing_items("KS4", answers) == ["Exclusions this year"]
	answered, required = completeness("KS4", answers, [])
	unconditional = [q for q in questions_for("KS4") if q.depends_on is None and q.required]
	assert check in unconditional and count in unconditional
	assert required == len(unconditional) - 1 + 1  # the Check is not counted; the advice is
	assert answered == required - 2  # the Int and the advice


def test_resources_likely_yes_requires_the_caseworker_discussion():
	answers = full_answers("KS1-3")
	answers["resources_likely_next_6_months"] = "Yes"
	assert missing_items("KS1-3", answers) == [
		label("caseworker_discussion_date"),
		label("caseworker_discussion_notes"),
	]
	answers["caseworker_discussion_date"] = date(2026, 2, 10)
	assert missing_items("KS1-3", answers) == [label("caseworker_discussion_notes")]
	answers["caseworker_discussion_notes"] = "Caseworker agreed to a request for extra TA time."
	assert missing_items("KS1-3", answers) == []


@pytest.mark.parametrize("value", ["No", "", None])
def test_resources_not_likely_does_not_require_the_discussion(value):
	answers = full_answers("KS1-3")
	answers["resources_likely_next_6_months"] = value
	missing = missing_items("KS1-3", answers)
	assert label("caseworker_discussion_date") not in missing
	assert label("caseworker_discussion_notes") not in missing


def test_condition_value_is_trimmed():
	answers = full_answers("KS4")
	answers["resources_requested_last_24_months"] = " Yes "
	assert missing_items("KS4", answers) == [
		label("resources_request_outcome"),
		label("resources_request_date"),
		label("request_advice_followed"),
	]


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_the_last_annual_review_date_is_asked_but_optional(pathway):
	"""KS1-3 asks whether a review was held *or* robust discussions took place: a pupil may have
	had no review yet, so its date is not required (R7 needs the next one, KS1-3)."""
	answers = full_answers(pathway)
	answers.pop("last_annual_review_date", None)
	assert "last_annual_review_date" in fieldnames(pathway)
	assert missing_items(pathway, answers) == []


def test_completeness_counts_advice_as_one_item():
	answers = full_answers("KS1-3")
	required = len([q for q in questions_for("KS1-3") if q.depends_on is None and q.required]) + 1
	advice = [Advice("CAMHS", date(2026, 1, 10), True, False)]
	assert completeness("KS1-3", answers, advice) == (required, required)
	assert completeness("KS1-3", answers, []) == (required - 1, required)
	assert completeness("KS1-3", {}, []) == (0, required)


def test_completeness_counts_conditional_questions_only_when_asked():
	answers = full_answers("KS1-3")
	base = completeness("KS1-3", answers, [])
	answers["resources_likely_next_6_months"] = "Yes"
	answers["caseworker_discussion_notes"] = ""
	assert completeness("KS1-3", answers, []) == (base[0], base[1] + 2)


def test_completeness_accepts_dict_rows_and_ignores_incomplete_rows():
	answers = full_answers("KS4")
	answered, required = completeness("KS4", answers, [{"agency": "SALT", "advice_date": "2026-01-10"}])
	assert answered == required
	incomplete = [{"agency": "SALT", "advice_date": None}, Advice("", date(2026, 1, 1), False, False)]
	answered, required = completeness("KS4", answers, incomplete)
	assert answered == required - 1


# R7: annual review within the 16-week placement window -------------------------------------

PANEL = date(2026, 6, 2)  # window: 2 June to 22 September 2026


def test_window_end_is_16_weeks_after_the_panel():
	assert PANEL + timedelta(weeks=16) == date(2026, 9, 22)


@pytest.mark.parametrize(
	"due, blocked",
	[
		(date(2026, 6, 1), True),  # day before the window: overdue
		(date(2025, 12, 1), True),  # long overdue
		(date(2026, 6, 2), True),  # panel date
		(date(2026, 7, 15), True),
		(date(2026, 9, 22), True),  # last day of the window
		(date(2026, 9, 23), False),  # day after
		(date(2027, 5, 1), False),
	],
)
def test_annual_review_window_edges(due, blocked):
	assert (annual_review_problem(due, PANEL) is not None) is blocked


def test_annual_review_in_window_message():
	message = annual_review_problem(date(2026, 9, 22), PANEL)
	assert "22 September 2026" in message
	assert "16-week" in message
	assert "2 June 2026" in message
	assert "hold the annual review and record its date" in message


def test_annual_review_due_on_the_panel_date_is_in_the_window_not_overdue():
	message = annual_review_problem(PANEL, PANEL)
	assert "during the 16-week placement" in message
	assert "overdue" not in message


def test_overdue_annual_review_message():
	message = annual_review_problem(date(2026, 6, 1), PANEL)
	assert "overdue" in message
	assert "1 June 2026" in message
	assert "Hold the annual review and record its date" in message


def test_missing_next_review_date_is_asked_for():
	message = annual_review_problem(None, PANEL)
	assert message is not None
	assert "next EHC plan annual review is due" in message


def test_annual_review_window_length_is_a_setting():
	assert annual_review_problem(date(2026, 7, 1), PANEL, weeks=4) is None
	assert annual_review_problem(date(2026, 6, 30), PANEL, weeks=4) is not None
	assert "4-week" in annual_review_problem(date(2026, 6, 30), PANEL, weeks=4)


# R8: resources requested or likely in 6 months ----------------------------------------------


@pytest.mark.parametrize("likely", [None, "", "No"])
def test_no_resources_no_discussion_needed(likely):
	assert resources_discussion_problem(likely, None, None) is None


def test_resources_likely_with_discussion_recorded():
	assert resources_discussion_problem("Yes", date(2026, 2, 10), "Agreed to request more TA time.") is None


@pytest.mark.parametrize(
	"discussion_date, notes, expected",
	[
		(None, None, "the date of the discussion and what was agreed"),
		(None, "Agreed", "Record the date of the discussion."),
		(date(2026, 2, 10), "  ", "Record what was agreed"),
	],
)
def test_resources_likely_needs_the_discussion(discussion_date, notes, expected):
	message = resources_discussion_problem("Yes", discussion_date, notes)
	assert message is not None
	assert "SEND caseworker" in message
	assert expected in message


def test_future_discussion_date_is_refused_when_today_given():
	assert resources_discussion_problem("Yes", date(2026, 3, 2), "Agreed", today=date(2026, 3, 2)) is None
	message = resources_discussion_problem("Yes", date(2026, 3, 3), "Agreed", today=date(2026, 3, 2))
	assert "in the future" in message


def test_resources_likely_unknown_value_is_a_programmer_error():
	with pytest.raises(ValueError):
		resources_discussion_problem("Maybe", None, None)


# R9: outside professional advice ---------------------------------------------------------------

TODAY = date(2026, 6, 15)


def advice(*dates: date | None, agency: str = "CAMHS") -> list[Advice]:
	return [Advice(agency, advice_date, True, True) for advice_date in dates]


@pytest.mark.parametrize(
	"day, months, expected",
	[
		(date(2026, 6, 15), 12, date(2025, 6, 15)),
		(date(2026, 6, 15), 0, date(2026, 6, 15)),
		(date(2026, 6, 15), 6, date(2025, 12, 15)),
		(date(2028, 2, 29), 12, date(2027, 2, 28)),
		(date(2028, 2, 29), 48, date(2024, 2, 29)),
		(date(2027, 3, 31), 1, date(2027, 2, 28)),
		(date(2028, 3, 31), 1, date(2028, 2, 29)),
		(date(2026, 5, 31), 6, date(2025, 11, 30)),
		(date(2026, 1, 31), 13, date(2024, 12, 31)),
		(date(2026, 1, 15), 1, date(2025, 12, 15)),
	],
)
def test_months_before(day, months, expected):
	assert months_before(day, months) == expected


def test_months_before_negative_is_a_programmer_error():
	with pytest.raises(ValueError):
		months_before(TODAY, -1)


@pytest.mark.parametrize(
	"advice_date, ok",
	[
		(TODAY, True),
		(date(2026, 1, 1), True),
		(date(2025, 6, 15), True),  # exactly 12 months
		(date(2025, 6, 14), False),  # 12 months and a day
		(date(2024, 1, 1), False),
	],
)
def test_advice_window_edges(advice_date, ok):
	assert (advice_problem(advice(advice_date), TODAY) is None) is ok


def test_stale_advice_message_names_dates():
	message = advice_problem(advice(date(2025, 6, 14), date(2024, 3, 1)), TODAY)
	assert "14 June 2025" in message  # the newest
	assert "12 months" in message
	assert "15 June 2025 or later" in message


def test_one_recent_piece_is_enough():
	assert advice_problem(advice(date(2023, 1, 1), date(2026, 5, 1)), TODAY) is None


def test_leap_day_window():
	leap_today = date(2028, 2, 29)
	assert advice_problem(advice(date(2027, 2, 28)), leap_today) is None
	assert advice_problem(advice(date(2027, 2, 27)), leap_today) is not None


def test_no_advice():
	message = advice_problem([], TODAY)
	assert message is not None
	assert "at least one piece of outside professional advice" in message
	assert "implemented" in message and "reviewed" in message


def test_future_dated_advice_is_refused():
	message = advice_problem(advice(date(2026, 6, 16)), TODAY)
	assert message is not None
	assert "row 1" in message
	assert "in the future" in message
	# Even alongside good advice.
	assert advice_problem(advice(date(2026, 5, 1), date(2026, 7, 1)), TODAY).startswith(
		"Outside advice row 2"
	)


def test_each_row_needs_agency_and_date():
	rows = [
		Advice("SALT", date(2026, 5, 1), True, True),
		Advice("", date(2026, 5, 1), False, False),
		Advice("BOSS", None, False, False),
	]
	message = advice_problem(rows, TODAY)
	assert "row 2: choose the agency" in message
	assert "row 3: enter the date" in message
	assert "row 1" not in message


def test_window_is_a_setting():
	assert advice_problem(advice(date(2025, 12, 14)), TODAY, window_months=6) is not None
	assert advice_problem(advice(date(2025, 12, 15)), TODAY, window_months=6) is None


@pytest.mark.parametrize(
	"dates, warns",
	[
		((date(2026, 6, 1),), False),
		((date(2025, 12, 15),), False),  # exactly 6 months
		((date(2025, 12, 14),), True),  # 6 months and a day
		((date(2025, 6, 15),), True),  # oldest allowed
		((date(2025, 6, 14),), False),  # out of window: advice_problem reports it instead
		((date(2025, 8, 1), date(2026, 3, 1)), False),  # the newest is recent
		((date(2025, 8, 1), date(2025, 9, 1)), True),
		((), False),
	],
)
def test_advice_warning_at_six_months(dates, warns):
	assert (advice_warning(advice(*dates), TODAY) is not None) is warns


def test_advice_warning_names_the_newest_advice():
	rows = [Advice("SALT", date(2025, 8, 1), True, True), Advice("CAMHS", date(2025, 9, 1), True, False)]
	message = advice_warning(rows, TODAY)
	assert "CAMHS" in message
	assert "1 September 2025" in message
	assert "6 months" in message


def test_advice_warning_ignores_future_rows():
	rows = [Advice("SALT", date(2026, 7, 1), True, True), Advice("CAMHS", date(2025, 9, 1), True, False)]
	assert "CAMHS" in advice_warning(rows, TODAY)
