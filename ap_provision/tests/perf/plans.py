"""Checks of a query plan (MariaDB's EXPLAIN rows), in plain Python: the benchmark's plan
verdict and the bench tier's index test use them, the portable tier tests them.

A plan fails when any of its rows reads a whole table of more than ``FULL_SCAN_ROWS`` rows
(``type`` ALL), whatever ``possible_keys`` lists: an index the optimizer does not use does
not serve the query.
"""

import re

FULL_SCAN_ROWS = 1000
_ALIAS = re.compile(r"`(tab[^`]+)`(?:\s+(?:as\s+)?(?!on\b|where\b|left\b|join\b|inner\b)(\w+))?", re.I)


def table_names(sql: str) -> dict[str, str]:
	"""What each table of `sql` is called in its plan (its alias, or its own name) -> the table."""
	out = {}
	for table, alias in _ALIAS.findall(sql):
		out[table] = table
		if alias:
			out[alias] = table
	return out


def plan_problems(plan: list[dict], sql: str, table_rows: dict[str, int]) -> list[str]:
	"""The rows of `plan` that scan a whole table of more than FULL_SCAN_ROWS rows.

	`table_rows`: rows per table (information_schema.tables.table_rows); a row of the plan
	naming a table not there (a derived table, a subquery) is judged by its own row estimate.
	"""
	names = table_names(sql)
	problems = []
	for row in plan:
		if str(row.get("type") or "").upper() != "ALL":
			continue
		shown = row.get("table") or ""
		table = names.get(shown, shown)
		rows = table_rows.get(table)
		if rows is None:
			rows = int(row.get("rows") or 0)
		if rows > FULL_SCAN_ROWS:
			problems.append(f"full scan of {table} ({rows:,} rows)")
	return problems
