"""R3: English academic year, year groups, key stages, referral types, refusals and overrides."""

from datetime import date

import pytest

from ap_provision.rules import academic
from ap_provision.rules.academic import (
	KEY_STAGES,
	YEAR_GROUPS,
	academic_year_start,
	age_on,
	key_stage_for,
	referability_problem,
	referral_type_for,
	year_group_for,
	year_group_override_problem,
	year_number_for,
	year_number_of,
)


def test_year_groups_and_key_stages_are_the_contract_values():
	assert YEAR_GROUPS == ["Reception"] + [f"Year {n}" for n in range(1, 12)]
	assert len(YEAR_GROUPS) == 12
	assert KEY_STAGES == ["EYFS", "KS1", "KS2", "KS3", "KS4"]


@pytest.mark.parametrize(
	"on, start",
	[
		(date(2026, 8, 31), date(2025, 9, 1)),
		(date(2026, 9, 1), date(2026, 9, 1)),
		(date(2026, 12, 31), date(2026, 9, 1)),
		(date(2027, 1, 1), date(2026, 9, 1)),
		(date(2027, 2, 28), date(2026, 9, 1)),
		(date(2024, 2, 29), date(2023, 9, 1)),
	],
)
def test_academic_year_start(on, start):
	assert academic_year_start(on) == start


@pytest.mark.parametrize(
	"born, on, age",
	[
		(date(2015, 9, 1), date(2020, 8, 31), 4),
		(date(2015, 9, 1), date(2020, 9, 1), 5),
		(date(2016, 8, 31), date(2020, 8, 31), 4),
		(date(2016, 8, 31), date(2020, 8, 30), 3),
		# 29 February: birthday on 1 March in common years.
		(date(2016, 2, 29), date(2017, 2, 28), 0),
		(date(2016, 2, 29), date(2017, 3, 1), 1),
		(date(2016, 2, 29), date(2020, 2, 28), 3),
		(date(2016, 2, 29), date(2020, 2, 29), 4),
		(date(2016, 2, 29), date(2021, 8, 31), 5),
	],
)
def test_age_on(born, on, age):
	assert age_on(born, on) == age


@pytest.mark.parametrize(
	"born, on, year_group",
	[
		# Born 1 September 2015: oldest of their cohort; Reception September 2020, Year 6 in 2026/27.
		(date(2015, 9, 1), date(2020, 9, 1), "Reception"),
		(date(2015, 9, 1), date(2026, 9, 1), "Year 6"),
		(date(2015, 9, 1), date(2027, 7, 20), "Year 6"),
		# Born 31 August 2016: youngest of the same cohort, also Reception September 2020.
		(date(2016, 8, 31), date(2020, 9, 1), "Reception"),
		(date(2016, 8, 31), date(2026, 9, 1), "Year 6"),
		# Born a day earlier than the 1 September child: a whole year ahead.
		(date(2015, 8, 31), date(2020, 9, 1), "Year 1"),
		(date(2015, 8, 31), date(2019, 9, 1), "Reception"),
		# The year changes on 1 September, not on the birthday.
		(date(2015, 9, 1), date(2026, 8, 31), "Year 5"),
		(date(2015, 11, 20), date(2026, 8, 31), "Year 5"),
		(date(2015, 11, 20), date(2026, 11, 19), "Year 6"),
		(date(2015, 11, 20), date(2026, 11, 21), "Year 6"),
		# Leap-day births.
		(date(2016, 2, 29), date(2020, 9, 1), "Reception"),
		(date(2012, 2, 29), date(2025, 3, 1), "Year 8"),
		# Edges of the range.
		(date(2010, 9, 1), date(2026, 9, 1), "Year 11"),
		(date(2011, 8, 31), date(2027, 8, 31), "Year 11"),
		(date(2010, 8, 31), date(2026, 9, 1), None),
		(date(2021, 9, 1), date(2026, 9, 1), "Reception"),
		(date(2022, 9, 1), date(2026, 9, 1), None),
	],
)
def test_year_group_for(born, on, year_group):
	assert year_group_for(born, on) == year_group


@pytest.mark.parametrize(
	"born, on, number",
	[
		(date(2022, 9, 1), date(2026, 9, 1), -1),
		(date(2024, 1, 1), date(2026, 9, 1), -2),
		(date(2021, 9, 1), date(2026, 9, 1), 0),
		(date(2010, 9, 1), date(2026, 9, 1), 11),
		(date(2010, 8, 31), date(2026, 9, 1), 12),
		(date(2008, 1, 1), date(2026, 9, 1), 14),
	],
)
def test_year_number_for_out_of_range(born, on, number):
	assert year_number_for(born, on) == number


@pytest.mark.parametrize("number, year_group", list(enumerate(YEAR_GROUPS)))
def test_year_number_of(number, year_group):
	assert year_number_of(year_group) == number


@pytest.mark.parametrize("bad", ["Year 12", "Nursery", "", "year 1"])
def test_year_number_of_unknown_label_is_a_programmer_error(bad):
	with pytest.raises(ValueError):
		year_number_of(bad)


@pytest.mark.parametrize(
	"year_group, key_stage",
	[
		("Reception", "EYFS"),
		("Year 1", "KS1"),
		("Year 2", "KS1"),
		("Year 3", "KS2"),
		("Year 4", "KS2"),
		("Year 5", "KS2"),
		("Year 6", "KS2"),
		("Year 7", "KS3"),
		("Year 8", "KS3"),
		("Year 9", "KS3"),
		("Year 10", "KS4"),
		("Year 11", "KS4"),
	],
)
def test_key_stage_for_every_year_group(year_group, key_stage):
	assert key_stage_for(year_group) == key_stage


def test_every_year_group_has_a_key_stage():
	assert {key_stage_for(year_group) for year_group in YEAR_GROUPS} == set(KEY_STAGES)


@pytest.mark.parametrize(
	"key_stage, referral_type",
	[
		("KS1", "Intervention Placement"),
		("KS2", "Intervention Placement"),
		("KS3", "Intervention Placement"),
		("KS4", "Alternative Pathway"),
	],
)
def test_referral_type_for(key_stage, referral_type):
	assert referral_type_for(key_stage) == referral_type


@pytest.mark.parametrize("key_stage", ["EYFS", "KS5", ""])
def test_referral_type_for_unreferable_key_stage_is_a_programmer_error(key_stage):
	with pytest.raises(ValueError):
		referral_type_for(key_stage)


ON = date(2026, 9, 15)


@pytest.mark.parametrize(
	"born",
	[
		date(2020, 9, 1),  # Year 1, oldest
		date(2019, 10, 1),  # Year 2
		date(2015, 9, 1),  # Year 6
		date(2011, 9, 1),  # Year 10, oldest
		date(2012, 8, 31),  # Year 10, youngest
		date(2011, 8, 31),  # Year 11, youngest
		date(2010, 9, 1),  # Year 11, oldest
	],
)
def test_referable_pupils_have_no_problem(born):
	assert year_group_for(born, ON) not in (None, "Reception")
	assert referability_problem(born, ON) is None


def test_reception_pupil_is_refused_as_eyfs():
	message = referability_problem(date(2021, 9, 1), ON)
	assert message is not None
	assert "is in Reception (the Early Years Foundation Stage)" in message
	assert "not yet of Reception age" not in message
	assert "Year 1 to Year 11" in message


def test_pupil_younger_than_reception_is_refused():
	message = referability_problem(date(2023, 3, 1), ON)
	assert message is not None
	assert "not yet of Reception age" in message
	assert "1 March 2023" in message


def test_post_16_pupil_is_refused():
	message = referability_problem(date(2010, 8, 31), ON)
	assert message is not None
	assert "post-16" in message
	assert "31 August 2010" in message


def test_31_august_and_1_september_birthdays_either_side_of_year_11():
	assert referability_problem(date(2010, 9, 1), ON) is None
	assert "post-16" in referability_problem(date(2010, 8, 31), ON)


def test_given_year_group_wins_over_date_of_birth():
	# Out of cohort: post-16 by date of birth, but taught in Year 11.
	assert referability_problem(date(2010, 8, 31), ON, "Year 11") is None
	# Year 5 by date of birth, but recorded in Reception.
	assert "Reception" in referability_problem(date(2016, 9, 1), ON, "Reception")


def test_empty_year_group_falls_back_to_date_of_birth():
	assert "Reception" in referability_problem(date(2021, 9, 1), ON, "")


@pytest.mark.parametrize(
	"computed, chosen, reason",
	[
		("Year 6", "Year 6", None),
		("Year 6", "Year 5", "Taught out of cohort since Reception after premature birth"),
		(None, "Year 11", "Held back a year on EHC plan advice"),
	],
)
def test_year_group_override_allowed(computed, chosen, reason):
	assert year_group_override_problem(computed, chosen, reason) is None


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_year_group_override_needs_a_reason(reason):
	message = year_group_override_problem("Year 6", "Year 5", reason)
	assert message is not None
	assert "Year 5" in message
	assert "Year 6" in message
	assert "reason" in message


def test_year_group_override_out_of_range_needs_a_reason():
	message = year_group_override_problem(None, "Year 11", None)
	assert message is not None
	assert "Year 11" in message
	assert "reason" in message


def test_module_exports_the_referral_type_constants():
	assert academic.INTERVENTION_PLACEMENT == "Intervention Placement"
	assert academic.ALTERNATIVE_PATHWAY == "Alternative Pathway"
