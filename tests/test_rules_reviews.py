"""Reviews (R6), EHC pupils' reviews (R10) and KS4 annual reviews (R13)."""

from datetime import date, timedelta

import pytest

from ap_provision.rules import placements as p
from ap_provision.rules import reviews as r

DAY = date(2027, 3, 1)
END = date(2027, 5, 2)


def invited(*roles, attended=()):
	return [r.Attendee(role, True, role in attended) for role in roles]


def attendees_problem(**kwargs):
	values = {
		"review_type": r.INTERIM,
		"key_stage": "KS3",
		"has_ehc_plan": False,
		"concerns_remain": False,
		"attendees": invited(*r.PLACEMENT_REVIEW_INVITEES),
	}
	values.update(kwargs)
	return r.attendee_problem(**values)


def outcome(**kwargs):
	values = {
		"outcome": r.CONTINUE,
		"review_type": r.INTERIM,
		"placement_type": p.INTERVENTION_PLACEMENT,
		"placement_status": p.ACTIVE,
		"review_date": DAY,
		"planned_end": END,
		"new_end": None,
		"extension_reason": None,
		"next_review_date": date(2027, 4, 12),
	}
	values.update(kwargs)
	return r.outcome_problem(**values)


def test_r6_placement_reviews_invite_provider_boss_prt_and_school():
	assert attendees_problem() is None
	assert "BOSS" in attendees_problem(attendees=invited("School", "Provider", "PRT"))


def test_r10_caseworker_invited_while_concerns_remain():
	assert "caseworker" in attendees_problem(has_ehc_plan=True, concerns_remain=True)
	with_cw = invited(*r.PLACEMENT_REVIEW_INVITEES, "SEND Caseworker")
	assert attendees_problem(has_ehc_plan=True, concerns_remain=True, attendees=with_cw) is None
	assert attendees_problem(has_ehc_plan=True, concerns_remain=False) is None


def test_r13_ks4_annual_review_needs_the_school_attending():
	people = invited(*r.ANNUAL_REVIEW_INVITEES)
	problem = attendees_problem(
		review_type=r.ANNUAL_REVIEW, key_stage="KS4", has_ehc_plan=True, attendees=people
	)
	assert "R13" in problem
	people = invited(*r.ANNUAL_REVIEW_INVITEES, attended=("School",))
	assert (
		attendees_problem(review_type=r.ANNUAL_REVIEW, key_stage="KS4", has_ehc_plan=True, attendees=people)
		is None
	)


def test_annual_review_only_for_ehc_pupils_and_with_the_caseworker():
	assert "EHC plan" in attendees_problem(review_type=r.ANNUAL_REVIEW)
	people = invited("School", "Parent/Carer")
	assert "SEND Caseworker" in attendees_problem(
		review_type=r.ANNUAL_REVIEW, has_ehc_plan=True, attendees=people
	)


def test_r10_amendments_considered_and_recorded():
	assert r.ehc_amendment_problem(False, None, None) is None
	assert "amendments" in r.ehc_amendment_problem(True, None, None)
	assert "Describe" in r.ehc_amendment_problem(True, r.AMENDMENTS_PROPOSED, "")
	assert r.ehc_amendment_problem(True, r.AMENDMENTS_PROPOSED, "Section F: part-time timetable") is None
	assert r.ehc_amendment_problem(True, r.NO_AMENDMENTS, None) is None


def test_actions_need_what_owner_and_due_date():
	problems = r.action_problems(
		[r.Action("Call parent", None, DAY), r.Action("Plan", "prt@example.org", DAY)]
	)
	assert problems == ["Action 1: give its owner."]


def test_outcome_required_and_next_review_after_this_one():
	assert "Record the outcome" in outcome(outcome=None)
	assert "next review" in outcome(next_review_date=None)
	assert "after this one" in outcome(next_review_date=DAY)
	assert outcome() is None


def test_closing_outcomes_need_no_next_review():
	assert outcome(outcome=r.REINTEGRATED, placement_status=p.REINTEGRATING, next_review_date=None) is None
	assert outcome(outcome=r.END_PLACEMENT, next_review_date=None) is None


def test_extend_needs_later_end_and_reason():
	assert "reason" in outcome(outcome=r.EXTEND, new_end=date(2027, 6, 1))
	assert outcome(outcome=r.EXTEND, new_end=date(2027, 6, 1), extension_reason="Settling in") is None


def test_ks4_reintegration_is_unusual_and_needs_its_reason():
	"""The seed: KS4 pupils "will not usually return to mainstream" (usually, not never)."""
	for o in (r.BEGIN_REINTEGRATION, r.REINTEGRATED):
		assert "KS4" in outcome(outcome=o, placement_type=p.ALTERNATIVE_PATHWAY)
		assert (
			outcome(
				outcome=o,
				placement_type=p.ALTERNATIVE_PATHWAY,
				placement_status=p.ACTIVE if o == r.BEGIN_REINTEGRATION else p.REINTEGRATING,
				next_review_date=date(2027, 6, 1),
				outcome_notes="Year 10 pupil settled; the school has a place in a smaller group.",
			)
			is None
		)


def test_begin_reintegration_only_once():
	assert "already begun" in outcome(outcome=r.BEGIN_REINTEGRATION, placement_status=p.REINTEGRATING)


def test_reviews_of_planned_or_ended_placements():
	assert "once it has started" in outcome(placement_status=p.PLANNED)
	assert "follow-up review or an EHC annual review" in outcome(placement_status=p.COMPLETED)
	ended = {"placement_status": p.COMPLETED, "review_type": r.ANNUAL_REVIEW, "next_review_date": None}
	assert outcome(**ended) is None
	assert "outcome is" in outcome(outcome=r.EXTEND, **ended)


def test_a_follow_up_after_the_placement_can_re_refer_any_pupil_to_boss():
	"""The seed: after reintegration "a re-referral to BOSS may be made at this point", for
	every pupil, not only those with an EHC plan (whose annual review could)."""
	follow_up = {"placement_status": p.COMPLETED, "review_type": r.FOLLOW_UP, "next_review_date": None}
	assert outcome(outcome=r.RE_REFER, **follow_up) is None
	assert outcome(outcome=r.CONTINUE, **follow_up) is None
	assert "outcome is" in outcome(outcome=r.REINTEGRATED, **follow_up)
	assert "after the placement has ended" in outcome(review_type=r.FOLLOW_UP, placement_status=p.ACTIVE)


def test_follow_up_invites_school_boss_and_prt_only():
	invited = [r.Attendee(role) for role in ("School", "BOSS", "PRT")]
	assert (
		r.attendee_problem(
			review_type=r.FOLLOW_UP,
			key_stage="KS2",
			has_ehc_plan=False,
			concerns_remain=False,
			attendees=invited,
		)
		is None
	)
	problem = r.attendee_problem(
		review_type=r.FOLLOW_UP,
		key_stage="KS2",
		has_ehc_plan=False,
		concerns_remain=False,
		attendees=invited[:2],
	)
	assert "PRT" in problem


@pytest.mark.parametrize(
	"o, day, status",
	[
		(r.CONTINUE, DAY, None),
		(r.EXTEND, DAY, None),
		(r.RE_REFER, DAY, None),
		(r.BEGIN_REINTEGRATION, DAY, p.REINTEGRATING),
		(r.REINTEGRATED, DAY, p.COMPLETED),
		(r.END_PLACEMENT, DAY, p.ENDED_EARLY),
		(r.END_PLACEMENT, END, p.COMPLETED),
	],
)
def test_status_after(o, day, status):
	assert r.status_after(o, day, END) == status


def test_annual_review_dates():
	assert r.annual_review_after_return(date(2027, 5, 3), 42) == date(2027, 6, 14)
