"""The figures of one run of the security suite, printed at its end (bench tier)."""

FIGURES = {
	"cells checked": 0,
	"scope checks": 0,
	"payloads tried": 0,
	"5xx": 0,
	"5xx in Frappe before app code": 0,
	"tracebacks": 0,
	"partial writes": 0,
	"unescaped stored script": 0,
	"race runs": 0,
	"duplicates": 0,
}


def add(key: str, n: int = 1):
	FIGURES[key] = FIGURES.get(key, 0) + n


def summary() -> str:
	return "security suite: " + ", ".join(f"{k} {v}" for k, v in FIGURES.items())
