"""Rule edges pinned one by one. Each test fails if its rule is changed at
the edge (a deliberate off-by-one or a missing case), which the other tests let through."""

from datetime import date, timedelta

import pytest

from ap_provision.rules import attendance, census, due_diligence, panels, placements, reviews, sufficiency
from ap_provision.rules.placements import Stakeholder

TODAY = date(2027, 2, 1)


def confirmed(*roles):
	return [Stakeholder(role, f"{role} lead", "Agreed responsibilities.", True) for role in roles]


# 1. Which stakeholders the admission meeting needs: school, provider, parent/carer and PRT.


def test_admission_meeting_needs_school_provider_parent_and_prt_and_no_one_else():
	required = ("School", "Provider", "Parent/Carer", "PRT")
	assert placements.REQUIRED_STAKEHOLDERS == required
	assert placements.admission_meeting_problem(TODAY, confirmed(*required), TODAY) is None
	for missing in required:
		problem = placements.admission_meeting_problem(
			TODAY, confirmed(*(r for r in required if r != missing)), TODAY
		)
		assert problem and missing in problem, missing


# 2. A meeting on the start day (that day counts as held).


def test_an_admission_meeting_on_the_start_day_lets_the_placement_start_that_day():
	everyone = confirmed(*placements.REQUIRED_STAKEHOLDERS)
	assert placements.admission_meeting_problem(TODAY, everyone, TODAY) is None
	assert "planned for" in placements.admission_meeting_problem(TODAY + timedelta(days=1), everyone, TODAY)
	assert (
		placements.start_problem(
			placement_type=placements.INTERVENTION_PLACEMENT,
			start_date=TODAY,
			today=TODAY,
			admission_meeting_date=TODAY,
			stakeholders=everyone,
			safeguarding_arrangements="DSLs named.",
		)
		is None
	)


# 3. Reintegrating -> Ended Early.


def test_a_reintegrating_placement_can_end_early():
	ip = placements.INTERVENTION_PLACEMENT
	assert placements.status_problem(ip, placements.REINTEGRATING, placements.ENDED_EARLY) is None
	assert placements.status_problem(ip, placements.REINTEGRATING, placements.COMPLETED) is None
	assert placements.status_problem(ip, placements.REINTEGRATING, placements.ACTIVE) is not None


# 4. Approving with a start date of today.


def approval(start):
	return panels.decision_problem(
		panels.DecisionRequest(
			decision="Approved",
			user="chair",
			panel="P",
			panel_date=TODAY,
			panel_chair="chair",
			on_agenda=True,
			today=TODAY,
			provider="Oak",
			provider_free_places=1,
			key_stage="KS3",
			expected_start_date=start,
			placement_type=placements.INTERVENTION_PLACEMENT,
		)
	)


def test_approval_may_start_today_but_not_yesterday():
	assert approval(TODAY) is None
	assert "in the past" in approval(TODAY - timedelta(days=1))


# 5. Extending to the same end date is not an extension.


def test_extending_to_the_same_end_date_is_refused():
	end = date(2027, 5, 23)
	assert "later than" in placements.extension_problem(end, end, "More time")
	assert placements.extension_problem(end, end + timedelta(days=1), "More time") is None


# 6. A safeguarding check that expires on the day it was done.


def test_a_check_expiring_the_day_it_was_done_is_valid_that_day_only():
	check = due_diligence.Check("DBS", TODAY, TODAY)
	assert due_diligence.check_problems([check]) == []
	assert due_diligence.expired_checks([check], TODAY) == []
	assert due_diligence.placement_refusal("Oak", [check], TODAY) is None
	assert due_diligence.expired_checks([check], TODAY + timedelta(days=1)) == [check]
	assert (
		"before the date checked"
		in due_diligence.check_problems([due_diligence.Check("DBS", TODAY, TODAY - timedelta(days=1))])[0]
	)


# 7. The school need not attend a KS3 annual review (R13 is KS4 only); it is invited.


def annual(key_stage, school_attended):
	return reviews.attendee_problem(
		review_type=reviews.ANNUAL_REVIEW,
		key_stage=key_stage,
		has_ehc_plan=True,
		concerns_remain=False,
		attendees=[
			reviews.Attendee("School", True, school_attended),
			reviews.Attendee("Parent/Carer", True, True),
			reviews.Attendee("SEND Caseworker", True, True),
		],
	)


def test_school_attendance_is_required_at_ks4_annual_reviews_only():
	assert annual("KS3", school_attended=False) is None
	assert annual("KS3", school_attended=True) is None
	assert "R13" in annual("KS4", school_attended=False)
	assert annual("KS4", school_attended=True) is None


# 8. Provider sufficiency: a place is not in use on the day it is taken, nor on the day it
# ends (it is free again that day), and is in use on the days between.


def test_a_place_is_in_use_strictly_between_its_first_and_last_days():
	first, last = date(2027, 1, 20), date(2027, 5, 19)
	place = sufficiency.Place("KS3", first, last)
	days = [first - timedelta(days=1), first, first + timedelta(days=1), last - timedelta(days=1), last]
	expected = [False, False, True, True, False]
	assert [place.in_use_on(d) for d in days] == expected
	counts = sufficiency.in_use_counts([place], days)
	assert [counts[d] for d in days] == [int(e) for e in expected]


# 9. Authorised and unexplained absences on different days are told apart.


def test_authorised_and_unexplained_absences_on_different_days():
	monday, tuesday, wednesday = date(2027, 2, 1), date(2027, 2, 2), date(2027, 2, 3)
	days = [
		attendance.Day(monday, attendance.ABSENT, "Illness", attendance.PRESENT),
		attendance.Day(tuesday, attendance.PRESENT, None, attendance.ABSENT, attendance.UNEXPLAINED),
		attendance.Day(wednesday, attendance.LATE, None, attendance.PRESENT),
	]
	summary = attendance.summarise(days)
	assert (summary.sessions_possible, summary.sessions_attended) == (6, 4)
	assert (summary.authorised_absences, summary.unexplained_absences, summary.late_sessions) == (1, 1, 1)
	assert attendance.unexplained_absences(days) == [(tuesday, "PM")]


# 10. The census looks back twelve calendar months, so leap years differ.


@pytest.mark.parametrize(
	"census_date, earliest",
	[
		(date(2028, 3, 1), date(2027, 3, 1)),  # 366 days back over 29 February 2028
		(date(2028, 2, 29), date(2027, 2, 28)),
		(date(2027, 3, 1), date(2026, 3, 1)),
		(date(2027, 1, 21), date(2026, 1, 21)),
	],
)
def test_the_census_looks_back_twelve_calendar_months(census_date, earliest):
	window = census.Window(census_date)
	assert window.earliest_leaving == earliest
	assert window.covers(date(2025, 9, 1), earliest)
	assert not window.covers(date(2025, 9, 1), earliest - timedelta(days=1))
