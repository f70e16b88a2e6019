"""The AP census return (school census, alternative provision placement module): which
placements a census covers and how each field is written. Plain values in, values out.

A census covers every placement that had started by the census date and was still open
then, or had ended within the twelve months before it (reported with its leaving date). Twelve
months are calendar months: from the same date a year earlier (28 February for a census on 29
February), so a leap year covers 366 days.
"""

import calendar
from dataclasses import dataclass
from datetime import date

COLUMNS = (
	("home_school_urn", "Home school URN"),
	("upn", "Pupil UPN"),
	("surname", "Surname"),
	("forename", "Forename"),
	("date_of_birth", "Date of birth"),
	("provider_urn", "AP provider URN"),
	("provider_ukprn", "AP provider UKPRN"),
	("setting_type", "AP setting type"),
	("reason", "AP placement reason"),
	("entry_date", "AP entry date"),
	("leaving_date", "AP leaving date"),
	("attendance_pattern", "AP attendance pattern"),
	("sessions_per_week", "AP sessions per week"),
)

# AP Provider.provider_type -> the census setting type.
SETTING_TYPES = {
	"Pupil Referral Unit": "PRU: pupil referral unit",
	"AP Academy or Free School": "APA: alternative provision academy or free school",
	"Independent School": "IND: independent school",
	"Non-maintained Special School": "NMS: non-maintained special school",
	"Further Education College": "FEC: further education college",
	"Unregistered Provider": "UNR: unregistered provider",
}
REASONS = {
	"Intervention Placement": "BEH: behaviour intervention to prevent exclusion (step four, KS1-3)",
	"Alternative Pathway": "ALT: alternative pathway for KS4 education (step four)",
}
LOOKBACK_MONTHS = 12
SESSIONS_PER_DAY = 2
FULL_WEEK_DAYS = 5


@dataclass(frozen=True)
class Window:
	census_date: date

	@property
	def earliest_leaving(self) -> date:
		"""The same date twelve months before the census (clamped to the month's last day)."""
		day = self.census_date
		year = day.year - LOOKBACK_MONTHS // 12
		return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))

	def covers(self, entry: date | None, leaving: date | None) -> bool:
		"""Started on or before the census date and not left before the look-back window."""
		if entry is None or entry > self.census_date:
			return False
		return leaving is None or leaving >= self.earliest_leaving

	def leaving_date(self, leaving: date | None) -> date | None:
		"""Only a leaving date on or before the census date is reported."""
		return leaving if leaving and leaving <= self.census_date else None


def setting_type(provider_type: str | None) -> str:
	return SETTING_TYPES.get(provider_type or "", "OTH: other")


def reason(placement_type: str | None) -> str:
	return REASONS.get(placement_type or "", "OTH: other")


def attendance_pattern(days_per_week: float | int | None) -> str:
	return "Full time" if (days_per_week or 0) >= FULL_WEEK_DAYS else "Part time"


def sessions_per_week(days_per_week: float | int | None) -> int:
	return int(round((days_per_week or 0) * SESSIONS_PER_DAY))


# Characters that make a spreadsheet read a cell as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
	"""A CSV cell a spreadsheet shows as text: one that would begin a formula (a pupil named
	``=HYPERLINK(...)``) is prefixed with an apostrophe, as OWASP advises for CSV exports."""
	return "'" + text if text.startswith(FORMULA_STARTS) else text
