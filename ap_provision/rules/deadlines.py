"""Panel referral deadlines and which panel a referral goes to (R1).

Seed: referrals "must be received by the Pupil Referral Team (PRT) on the Thursday of the week
before the fortnightly panel meetings". A deadline lasts to the end of that day in the site's
time zone; a late referral rolls to the next panel and the referrer is told.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ap_provision.rules._i18n import _, english_date

SITE_TIME_ZONE = "Europe/London"
THURSDAY = 3


@dataclass(frozen=True)
class PanelSlot:
	"""A scheduled panel as the deadline rules see it."""

	name: str
	panel_date: date
	referral_deadline: date


@dataclass(frozen=True)
class PanelChoice:
	"""The panel a referral goes to, and the earlier panels whose deadline it missed (R1)."""

	panel: PanelSlot | None
	missed: tuple[PanelSlot, ...]

	@property
	def is_late(self) -> bool:
		"""True when the referral missed the deadline of a panel it could have gone to."""
		return bool(self.missed)


def referral_deadline(panel_date: date, weekday: int = THURSDAY) -> date:
	"""The `weekday` (Monday = 0, default Thursday) of the ISO week before the panel's week (R1)."""
	if not 0 <= weekday <= 6:
		raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday!r}")
	monday_of_panel_week = panel_date - timedelta(days=panel_date.weekday())
	return monday_of_panel_week - timedelta(days=7) + timedelta(days=weekday)


def received_local(received_on: datetime, tz: str = SITE_TIME_ZONE) -> datetime:
	"""`received_on` as a naive datetime in site time (R1).

	Naive datetimes are already site-local (Frappe stores Datetime naive in the system time
	zone) and are returned unchanged; aware ones are converted to `tz`.
	"""
	if received_on.tzinfo is None or received_on.utcoffset() is None:
		return received_on
	return received_on.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def is_on_time(received_on: datetime, deadline: date, tz: str = SITE_TIME_ZONE) -> bool:
	"""True when received no later than the end of the deadline day in site time (R1)."""
	start_of_next_day = datetime.combine(deadline + timedelta(days=1), time.min)
	return received_local(received_on, tz) < start_of_next_day


def choose_panel(received_on: datetime, panels: Iterable[PanelSlot], tz: str = SITE_TIME_ZONE) -> PanelChoice:
	"""The earliest panel whose deadline is not before the (site-local) received date (R1).

	Panels are ordered by panel date, then name. `missed` are the panels on or after the received
	date whose deadline had already passed and that come before the chosen panel: the ones the
	referral rolled past. Pass only panels that can take referrals (status Scheduled).
	"""
	received_date = received_local(received_on, tz).date()
	ordered = sorted(panels, key=lambda slot: (slot.panel_date, slot.name))
	chosen = next((slot for slot in ordered if slot.referral_deadline >= received_date), None)
	missed = tuple(
		slot
		for slot in ordered
		if slot.panel_date >= received_date
		and slot.referral_deadline < received_date
		and (chosen is None or (slot.panel_date, slot.name) < (chosen.panel_date, chosen.name))
	)
	return PanelChoice(panel=chosen, missed=missed)


def late_message(choice: PanelChoice) -> str | None:
	"""Tell the referrer which panel(s) the referral missed and where it goes instead (R1)."""
	if not choice.is_late:
		return None

	missed = _join([_panel_with_deadline(slot) for slot in choice.missed])
	if len(choice.missed) == 1:
		missed_text = _("This referral arrived after the deadline for the panel on {0}.").format(missed)
	else:
		missed_text = _("This referral arrived after the deadlines for the panels on {0}.").format(missed)

	if choice.panel is None:
		return " ".join(
			[
				missed_text,
				_(
					"No later panel is scheduled yet, so the Pupil Referral Team will place it on the "
					"next panel once one is scheduled."
				),
			]
		)
	return " ".join(
		[
			missed_text,
			_(
				"Referrals must reach the Pupil Referral Team by the end of the deadline day, so it will "
				"go to the next panel on {0}, whose deadline ({1}) had not passed."
			).format(
				english_date(choice.panel.panel_date, weekday=True),
				english_date(choice.panel.referral_deadline, weekday=True),
			),
		]
	)


def no_panel_message(received_on: datetime, tz: str = SITE_TIME_ZONE) -> str:
	"""No scheduled panel has a deadline on or after the received date (R1)."""
	received_date = received_local(received_on, tz).date()
	return _(
		"No scheduled panel has a referral deadline on or after {0}, when this referral was "
		"received. The Pupil Referral Team needs to schedule the next panels so the referral can be "
		"given a panel date."
	).format(english_date(received_date, weekday=True))


def _panel_with_deadline(slot: PanelSlot) -> str:
	"""'Thursday 14 May 2026 (deadline Thursday 7 May 2026)'."""
	return _("{0} (deadline {1})").format(
		english_date(slot.panel_date, weekday=True), english_date(slot.referral_deadline, weekday=True)
	)


def _join(items: list[str]) -> str:
	"""'a', 'a and b', 'a, b and c'."""
	if len(items) <= 1:
		return "".join(items)
	return _("{0} and {1}").format(", ".join(items[:-1]), items[-1])
