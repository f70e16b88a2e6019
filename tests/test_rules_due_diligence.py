"""Provider due diligence: registration, safeguarding checks, the unregistered full-time flag."""

from datetime import date

from ap_provision.rules import due_diligence as d

TODAY = date(2027, 1, 11)


def test_registration_status_and_urn():
	assert "registered school or unregistered" in d.registration_problem(None, None)
	assert "URN" in d.registration_problem(d.REGISTERED, " ")
	assert d.registration_problem(d.REGISTERED, "123456") is None
	assert d.registration_problem(d.UNREGISTERED, None) is None


def test_check_dates():
	problems = d.check_problems([d.Check("DBS", None, TODAY), d.Check("Insurance", TODAY, date(2026, 1, 1))])
	assert len(problems) == 2
	assert "expiry date is before" in problems[1]
	# Expiring the day it was checked is odd but not before it: no problem.
	assert d.check_problems([d.Check("DBS", TODAY, TODAY)]) == []


def test_no_placement_without_current_checks():
	assert "no safeguarding checks" in d.placement_refusal("Oak AP", [], TODAY)
	expired = [
		d.Check("Enhanced DBS", date(2025, 1, 1), date(2027, 1, 10)),
		d.Check("Policy", TODAY, date(2028, 1, 1)),
	]
	message = d.placement_refusal("Oak AP", expired, TODAY)
	assert "Enhanced DBS expired 10 January 2027" in message and "Policy" not in message
	assert d.placement_refusal("Oak AP", [d.Check("DBS", TODAY, TODAY)], TODAY) is None


def test_unregistered_flag():
	def flag(status=d.UNREGISTERED, pupils=1, ehc=0):
		return d.unregistered_flag(
			provider="Oak AP", status=status, full_time_pupils=pupils, full_time_ehc_pupils=ehc
		)

	assert flag(pupils=4) is None
	assert "5 or more" in flag(pupils=5)
	assert "EHC" in flag(ehc=1)
	assert flag(status=d.REGISTERED, pupils=9, ehc=3) is None
