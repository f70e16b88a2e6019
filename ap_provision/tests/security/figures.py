"""The figures of one run of the security suite (bench tier), printed once at the end of the
run: the suite's modules add to them as they go, and the line is printed when the test
process exits (after Frappe's runner has reported), so one line covers every module that ran."""

import atexit

FIGURES = {
	"cells checked": 0,
	"scope checks": 0,
	"payloads tried": 0,
	"web form payloads": 0,
	"5xx": 0,
	"5xx in Frappe before app code": 0,
	"tracebacks": 0,
	"partial writes": 0,
	"unescaped stored script": 0,
	"race runs": 0,
	"duplicates": 0,
}
RACES: dict[str, int] = {}
SWEEP_LINES: list[str] = []
_printing = []
_suite_ran = []


def _print_at_exit():
	if not _printing:
		_printing.append(True)
		atexit.register(print_summary)


def add(key: str, n: int = 1):
	FIGURES[key] = FIGURES.get(key, 0) + n
	_suite_ran.append(True)
	_print_at_exit()


def sweep(line: str):
	"""The isolation sweep's figures line ("isolation sweep: ..."), printed at the end of the run."""
	SWEEP_LINES.append(line)
	_print_at_exit()


def race(kind: str):
	"""One run of a race of ``kind`` (two requests released together)."""
	RACES[kind] = RACES.get(kind, 0) + 1
	add("race runs")


def summary() -> str:
	parts = []
	for key, value in FIGURES.items():
		if key == "race runs" and RACES:
			kinds = ", ".join(f"{kind} {n}" for kind, n in RACES.items())
			parts.append(f"race runs {value} ({kinds})")
		else:
			parts.append(f"{key} {value}")
	return "security suite: " + ", ".join(parts)


def print_summary():
	"""One line each, beginning ``figures: `` (scripts/test.sh repeats those lines in its summary)."""
	if _suite_ran:
		print("\nfigures: " + summary(), flush=True)
	for line in SWEEP_LINES:
		print("\nfigures: " + line, flush=True)
