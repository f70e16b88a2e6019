"""Panel referral deadlines, agenda papers and which panel a referral goes to (R1).

Seed: referrals "must be received by the Pupil Referral Team (PRT) on the Thursday of the week
before the fortnightly panel meetings". A deadline lasts to the end of that day in the site's
time zone; a late referral rolls to the next panel and the referrer is told.

The rule is about when the PRT *receives* the referral: one received by a panel's deadline
keeps that panel however many days later the PRT triages it, until the panel is held. A
deadline that falls on a closed day (a bank holiday, a school holiday, a training day) moves
to the open day before it (or, where the LA chooses, after it). The agenda papers go to the
panel members at the end of a configurable day: by default the first open day after the
deadline, or a number of open days before the panel.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ap_provision.rules import schooldays
from ap_provision.rules._i18n import _, english_date

SITE_TIME_ZONE = "Europe/London"
THURSDAY = 3

# Where a deadline on a closed day moves (AP Settings "deadline_on_closed_day").
EARLIER = "The open day before"
LATER = "The open day after"
DEADLINE_MOVES = (EARLIER, LATER)

# When the agenda papers close (AP Settings "agenda_papers_close").
AFTER_DEADLINE = "Open day after the deadline"
BEFORE_PANEL = "Open days before the panel"
PAPERS_CLOSE = (AFTER_DEADLINE, BEFORE_PANEL)


@dataclass(frozen=True)
class PanelSlot:
	"""A scheduled panel as the deadline rules see it."""

	name: str
	panel_date: date
	referral_deadline: date
	# Held (or closed): the panel has met and takes no more referrals.
	held: bool = False


@dataclass(frozen=True)
class PanelChoice:
	"""The panel a referral goes to, the earlier panels whose deadline it missed, and the
	panels it was in time for that met before the PRT accepted it (R1)."""

	panel: PanelSlot | None
	missed: tuple[PanelSlot, ...]
	overtaken: tuple[PanelSlot, ...] = ()

	@property
	def is_late(self) -> bool:
		"""True when the referral missed the deadline of a panel it could have gone to."""
		return bool(self.missed)


def nominal_deadline(panel_date: date, weekday: int = THURSDAY) -> date:
	"""The `weekday` (Monday = 0, default Thursday) of the ISO week before the panel's week."""
	if not 0 <= weekday <= 6:
		raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), not {weekday!r}")
	monday_of_panel_week = panel_date - timedelta(days=panel_date.weekday())
	return monday_of_panel_week - timedelta(days=7) + timedelta(days=weekday)


def referral_deadline(
	panel_date: date, weekday: int = THURSDAY, closures: Iterable = (), move: str = EARLIER
) -> date:
	"""The deadline of a panel (R1): the `weekday` of the week before the panel's week, moved
	off a closed day (a weekend or a closure) to the open day before it, or with `move` LATER
	to the open day after it (never later than the day before the panel)."""
	if move not in DEADLINE_MOVES:
		raise ValueError(f"move must be one of {DEADLINE_MOVES}, not {move!r}")
	nominal = nominal_deadline(panel_date, weekday)
	closures = list(closures)
	if not closures or schooldays.is_open(nominal, closures) or nominal.weekday() > 4:
		# A deadline weekday set to a weekend stays where the LA put it.
		return nominal
	if move == LATER:
		later = schooldays.open_day_on_or_after(nominal, closures)
		if later < panel_date:
			return later
	return schooldays.open_day_on_or_before(nominal, closures)


def papers_close_on(
	panel_date: date,
	deadline: date,
	closures: Iterable = (),
	rule: str = AFTER_DEADLINE,
	open_days: int = 1,
) -> date:
	"""The day at whose end the agenda papers close and go to the panel members.

	AFTER_DEADLINE: the first open day after the deadline (the PRT has that day to triage the
	last referrals). BEFORE_PANEL: `open_days` open days before the panel, never before the
	deadline. Either way never later than the day before the panel.
	"""
	if rule not in PAPERS_CLOSE:
		raise ValueError(f"rule must be one of {PAPERS_CLOSE}, not {rule!r}")
	closures = list(closures)
	if rule == AFTER_DEADLINE:
		day = schooldays.open_days_after(deadline, 1, closures)
	else:
		day = max(schooldays.open_days_before(panel_date, max(open_days, 1), closures), deadline)
	return min(day, panel_date - timedelta(days=1))


def received_local(received_on: datetime, tz: str = SITE_TIME_ZONE) -> datetime:
	"""`received_on` as a naive datetime in site time (R1).

	Naive datetimes are already site-local (Frappe stores Datetime naive in the system time
	zone) and are returned unchanged; aware ones are converted to `tz`.
	"""
	if received_on.tzinfo is None or received_on.utcoffset() is None:
		return received_on
	return received_on.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def choose_panel(received_on: datetime, panels: Iterable[PanelSlot], tz: str = SITE_TIME_ZONE) -> PanelChoice:
	"""The earliest panel not yet held whose deadline is not before the (site-local) received
	date (R1).

	Panels are ordered by panel date, then name; pass every panel that is not cancelled, held
	ones too. `missed` are the panels on or after the received date whose deadline had already
	passed and that come before the chosen panel: the ones the referral rolled past because it
	arrived late. `overtaken` are the panels the referral was in time for that met before it
	was accepted: it rolls past them too, but it was not late.
	"""
	received_date = received_local(received_on, tz).date()
	ordered = sorted(panels, key=lambda slot: (slot.panel_date, slot.name))
	chosen = next(
		(slot for slot in ordered if slot.referral_deadline >= received_date and not slot.held), None
	)

	def before_chosen(slot: PanelSlot) -> bool:
		return chosen is None or (slot.panel_date, slot.name) < (chosen.panel_date, chosen.name)

	missed = tuple(
		slot
		for slot in ordered
		if slot.panel_date >= received_date and slot.referral_deadline < received_date and before_chosen(slot)
	)
	overtaken = tuple(
		slot
		for slot in ordered
		if slot.held and slot.referral_deadline >= received_date and before_chosen(slot)
	)
	return PanelChoice(panel=chosen, missed=missed, overtaken=overtaken)


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


def overtaken_message(choice: PanelChoice) -> str | None:
	"""The referral was received in time for a panel that met before the PRT accepted it (R1)."""
	if not choice.overtaken:
		return None
	first = choice.overtaken[0]
	text = _(
		"This referral was received in time for the panel on {0}, but that panel met before the "
		"referral was accepted for it."
	).format(_panel_with_deadline(first))
	if choice.panel is None:
		return " ".join(
			[
				text,
				_("No later panel is scheduled yet: the Pupil Referral Team will place it on the next one."),
			]
		)
	return " ".join(
		[
			text,
			_("It goes to the next panel, on {0}.").format(
				english_date(choice.panel.panel_date, weekday=True)
			),
		]
	)


def on_time_message(choice: PanelChoice) -> str | None:
	"""'Received in time for the panel on ... (deadline ...).' for a referral that is not late."""
	if choice.panel is None or choice.is_late or choice.overtaken:
		return None
	return _("Received in time for the panel on {0}.").format(_panel_with_deadline(choice.panel))


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
