"""R12: a 5-day KS4 placement ends EHC plan funding to the school; AWPU stays."""

from datetime import date

import pytest

from ap_provision.rules.funding import awpu_retained, days_per_week_problem, ehc_funding_ceased, funding_note


@pytest.mark.parametrize(
	"key_stage, has_ehc_plan, days_per_week, ceased",
	[
		("KS4", True, 5, True),
		("KS4", True, 5.0, True),
		("KS4", 1, 5, True),  # Check fields arrive as 0/1
		("KS4", True, 4, False),
		("KS4", True, 4.5, False),
		("KS4", True, 1, False),
		("KS4", False, 5, False),
		("KS4", 0, 5, False),
		("KS3", True, 5, False),
		("KS1", True, 5, False),
		("KS2", True, 4, False),
		("KS4", True, 0, False),  # not entered yet
		("KS4", True, None, False),
	],
)
def test_ehc_funding_ceased(key_stage, has_ehc_plan, days_per_week, ceased):
	assert ehc_funding_ceased(key_stage, has_ehc_plan, days_per_week) is ceased


def test_awpu_is_always_retained():
	assert awpu_retained() is True


@pytest.mark.parametrize("days", [0, -1, 5.5, 6, None])
def test_days_per_week_out_of_range(days):
	message = days_per_week_problem(days)
	assert message is not None
	assert "at most 5" in message


@pytest.mark.parametrize("days", [0.5, 1, 4, 4.5, 5])
def test_days_per_week_in_range(days):
	assert days_per_week_problem(days) is None


def test_note_for_five_day_ks4_ehc_placement():
	note = funding_note("KS4", True, 5)
	assert "ceases" in note
	assert "start date" in note
	assert "AWPU funding stays" in note
	dated = funding_note("KS4", True, 5, start_date=date(2026, 9, 7))
	assert "ceases from 7 September 2026" in dated


@pytest.mark.parametrize("days, shown", [(4, "4 days"), (4.0, "4 days"), (2.5, "2.5 days")])
def test_note_for_part_week_ks4_ehc_placement(days, shown):
	note = funding_note("KS4", True, days)
	assert shown in note
	assert "continues" in note
	assert "ceases only for 5-day placements" in note
	assert "AWPU" in note


def test_note_for_ks3_ehc_placement():
	note = funding_note("KS3", True, 5)
	assert note.startswith("KS3 placement")
	assert "continues" in note


def test_note_without_ehc_plan():
	note = funding_note("KS4", False, 5)
	assert "no EHC plan" in note
	assert "AWPU" in note
	assert "ceases" not in note


def test_note_asks_for_days_when_missing():
	assert funding_note("KS4", True, 0) == days_per_week_problem(0)


@pytest.mark.parametrize(
	"key_stage, has_ehc_plan, days",
	[("KS4", True, 5), ("KS4", True, 3), ("KS2", True, 5), ("KS4", False, 5)],
)
def test_notes_are_one_line(key_stage, has_ehc_plan, days):
	assert "\n" not in funding_note(key_stage, has_ehc_plan, days)
