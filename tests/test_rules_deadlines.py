"""R1: referral deadlines (Thursday of the week before the panel), site time, panel allocation."""

from datetime import date, datetime, timedelta, timezone

import pytest

from ap_provision.rules.deadlines import (
	PanelChoice,
	PanelSlot,
	choose_panel,
	late_message,
	no_panel_message,
	received_local,
	referral_deadline,
)

UTC = timezone.utc


def slot(name: str, panel_date: date) -> PanelSlot:
	"""A panel with the default Thursday deadline."""
	return PanelSlot(name, panel_date, referral_deadline(panel_date))


# referral_deadline -------------------------------------------------------------------------


@pytest.mark.parametrize(
	"panel_date, deadline",
	[
		# Thursday panel: Thursday a week earlier.
		(date(2026, 5, 14), date(2026, 5, 7)),
		# Every day of the panel's week (Mon 11 - Sun 17 May 2026) gives the same deadline.
		(date(2026, 5, 11), date(2026, 5, 7)),
		(date(2026, 5, 12), date(2026, 5, 7)),
		(date(2026, 5, 15), date(2026, 5, 7)),
		(date(2026, 5, 17), date(2026, 5, 7)),
		# Monday of the next week: the following Thursday.
		(date(2026, 5, 18), date(2026, 5, 14)),
		# January panel: deadline in December of the year before.
		(date(2027, 1, 5), date(2026, 12, 31)),
		(date(2026, 1, 6), date(2026, 1, 1)),
		(date(2027, 1, 4), date(2026, 12, 31)),
		# Panel in ISO week 53 of 2026 (Mon 28 Dec 2026 - Sun 3 Jan 2027).
		(date(2027, 1, 3), date(2026, 12, 24)),
		# Over the end of February in a leap year.
		(date(2028, 3, 7), date(2028, 3, 2)),
		(date(2028, 3, 6), date(2028, 3, 2)),
	],
)
def test_referral_deadline_is_thursday_of_the_week_before(panel_date, deadline):
	assert referral_deadline(panel_date) == deadline
	assert deadline.weekday() == 3
	assert deadline < panel_date - timedelta(days=panel_date.weekday())


@pytest.mark.parametrize(
	"weekday, deadline",
	[
		(0, date(2026, 5, 4)),
		(2, date(2026, 5, 6)),
		(4, date(2026, 5, 8)),
		(6, date(2026, 5, 10)),
	],
)
def test_referral_deadline_other_weekdays(weekday, deadline):
	assert referral_deadline(date(2026, 5, 12), weekday=weekday) == deadline


@pytest.mark.parametrize("weekday", [-1, 7])
def test_referral_deadline_rejects_bad_weekday(weekday):
	with pytest.raises(ValueError):
		referral_deadline(date(2026, 5, 12), weekday=weekday)


# received_local ----------------------------------------------------------------------------


def test_naive_received_on_is_already_site_local():
	naive = datetime(2026, 7, 2, 23, 30)
	assert received_local(naive) is naive


@pytest.mark.parametrize(
	"aware, local",
	[
		# Summer (BST, UTC+1).
		(datetime(2026, 7, 2, 23, 30, tzinfo=UTC), datetime(2026, 7, 3, 0, 30)),
		# Winter (GMT).
		(datetime(2026, 1, 8, 23, 30, tzinfo=UTC), datetime(2026, 1, 8, 23, 30)),
		# Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
		(datetime(2026, 3, 29, 0, 59, tzinfo=UTC), datetime(2026, 3, 29, 0, 59)),
		(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), datetime(2026, 3, 29, 2, 0)),
		# Clocks go back at 01:00 UTC on Sunday 25 October 2026.
		(datetime(2026, 10, 25, 0, 59, tzinfo=UTC), datetime(2026, 10, 25, 1, 59)),
		(datetime(2026, 10, 25, 1, 0, tzinfo=UTC), datetime(2026, 10, 25, 1, 0)),
		# Another offset.
		(
			datetime(2026, 7, 3, 3, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))),
			datetime(2026, 7, 2, 22, 30),
		),
	],
)
def test_aware_received_on_is_converted_to_site_time(aware, local):
	result = received_local(aware)
	assert result == local
	assert result.tzinfo is None


def test_received_local_other_site_time_zone():
	aware = datetime(2026, 7, 2, 23, 30, tzinfo=UTC)
	assert received_local(aware, tz="UTC") == datetime(2026, 7, 2, 23, 30)


# on time: received no later than the end of the deadline day in site time -----------------

DEADLINE = date(2026, 5, 7)  # Thursday, BST


def is_on_time(received_on: datetime, deadline: date, tz: str | None = None) -> bool:
	"""Whether choose_panel gives the referral the panel whose deadline is `deadline` (a
	Thursday; its panel is the Tuesday after)."""
	panel = slot("PANEL-ON-TIME", deadline + timedelta(days=5))
	assert panel.referral_deadline == deadline
	choice = choose_panel(received_on, [panel], **({"tz": tz} if tz else {}))
	return choice.panel == panel


@pytest.mark.parametrize(
	"received_on, on_time",
	[
		(datetime(2026, 5, 1, 9, 0), True),
		(datetime(2026, 5, 7, 0, 0), True),
		(datetime(2026, 5, 7, 16, 0), True),
		(datetime(2026, 5, 7, 23, 59, 59), True),
		(datetime(2026, 5, 7, 23, 59, 59, 999999), True),
		(datetime(2026, 5, 8, 0, 0), False),
		(datetime(2026, 5, 8, 9, 0), False),
		(datetime(2026, 5, 14, 9, 0), False),
	],
)
def test_is_on_time_naive(received_on, on_time):
	assert is_on_time(received_on, DEADLINE) is on_time


@pytest.mark.parametrize(
	"received_on, deadline, on_time",
	[
		# BST deadline day: 22:59 UTC is 23:59 local (on time); 23:30 UTC is 00:30 Friday (late).
		(datetime(2026, 5, 7, 22, 59, 59, tzinfo=UTC), date(2026, 5, 7), True),
		(datetime(2026, 5, 7, 23, 0, tzinfo=UTC), date(2026, 5, 7), False),
		(datetime(2026, 5, 7, 23, 30, tzinfo=UTC), date(2026, 5, 7), False),
		# GMT deadline day: 23:30 UTC is 23:30 local, on time; midnight UTC is late.
		(datetime(2026, 1, 8, 23, 30, tzinfo=UTC), date(2026, 1, 8), True),
		(datetime(2026, 1, 8, 23, 59, 59, tzinfo=UTC), date(2026, 1, 8), True),
		(datetime(2026, 1, 9, 0, 0, tzinfo=UTC), date(2026, 1, 8), False),
		# Spring change (last Sunday of March, 29 March 2026): Thursday before is GMT, after is BST.
		(datetime(2026, 3, 26, 23, 30, tzinfo=UTC), date(2026, 3, 26), True),
		(datetime(2026, 4, 2, 23, 30, tzinfo=UTC), date(2026, 4, 2), False),
		(datetime(2026, 4, 2, 22, 30, tzinfo=UTC), date(2026, 4, 2), True),
		# Autumn change (last Sunday of October, 25 October 2026): before is BST, after is GMT.
		(datetime(2026, 10, 22, 23, 30, tzinfo=UTC), date(2026, 10, 22), False),
		(datetime(2026, 10, 29, 23, 30, tzinfo=UTC), date(2026, 10, 29), True),
	],
)
def test_is_on_time_aware_follows_site_time(received_on, deadline, on_time):
	assert is_on_time(received_on, deadline) is on_time


def test_is_on_time_in_another_site_time_zone():
	received_on = datetime(2026, 5, 7, 23, 30, tzinfo=UTC)
	assert is_on_time(received_on, date(2026, 5, 7), tz="UTC") is True
	assert is_on_time(received_on, date(2026, 5, 7)) is False


# choose_panel ------------------------------------------------------------------------------

# Fortnightly Tuesday panels; deadlines Thu 30 Apr, Thu 14 May, Thu 28 May 2026.
P1 = slot("PANEL-2026-0001", date(2026, 5, 5))
P2 = slot("PANEL-2026-0002", date(2026, 5, 19))
P3 = slot("PANEL-2026-0003", date(2026, 6, 2))
UNSORTED = [P3, P1, P2]


def test_panel_fixture_deadlines():
	assert [p.referral_deadline for p in (P1, P2, P3)] == [
		date(2026, 4, 30),
		date(2026, 5, 14),
		date(2026, 5, 28),
	]


def test_early_referral_goes_to_earliest_panel():
	choice = choose_panel(datetime(2026, 4, 20, 10, 0), UNSORTED)
	assert choice == PanelChoice(panel=P1, missed=())
	assert not choice.is_late
	assert late_message(choice) is None


def test_referral_on_deadline_thursday_up_to_23_59_59_is_on_time():
	choice = choose_panel(datetime(2026, 4, 30, 23, 59, 59), UNSORTED)
	assert choice.panel == P1
	assert not choice.is_late


def test_referral_on_friday_after_deadline_rolls_to_next_panel():
	choice = choose_panel(datetime(2026, 5, 1, 0, 0), UNSORTED)
	assert choice.panel == P2
	assert choice.missed == (P1,)
	assert choice.is_late
	message = late_message(choice)
	assert message is not None
	assert "Tuesday 5 May 2026" in message  # missed panel
	assert "Thursday 30 April 2026" in message  # its deadline
	assert "Tuesday 19 May 2026" in message  # next panel
	assert "Thursday 14 May 2026" in message  # its deadline
	assert message.index("5 May 2026") < message.index("19 May 2026")
	# One panel missed: the singular wording, and no list joined with "and".
	assert message.startswith(
		"This referral arrived after the deadline for the panel on Tuesday 5 May 2026 "
		"(deadline Thursday 30 April 2026)."
	)


def test_aware_received_on_late_in_bst():
	# 23:30 UTC on the BST deadline Thursday is 00:30 on Friday in London.
	choice = choose_panel(datetime(2026, 4, 30, 23, 30, tzinfo=UTC), UNSORTED)
	assert choice.panel == P2
	assert choice.missed == (P1,)


def test_aware_received_on_on_time_in_bst():
	choice = choose_panel(datetime(2026, 4, 30, 22, 30, tzinfo=UTC), UNSORTED)
	assert choice.panel == P1
	assert not choice.is_late


def test_aware_received_on_across_the_autumn_clock_change():
	# Panel Tue 3 Nov 2026, deadline Thu 29 Oct 2026 (GMT, after the 25 October change).
	november = slot("PANEL-2026-0020", date(2026, 11, 3))
	later = slot("PANEL-2026-0021", date(2026, 11, 17))
	assert november.referral_deadline == date(2026, 10, 29)
	on_time = choose_panel(datetime(2026, 10, 29, 23, 30, tzinfo=UTC), [later, november])
	assert on_time.panel == november and not on_time.is_late
	late = choose_panel(datetime(2026, 10, 30, 0, 0, tzinfo=UTC), [later, november])
	assert late.panel == later and late.missed == (november,)


def test_aware_received_on_across_the_spring_clock_change():
	# Panel Tue 7 Apr 2026, deadline Thu 2 Apr 2026 (BST, after the 29 March change).
	april = slot("PANEL-2026-0008", date(2026, 4, 7))
	later = slot("PANEL-2026-0009", date(2026, 4, 21))
	assert april.referral_deadline == date(2026, 4, 2)
	assert choose_panel(datetime(2026, 4, 2, 22, 59, tzinfo=UTC), [later, april]).panel == april
	assert choose_panel(datetime(2026, 4, 2, 23, 0, tzinfo=UTC), [later, april]).panel == later


def test_january_panel_deadline_in_december():
	january = slot("PANEL-2027-0001", date(2027, 1, 5))
	assert january.referral_deadline == date(2026, 12, 31)
	assert choose_panel(datetime(2026, 12, 31, 23, 0), [january]).panel == january
	late = choose_panel(datetime(2027, 1, 1, 9, 0), [january])
	assert late.panel is None
	assert late.missed == (january,)


def test_referral_after_every_deadline_has_no_panel_but_is_told_what_it_missed():
	choice = choose_panel(datetime(2026, 5, 29, 9, 0), UNSORTED)
	assert choice.panel is None
	assert choice.missed == (P3,)  # P1 and P2 are already past
	message = late_message(choice)
	assert "Tuesday 2 June 2026" in message
	assert "No later panel is scheduled" in message


def test_referral_received_on_panel_day_missed_that_panel():
	choice = choose_panel(datetime(2026, 5, 19, 8, 0), UNSORTED)
	assert choice.panel == P3
	assert choice.missed == (P2,)


def test_referral_can_roll_past_two_panels():
	# Weekly panels whose deadlines PRT set earlier than the default (stored deadlines win).
	weekly = [
		PanelSlot("C", date(2026, 5, 26), date(2026, 5, 21)),
		PanelSlot("A", date(2026, 5, 12), date(2026, 4, 30)),
		PanelSlot("B", date(2026, 5, 19), date(2026, 5, 7)),
	]
	choice = choose_panel(datetime(2026, 5, 8, 9, 0), weekly)
	assert choice.panel.name == "C"
	assert [p.name for p in choice.missed] == ["A", "B"]
	message = late_message(choice)
	assert "deadlines for the panels" in message
	assert "Tuesday 12 May 2026" in message and "Tuesday 19 May 2026" in message
	assert "(deadline Thursday 30 April 2026) and Tuesday 19 May 2026" in message
	assert "Tuesday 26 May 2026" in message


def test_same_day_panels_are_ordered_by_name():
	day = date(2026, 5, 19)
	choice = choose_panel(datetime(2026, 5, 1, 9, 0), [slot("PANEL-B", day), slot("PANEL-A", day)])
	assert choice.panel.name == "PANEL-A"


def test_panel_with_an_earlier_overridden_deadline_after_the_chosen_one_is_not_missed():
	# Inconsistent data: a later panel whose deadline was moved earlier. The referral did not
	# roll past it, so it is not reported as missed.
	odd = PanelSlot("ODD", date(2026, 5, 26), date(2026, 4, 1))
	choice = choose_panel(datetime(2026, 4, 20, 9, 0), [odd, P1])
	assert choice.panel == P1
	assert choice.missed == ()


def test_no_panels():
	choice = choose_panel(datetime(2026, 5, 1, 9, 0), [])
	assert choice == PanelChoice(panel=None, missed=())
	assert not choice.is_late
	assert late_message(choice) is None


def test_choose_panel_accepts_any_iterable():
	choice = choose_panel(datetime(2026, 4, 20, 9, 0), iter(UNSORTED))
	assert choice.panel == P1


def test_no_panel_message_names_the_date_and_who_acts():
	message = no_panel_message(datetime(2026, 7, 2, 23, 30, tzinfo=UTC))
	assert "Friday 3 July 2026" in message  # 00:30 BST
	assert "Pupil Referral Team" in message
	assert "schedule" in message
	assert "Thursday 2 July 2026" in no_panel_message(datetime(2026, 7, 2, 23, 30))


def test_panel_types_are_frozen():
	with pytest.raises(AttributeError):
		P1.panel_date = date(2026, 1, 1)
