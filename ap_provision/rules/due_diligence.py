"""Provider due diligence before a placement is made.

DfE guidance on alternative provision: commissioners check whether a provider is a
registered school (it then has a URN; a UKPRN where it is on the register of learning
providers) and keep its safeguarding checks current. A setting that educates full time
(over 18 hours a week) 5 or more pupils, or 1 pupil with an EHC plan or who is looked after,
must register as an independent school; an unregistered provider in that position is
flagged before a placement is confirmed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ap_provision.rules._i18n import _, english_date

REGISTERED = "Registered school"
UNREGISTERED = "Unregistered"
REGISTRATION_STATUSES = (REGISTERED, UNREGISTERED)
# Full-time pupils at which an unregistered setting must register.
FULL_TIME_PUPIL_LIMIT = 5
FULL_TIME_EHC_PUPIL_LIMIT = 1


@dataclass(frozen=True)
class Check:
	check_type: str
	checked_on: date | None
	expires_on: date | None


def registration_problem(status: str | None, urn: str | None) -> str | None:
	if status not in REGISTRATION_STATUSES:
		return _("Record whether the provider is a registered school or unregistered.")
	if status == REGISTERED and not (urn or "").strip():
		return _("A registered school has a URN: enter it.")
	return None


def check_problems(checks: Iterable[Check]) -> list[str]:
	"""Each safeguarding check records when it was done and when it expires."""
	problems = []
	for c in checks:
		if not c.checked_on or not c.expires_on:
			problems.append(
				_("{0}: enter the date checked and the expiry date.").format(c.check_type or _("Check"))
			)
		elif c.expires_on < c.checked_on:
			problems.append(_("{0}: the expiry date is before the date checked.").format(c.check_type))
	return problems


def expired_checks(checks: Iterable[Check], on: date) -> list[Check]:
	return [c for c in checks if c.expires_on and c.expires_on < on]


def placement_refusal(provider: str, checks: Iterable[Check], on: date) -> str | None:
	"""No placement with a provider without current safeguarding checks."""
	checks = list(checks)
	if not checks:
		return _(
			"{0} has no safeguarding checks recorded. Record them on the provider before making a placement."
		).format(provider)
	expired = expired_checks(checks, on)
	if expired:
		return _(
			"{0}'s safeguarding checks have expired ({1}). A placement cannot be made until they are renewed."
		).format(
			provider,
			", ".join(_("{0} expired {1}").format(c.check_type, english_date(c.expires_on)) for c in expired),
		)
	return None


def unregistered_flag(
	*,
	provider: str,
	status: str | None,
	full_time_pupils: int,
	full_time_ehc_pupils: int,
) -> str | None:
	"""The flag shown before confirming a placement with an unregistered provider that would then
	educate full time 5 or more pupils, or 1 with an EHC plan (counts include this placement)."""
	if status != UNREGISTERED:
		return None
	if full_time_ehc_pupils >= FULL_TIME_EHC_PUPIL_LIMIT:
		return _(
			"{0} is unregistered and would educate full time (over 18 hours a week) {1} pupil(s) with an EHC "
			"plan. A setting doing so must be registered as a school: check before confirming."
		).format(provider, full_time_ehc_pupils)
	if full_time_pupils >= FULL_TIME_PUPIL_LIMIT:
		return _(
			"{0} is unregistered and would educate {1} pupils full time (over 18 hours a week). A setting "
			"educating 5 or more pupils full time must be registered as a school: check before confirming."
		).format(provider, full_time_pupils)
	return None
