"""Demo data: a realistic local authority with a year of alternative provision.

    bench --site SITE ap-demo          # or: bench --site SITE execute ap_provision.demo.make_demo

Builds schools, providers (with URN, UKPRN and places per key stage), LA staff and one
School Referrer per school, pupils across KS1-KS4 with and without EHC plans, fortnightly
panels from a year ago to three months ahead, and referrals in every workflow state. Past
referrals are driven through the real controllers and workflow with the clock set back
(freezegun), so deadlines, late referrals, agendas and decisions are exactly what the app
itself would have recorded; past panels are held and closed with minutes.

It refuses to run on a site that already has schools or referrals (it is meant for a fresh
site, e.g. from scripts/setup.sh). Users get the password ``demo`` (DEMO_PASSWORD).
"""

import random
from contextlib import contextmanager
from datetime import datetime, time, timedelta

import frappe
from frappe import _
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, add_months, add_years, getdate, today
from frappe.utils.password import update_password
from stdnum.gb import upn as stdnum_upn

from ap_provision.rules import ehc

DEMO_PASSWORD = "demo"
LA = {
	"la_name": "Riverside Borough Council",
	"la_address": "Civic Centre\nRiver Street\nRiverside\nRV1 1AA",
	"la_email": "prt@riverside.example.org",
	"la_phone": "01632 960000",
	"letter_signatory": "Jo Mercer",
}
SCHOOLS = [
	("100101", "Alder Primary School", "Primary"),
	("100102", "Beech Hill Primary School", "Primary"),
	("100103", "Cedar Park Primary Academy", "Primary"),
	("100104", "Damson Lane Infant and Junior School", "Primary"),
	("100201", "Elmfield Academy", "Secondary"),
	("100202", "Foxglove High School", "Secondary"),
	("100203", "Greenway School", "Secondary"),
	("100204", "Hawthorn Community College", "Secondary"),
]
# name, type, URN, UKPRN, places KS1..KS4
PROVIDERS = [
	("Riverside Pupil Referral Unit", "Pupil Referral Unit", "131001", "10031001", (4, 12, 14, 10)),
	("Juniper Learning Centre", "AP Academy or Free School", "141002", "10031002", (0, 8, 10, 8)),
	("Kingfisher Primary Support Base", "Pupil Referral Unit", "131003", "10031003", (4, 10, 0, 0)),
	("Larch Vocational College", "Further Education College", "", "10031004", (0, 0, 0, 12)),
	("Maple Farm Outdoor Learning", "Independent School", "151005", "10031005", (0, 4, 6, 6)),
]
STAFF = [
	("prt.officer@riverside.example.org", "Priya", "Shah", ["PRT Officer"]),
	("prt.manager@riverside.example.org", "Jo", "Mercer", ["PRT Officer", "AP Administrator"]),
	("panel.chair@riverside.example.org", "Daniel", "Okafor", ["Panel Chair", "Panel Member"]),
	("panel.member@riverside.example.org", "Helen", "Barker", ["Panel Member"]),
	("send.caseworker@riverside.example.org", "Amira", "Hussain", ["SEND Caseworker"]),
	("boss.practitioner@riverside.example.org", "Tom", "Reeve", ["BOSS Practitioner"]),
]
PRT, CHAIR, CASEWORKER = STAFF[0][0], STAFF[2][0], STAFF[4][0]
FIRST_NAMES = (
	"Aiden Bella Callum Daisy Ethan Freya George Hannah Isaac Jade Kai Lily Mason Nadia Oscar "
	"Poppy Reuben Sofia Theo Uma Victor Willow Yusuf Zara Alfie Evie Harvey Maisie Leo Ruby"
).split()
LAST_NAMES = (
	"Adams Begum Clarke Davies Evans Fletcher Green Hughes Iqbal Jones Khan Lewis Morgan Nowak "
	"Owen Patel Quinn Roberts Smith Taylor Walker Wright Young"
).split()
REASONS = [
	"Repeated dysregulated behaviour in class and at lunchtimes despite a personalised behaviour plan.",
	"Escalating incidents of verbal aggression towards staff; two fixed-term suspensions this term.",
	"Persistent absence and disengagement; the pupil is at risk of permanent exclusion.",
	"Physical aggression towards peers; the school's internal inclusion unit has not been effective.",
	"Anxiety-related school refusal alongside outbursts when pressured to attend lessons.",
]
SUPPORT = [
	"BOSS outreach for 12 weeks, daily check-ins with a key adult, adjusted timetable.",
	"Nurture group, sensory breaks, ELSA sessions, parent meetings every three weeks.",
	"Mentoring, reduced timetable, small-group literacy intervention, early help referral.",
]
OUTCOMES = [
	"Regulation strategies the pupil can use back in class; improved attendance.",
	"A successful return to mainstream with a shared plan between the AP and the school.",
	"A stable part-time vocational pathway alongside English and maths at school.",
]

RECOMMENDATIONS = (
	"Recommend an intervention placement with a planned return.",
	"Recommend approval, subject to a place with the nearest provider.",
	"Recommend more BOSS support first; a placement if incidents continue.",
)


# Where each provider's running placements stand with their reports, in turn, so that every provider's
# portal shows all three (the next report is due AP Settings' report interval after the last).
REPORT_PATTERN = ("on time", "due", "overdue", "on time")


class DemoRefused(frappe.ValidationError):
	pass


def site_has_data() -> bool:
	"""True when the site already has schools or referrals (the demo is then not built)."""
	return bool(frappe.db.count("School") or frappe.db.count("Referral"))


@frappe.whitelist()
def make_demo(seed: int = 7) -> dict:
	"""Build the demo LA on this site (Administrator only); returns what was made."""
	frappe.only_for("System Manager")
	if site_has_data():
		frappe.throw(
			_("This site already has schools or referrals: the demo data is only built on a fresh site."),
			DemoRefused,
		)
	try:
		import freezegun

		del freezegun
	except ImportError:
		frappe.throw(
			_(
				"The demo needs freezegun to replay a year of referrals: install it in the bench with "
				"`bench pip install freezegun` (or the app's bench-test extra)."
			)
		)
	return Demo(seed).build()


class Demo:
	def __init__(self, seed: int):
		self.random = random.Random(seed)
		self.today = getdate(today())
		self.counts: dict[str, int] = {}
		self.pupil_number = 0
		self.referrers: dict[str, str] = {}
		self.providers: list[str] = []
		self.report_turns: dict[str, int] = {}

	def build(self) -> dict:
		complete_setup_wizard()
		with muted_notifications():
			self.make_settings()
			self.make_staff()
			self.make_schools()
			self.make_providers()
			panels = self.make_panels()
			self.replay_year(panels)
			self.make_placements()
			self.make_provider_users()
			self.make_full_time_and_register()
			self.make_open_referrals(panels)
		frappe.set_user("Administrator")
		frappe.db.commit()
		return {
			doctype: frappe.db.count(doctype)
			for doctype in (
				"School",
				"AP Provider",
				"Pupil",
				"Panel",
				"Referral",
				"EHC Assessment",
				"Placement",
				"Placement Update",
				"Review",
				"Part-time Arrangement",
				"Pupil Social Care",
				"AP Session Mark",
			)
		}

	# -- masters ------------------------------------------------------------------------

	def make_settings(self):
		settings = frappe.get_single("AP Settings")
		settings.update(LA)
		settings.save(ignore_permissions=True)

	def make_user(self, email, first, last, roles, school=None):
		if not frappe.db.exists("User", email):
			user = frappe.get_doc(
				{
					"doctype": "User",
					"email": email,
					"first_name": first,
					"last_name": last,
					"send_welcome_email": 0,
					"roles": [{"role": r} for r in roles],
				}
			)
			user.flags.no_welcome_mail = True
			user.insert(ignore_permissions=True)
			update_password(email, frappe.conf.get("demo_password") or DEMO_PASSWORD)
		if school and not frappe.db.exists(
			"User Permission", {"user": email, "allow": "School", "for_value": school}
		):
			frappe.get_doc(
				{"doctype": "User Permission", "user": email, "allow": "School", "for_value": school}
			).insert(ignore_permissions=True)
		return email

	def make_staff(self):
		for email, first, last, roles in STAFF:
			self.make_user(email, first, last, roles)

	def make_schools(self):
		for urn, name, phase in SCHOOLS:
			frappe.get_doc(
				{
					"doctype": "School",
					"urn": urn,
					"school_name": name,
					"phase": phase,
					"is_active": 1,
					"senco_name": f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_NAMES)}",
				}
			).insert(ignore_permissions=True)
			slug = name.split()[0].lower()
			self.referrers[urn] = self.make_user(
				f"senco@{slug}.example.org", "SENCo", name.split()[0], ["School Referrer"], school=urn
			)

	def make_providers(self):
		for name, kind, urn, ukprn, places in PROVIDERS:
			doc = {
				"doctype": "AP Provider",
				"provider_name": name,
				"provider_type": kind,
				"urn": urn or None,
				"ukprn": ukprn,
				"is_active": 1,
				"email": f"office@{name.split()[0].lower()}.example.org",
				"registration_status": "Registered school" if urn else "Unregistered",
				"safeguarding_checks": [
					{
						"check_type": check,
						"checked_on": add_days(self.today, -400),
						"expires_on": add_years(self.today, 2),
						"checked_by": "Jo Mercer (PRT)",
					}
					for check in ("Enhanced DBS checks of staff", "Safeguarding policy", "Site visit")
				],
			}
			for ks, n in zip(("ks1", "ks2", "ks3", "ks4"), places, strict=True):
				doc[f"serves_{ks}"] = int(n > 0)
				doc[f"capacity_{ks}"] = n
			provider = frappe.get_doc(doc)
			provider.flags.ignore_mandatory = True
			provider.insert(ignore_permissions=True)
			self.providers.append(provider.name)

	# -- panels -------------------------------------------------------------------------

	def make_panels(self) -> list:
		"""Fortnightly Wednesday panels from about a year ago to about three months ahead."""
		first = self.today - timedelta(weeks=52)
		first += timedelta(days=(2 - first.weekday()) % 7)
		panels, day = [], first
		while day <= self.today + timedelta(weeks=13):
			panel = frappe.get_doc({"doctype": "Panel", "panel_date": day, "status": "Scheduled"})
			panel.insert(ignore_permissions=True)
			panels.append(panel)
			day += timedelta(days=14)
		return panels

	# -- a year of referrals ------------------------------------------------------------

	def replay_year(self, panels):
		past = [p for p in panels if getdate(p.panel_date) < self.today - timedelta(days=1)]
		for i, panel in enumerate(past):
			deadline = getdate(panel.referral_deadline)
			for _n in range(self.random.choice((2, 3, 3, 4))):
				received = at(
					deadline - timedelta(days=self.random.randint(0, 11)), self.random.randint(8, 16)
				)
				self.referral_until_accepted(received)
			if i % 3 == 0:
				# A KS4 pupil with an EHC plan whose annual review falls in the placement (R12, R13).
				received = at(deadline - timedelta(days=self.random.randint(0, 6)), 11)
				self.referral_until_accepted(received, year_group="Year 10", ehc_plan=True, review_in_days=70)
			if i + 1 < len(panels) and self.random.random() < 0.4:
				# Received the day after the deadline: rolls to the next panel, flagged late.
				self.referral_until_accepted(at(deadline + timedelta(days=1), 9))
			self.hold_panel(panel.name, accept_deferred=i + 1 < len(past))

	def new_pupil(self, on, year_group: str, ehc_plan: bool, review_in_days: int = 320):
		on = getdate(on)
		start_year = on.year if (on.month, on.day) >= (9, 1) else on.year - 1
		year_number = int(year_group.split()[-1])
		dob = datetime(
			start_year - (year_number + 4) - 1, self.random.randint(9, 12), self.random.randint(1, 28)
		)
		self.pupil_number += 1
		values = {
			"doctype": "Pupil",
			"first_name": self.random.choice(FIRST_NAMES),
			"last_name": self.random.choice(LAST_NAMES),
			"date_of_birth": dob.date(),
			"upn": self.upn(),
			"has_ehc_plan": int(ehc_plan),
		}
		if ehc_plan:
			last_review = getdate(add_days(on, -self.random.randint(30, 60)))
			values.update(
				send_caseworker=CASEWORKER,
				last_annual_review_date=last_review,
				# Within 12 months of the last review (statutory timescale, checked on the pupil).
				next_annual_review_due=min(
					getdate(add_days(on, review_in_days)), add_months(last_review, 12)
				),
			)
		return values

	def upn(self) -> str:
		while True:
			body = f"938{self.random.randint(0, 9999):04d}25{self.random.randint(0, 999):03d}"
			number = stdnum_upn.calc_check_digit(body) + body
			if not frappe.db.exists("Pupil", {"upn": number}):
				return number

	def pick_school_and_year(self, on):
		"""A school and a year group; from May to August only year groups that keep their key
		stage in September, so a deferred referral does not change pathway (or leave KS4)."""
		urn, _name, phase = self.random.choice(SCHOOLS)
		summer = getdate(on).month in (5, 6, 7, 8)
		if phase == "Primary":
			years = (3, 4, 5) if summer else (2, 3, 4, 5, 6)
		else:
			years = (7, 8, 10) if summer else (7, 8, 9, 10, 11)
		return urn, f"Year {self.random.choice(years)}"

	def draft(self, on, ehc_plan: bool | None = None, year_group=None, review_in_days: int = 320):
		"""A pupil and a draft referral written by their school's SENCo."""
		urn, picked = self.pick_school_and_year(on)
		if year_group:
			urn = self.random.choice([u for u, _n, phase in SCHOOLS if phase == "Secondary"])
		year_group = year_group or picked
		ehc_plan = self.random.random() < 0.3 if ehc_plan is None else ehc_plan
		referrer = self.referrers[urn]
		frappe.set_user(referrer)
		pupil = frappe.get_doc({**self.new_pupil(on, year_group, ehc_plan, review_in_days), "school": urn})
		pupil.insert()
		referral = frappe.get_doc(
			{
				"doctype": "Referral",
				"pupil": pupil.name,
				"boss_report": self.boss_report(pupil),
				"reason_for_referral": self.random.choice(REASONS),
				"support_already_given": self.random.choice(SUPPORT),
				"hoped_for_outcome": self.random.choice(OUTCOMES),
			}
		).insert()
		if referral.ehc_assessment:
			self.complete_ehc(referral.ehc_assessment, on, review_in_days)
		return frappe.get_doc("Referral", referral.name)

	def boss_report(self, pupil) -> str:
		"""A short private PDF uploaded by the referrer, as a school would upload the report."""
		text = f"BOSS report for {pupil.first_name} {pupil.last_name} ({pupil.year_group})"
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"boss-report-{pupil.name}.pdf",
				"is_private": 1,
				"content": tiny_pdf(text),
			}
		).insert()
		return file.file_url

	def complete_ehc(self, assessment_name: str, on, review_in_days: int = 320):
		on = getdate(on)
		assessment = frappe.get_doc("EHC Assessment", assessment_name)
		for question in ehc.questions_for(assessment.pathway):
			if question.fieldtype == "Select":
				value = "No"
			elif question.fieldtype == "Date":
				value = add_years(on, -3) if question.fieldname == "ehc_plan_since" else add_days(on, -45)
			elif question.fieldtype in ("Int", "Check"):
				value = 1
			else:
				value = "Discussed with the family and the SEND caseworker; see the attached plan."
			assessment.set(question.fieldname, value)
		assessment.set("annual_review_held", "Yes")
		assessment.set("annual_review_held_ks4", "Yes")
		assessment.set("last_annual_review_date", add_days(on, -45))
		assessment.set("next_annual_review_due", add_days(on, review_in_days))
		assessment.set("professional_advice", [])
		for agency, days in (("Educational Psychologist", 60), ("CAMHS", 150)):
			assessment.append(
				"professional_advice",
				{
					"agency": agency,
					"advice_date": add_days(on, -days),
					"advice_summary": "Strategies for regulation and a consistent key adult.",
					"implemented": 1,
					"reviewed": 1,
				},
			)
		assessment.save()

	def act(self, user: str, name: str, action: str):
		frappe.set_user(user)
		return apply_workflow(frappe.get_doc("Referral", name), action)

	def referral_until_accepted(self, received: datetime, **pupil):
		from freezegun import freeze_time

		with freeze_time(received):
			referral = self.draft(received, **pupil)
			self.act(self.referrers[referral.school], referral.name, "Submit")
		with freeze_time(received + timedelta(hours=20)):
			self.triage(referral.name)
			self.act(PRT, referral.name, "Accept")
		return referral.name

	def triage(self, referral: str):
		"""The PRT's notes and recommendation (Referral Triage: the school never sees them)."""
		frappe.set_user(PRT)
		frappe.get_doc(
			{
				"doctype": "Referral Triage",
				"referral": referral,
				"prt_notes": "Evidence checked: BOSS report attached and current; school contacted.",
				# Chosen from the name, not self.random, so the rest of the demo stays as it was.
				"recommendation": RECOMMENDATIONS[sum(map(ord, referral)) % len(RECOMMENDATIONS)],
			}
		).insert()

	def hold_panel(self, name: str, accept_deferred: bool = True):
		"""Close the agenda, meet, decide every referral on it, write minutes, close."""
		from freezegun import freeze_time

		from ap_provision.ap_provision.doctype.referral.referral import record_decision

		panel = frappe.get_doc("Panel", name)
		meeting = at(getdate(panel.panel_date), 10)
		frappe.set_user("Administrator")
		with freeze_time(at(getdate(panel.referral_deadline) + timedelta(days=1), 7)):
			panel.reload()
			panel.status = "Agenda Closed"
			panel.save(ignore_permissions=True)
		with freeze_time(meeting):
			panel.reload()
			panel.chair = CHAIR
			panel.venue = "Civic Centre, Committee Room 2"
			panel.set("members", [])
			for email, role in ((CHAIR, "Chair"), (STAFF[3][0], "LA Officer"), (PRT, "PRT")):
				panel.append("members", {"member": email, "panel_role": role, "attendance": "Attended"})
			panel.save(ignore_permissions=True)
		deferred = []
		with freeze_time(meeting + timedelta(hours=1)):
			frappe.set_user(CHAIR)
			for i, row in enumerate(frappe.get_doc("Panel", name).agenda):
				decision, details = self.choose_decision(row.referral, getdate(panel.panel_date))
				if i == 0 and not accept_deferred:  # the last panel held leaves one deferred
					decision, details = "Deferred", {"decision_reason": "Awaiting the CAMHS assessment."}
				record_decision(row.referral, decision, **details)
				if decision == "Deferred":
					deferred.append(row.referral)
		frappe.set_user("Administrator")
		with freeze_time(meeting + timedelta(hours=3)):
			panel.reload()
			panel.status = "Held"
			panel.save(ignore_permissions=True)
			panel.reload()
			panel.minutes = (
				f"<p>The panel considered {len(panel.agenda)} referral(s). Decisions are recorded "
				"on the agenda; letters to follow.</p>"
			)
			panel.status = "Closed"
			panel.save(ignore_permissions=True)
		with freeze_time(meeting + timedelta(days=1)):
			for referral in deferred if accept_deferred else []:
				self.act(PRT, referral, "Accept")

	def choose_decision(self, referral: str, panel_date) -> tuple[str, dict]:
		roll = self.random.random()
		if roll < 0.15:
			return "Declined", {"decision_reason": "Needs can be met in school with BOSS support."}
		if roll < 0.27:
			return "Deferred", {"decision_reason": "Awaiting an updated educational psychology report."}
		key_stage = frappe.db.get_value("Referral", referral, "key_stage")
		options = self.providers[:]
		self.random.shuffle(options)
		for provider in options:
			if frappe.get_doc("AP Provider", provider).free_places(key_stage, exclude_referral=referral) > 0:
				details = {
					"provider": provider,
					"expected_start_date": str(add_days(panel_date, self.random.choice((7, 12, 14)))),
					"decision_conditions": "Admission meeting with the school and parents before the start.",
				}
				if key_stage == "KS4":
					# The panel decides a KS4 pathway's days; some are part of the week.
					details["days_per_week"] = (
						5 if self.random.random() >= 0.35 else self.random.choice((2, 3, 4))
					)
				return "Approved", details
		return "Declined", {"decision_reason": "No suitable place is available for this key stage."}

	# -- placements, provider updates, reviews -----------------------------------------

	def make_placements(self):
		"""Every approved referral whose start date has come is placed and started; the
		provider reports fortnightly (each provider has reports on time, due and overdue),
		reviews follow every six weeks, and placements past their planned end finish: reintegrated or re-referred
		(KS1-3) or transitioned (KS4); a few end early."""
		from frappe.utils import getdate as d

		approved = frappe.get_all(
			"Referral",
			filters={"workflow_state": "Approved", "expected_start_date": ("<=", self.today)},
			fields=["name", "expected_start_date", "key_stage"],
			order_by="expected_start_date asc",
		)
		for referral in approved:
			start = d(referral.expected_start_date)
			while start.weekday() > 4:
				start += timedelta(days=1)
			if start > self.today:
				continue
			self.run_placement(referral.name, start)

	def run_placement(self, referral: str, start):
		from freezegun import freeze_time

		from ap_provision.ap_provision.doctype.placement.placement import make_placement

		frappe.set_user(PRT)
		with freeze_time(at(start - timedelta(days=7), 11)):
			placement = make_placement(referral)
			placement.start_date = start
			# The days a week come from the panel's decision (KS1-3: 5).
			if placement.placement_type == "Alternative Pathway" or self.random.random() < 0.5:
				placement.term_time_only = 0
			placement.insert()
		with freeze_time(at(start, 8)):
			placement = frappe.get_doc("Placement", placement.name)
			placement.admission_meeting_date = start - timedelta(days=3)
			for row in placement.stakeholders:
				row.person_name = row.person_name or f"{row.stakeholder_role} lead"
				row.confirmed = 1
				row.confirmed_on = placement.admission_meeting_date
			frappe.get_doc(
				{
					"doctype": "Placement Safeguarding",
					"placement": placement.name,
					"safeguarding_arrangements": (
						"Both DSLs named; any concern is phoned through to both DSLs the same day."
					),
					"provider_dsl": "Provider DSL",
					"school_dsl": "School DSL",
				}
			).insert()
			placement.status = "Active"
			if placement.due_diligence_flag:
				placement.due_diligence_acknowledged = 1
				placement.due_diligence_note = "Registration and checks confirmed by the PRT manager."
			placement.save()
		planned_end = getdate(placement.planned_end_date)
		ends_early = self.random.random() < 0.1
		early_day = start + timedelta(days=self.random.randint(25, 45))
		last_day = min(self.today - timedelta(days=1), planned_end, early_day if ends_early else planned_end)
		# Each provider's running placements cycle through reports on time, due and overdue, so a
		# provider's portal shows all three (REPORT_PATTERN); finished placements reported throughout.
		running_today = not ends_early and planned_end >= self.today
		last_report = self.report_target(placement.provider, running_today, last_day)
		week, reported_to = start, start - timedelta(days=1)
		while school_days_after(week, 4) <= last_report:
			self.provider_update(placement.name, week)
			reported_to, week = school_days_after(week, 4), week + timedelta(days=14)
		if running_today and last_report > reported_to:
			# The days since the last fortnightly report, up to the target day, in one report.
			first = max(
				school_days_after(reported_to + timedelta(days=1), 0), school_days_before(last_report, 9)
			)
			self.provider_update(placement.name, first, days=school_days_between(first, last_report))
		review_day = start + timedelta(days=42)
		while review_day < last_day:
			self.review(placement.name, review_day, "Continue")
			review_day += timedelta(days=42)
		if ends_early and early_day < self.today:
			self.review(placement.name, early_day, "End Placement")
		elif planned_end < self.today:
			if placement.placement_type == "Intervention Placement":
				outcome = "Reintegrated" if self.random.random() < 0.8 else "Re-refer to BOSS"
				self.review(placement.name, planned_end, outcome)
				if outcome != "Reintegrated":
					self.review(placement.name, planned_end + timedelta(days=1), "End Placement")
			else:
				with freeze_time(at(planned_end, 15)):
					doc = frappe.get_doc("Placement", placement.name)
					doc.status = "Transitioned"
					doc.save()
		frappe.set_user("Administrator")

	def report_target(self, provider: str, running_today: bool, last_day):
		"""The last school day the provider has reported up to: yesterday for a placement whose
		reports are on time; for one whose next report is due, an interval less two days ago (due
		within the portal's few days); for one overdue, an interval and five days ago."""
		if not running_today:
			return last_day
		from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings

		interval = get_settings().update_interval_days or 7
		turn = self.report_turns.get(provider, 0)
		self.report_turns[provider] = turn + 1
		days_ago = {"on time": 1, "due": interval - 2, "overdue": interval + 5}[
			REPORT_PATTERN[turn % len(REPORT_PATTERN)]
		]
		return min(last_day, school_days_before(self.today - timedelta(days=max(days_ago, 1)), 0))

	def make_provider_users(self):
		"""One AP Provider User per provider (the provider's office address), password demo."""
		for provider in self.providers:
			email = frappe.db.get_value("AP Provider", provider, "email")
			self.make_user(email, "Office", provider.split()[0], ["AP Provider User"])
			if not frappe.db.exists(
				"User Permission", {"user": email, "allow": "AP Provider", "for_value": provider}
			):
				frappe.get_doc(
					{
						"doctype": "User Permission",
						"user": email,
						"allow": "AP Provider",
						"for_value": provider,
					}
				).insert(ignore_permissions=True)

	def provider_update(self, placement: str, monday, days: int = 5):
		from freezegun import freeze_time

		rows, day = [], monday
		while len(rows) < days:
			if day.weekday() < 5:
				absent = self.random.random() < 0.08
				rows.append(
					{
						"attendance_date": day,
						"am_mark": "Absent" if absent else "Present",
						"am_reason": self.random.choice(("Illness", "Unexplained")) if absent else None,
						"pm_mark": "Absent" if absent else "Present",
						"pm_reason": "Illness" if absent else None,
					}
				)
			day += timedelta(days=1)
		with freeze_time(at(rows[-1]["attendance_date"], 16)):
			frappe.get_doc(
				{
					"doctype": "Placement Update",
					"placement": placement,
					"period_start": rows[0]["attendance_date"],
					"period_end": rows[-1]["attendance_date"],
					"attendance": rows,
					"behaviour_incidents": self.random.choice((0, 0, 1, 2)),
					"behaviour_summary": "Mostly settled; one incident at lunchtime, resolved with the key adult.",
					"progress": "Engaging well in small-group English and maths.",
					"attainment": "Working towards age-related expectations in reading.",
				}
			).insert(ignore_permissions=True)

	# -- full-time education, the daily register, pupils who need more eyes -----

	def make_full_time_and_register(self):
		"""Running placements get a weekly pattern (most full time; some KS4 pathways mornings only,
		with a part-time arrangement), a few pupils a social care record, and every running
		placement its register marks for the last five school days."""
		from ap_provision.demo_register import make_full_time_and_register

		make_full_time_and_register(self.random, self.today, PRT)

	def review(self, placement: str, on, outcome: str):
		from freezegun import freeze_time

		from ap_provision.ap_provision.doctype.placement.placement import make_review

		with freeze_time(at(on, 14)):
			doc = make_review(placement)
			doc.review_date = on
			doc.outcome = outcome
			doc.next_review_date = on + timedelta(days=42)
			doc.outcome_notes = {
				"Continue": "Good progress; continue with the current plan.",
				"Reintegrated": "Back full time at school with a shared support plan.",
				"Re-refer to BOSS": "Needs further BOSS support before any return.",
				"End Placement": "The placement is ending; next steps agreed with the school.",
			}[outcome]
			doc.pupil_views = "Likes the smaller groups and the key worker."
			doc.school_views = "Keen to keep the link going."
			if doc.has_ehc_plan:
				doc.concerns_remain = 0
				doc.ehc_amendments_considered = "No amendments needed"
			for row in doc.attendees:
				row.attended = 1
				row.person_name = row.person_name or f"{row.attendee_role} representative"
			doc.insert()
			# Reloaded: under a frozen clock the in-memory `modified` lacks microseconds.
			frappe.get_doc("Review", doc.name).submit()

	# -- referrals in every state now ---------------------------------------------------

	def make_open_referrals(self, panels):
		"""Today's pipeline: drafts, submitted, more information requested, accepted for the
		next panel, withdrawn (deferred ones come from the last panel held)."""
		now = datetime.combine(self.today, time(9, 0))
		for _n in range(3):
			self.draft(now)
		for _n in range(2):
			referral = self.draft(now)
			self.act(self.referrers[referral.school], referral.name, "Submit")
		referral = self.draft(now, ehc_plan=True)
		self.act(self.referrers[referral.school], referral.name, "Submit")
		self.act(PRT, referral.name, "Request Information")
		for _n in range(4):
			referral = self.draft(now)
			self.act(self.referrers[referral.school], referral.name, "Submit")
			self.act(PRT, referral.name, "Accept")
		referral = self.draft(now)
		from ap_provision.ap_provision.doctype.referral.referral import withdraw

		frappe.set_user(self.referrers[referral.school])
		withdraw(referral.name, "The family has moved out of the area.")
		frappe.set_user("Administrator")


def tiny_pdf(text: str) -> bytes:
	"""A one-page PDF showing `text` (enough for a demo attachment)."""
	safe = text.replace("\\", "").replace("(", "").replace(")", "")
	stream = f"BT /F1 14 Tf 72 770 Td ({safe}) Tj ET".encode()
	objects = [
		b"<< /Type /Catalog /Pages 2 0 R >>",
		b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
		b"/Resources << /Font << /F1 5 0 R >> >> >>",
		b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
		b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	]
	out, offsets = bytearray(b"%PDF-1.4\n"), []
	for i, body in enumerate(objects, 1):
		offsets.append(len(out))
		out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
	xref = len(out)
	out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
	out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
	out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
	return bytes(out)


def complete_setup_wizard():
	"""A fresh site sends every desk user to Frappe's setup wizard until it has been run:
	run it for an English local authority (language, country, time zone, currency)."""
	if frappe.db.get_single_value("System Settings", "setup_complete"):
		return
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	setup_complete(
		{"language": "English", "country": "United Kingdom", "timezone": "Europe/London", "currency": "GBP"}
	)


def school_days_before(day, n: int):
	"""The school day (Monday to Friday) `n` school days before `day`, or the last one on or
	before it when `n` is 0."""
	day = getdate(day)
	while day.weekday() > 4:
		day -= timedelta(days=1)
	for _n in range(n):
		day -= timedelta(days=1)
		while day.weekday() > 4:
			day -= timedelta(days=1)
	return day


def school_days_after(day, n: int):
	"""The school day `n` school days after `day` (the first one on or after it when `n` is 0)."""
	day = getdate(day)
	while day.weekday() > 4:
		day += timedelta(days=1)
	for _n in range(n):
		day += timedelta(days=1)
		while day.weekday() > 4:
			day += timedelta(days=1)
	return day


def school_days_between(first, last) -> int:
	"""How many school days from `first` to `last`, both included."""
	first, last = getdate(first), getdate(last)
	return sum(1 for n in range((last - first).days + 1) if (first + timedelta(days=n)).weekday() < 5)


def at(day, hour: int) -> datetime:
	return datetime.combine(getdate(day), time(hour, 0))


@contextmanager
def muted_notifications():
	"""No e-mail while a year is replayed: e-mail is muted for the duration (Frappe's own flag,
	as its setup wizard and data import use), so the app queues none of its notifications
	(ap_provision/notifications.py) and what Frappe queues is not sent from this process."""
	muted, frappe.flags.mute_emails = frappe.flags.mute_emails, True
	try:
		yield
	finally:
		frappe.flags.mute_emails = muted
