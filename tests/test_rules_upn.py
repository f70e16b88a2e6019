"""Unique Pupil Numbers: normalising and specific problems, via python-stdnum."""

import pytest
from stdnum.gb import upn as stdnum_upn

from ap_provision.rules.upn import NEWER_LA_NUMBERS, normalise_upn, upn_problem

KNOWN_GOOD = "B801200005001"  # python-stdnum's documented example


def make_upn(body: str) -> str:
	"""A valid UPN for a 12-character body (LA, school, year, serial)."""
	return stdnum_upn.calc_check_digit(body) + body


@pytest.mark.parametrize(
	"value, normalised",
	[
		(KNOWN_GOOD, KNOWN_GOOD),
		("b801200005001", KNOWN_GOOD),
		(" B801 2000 05001 ", KNOWN_GOOD),
	],
)
def test_normalise_upn(value, normalised):
	assert normalise_upn(value) == normalised


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_upn_is_not_a_problem(value):
	assert upn_problem(value) is None


@pytest.mark.parametrize(
	"value",
	[
		KNOWN_GOOD,
		"b801200005001",
		"B801 2000 05001",
		make_upn("201123419001"),  # City of London
		make_upn("330543222123"),  # Birmingham
		make_upn("93830012400A"),  # temporary UPN: serial ends in a letter
		make_upn("85520015099Z"),
	],
)
def test_valid_upns(value):
	assert upn_problem(value) is None


def test_known_good_literal_is_valid_for_stdnum_too():
	assert stdnum_upn.is_valid(KNOWN_GOOD)


@pytest.mark.parametrize(
	"value",
	[
		"A801200005001",  # check letter changed
		"B801200005002",  # last digit mistyped
		"B810200005001",  # digits swapped
		"b801200005011",
	],
)
def test_wrong_check_letter(value):
	message = upn_problem(value)
	assert message is not None
	assert "the check letter does not match; check the UPN with the school's MIS" in message
	assert normalise_upn(value) in message


@pytest.mark.parametrize(
	"value, length",
	[("B80120000500", 12), ("B8012000050011", 14), ("B8", 2)],
)
def test_wrong_length(value, length):
	message = upn_problem(value)
	assert message is not None
	assert f"has {length} characters" in message
	assert "13" in message


@pytest.mark.parametrize(
	"value",
	[
		"X80120000A001",  # letter in the middle
		"1801200005001",  # starts with a digit
		"B80120000500I",  # I is never used
		"B8012-0005001",
	],
)
def test_bad_format(value):
	message = upn_problem(value)
	assert message is not None
	assert "not in the right format" in message


def test_unknown_la_code():
	message = upn_problem("E000200005001")
	assert message is not None
	assert "local authority number" in message
	assert "000" in message


@pytest.mark.parametrize("la", sorted(NEWER_LA_NUMBERS))
def test_newer_la_numbers_are_accepted_with_a_correct_check_letter(la):
	value = make_upn(f"{la}200025001")
	assert upn_problem(value) is None


def test_newer_la_number_still_needs_the_right_check_letter():
	value = make_upn("940200025001")
	wrong = ("A" if value[0] != "A" else "B") + value[1:]
	assert "check letter does not match" in upn_problem(wrong)
