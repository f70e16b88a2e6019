"""Translation shim and date wording for the rules' user-facing messages."""

from datetime import date

try:
	from frappe import _
except ImportError:  # portable tier: Frappe is not installed

	def _(msg: str, lang: str | None = None, context: str | None = None) -> str:
		return msg


_MONTHS = (
	"January",
	"February",
	"March",
	"April",
	"May",
	"June",
	"July",
	"August",
	"September",
	"October",
	"November",
	"December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def english_date(value: date, weekday: bool = False) -> str:
	"""A date as an English reader writes it, whatever the server locale: "3 March 2026",
	or with `weekday` "Tuesday 3 March 2026"."""
	text = f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
	return f"{_WEEKDAYS[value.weekday()]} {text}" if weekday else text
