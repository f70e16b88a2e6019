"""A seeded generator of a whole region's alternative provision, for the benchmark.

``generate(referrals=100_000, seed=...)`` writes schools, providers, users, a fortnightly
panel schedule, pupils, referrals in every workflow state, EHC evidence, panel agendas,
placements of the approved referrals with their stakeholders, weekly provider updates with
attendance marks, and submitted reviews, as the controllers would have left them, without
running the controllers (100,000 referrals through them would take hours on two CPUs).

Every derived value comes from the same rules the controllers call (``ap_provision.rules``):
year groups and key stages (R3), panel choice and lateness (R1), EHC completeness (R7-R11),
planned end dates, funding (R12), attendance summaries (R5), review outcomes and the
placement statuses they lead to (R6). Names follow the naming series and the series
counters are moved on, so documents made afterwards through the controllers continue them.

The same seed, size and ``today`` give the same data. Rows go in with multi-row INSERTs in
batches, committed after each batch unless ``commit=False`` (tests).
"""

import bisect
import math
import random
import time
from collections import defaultdict
from datetime import date, datetime, timedelta

import frappe
from frappe.utils import getdate
from stdnum.gb import upn as stdnum_upn

from ap_provision.ap_provision.doctype.ap_settings.ap_settings import deadline_weekday, get_settings
from ap_provision.rules import (
	academic,
	attendance,
	deadlines,
	ehc,
	funding,
	hours,
	placements,
	register,
	reviews,
)
from ap_provision.tests.factories import (
	make_user as ensure_user,  # the perf site's users, as the tests make them
)

DEFAULT_SEED = 20261127
PERF_LA = "203"  # UPNs of generated pupils use this LA number (tests' factories use 202)
PERF_URN_BASE = 300000  # generated schools' URNs
PERF_PROVIDER_URN_BASE = 400000
ADMIN = "Administrator"

PRT_USER = "perf-prt@example.org"
CHAIR_USER = "perf-chair@example.org"
SCHOOL_USER = "perf-school@example.org"
PROVIDER_USER = "perf-provider@example.org"
CASEWORKERS = tuple(f"perf-caseworker-{i}@example.org" for i in range(1, 5))

# Key stage of the referred pupil, year numbers within it, and shares (DfE AP census: most
# referrals are KS3, then KS4 and KS2).
KEY_STAGE_SHARE = {"KS1": 6, "KS2": 22, "KS3": 44, "KS4": 28}
KEY_STAGE_YEARS = {"KS1": (1, 2), "KS2": (3, 6), "KS3": (7, 9), "KS4": (10, 11)}
EHC_SHARE = 0.16
RE_REFERRAL_SHARE = 0.07
ABSENCE_REASONS = [r for r in attendance.ABSENCE_REASONS if r != attendance.UNEXPLAINED]

FIRST_NAMES = (
	"Oliver George Harry Noah Jack Leo Arthur Muhammad Oscar Charlie Jacob Thomas Alfie Freddie "
	"Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Florence Evie Poppy Ella"
).split()
LAST_NAMES = (
	"Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson "
	"Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner "
	"Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott"
).split()
PLACES = "Ashford Barton Clifton Denby Eastwood Fairfield Greenhill Hillside Kingsway Longford".split()
REASONS = (
	"Persistent disruptive behaviour despite the school's behaviour plan and BOSS outreach.",
	"Risk of permanent exclusion after repeated fixed-term suspensions.",
	"Emotionally based school avoidance; attendance below 50% this term.",
	"Physical assault on a peer; a fresh start away from the site is needed.",
	"Dysregulation in class linked to unmet needs; assessment under way.",
)

SERIES = {
	"Pupil": "PUP-",
	"Referral": "REF-{year}-",
	"EHC Assessment": "EHC-{year}-",
	"Placement": "PLC-{year}-",
	"Placement Update": "PLU-{year}-",
	"Review": "REV-{year}-",
	"Part-time Arrangement": "PTA-{year}-",
}
SERIES_DIGITS = 5


def generate(
	referrals: int = 10_000,
	seed: int = DEFAULT_SEED,
	today: str | date | None = None,
	batch: int = 5_000,
	commit: bool = True,
	verbose: bool = False,
	keep_names: bool = False,
) -> dict:
	"""Generate `referrals` referrals and everything around them; returns counts and timing
	(and with `keep_names`, the names of the records made, by doctype: see `remove`)."""
	generator = Generator(
		referrals, seed=seed, today=today, batch=batch, commit=commit, verbose=verbose, keep_names=keep_names
	)
	out = generator.run()
	if keep_names:
		out["made"] = {doctype: list(names) for doctype, names in generator.made.items()}
	return out


class Generator:
	def __init__(
		self,
		referrals,
		seed=DEFAULT_SEED,
		today=None,
		batch=5_000,
		commit=True,
		verbose=False,
		keep_names=False,
	):
		self.n = int(referrals)
		# doctype -> names of the records this run inserted (keep_names: to remove them again)
		self.made: dict[str, list[str]] | None = defaultdict(list) if keep_names else None
		self.seed = seed
		self.rng = random.Random(seed)
		self.today = getdate(today or frappe.utils.today())
		self.now = datetime.combine(self.today, datetime.min.time()) + timedelta(hours=18)
		self.years = max(2, min(10, math.ceil(self.n / 25_000)))
		self.start = self.today - timedelta(days=365 * self.years)
		self.batch = batch
		self.commit = commit
		self.verbose = verbose
		settings = get_settings()
		self.weeks = int(settings.placement_weeks or 16)
		self.update_days = int(settings.update_interval_days or 7)
		self.review_days = int(settings.review_interval_days or 42)
		self.cadence = int(settings.panel_cadence_days or 14)
		self.deadline_weekday = deadline_weekday()
		self.counters: dict[str, int] = {}
		self.counts: dict[str, int] = defaultdict(int)
		self.rows: dict[str, list[dict]] = defaultdict(list)
		self.agenda_idx: dict[str, int] = defaultdict(int)
		self.live_load: dict[tuple[str, str], int] = defaultdict(int)
		self.recent_pupils: list[frappe._dict] = []
		self.perf_school_referrals = 0
		self.social_care: set[str] = set()

	def log(self, message):
		if self.verbose:
			print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

	# -- the run ---------------------------------------------------------------------------

	def run(self) -> dict:
		started = time.monotonic()
		self.make_schools()
		self.flush()
		self.make_providers()
		self.make_users()
		self.make_panels()
		self.flush()
		when = self.referral_times()
		for first in range(0, self.n, self.batch):
			for created in when[first : first + self.batch]:
				self.make_referral(created)
			self.flush()
			self.log(f"{min(first + self.batch, self.n)} of {self.n} referrals")
		self.make_todos()
		self.size_providers()
		self.flush()
		self.save_counters()
		if self.commit:
			frappe.db.commit()
		return {
			"referrals": self.n,
			"seed": self.seed,
			"today": str(self.today),
			"years": self.years,
			"seconds": round(time.monotonic() - started, 1),
			"rows": dict(sorted(self.counts.items())),
		}

	# -- writing ---------------------------------------------------------------------------

	def add(self, doctype: str, row: dict):
		self.rows[doctype].append(row)

	def flush(self):
		for doctype, rows in self.rows.items():
			if rows:
				insert_rows(doctype, rows)
				self.counts[doctype] += len(rows)
				if self.made is not None:
					self.made[doctype].extend(row["name"] for row in rows)
		self.rows = defaultdict(list)
		if self.commit:
			frappe.db.commit()

	def next_name(self, doctype: str, when: datetime) -> str:
		prefix = SERIES[doctype].format(year=when.year)
		if prefix not in self.counters:
			self.counters[prefix] = frappe.db.get_value("Series", prefix, "current", order_by="name") or 0
		self.counters[prefix] += 1
		return prefix + str(self.counters[prefix]).zfill(SERIES_DIGITS)

	def save_counters(self):
		for prefix, current in self.counters.items():
			frappe.db.sql(
				"insert into `tabSeries` (name, current) values (%s, %s) "
				"on duplicate key update current = greatest(current, values(current))",
				(prefix, current),
			)

	@staticmethod
	def base(name, when, owner=ADMIN, modified=None, docstatus=0) -> dict:
		return {
			"name": name,
			"creation": when,
			"modified": modified or when,
			"owner": owner,
			"modified_by": owner,
			"docstatus": docstatus,
			"idx": 0,
		}

	def child(self, doctype, parenttype, parent, parentfield, idx, when, docstatus=0, **values):
		row = self.base(f"{parent}-{parentfield[:3]}{idx}", when, docstatus=docstatus)
		row.update(parent=parent, parenttype=parenttype, parentfield=parentfield, idx=idx, **values)
		self.add(doctype, row)

	# -- masters ---------------------------------------------------------------------------

	def make_schools(self):
		count = len(generated_schools(self.n))
		existing = set(frappe.get_all("School", pluck="name"))
		self.primary, self.secondary = [], []  # (urn, cumulative weight)
		self.school_names = {}
		created = datetime.combine(self.start, datetime.min.time()) + timedelta(hours=9)
		for i in range(count):
			urn = str(PERF_URN_BASE + i)
			if i == 0:
				phase = "All-through"
			else:
				phase = self.rng.choices(
					["Primary", "Secondary", "All-through", "Special"], weights=[72, 22, 2, 4]
				)[0]
			name = f"{self.rng.choice(PLACES)} {self.rng.choice(LAST_NAMES)} {'Academy' if phase != 'Primary' else 'Primary School'} {i}"
			weight = self.rng.lognormvariate(0, 0.7) * (3 if phase == "Secondary" else 1)
			if i == 0:
				weight = 12.0  # the benchmark's school: a busy all-through school
			head = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
			senco = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
			self.school_names[urn] = name
			if phase in ("Primary", "All-through", "Special"):
				self.primary.append((urn, weight))
			if phase in ("Secondary", "All-through", "Special"):
				self.secondary.append((urn, weight))
			if urn in existing:
				continue
			row = self.base(urn, created)
			row.update(
				school_name=name,
				urn=urn,
				phase=phase,
				is_active=1,
				headteacher=head,
				senco_name=senco,
				email=f"office@{urn}.school.example.org",
			)
			self.add("School", row)
		self.primary_pick = _picker(self.primary)
		self.secondary_pick = _picker(self.secondary)
		self.perf_school = str(PERF_URN_BASE)

	def make_providers(self):
		"""Providers go through their controller (due diligence, checks): a few dozen at most."""
		count = min(120, max(8, self.n // 1000))
		self.providers = {ks: [] for ks in KEY_STAGE_SHARE}
		self.provider_names = []
		types = ["Pupil Referral Unit", "AP Academy or Free School", "Independent School"]
		for i in range(count):
			name = f"{PLACES[i % len(PLACES)]} AP Centre {i}"
			serves = (
				("KS1", "KS2", "KS3")
				if i % 4 == 1
				else ("KS3", "KS4")
				if i % 4 == 2
				else tuple(KEY_STAGE_SHARE)
			)
			contact = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
			if not frappe.db.exists("AP Provider", name):
				doc = frappe.get_doc(
					{
						"doctype": "AP Provider",
						"provider_name": name,
						"provider_type": types[i % len(types)],
						"is_active": 1,
						"registration_status": "Registered school",
						"urn": str(PERF_PROVIDER_URN_BASE + i),
						"contact_name": contact,
						"email": f"office{i}@provider.example.org",
						"safeguarding_checks": [
							{
								"check_type": check,
								"checked_on": self.start - timedelta(days=30),
								"expires_on": self.today + timedelta(days=730),
								"checked_by": "PRT due diligence",
							}
							for check in ("Enhanced DBS checks of staff", "Safeguarding policy")
						],
						**{f"serves_{ks.lower()}": int(ks in serves) for ks in KEY_STAGE_SHARE},
						**{f"capacity_{ks.lower()}": 10 if ks in serves else 0 for ks in KEY_STAGE_SHARE},
					}
				)
				doc.insert(ignore_permissions=True)
				self.counts["AP Provider"] += 1
				if self.made is not None:
					self.made["AP Provider"].append(doc.name)
			self.provider_names.append(name)
			for ks in serves:
				self.providers[ks].append(name)
		self.perf_provider = self.provider_names[0]

	def make_users(self):
		"""The benchmark's users, through the User controller (a handful)."""
		ensure_user(PRT_USER, ["PRT Officer"])
		ensure_user(CHAIR_USER, ["Panel Chair", "Panel Member"])
		for email in CASEWORKERS:
			ensure_user(email, ["SEND Caseworker"])
		ensure_user(SCHOOL_USER, ["School Referrer"], school=self.perf_school)
		ensure_user(PROVIDER_USER, ["AP Provider User"], provider=self.perf_provider)

	def make_panels(self):
		first = self.start + timedelta(days=(2 - self.start.weekday()) % 7)  # a Wednesday
		last = self.today + timedelta(weeks=12)
		existing = set(frappe.get_all("Panel", pluck="name"))
		self.panels = []  # (deadline, panel_date, name, status), by date
		day = first
		while day <= last:
			if not (day.month == 8 or (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 4)):
				deadline = deadlines.referral_deadline(day, self.deadline_weekday)
				status = (
					"Closed"
					if day < self.today
					else "Agenda Closed"
					if deadline < self.today
					else "Scheduled"
				)
				name = f"PANEL-{day}"
				self.panels.append((deadline, day, name, status))
				if name not in existing:
					self.add_panel(name, day, deadline, status)
			day += timedelta(days=self.cadence)
		self.panel_deadlines = [p[0] for p in self.panels]
		for parent, idx in frappe.db.sql(
			"select parent, max(idx) from `tabPanel Agenda Item` where parenttype = 'Panel' group by parent"
		):
			self.agenda_idx[parent] = int(idx or 0)
		self.on_time_notes = {
			p[2]: frappe._("Received in time for the panel on {0} (deadline {1}).").format(
				frappe.format(p[1], "Date"), frappe.format(p[0], "Date")
			)
			for p in self.panels
		}

	def add_panel(self, name, day, deadline, status):
		created = datetime.combine(day - timedelta(days=90), datetime.min.time()) + timedelta(hours=9)
		held = status == "Closed"
		modified = datetime.combine(day + timedelta(days=1), datetime.min.time()) + timedelta(hours=10)
		row = self.base(name, created, PRT_USER, modified if held else created)
		row.update(
			panel_date=day,
			referral_deadline=deadline,
			status=status,
			chair=CHAIR_USER,
			chair_name="perf-chair",
			venue="County Hall, Committee Room 2",
			minutes=f"<p>Panel held on {day}. Decisions as recorded on the agenda.</p>" if held else None,
		)
		self.add("Panel", row)
		for idx, (member, role) in enumerate(
			((CHAIR_USER, "Chair"), (PRT_USER, "PRT"), (CASEWORKERS[0], "SEND")), 1
		):
			self.child(
				"Panel Attendance",
				"Panel",
				name,
				"members",
				idx,
				created,
				member=member,
				member_name=member.split("@")[0],
				panel_role=role,
				attendance="Attended" if held else "Expected",
			)

	# -- referrals -----------------------------------------------------------------------------

	def referral_times(self) -> list[datetime]:
		"""When each referral was created: working hours on weekdays, spread over the years."""
		span = (self.today - self.start).days
		out = []
		while len(out) < self.n:
			day = self.start + timedelta(days=self.rng.randrange(span))
			if day.weekday() > 4:
				continue
			out.append(
				datetime.combine(day, datetime.min.time())
				+ timedelta(seconds=self.rng.randrange(8 * 3600, 17 * 3600))
			)
		out.sort()
		return out

	def choose_pupil(self, created: datetime):
		on = created.date()
		if self.recent_pupils and self.rng.random() < RE_REFERRAL_SHARE:
			pupil = self.rng.choice(self.recent_pupils)
			year_group = academic.year_group_for(pupil.date_of_birth, on)
			if year_group and year_group != "Reception":
				return pupil, year_group
		ks = self.rng.choices(list(KEY_STAGE_SHARE), weights=list(KEY_STAGE_SHARE.values()))[0]
		year = self.rng.randint(*KEY_STAGE_YEARS[ks])
		school = (self.primary_pick if ks in ("KS1", "KS2") else self.secondary_pick)(self.rng)
		return self.make_pupil(created, school, year), academic.YEAR_GROUPS[year]

	def make_pupil(self, created: datetime, school: str, year: int):
		# Age on 31 August of this academic year is year + 4 (R3).
		cutoff_year = academic.academic_year_start(created.date()).year
		first_day = date(cutoff_year - year - 5, 9, 1)
		dob = first_day + timedelta(days=self.rng.randrange(365))
		name = self.next_name("Pupil", created)
		number = int(name.split("-")[-1])
		body = f"{PERF_LA}{number:09d}"
		has_ehc = self.rng.random() < EHC_SHARE
		year_group = academic.year_group_for(dob, self.today)
		first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
		pupil = frappe._dict(
			name=name,
			full_name=f"{first} {last}",
			school=school,
			date_of_birth=dob,
			has_ehc_plan=int(has_ehc),
			send_caseworker=self.rng.choice(CASEWORKERS) if has_ehc else None,
			year_group=year_group,
		)
		row = self.base(name, created, self.owner_for(school))
		last_review = self.today - timedelta(days=self.rng.randrange(30, 330)) if has_ehc else None
		row.update(
			naming_series="PUP-.#####",
			first_name=first,
			last_name=last,
			full_name=pupil.full_name,
			date_of_birth=dob,
			upn=stdnum_upn.calc_check_digit(body) + body,
			school=school,
			school_name=self.school_names[school],
			year_group=year_group,
			key_stage=academic.key_stage_for(year_group) if year_group else None,
			has_ehc_plan=int(has_ehc),
			send_caseworker=pupil.send_caseworker,
			last_annual_review_date=last_review,
			next_annual_review_due=last_review.replace(year=last_review.year + 1)
			if last_review and not (last_review.month == 2 and last_review.day == 29)
			else None,
		)
		self.add("Pupil", row)
		self.recent_pupils.append(pupil)
		if len(self.recent_pupils) > 2000:
			self.recent_pupils = self.recent_pupils[-1000:]
		return pupil

	def owner_for(self, school: str) -> str:
		return SCHOOL_USER if school == self.perf_school else ADMIN

	def make_referral(self, created: datetime):
		pupil, year_group = self.choose_pupil(created)
		ks = academic.key_stage_for(year_group)
		name = self.next_name("Referral", created)
		owner = self.owner_for(pupil.school)
		r = frappe._dict(
			naming_series="REF-.YYYY.-.#####",
			pupil=pupil.name,
			pupil_name=pupil.full_name,
			school=pupil.school,
			school_name=self.school_names[pupil.school],
			year_group=year_group,
			key_stage=ks,
			referral_type=academic.referral_type_for(ks),
			has_ehc_plan=pupil.has_ehc_plan,
			send_caseworker=pupil.send_caseworker,
			reason_for_referral=self.rng.choice(REASONS),
			support_already_given="Behaviour plan, mentoring, BOSS outreach sessions, part-time timetable.",
			hoped_for_outcome="Re-engagement with learning and a planned return to the school.",
			boss_report=None,
			specialist_advice=None,
			specialist_advice_source=None,
			ehc_assessment=None,
			ehc_completeness=None,
			ehc_missing_items=None,
			received_on=None,
			panel=None,
			panel_date=None,
			late_referral=0,
			panel_note=None,
			provider=None,
			provider_name=None,
			expected_start_date=None,
			decision_reason=None,
			decision_conditions=None,
			decided_by=None,
			decided_on=None,
			workflow_state="Draft",
		)
		if self.rng.random() < 0.9:
			r.boss_report = f"/private/files/boss-report-{name}.pdf"
		else:
			r.specialist_advice = f"/private/files/advice-{name}.pdf"
			r.specialist_advice_source = "Educational Psychologist"
		docstatus = 0
		modified = created
		agenda = []  # (panel, decision)
		is_draft = created.date() >= self.today - timedelta(days=21) and self.rng.random() < 0.35
		received = created + timedelta(minutes=self.rng.randrange(5, 120))
		i = bisect.bisect_left(self.panel_deadlines, received.date())
		if not is_draft and i < len(self.panels):
			panel = self.panels[i]
			r.received_on = received
			self.set_panel(r, i, received)
			modified = received
			if panel[1] < self.today:
				docstatus, modified, agenda = self.decide(r, i, received)
			else:
				weights = (85, 10, 5, 0) if panel[3] == "Agenda Closed" else (50, 10, 5, 35)
				state = self.rng.choices(
					["Accepted for Panel", "More Information Requested", "Withdrawn", "Submitted"],
					weights=weights,
				)[0]
				r.workflow_state = state
				if state == "Accepted for Panel":
					agenda = [(i, None)]
					r.prt_notes = "Triage complete: evidence sufficient for panel."
				modified = min(received + timedelta(days=2), self.now)
		if r.has_ehc_plan:
			self.make_ehc_assessment(r, name, pupil, created)
		row = self.base(name, created, owner, modified, docstatus)
		row.update(r)
		# The PRT's notes and recommendation are a Referral Triage of their own.
		triage = {k: row.pop(k) for k in ("prt_notes", "recommendation") if k in row}
		self.add("Referral", row)
		if pupil.school == self.perf_school:
			self.perf_school_referrals += 1
		if triage:
			self.add(
				"Referral Triage",
				{
					**self.base(name, received, PRT_USER, modified),
					"referral": name,
					"pupil_name": r.pupil_name,
					"school": r.school,
					"panel": r.panel,
					"referral_state": r.workflow_state,
					"prt_notes": triage.get("prt_notes"),
					"recommendation": triage.get("recommendation"),
				},
			)
		for panel_index, decision in agenda:
			self.add_agenda_row(name, r, panel_index, decision, created)
		if r.workflow_state == "Approved":
			self.make_placement(name, r, pupil)

	def set_panel(self, r, i, received: datetime):
		"""R1: the earliest panel whose deadline is not before the received date; late when an
		earlier panel on or after that date was missed."""
		deadline, panel_date, name, _status = self.panels[i]
		r.panel, r.panel_date = name, panel_date
		missed = tuple(
			deadlines.PanelSlot(p[2], p[1], p[0])
			for p in self.panels[max(0, i - 2) : i]
			if p[1] >= received.date() and p[0] < received.date()
		)
		r.late_referral = int(bool(missed))
		r.panel_note = (
			deadlines.late_message(
				deadlines.PanelChoice(deadlines.PanelSlot(name, panel_date, deadline), missed)
			)
			if missed
			else self.on_time_notes[name]
		)

	def decide(self, r, i, received):
		"""A referral whose panel has sat: decided there (or deferred to the next one), or withdrawn."""
		outcome = self.rng.choices(["Approved", "Declined", "Deferred", "Withdrawn"], weights=[64, 16, 8, 6])[
			0
		]
		if outcome == "Withdrawn":
			r.workflow_state = "Withdrawn"
			return 0, received + timedelta(days=self.rng.randrange(1, 7)), []
		agenda = []
		r.prt_notes = "Triage complete: evidence sufficient for panel."
		if outcome == "Deferred":
			agenda.append((i, "Deferred"))
			if i + 1 >= len(self.panels):
				r.workflow_state = "Deferred"
				return 0, received, agenda
			i += 1
			deadline, panel_date, name, _status = self.panels[i]
			r.panel, r.panel_date = name, panel_date
			if panel_date >= self.today:
				r.workflow_state = "Accepted for Panel"
				agenda.append((i, None))
				return 0, self.now, agenda
			outcome = self.rng.choices(["Approved", "Declined"], weights=[75, 25])[0]
		panel_date = self.panels[i][1]
		decided_on = datetime.combine(panel_date, datetime.min.time()) + timedelta(
			hours=10, minutes=self.rng.randrange(0, 180)
		)
		r.workflow_state = outcome
		r.decided_by = CHAIR_USER
		r.decided_on = decided_on
		r.recommendation = "PRT recommends a placement." if outcome == "Approved" else None
		if outcome == "Approved":
			provider = self.rng.choice(self.providers[r.key_stage])
			r.provider = r.provider_name = provider
			start = panel_date + timedelta(days=self.rng.randrange(7, 22))
			r.expected_start_date = start - timedelta(days=start.weekday())  # a Monday
			r.decision_conditions = "Admission meeting before the start." if self.rng.random() < 0.3 else None
		else:
			r.decision_reason = "Needs can be met in school with the BOSS plan; re-refer if no progress."
		agenda.append((i, outcome))
		return 1, decided_on, agenda

	def add_agenda_row(self, referral, r, panel_index, decision, created):
		panel = self.panels[panel_index][2]
		self.agenda_idx[panel] += 1
		final = decision == r.workflow_state
		self.child(
			"Panel Agenda Item",
			"Panel",
			panel,
			"agenda",
			self.agenda_idx[panel],
			created,
			referral=referral,
			pupil=r.pupil,
			pupil_name=r.pupil_name,
			school=r.school,
			school_name=r.school_name,
			key_stage=r.key_stage,
			has_ehc_plan=r.has_ehc_plan,
			late_referral=r.late_referral,
			decision=decision,
			decision_reason=r.decision_reason if final else "Deferred for the updated BOSS report.",
			decision_conditions=r.decision_conditions if final else None,
			provider=r.provider if final else None,
			expected_start_date=r.expected_start_date if final else None,
		)

	def make_ehc_assessment(self, r, referral, pupil, created):
		"""EHC evidence: complete for a submitted referral, half answered for a draft."""
		name = self.next_name("EHC Assessment", created)
		pathway = ehc.pathway_for(r.key_stage)
		on = (r.received_on or created).date()
		answers = dict.fromkeys(q.fieldname for q in ehc.QUESTIONS)
		questions = ehc.questions_for(pathway)
		complete = r.workflow_state != "Draft" or self.rng.random() < 0.3
		for n, question in enumerate(questions):
			if not complete and n % 2:
				answers[question.fieldname] = None
				continue
			if question.fieldtype == "Select":
				value = "No"
			elif question.fieldtype == "Date":
				value = on - timedelta(days=730 if question.fieldname == "ehc_plan_since" else 100)
			elif question.fieldtype in ("Int", "Check"):
				value = 1
			else:
				value = f"{question.label}: see the attached plan and the school's evidence."
			answers[question.fieldname] = value
		answers["next_annual_review_due"] = on + timedelta(days=300)
		advice = [
			ehc.Advice(
				self.rng.choice(ehc.ADVICE_AGENCIES),
				on - timedelta(days=self.rng.randrange(10, 150)),
				True,
				True,
			)
		]
		missing = ehc.missing_items(pathway, answers)
		if problem := ehc.advice_problem(advice, on):
			missing.append(problem)
		answered, required = ehc.completeness(pathway, answers, advice)
		row = self.base(name, created, self.owner_for(r.school))
		row.update(
			naming_series="EHC-.YYYY.-.#####",
			referral=referral,
			pupil=r.pupil,
			pupil_name=r.pupil_name,
			school=r.school,
			pathway=pathway,
			is_complete=int(not missing),
			answered_count=answered,
			required_count=required,
			missing_items="\n".join(missing),
		)
		row.update(answers)
		self.add("EHC Assessment", row)
		for idx, a in enumerate(advice, 1):
			self.child(
				"EHC Professional Advice",
				"EHC Assessment",
				name,
				"professional_advice",
				idx,
				created,
				agency=a.agency,
				advice_date=a.advice_date,
				advice_summary="Strategies recommended; reviewed with the family.",
				implemented=1,
				reviewed=1,
			)
		r.ehc_assessment = name
		r.ehc_completeness = f"{answered} of {required} answered"
		r.ehc_missing_items = "\n".join(missing)

	# -- placements --------------------------------------------------------------------------

	def make_placement(self, referral, r, pupil):
		created = r.decided_on + timedelta(days=self.rng.randrange(1, 4), hours=1)
		if created > self.now:
			self.live_load[(r.provider, r.key_stage)] += 1  # an approved place waiting
			return
		name = self.next_name("Placement", created)
		ptype = placements.placement_type_for(r.key_stage)
		start = r.expected_start_date
		days = 5
		if ptype == placements.ALTERNATIVE_PATHWAY:
			days = self.rng.choices([5, 4, 3, 2, 1], weights=[40, 20, 20, 10, 10])[0]
		planned_end = placements.planned_end_date(start, self.weeks)
		status, actual_end, review_plan = self.placement_story(ptype, start, planned_end)
		ceased = funding.ehc_funding_ceased(r.key_stage, bool(pupil.has_ehc_plan), days)
		p = frappe._dict(
			naming_series="PLC-.YYYY.-.#####",
			referral=referral,
			pupil=r.pupil,
			pupil_name=r.pupil_name,
			school=r.school,
			school_name=r.school_name,
			status=status,
			key_stage=r.key_stage,
			placement_type=ptype,
			provider=r.provider,
			provider_name=r.provider,
			start_date=start,
			planned_end_date=planned_end,
			term_time_only=0,
			actual_end_date=actual_end,
			days_per_week=days,
			hours_per_week=placements.default_hours_per_week(days),
			admission_meeting_date=start - timedelta(days=3)
			if status != "Planned" or self.rng.random() < 0.5
			else None,
			safeguarding_recorded=1,
			has_ehc_plan=pupil.has_ehc_plan,
			send_caseworker=pupil.send_caseworker,
			funding_note=funding.funding_note(r.key_stage, bool(pupil.has_ehc_plan), days, start),
			ehc_funding_ceased=int(ceased),
			ehc_funding_ceased_from=start if ceased else None,
			awpu_retained=int(funding.awpu_retained()),
			last_update_date=None,
			next_update_due=None,
			last_review_date=None,
			next_review_date=None,
		)
		if status in placements.LIVE_STATUSES:
			self.live_load[(r.provider, r.key_stage)] += 1
		updates = self.make_updates(name, p, created)
		last_review, next_review = self.make_reviews(name, p, review_plan, updates, created)
		if status in placements.RUNNING_STATUSES:
			p.next_update_due = placements.next_due(p.last_update_date, start, self.update_days)
			p.last_review_date = last_review
			p.next_review_date = next_review or start + timedelta(days=self.review_days)
		elif status in placements.ENDED_STATUSES:
			p.last_review_date = last_review
		last_change = max(
			[created]
			+ [
				datetime.combine(d, datetime.min.time()) + timedelta(hours=16)
				for d in (actual_end, last_review)
				if d
			]
		)
		pattern = self.make_pattern(name, p, pupil, created)
		row = self.base(name, created, PRT_USER, min(last_change, self.now))
		row.update(p)
		self.add("Placement", row)
		self.make_full_time_records(name, p, pupil, pattern, created)
		self.add(
			"Placement Safeguarding",
			{
				**self.base(name, created, PRT_USER, created),
				"placement": name,
				"pupil_name": r.pupil_name,
				"school": r.school,
				"provider": r.provider,
				"safeguarding_arrangements": "DSLs named at both settings; concerns by phone to both the same day.",
				"provider_dsl": "Provider DSL",
				"school_dsl": "School DSL",
			},
		)
		roles = [placements.SCHOOL, placements.PROVIDER, placements.PARENT, placements.PUPIL, placements.PRT]
		if pupil.has_ehc_plan:
			roles.append(placements.CASEWORKER)
		meeting = p.admission_meeting_date
		for idx, role in enumerate(roles, 1):
			self.child(
				"Placement Stakeholder",
				"Placement",
				name,
				"stakeholders",
				idx,
				created,
				stakeholder_role=role,
				person_name=f"{role} contact",
				user=pupil.send_caseworker if role == placements.CASEWORKER else None,
				responsibilities=placements.DEFAULT_RESPONSIBILITIES[role],
				confirmed=int(bool(meeting)),
				confirmed_on=meeting,
			)

	# -- full-time education and the daily register ------------------------------------

	def make_pattern(self, name, p, pupil, created) -> list:
		"""The weekly pattern: the placement's days at the provider, the rest at school; one KS4
		pathway in four of those under 5 days part time (the other days with no education). Sets the hours on ``p``."""
		part_time = p.days_per_week < 5 and self.rng.random() < 0.25
		sessions = []
		for i, weekday in enumerate(hours.WEEKDAYS):
			where = (
				hours.AT_PROVIDER if i < p.days_per_week else hours.NOWHERE if part_time else hours.AT_SCHOOL
			)
			for idx_offset, (session, length) in enumerate((("AM", 3.0), ("PM", 2.0))):
				sessions.append(
					hours.Session(weekday, session, where, 0.0 if where == hours.NOWHERE else length)
				)
				self.child(
					"Placement Session",
					"Placement",
					name,
					"session_pattern",
					2 * i + idx_offset + 1,
					created,
					weekday=weekday,
					session=session,
					location=where,
					hours=sessions[-1].hours,
				)
		week = hours.weekly_hours(sessions, hours.full_time_hours(pupil.get("year_group")))
		p.update(
			ap_hours_per_week=week.at_provider,
			school_hours_per_week=week.at_school,
			total_hours_per_week=week.total,
			full_time_hours=week.full_time or 0,
			hours_gap=week.gap,
			below_full_time=int(week.below_full_time),
		)
		return sessions

	def make_full_time_records(self, name, p, pupil, sessions, created):
		"""A part-time arrangement for a placement below full time (most of them), a social care
		record for one pupil in sixteen, and the register of the last five school days of a
		running placement."""
		if p.below_full_time and self.rng.random() < 0.8:
			aname = self.next_name("Part-time Arrangement", created)
			start = p.start_date
			self.add(
				"Part-time Arrangement",
				{
					**self.base(aname, created, PRT_USER),
					"naming_series": "PTA-.YYYY.-.#####",
					"placement": name,
					"pupil": p.pupil,
					"pupil_name": p.pupil_name,
					"school": p.school,
					"provider": p.provider,
					"status": "Active" if p.status in placements.RUNNING_STATUSES else "Ended",
					"reason": "Part-week pathway while a college place is arranged.",
					"hours_per_week": p.total_hours_per_week,
					"full_time_hours": p.full_time_hours,
					"start_date": start,
					"end_date": start + timedelta(days=41),
					"review_date": start + timedelta(days=20),
					"parent_agreed": 1,
					"parent_agreed_on": start - timedelta(days=3),
				},
			)
		if self.rng.random() < 1 / 16 and pupil.name not in self.social_care:
			self.social_care.add(pupil.name)
			looked_after = self.rng.random() < 0.5
			self.add(
				"Pupil Social Care",
				{
					**self.base(pupil.name, created, PRT_USER),
					"pupil": pupil.name,
					"pupil_name": pupil.full_name,
					"school": p.school,
					"needs_more_eyes": 1,
					"looked_after": int(looked_after),
					"responsible_authority": "Perfshire County Council" if looked_after else None,
					"child_in_need": int(not looked_after),
					"social_worker": "Perf Social Worker",
					"social_worker_email": "social.worker@perf.example.org",
				},
			)
		if p.status not in placements.RUNNING_STATUSES:
			return
		day, days = self.today - timedelta(days=1), []
		while len(days) < 5:
			if day.weekday() < 5 and day >= p.start_date:
				days.append(day)
			day -= timedelta(days=1)
			if day < p.start_date:
				break
		for day in days:
			for session in hours.sessions_at_provider(sessions, hours.WEEKDAYS[day.weekday()]):
				roll = self.rng.random()
				mark, reason = (
					(attendance.PRESENT, None)
					if roll < 0.88
					else (attendance.LATE, None)
					if roll < 0.92
					else (attendance.ABSENT, self.rng.choice(ABSENCE_REASONS))
				)
				when = datetime.combine(day, datetime.min.time()) + timedelta(
					hours=9 if session == "AM" else 13
				)
				self.add(
					"AP Session Mark",
					{
						**self.base(f"{name}-{day}-{session}", when, PROVIDER_USER),
						"placement": name,
						"pupil": p.pupil,
						"pupil_name": p.pupil_name,
						"school": p.school,
						"provider": p.provider,
						"mark_date": day,
						"session": session,
						"mark": mark,
						"absence_reason": reason,
						"register_code": register.register_code(mark, reason),
						"marked_by": PROVIDER_USER,
					},
				)

	def placement_story(self, ptype, start, planned_end):
		"""Status today, actual end, and the reviews held: [(date, type, outcome)] (R6)."""
		if start > self.today:
			return "Planned", None, []
		intervention = ptype == placements.INTERVENTION_PLACEMENT
		fate = self.rng.choices(["full", "early", "transition"], weights=[80, 12, 0 if intervention else 8])[
			0
		]
		plan = []
		status = placements.ACTIVE
		end = None
		k = 1
		early_at = self.rng.randint(1, 2) if fate == "early" else None
		while True:
			review_date = start + timedelta(days=self.review_days * k)
			reintegrating_at = planned_end - timedelta(days=21)
			if (
				intervention
				and fate == "full"
				and status == placements.ACTIVE
				and review_date > reintegrating_at
			):
				review_date = reintegrating_at
			if fate != "early" and review_date >= planned_end:
				review_date = planned_end + timedelta(days=self.rng.randrange(0, 6))
			if fate == "transition" and review_date >= planned_end:
				if planned_end <= self.today:
					status, end = placements.TRANSITIONED, planned_end
				break
			if review_date > self.today:
				break
			rtype = (
				reviews.REINTEGRATION_PLANNING
				if status == placements.REINTEGRATING
				else reviews.FINAL
				if review_date >= planned_end
				else reviews.INTERIM
			)
			if fate == "early" and k == early_at:
				outcome = reviews.END_PLACEMENT
			elif review_date >= planned_end:
				outcome = reviews.REINTEGRATED if intervention else reviews.END_PLACEMENT
			elif intervention and status == placements.ACTIVE and review_date >= reintegrating_at:
				outcome = reviews.BEGIN_REINTEGRATION
			else:
				outcome = reviews.CONTINUE
			plan.append((review_date, rtype, outcome))
			new_status = reviews.status_after(outcome, review_date, planned_end)
			if new_status:
				status = new_status
				if status in placements.ENDED_STATUSES:
					end = review_date
					break
			k += 1
		return status, end, plan

	def make_updates(self, name, p, placement_created) -> list[frappe._dict]:
		"""Weekly provider reports with AM/PM marks, most weeks (R5)."""
		out = []
		if p.status == "Planned":
			return out
		last_day = min(self.today - timedelta(days=1), p.actual_end_date or self.today)
		week = 0
		while True:
			period_start = p.start_date + timedelta(days=7 * week)
			period_end = period_start + timedelta(days=4)
			week += 1
			if period_end > last_day:
				break
			if self.rng.random() > 0.9:
				continue  # a week the provider did not report
			created = datetime.combine(period_end, datetime.min.time()) + timedelta(
				days=self.rng.randrange(0, 3), hours=15
			)
			created = max(created, placement_created)
			if created > self.now:
				break
			uname = self.next_name("Placement Update", created)
			days = []
			for d in range(5):
				marks = []
				for _session in range(2):
					roll = self.rng.random()
					if roll < 0.86:
						marks.append((attendance.PRESENT, None))
					elif roll < 0.9:
						marks.append((attendance.LATE, None))
					elif roll < 0.975:
						marks.append((attendance.ABSENT, self.rng.choice(ABSENCE_REASONS)))
					else:
						marks.append((attendance.ABSENT, attendance.UNEXPLAINED))
				days.append(
					attendance.Day(
						period_start + timedelta(days=d), marks[0][0], marks[0][1], marks[1][0], marks[1][1]
					)
				)
			summary = attendance.summarise(days)
			incidents = self.rng.choices([0, 1, 2, 3], weights=[70, 18, 8, 4])[0]
			concern = int(self.rng.random() < 0.005)
			row = self.base(uname, created, PROVIDER_USER if p.provider == self.perf_provider else ADMIN)
			u = frappe._dict(
				naming_series="PLU-.YYYY.-.#####",
				placement=name,
				pupil=p.pupil,
				pupil_name=p.pupil_name,
				provider=p.provider,
				school=p.school,
				period_start=period_start,
				period_end=period_end,
				sessions_possible=summary.sessions_possible,
				sessions_attended=summary.sessions_attended,
				attendance_percent=summary.attendance_percent,
				authorised_absences=summary.authorised_absences,
				unexplained_absences=summary.unexplained_absences,
				late_sessions=summary.late_sessions,
				behaviour_incidents=incidents,
				behaviour_summary="Low-level disruption, de-escalated." if incidents else None,
				progress="Engaging in English and maths; working towards targets.",
				attainment="On track for the targets in the placement plan.",
				safeguarding_concern=concern,
				safeguarding_details="Disclosure passed to both DSLs the same day." if concern else None,
			)
			row.update(u)
			self.add("Placement Update", row)
			for idx, d in enumerate(days, 1):
				self.child(
					"Placement Attendance Day",
					"Placement Update",
					uname,
					"attendance",
					idx,
					created,
					attendance_date=d.day,
					am_mark=d.am,
					am_reason=d.am_reason,
					pm_mark=d.pm,
					pm_reason=d.pm_reason,
				)
			out.append(u)
			p.last_update_date = period_end
		return out

	def make_reviews(self, name, p, plan, updates, placement_created):
		"""Submitted reviews summarising the reports since the previous one (R6, R10)."""
		last = None
		next_review = None
		since = p.start_date
		for review_date, rtype, outcome in plan:
			created = max(
				datetime.combine(review_date - timedelta(days=7), datetime.min.time()) + timedelta(hours=9),
				placement_created,
			)
			held = datetime.combine(review_date, datetime.min.time()) + timedelta(hours=16)
			rname = self.next_name("Review", created)
			covered = [u for u in updates if since <= u.period_end <= review_date]
			summary = attendance.combine(
				attendance.Summary(
					u.sessions_possible,
					u.sessions_attended,
					u.authorised_absences,
					u.unexplained_absences,
					u.late_sessions,
				)
				for u in covered
			)
			closing = outcome in reviews.CLOSING_OUTCOMES
			next_review = None if closing else review_date + timedelta(days=self.review_days)
			self.add_review(
				rname,
				p,
				name,
				created,
				min(held, self.now),
				1,
				review_date=review_date,
				review_type=rtype,
				summary_from=since,
				updates_count=len(covered),
				sessions_possible=summary.sessions_possible,
				sessions_attended=summary.sessions_attended,
				attendance_percent=summary.attendance_percent,
				unexplained_absences=summary.unexplained_absences,
				behaviour_incidents=sum(u.behaviour_incidents for u in covered),
				outcome=outcome,
				outcome_notes="Agreed by everyone present.",
				next_review_date=next_review,
			)
			if p.has_ehc_plan and outcome == reviews.REINTEGRATED:
				annual_date = reviews.annual_review_after_return(review_date, self.review_days)
				aname = self.next_name("Review", held)
				self.add_review(
					aname,
					p,
					name,
					held,
					held,
					0,
					review_date=annual_date,
					review_type=reviews.ANNUAL_REVIEW,
					roles=("School", "Parent/Carer", "Pupil", "SEND Caseworker"),
				)
				self.rows["Review"][-2]["annual_review"] = aname
			last = review_date
			since = review_date + timedelta(days=1)
		return last, next_review

	def add_review(self, rname, p, placement, created, modified, docstatus, roles=None, **values):
		row = self.base(rname, created, PRT_USER, modified, docstatus)
		row.update(
			naming_series="REV-.YYYY.-.#####",
			placement=placement,
			pupil=p.pupil,
			pupil_name=p.pupil_name,
			school=p.school,
			provider=p.provider,
			key_stage=p.key_stage,
			placement_type=p.placement_type,
			has_ehc_plan=p.has_ehc_plan,
			send_caseworker=p.send_caseworker,
			concerns_remain=0,
			ehc_amendments_considered=reviews.NO_AMENDMENTS if p.has_ehc_plan and docstatus else None,
			pupil_views="Wants to keep going; likes the smaller groups." if docstatus else None,
			school_views="Supportive of the plan." if docstatus else None,
			provider_views="Good progress this half term." if docstatus else None,
			annual_review=None,
			review_date=None,
			review_type=reviews.INTERIM,
			summary_from=None,
			updates_count=0,
			sessions_possible=0,
			sessions_attended=0,
			attendance_percent=0,
			unexplained_absences=0,
			behaviour_incidents=0,
			outcome=None,
			outcome_notes=None,
			next_review_date=None,
		)
		row.update(values)
		self.add("Review", row)
		if roles is None:
			roles = [*reviews.PLACEMENT_REVIEW_INVITEES, "Parent/Carer", "Pupil"]
			if p.has_ehc_plan:
				roles.append("SEND Caseworker")
		for idx, role in enumerate(roles, 1):
			self.child(
				"Review Attendee",
				"Review",
				rname,
				"attendees",
				idx,
				created,
				docstatus=docstatus,
				attendee_role=role,
				user=p.send_caseworker if role == "SEND Caseworker" else None,
				invited=1,
				attended=int(bool(docstatus)),
			)

	# -- the benchmark's baseline and provider capacity ----------------------------------------------

	def make_todos(self):
		"""A ToDo table as large as the referral table, the REST baseline of the load test: the
		school user has as many ToDos (allocated to them) as their school has referrals, the
		rest belong to the LA's staff. Names perf-todo-000, perf-todo-001, ... (the school user's
		first)."""
		existing = frappe.db.count("ToDo", {"name": ("like", "perf-todo-%")})
		staff = (PRT_USER, CHAIR_USER, *CASEWORKERS)
		mine = max(1, self.perf_school_referrals)
		total = max(self.n, mine)
		first = datetime.combine(self.start, datetime.min.time())
		for i in range(existing, total):
			when = first + (self.now - first) * (i / total)
			user = SCHOOL_USER if i < mine else staff[i % len(staff)]
			row = self.base(f"perf-todo-{i:03d}", when, PRT_USER)
			row.update(
				status="Open" if i % 3 else "Closed",
				priority=("Low", "Medium", "High")[i % 3],
				date=(when + timedelta(days=7)).date(),
				allocated_to=user,
				description=f"Send the updated BOSS report for referral review {i}.",
				assigned_by=PRT_USER,
			)
			self.add("ToDo", row)
			if len(self.rows["ToDo"]) >= self.batch:
				self.flush()

	def size_providers(self):
		"""Capacity for each key stage a provider serves: its places in use today, plus room
		(so panels can still approve, as a real LA commissions places to demand)."""
		for name in self.provider_names:
			values = {}
			for ks in KEY_STAGE_SHARE:
				if name in self.providers[ks]:
					values[f"capacity_{ks.lower()}"] = max(
						10, math.ceil(self.live_load[(name, ks)] * 1.3) + 5
					)
			frappe.db.set_value("AP Provider", name, values, update_modified=False)


# -- helpers --------------------------------------------------------------------------------------


# What reset() empties: the app's case data and the generated masters (never users or settings).
RESET_DOCTYPES = (
	"Referral",
	"Referral Triage",
	"Pupil",
	"EHC Assessment",
	"EHC Professional Advice",
	"Panel",
	"Panel Agenda Item",
	"Panel Attendance",
	"Placement",
	"Placement Stakeholder",
	"Placement Safeguarding",
	"Placement Update",
	"Placement Attendance Day",
	"Placement Alert",
	"Review",
	"Review Attendee",
	"Review Action",
	"School",
	"AP Provider",
	"AP Provider Check",
	"AP Provider Closure",
	"Placement Session",
	"Part-time Arrangement",
	"Pupil Social Care",
	"AP Session Mark",
)


def generated_schools(referrals: int) -> list[str]:
	"""The URNs (School names) the generator makes for `referrals` referrals."""
	return [str(PERF_URN_BASE + i) for i in range(min(3000, max(20, referrals // 50)))]


def reset():
	"""Empty the case data of a benchmark site, so a size can be generated afresh.

	Refused unless the site's config has ``ap_perf_site: 1`` (benchmarks/run.sh sets it on
	the benchmark site only).
	"""
	if not frappe.conf.get("ap_perf_site"):
		frappe.throw("Refusing to empty a site that is not marked as a benchmark site (ap_perf_site).")
	for doctype in RESET_DOCTYPES:
		frappe.db.sql_ddl(f"truncate `tab{doctype}`")
	frappe.db.delete("ToDo", {"name": ("like", "perf-todo-%")})
	frappe.db.delete("User Permission", {"user": ("in", [SCHOOL_USER, PROVIDER_USER])})
	frappe.db.sql(
		"delete from `tabSeries` where name like 'PUP-%%' or name regexp '^(REF|EHC|PLC|PLU|REV|PTA)-[0-9]{4}-$'"
	)
	frappe.db.commit()
	frappe.clear_cache()


def remove(made: dict[str, list[str]]):
	"""Delete the records a run made (`generate(..., keep_names=True)["made"]`), with the
	child rows of those it inserted through their controllers; the caller commits."""
	for doctype, names in made.items():
		tables = [df.options for df in frappe.get_meta(doctype).get_table_fields()]
		for first in range(0, len(names), 1000):
			chunk = names[first : first + 1000]
			frappe.db.delete(doctype, {"name": ("in", chunk)})
			for table in tables:
				frappe.db.delete(table, {"parent": ("in", chunk), "parenttype": doctype})


def _picker(weighted: list[tuple[str, float]]):
	names = [n for n, _w in weighted]
	cumulative = []
	total = 0.0
	for _n, w in weighted:
		total += w
		cumulative.append(total)

	def pick(rng):
		return names[min(bisect.bisect_left(cumulative, rng.random() * total), len(names) - 1)]

	return pick


def insert_rows(doctype: str, rows: list[dict], chunk: int = 2000):
	"""Multi-row INSERTs of rows that all have the same keys, with the values escaped here
	(pymysql's per-value escaping would take most of the generator's time)."""
	columns = list(rows[0])
	head = "insert into `tab{}` ({}) values ".format(doctype, ", ".join(f"`{c}`" for c in columns))
	for first in range(0, len(rows), chunk):
		values = ",".join(
			"(" + ",".join([_literal(row[c]) for c in columns]) + ")" for row in rows[first : first + chunk]
		)
		frappe.db.sql(head + values)


_ESCAPES = str.maketrans({"\\": "\\\\", "'": "\\'", "\0": "\\0", "\n": "\\n", "\r": "\\r", "\x1a": "\\Z"})


def _literal(value) -> str:
	if value is None:
		return "NULL"
	kind = type(value)
	if kind is str:
		return "'" + value.translate(_ESCAPES) + "'"
	if kind is int or kind is bool:
		return str(int(value))
	if kind is float:
		return repr(value)
	if kind is datetime:
		return "'" + value.isoformat(" ") + "'"
	if kind is date:
		return "'" + value.isoformat() + "'"
	return "'" + str(value).translate(_ESCAPES) + "'"
