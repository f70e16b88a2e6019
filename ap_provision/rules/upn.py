"""Unique Pupil Number (UPN) checks, using python-stdnum's `stdnum.gb.upn`.

A UPN is 13 characters: a check letter, a 3-digit local authority (LA) number, a 4-digit
school (DfE establishment) number, 2 digits for the year of issue and a 3-character serial
whose last character may be a letter (temporary UPNs).
"""

from stdnum import exceptions
from stdnum.gb import upn as stdnum_upn

from ap_provision.rules._i18n import _

UPN_LENGTH = 13

# LA numbers created by local government reorganisation after python-stdnum's list was
# made (2011): Dorset and Bournemouth, Christchurch and Poole (2019), North and West
# Northamptonshire (2021), Cumberland and Westmorland and Furness (2023). UPNs issued by their
# schools carry these numbers; their check letter is still verified by stdnum.
NEWER_LA_NUMBERS = frozenset({838, 839, 940, 941, 942, 943})


def normalise_upn(value: str) -> str:
	"""The UPN without spaces, in upper case, as the school's MIS shows it."""
	return stdnum_upn.compact(value)


def upn_problem(value: str | None) -> str | None:
	"""None when the UPN is empty or valid, otherwise what is wrong with it and what to do."""
	if value is None or not value.strip():
		return None
	number = normalise_upn(value)
	try:
		stdnum_upn.validate(number)
		return None
	except exceptions.InvalidLength:
		return _(
			"The UPN {0} has {1} characters; a UPN has 13 (a letter, 11 digits, then a digit or "
			"letter). Copy it again from the school's MIS."
		).format(number, len(number))
	except exceptions.InvalidFormat:
		return _format_message(number)
	except exceptions.InvalidComponent:
		if int(number[1:4]) in NEWER_LA_NUMBERS:
			if stdnum_upn.calc_check_digit(number[1:]) == number[0]:
				return None
			return _check_letter_message(number)
		return _(
			"The UPN {0} does not start with a known local authority number (characters 2 to 4 are {1}). "
			"Check the UPN with the school's MIS."
		).format(number, number[1:4])
	except exceptions.InvalidChecksum:
		if not number[0].isalpha():
			return _format_message(number)
		return _check_letter_message(number)


def _format_message(number: str) -> str:
	"""The characters are not a letter, 11 digits, then a digit or letter."""
	return _(
		"The UPN {0} is not in the right format: it should be a letter, then 11 digits, then a digit "
		"or a letter (not I, O or S). Copy it again from the school's MIS."
	).format(number)


def _check_letter_message(number: str) -> str:
	"""The first letter does not match the rest (a mistyped character)."""
	return _(
		"The UPN {0} is not valid: the check letter does not match; check the UPN with the school's MIS."
	).format(number)
