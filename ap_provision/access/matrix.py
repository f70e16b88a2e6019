"""The permission matrix of ap_provision: who may do what to which doctype, in one place.

This module is the single declaration. Three things are checked against it:

- ``tests/test_security_matrix.py`` (portable): every doctype's JSON ``permissions`` rows
  say exactly what the matrix says, every non-child doctype of the app has an entry, and
  ``docs/permissions.md`` is the rendering of this module (``python -m
  ap_provision.tests.security.render`` rewrites it);
- ``ap_provision/tests/security/test_security_suite.py`` (bench): a real user of every role
  acts through REST on real records and gets exactly the rights declared here, and scoped
  roles see only their own school's or provider's records.

Adding a doctype is one entry in :data:`MATRIX`. Rights are written as words
(``"read write create report export print"``); permission levels above 0 have their own
string; ``scope`` says how User Permissions narrow a role (:data:`SCOPES`).

No Frappe import here: the portable tier loads this module without a bench.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Rights shown in the matrix (and checked cell by cell on a site), in column order.
MATRIX_RIGHTS = ("read", "write", "create", "submit", "cancel", "delete", "report", "export", "print")
# Every right a DocPerm row can carry; the JSON must agree on all of them.
ALL_RIGHTS = (*MATRIX_RIGHTS, "amend", "email", "share", "import", "select")

APP_ROLES = (
	"AP Administrator",
	"PRT Officer",
	"Panel Chair",
	"Panel Member",
	"SEND Caseworker",
	"BOSS Practitioner",
	"School Referrer",
	"AP Provider User",
)
ROLES = ("System Manager", *APP_ROLES)

# How a role's User Permissions narrow what it sees. The value names the field of the
# doctype that must equal the user's permitted record ("name" for the master itself).
SCOPES = {
	"school": "School Referrer: only records of the user's own school (User Permission on School)",
	"provider": "AP Provider User: only records of the user's own provider (User Permission on AP Provider)",
}
SCOPE_LINK = {"school": "School", "provider": "AP Provider"}
SCOPED_ROLE = {"school": "School Referrer", "provider": "AP Provider User"}

FULL = "read write create delete report export print email share"
FULL_SUBMITTABLE = "read write create submit cancel amend delete report export print email share"
READ = "read report print"


@dataclass(frozen=True)
class Grant:
	"""What one role may do on one doctype."""

	rights: frozenset[str]
	levels: dict[int, frozenset[str]] = field(default_factory=dict)
	scope: str | None = None  # a key of SCOPES
	scope_field: str | None = None  # the field carrying the scope ("name" for the master)

	def at(self, permlevel: int) -> frozenset[str]:
		return self.rights if permlevel == 0 else self.levels.get(permlevel, frozenset())


def grant(rights: str, *, scope: str | None = None, scope_field: str | None = None, **levels: str) -> Grant:
	"""``grant("read write", l1="read", l3="read write", scope="school", scope_field="school")``."""
	words = frozenset(rights.split())
	unknown = words - set(ALL_RIGHTS)
	if unknown:
		raise ValueError(f"unknown rights {sorted(unknown)}")
	return Grant(
		rights=words,
		levels={int(k.removeprefix("l")): frozenset(v.split()) for k, v in levels.items()},
		scope=scope,
		scope_field=scope_field or (scope and SCOPE_LINK[scope].lower().replace(" ", "_")),
	)


@dataclass(frozen=True)
class DoctypeRules:
	roles: dict[str, Grant]
	levels: dict[int, str] = field(default_factory=dict)  # permlevel -> what it protects
	note: str = ""
	single: bool = False
	submittable: bool = False

	def permlevels(self) -> list[int]:
		return sorted({0, *self.levels, *(lvl for g in self.roles.values() for lvl in g.levels)})


# --------------------------------------------------------------------------------------
# The matrix
# --------------------------------------------------------------------------------------

MATRIX: dict[str, DoctypeRules] = {
	"School": DoctypeRules(
		note="Master of schools, named by URN.",
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print"),
			"Panel Chair": grant(READ),
			"Panel Member": grant(READ),
			"SEND Caseworker": grant(READ),
			"BOSS Practitioner": grant(READ),
			"School Referrer": grant("read print", scope="school", scope_field="name"),
		},
	),
	"AP Provider": DoctypeRules(
		note="Master of AP providers and their places.",
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print"),
			"Panel Chair": grant(READ),
			"Panel Member": grant(READ),
			"SEND Caseworker": grant(READ),
			"BOSS Practitioner": grant(READ),
			"AP Provider User": grant("read print", scope="provider", scope_field="name"),
		},
	),
	"Pupil": DoctypeRules(
		note=(
			"A child's record. Level 1 holds SEND data (EHC plan, caseworker, annual reviews): every "
			"role that reads a pupil reads it; level 1 decides who may change it."
		),
		levels={1: "SEND and EHC plan details (written by the school, the PRT and SEND caseworkers)"},
		roles={
			"System Manager": grant(FULL, l1="read write"),
			"AP Administrator": grant(FULL, l1="read write"),
			"PRT Officer": grant("read write create report export print email", l1="read write"),
			"Panel Chair": grant(READ, l1="read"),
			"Panel Member": grant(READ, l1="read"),
			"SEND Caseworker": grant("read write report print", l1="read write"),
			"BOSS Practitioner": grant(READ, l1="read"),
			"School Referrer": grant("read write create print", l1="read write", scope="school"),
		},
	),
	"Referral": DoctypeRules(
		submittable=True,
		note=(
			"Moves through the Referral workflow; who may take each action is in the workflow "
			"table below. Schools edit only Draft and More Information Requested referrals. The "
			"PRT's notes and recommendation are in Referral Triage, which the school cannot read."
		),
		levels={
			1: "received date, panel assignment and its override (PRT writes)",
			3: "panel decision: provider, start date, reasons (Panel Chair writes)",
		},
		roles={
			"System Manager": grant(FULL_SUBMITTABLE, l1="read write", l3="read write"),
			"AP Administrator": grant(FULL_SUBMITTABLE, l1="read write", l3="read write"),
			"PRT Officer": grant(
				"read write create submit cancel amend report export print email share",
				l1="read write",
				l3="read",
			),
			"Panel Chair": grant("read write submit report print email", l1="read", l3="read write"),
			"Panel Member": grant(READ, l1="read", l3="read"),
			"SEND Caseworker": grant(READ, l1="read", l3="read"),
			"BOSS Practitioner": grant(READ, l1="read", l3="read"),
			"School Referrer": grant("read write create print", l1="read", l3="read", scope="school"),
		},
	),
	"Referral Triage": DoctypeRules(
		note=(
			"The PRT's notes on a referral and its recommendation to the panel, one per referral. "
			"Schools, SEND caseworkers, BOSS practitioners and providers have no permission on it."
		),
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print email"),
			"Panel Chair": grant(READ),
			"Panel Member": grant(READ),
		},
	),
	"EHC Assessment": DoctypeRules(
		note="EHC evidence for a referral (R7-R11), started automatically for EHC pupils.",
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print email"),
			"SEND Caseworker": grant("read write report print"),
			"School Referrer": grant("read write create print", scope="school"),
			"Panel Chair": grant(READ),
			"Panel Member": grant(READ),
		},
	),
	"Panel": DoctypeRules(
		note="A fortnightly panel: date, deadline, chair, members, agenda, minutes.",
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print email"),
			"Panel Chair": grant("read write report print email"),
			"Panel Member": grant(READ),
			"SEND Caseworker": grant(READ),
			"BOSS Practitioner": grant(READ),
		},
	),
	"LA Closure": DoctypeRules(
		note="Closure weeks and bank holidays the panel schedule skips.",
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print"),
			"Panel Chair": grant("read report"),
			"Panel Member": grant("read report"),
			"SEND Caseworker": grant("read report"),
			"BOSS Practitioner": grant("read report"),
		},
	),
	"AP Settings": DoctypeRules(
		single=True,
		note="Single: service settings and the LA letterhead.",
		roles={
			"System Manager": grant("read write print email share"),
			"AP Administrator": grant("read write print"),
			"PRT Officer": grant("read"),
			"Panel Chair": grant("read"),
			"Panel Member": grant("read"),
			"SEND Caseworker": grant("read"),
			"BOSS Practitioner": grant("read"),
		},
	),
	"Placement": DoctypeRules(
		note=(
			"A pupil's placement at a provider, made from an approved referral (R4, R5, R12). "
			"Schools and providers read their own; the PRT runs it. Its safeguarding arrangements "
			"are in Placement Safeguarding, which the panel does not read."
		),
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print email"),
			"Panel Chair": grant(READ),
			"Panel Member": grant(READ),
			"SEND Caseworker": grant(READ),
			"BOSS Practitioner": grant(READ),
			"School Referrer": grant("read print", scope="school"),
			"AP Provider User": grant("read print", scope="provider", scope_field="provider"),
		},
	),
	"Placement Safeguarding": DoctypeRules(
		note=(
			"A placement's safeguarding arrangements and designated safeguarding leads (R5), one per "
			"placement: the PRT records them; the school, the provider, SEND and BOSS read them; the "
			"panel has no permission on them."
		),
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print email"),
			"SEND Caseworker": grant(READ),
			"BOSS Practitioner": grant(READ),
			"School Referrer": grant("read print", scope="school"),
			"AP Provider User": grant("read print", scope="provider", scope_field="provider"),
		},
	),
	"Placement Update": DoctypeRules(
		note="The provider's report for a period: attendance marks, behaviour, progress (R5).",
		levels={1: "safeguarding concern and its details"},
		roles={
			"System Manager": grant(FULL, l1="read write"),
			"AP Administrator": grant(FULL, l1="read write"),
			"PRT Officer": grant("read write create report export print email", l1="read write"),
			"SEND Caseworker": grant(READ, l1="read"),
			"BOSS Practitioner": grant(READ, l1="read"),
			"School Referrer": grant("read print", l1="read", scope="school"),
			"AP Provider User": grant(
				"read write create print", l1="read write", scope="provider", scope_field="provider"
			),
		},
	),
	"Review": DoctypeRules(
		submittable=True,
		note="A review meeting of a placement (R6, R10, R13): a draft is scheduled, submitted is held.",
		levels={1: "EHC plan: concerns, caseworker and plan amendments (PRT and SEND caseworkers write)"},
		roles={
			"System Manager": grant(FULL_SUBMITTABLE, l1="read write"),
			"AP Administrator": grant(FULL_SUBMITTABLE, l1="read write"),
			"PRT Officer": grant(
				"read write create submit cancel amend report export print email share", l1="read write"
			),
			"SEND Caseworker": grant("read write create submit report print email", l1="read write"),
			"BOSS Practitioner": grant(READ, l1="read"),
			"Panel Chair": grant(READ, l1="read"),
			"Panel Member": grant(READ, l1="read"),
			"School Referrer": grant("read print", l1="read", scope="school"),
			"AP Provider User": grant("read print", l1="read", scope="provider", scope_field="provider"),
		},
	),
	"Placement Alert": DoctypeRules(
		note="Log of alerts sent about placements, so a daily job never sends one twice.",
		roles={
			"System Manager": grant("read delete report export"),
			"AP Administrator": grant("read delete report export"),
			"PRT Officer": grant("read report"),
		},
	),
	"Part-time Arrangement": DoctypeRules(
		note=(
			"A placed pupil's temporary part-time timetable below full time: reason, the "
			"parent's agreement, end and review dates. The PRT records it; schools and providers read "
			"their own."
		),
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print email"),
			"Panel Chair": grant(READ),
			"Panel Member": grant(READ),
			"SEND Caseworker": grant(READ),
			"BOSS Practitioner": grant(READ),
			"School Referrer": grant("read print", scope="school"),
			"AP Provider User": grant("read print", scope="provider", scope_field="provider"),
		},
	),
	"Pupil Social Care": DoctypeRules(
		note=(
			"Pupils who need more eyes: looked-after status, responsible authority and "
			"virtual school head, child in need / child protection plan and social worker, youth "
			"justice worker; one per pupil. Schools, providers and BOSS practitioners have no "
			"permission on it."
		),
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print email"),
			"Panel Chair": grant(READ),
			"Panel Member": grant(READ),
			"SEND Caseworker": grant(READ),
		},
	),
	"AP Session Mark": DoctypeRules(
		note=(
			"The provider's mark of one session (AM or PM) of a placed pupil on one day: the daily "
			"register. The provider marks its own; the school reads its pupils' marks."
		),
		roles={
			"System Manager": grant(FULL),
			"AP Administrator": grant(FULL),
			"PRT Officer": grant("read write create report export print email"),
			"SEND Caseworker": grant(READ),
			"BOSS Practitioner": grant(READ),
			"School Referrer": grant("read print", scope="school"),
			"AP Provider User": grant("read write create print", scope="provider", scope_field="provider"),
		},
	),
}

# Child tables take their parent's permissions; listed so the checker knows every doctype.
CHILD_TABLES: dict[str, str] = {
	"EHC Professional Advice": "EHC Assessment",
	"Panel Agenda Item": "Panel",
	"Panel Attendance": "Panel",
	"AP Provider Check": "AP Provider",
	"AP Provider Closure": "AP Provider",
	"Placement Stakeholder": "Placement",
	"Placement Attendance Day": "Placement Update",
	"Review Attendee": "Review",
	"Review Action": "Review",
	"Placement Session": "Placement",
}


def rights_of(doctype: str, role: str, permlevel: int = 0) -> frozenset[str]:
	rules = MATRIX[doctype]
	g = rules.roles.get(role)
	return g.at(permlevel) if g else frozenset()


def cells() -> list[tuple[str, str, str, bool]]:
	"""Every (doctype, role, right, allowed) cell of the matrix at permission level 0."""
	out = []
	for doctype, rules in MATRIX.items():
		for role in APP_ROLES:
			for right in MATRIX_RIGHTS:
				if right in ("submit", "cancel") and not rules.submittable:
					continue
				if rules.single and right in ("create", "delete", "report", "export"):
					continue
				out.append((doctype, role, right, right in rights_of(doctype, role)))
	return out


def rows_from_json(permissions: list[dict]) -> dict[tuple[str, int], frozenset[str]]:
	"""DocPerm rows of a doctype JSON as {(role, permlevel): rights}."""
	rows: dict[tuple[str, int], frozenset[str]] = {}
	for row in permissions:
		key = (row["role"], int(row.get("permlevel") or 0))
		if row.get("if_owner"):
			key = (row["role"] + " (if owner)", key[1])
		granted = frozenset(r for r in ALL_RIGHTS if row.get(r))
		rows[key] = rows.get(key, frozenset()) | granted
	return rows


def rows_from_matrix(doctype: str) -> dict[tuple[str, int], frozenset[str]]:
	rules = MATRIX[doctype]
	rows = {}
	for role, g in rules.roles.items():
		for level in rules.permlevels():
			if g.at(level):
				rows[(role, level)] = g.at(level)
	return rows


def differences(doctype: str, permissions: list[dict]) -> list[str]:
	"""How a doctype's JSON permissions differ from the matrix (empty when they agree)."""
	declared = rows_from_matrix(doctype)
	actual = rows_from_json(permissions)
	problems = []
	for key in sorted(set(declared) | set(actual)):
		want, got = declared.get(key, frozenset()), actual.get(key, frozenset())
		if want != got:
			role, level = key
			problems.append(
				f"{doctype}: {role} at level {level}: matrix says {sorted(want)}, JSON says {sorted(got)}"
				+ (f" (JSON adds {sorted(got - want)})" if got - want else "")
				+ (f" (JSON lacks {sorted(want - got)})" if want - got else "")
			)
	return problems
