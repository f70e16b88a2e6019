# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.mapper import get_mapped_doc
from frappe.utils import add_days, getdate, today

from ap_provision.ap_provision.doctype.ap_provider.ap_provider import due_diligence_checks
from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.ap_provision.doctype.placement_safeguarding.placement_safeguarding import arrangements_of
from ap_provision.exceptions import (
	PlacementError,
	PlacementExistsError,
	PlacementStartError,
	PlacementStatusError,
	ProviderDueDiligenceError,
)
from ap_provision.hours import sessions_of
from ap_provision.rules import academic, due_diligence, funding, hours, placements, reviews


class Placement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from ap_provision.ap_provision.doctype.placement_stakeholder.placement_stakeholder import (
			PlacementStakeholder,
		)

		actual_end_date: DF.Date | None
		admission_meeting_date: DF.Date | None
		admission_meeting_notes: DF.SmallText | None
		awpu_retained: DF.Check
		days_per_week: DF.Int
		due_diligence_acknowledged: DF.Check
		due_diligence_flag: DF.SmallText | None
		due_diligence_note: DF.SmallText | None
		ehc_funding_ceased: DF.Check
		ehc_funding_ceased_from: DF.Date | None
		ehc_funding_restored_on: DF.Date | None
		extended_from: DF.Date | None
		extension_reason: DF.SmallText | None
		funding_note: DF.SmallText | None
		has_ehc_plan: DF.Check
		hours_per_week: DF.Float
		key_stage: DF.Literal["", "EYFS", "KS1", "KS2", "KS3", "KS4"]
		last_review_date: DF.Date | None
		last_update_date: DF.Date | None
		naming_series: DF.Literal["PLC-.YYYY.-.#####"]
		parent_views_at_admission: DF.SmallText | None
		next_review_date: DF.Date | None
		next_update_due: DF.Date | None
		placement_type: DF.Literal["", "Intervention Placement", "Alternative Pathway"]
		planned_end_date: DF.Date | None
		provider: DF.Link
		provider_name: DF.Data | None
		pupil: DF.Link | None
		phase_end_warning: DF.SmallText | None
		pupil_name: DF.Data | None
		pupil_views_at_admission: DF.SmallText | None
		referral: DF.Link
		safeguarding_recorded: DF.Check
		school: DF.Link | None
		school_name: DF.Data | None
		send_caseworker: DF.Link | None
		stakeholders: DF.Table[PlacementStakeholder]
		start_date: DF.Date
		status: DF.Literal["Planned", "Active", "Reintegrating", "Completed", "Ended Early", "Transitioned"]
		term_time_only: DF.Check
		year_group_at_start: DF.Data | None
	# end: auto-generated types

	def validate(self):
		if not self.referral:  # validate runs before Frappe's mandatory check
			frappe.throw(
				_("Choose the approved referral this placement is for."),
				frappe.MandatoryError,
				title=_("Missing information"),
			)
		self.set_referral_details()
		self.validate_referral()
		self.validate_one_placement_per_referral()
		self.validate_days_per_week()
		self.set_planned_end_date()
		self.validate_extension()
		self.set_end_of_phase_warning()
		self.validate_provider()
		self.set_safeguarding_recorded()
		self.validate_status_change()
		self.set_funding()
		self.set_monitoring_dates()

	def on_update(self):
		self.record_funding_change()

	# -- helpers ------------------------------------------------------------------------

	def before(self):
		return self.get_doc_before_save()

	def previous(self, fieldname):
		before = self.before()
		return before.get(fieldname) if before else None

	def is_entering(self, status: str) -> bool:
		return self.status == status and self.previous("status") != status

	def show_unique_validation_message(self, e):
		"""The unique index on `referral` caught a second placement (two officers at once)."""
		# Kept as an override: both racing inserts pass validate; only the index inside db_insert
		# catches the second, where no hook runs, and Frappe's "must be unique" names no placement.
		self.throw_placement_exists(
			frappe.db.get_value("Placement", {"referral": self.referral}, "name") or _("another placement")
		)

	def throw_placement_exists(self, existing: str):
		frappe.throw(
			_(
				"Referral {0} already has placement {1}: there is one placement per approved referral. Open {1} instead."
			).format(frappe.bold(self.referral), frappe.bold(existing)),
			PlacementExistsError,
			title=_("Placement already made"),
		)

	# -- from the referral ----------------------------------------------------------------

	def set_referral_details(self):
		"""Pupil, school, key stage and placement type come from the approved referral; the
		EHC plan and caseworker from the pupil as they are now."""
		if not self.referral:
			return
		referral = frappe.db.get_value(
			"Referral",
			self.referral,
			["pupil", "school", "key_stage", "provider", "expected_start_date", "days_per_week"],
			as_dict=True,
		)
		if not referral:
			return
		self.pupil = referral.pupil
		self.school = referral.school
		self.key_stage = referral.key_stage
		self.placement_type = placements.placement_type_for(self.key_stage)
		pupil = frappe.db.get_value("Pupil", self.pupil, ["has_ehc_plan", "send_caseworker"], as_dict=True)
		if pupil:
			self.has_ehc_plan = pupil.has_ehc_plan
			self.send_caseworker = pupil.send_caseworker
		if self.is_new():
			self.provider = self.provider or referral.provider
			self.start_date = self.start_date or referral.expected_start_date
			# KS4: the days the panel decided; KS1-3 placements are full time.
			self.days_per_week = self.days_per_week or days_decided(
				self.placement_type, referral.days_per_week
			)

	def validate_referral(self):
		state, docstatus = frappe.db.get_value("Referral", self.referral, ["workflow_state", "docstatus"])
		if state != "Approved" or docstatus != 1:
			frappe.throw(
				_("Referral {0} is {1}: a placement is made only from a referral the panel approved.").format(
					self.referral, _(state or "Draft")
				),
				PlacementError,
				title=_("Not approved"),
			)
		if not self.placement_type:
			frappe.throw(
				_("Referral {0} has no KS1-KS4 key stage, so no placement type applies.").format(
					self.referral
				),
				PlacementError,
			)

	def validate_one_placement_per_referral(self):
		"""One placement per approved referral. Two officers creating one at once are taken one
		after the other: the referral's row is locked first, and the placement is looked for
		with a locking read that sees what the first committed, so the second gets the typed
		refusal (without the lock their two inserts deadlock on the unique index: HTTP 500)."""
		if self.is_new():
			frappe.db.get_value("Referral", self.referral, "name", for_update=True)
		existing = frappe.db.get_value(
			"Placement",
			{"referral": self.referral, "name": ("!=", self.name)},
			"name",
			for_update=self.is_new(),
		)
		if existing:
			self.throw_placement_exists(existing)

	# -- dates and pattern ----------------------------------------------------------------

	def validate_days_per_week(self):
		"""KS1-3: 5 days. KS4: no default; the days the panel decided, 1 to 5. The hours a week at
		the provider come from the weekly pattern when there is one, else from the days."""
		if self.placement_type == placements.INTERVENTION_PLACEMENT and not self.days_per_week:
			self.days_per_week = placements.SCHOOL_DAYS_PER_WEEK
		if problem := placements.days_per_week_problem(self.placement_type, self.days_per_week):
			frappe.throw(problem, PlacementError, title=_("Days per week"))
		if sessions := sessions_of(self):
			# With a weekly pattern the hours at the provider are the pattern's, so the due
			# diligence on unregistered providers (over 18 h is full time) counts what is planned.
			self.hours_per_week = hours.weekly_hours(sessions, None).at_provider
		elif (
			not self.hours_per_week
			or self.has_value_changed("days_per_week")
			and not self.has_value_changed("hours_per_week")
		):
			self.hours_per_week = placements.default_hours_per_week(self.days_per_week)

	def set_planned_end_date(self):
		"""Settings' placement length from the start date, in calendar weeks or term-time
		school days; recomputed while Planned when the start moves, unless set by hand."""
		if self.status != placements.PLANNED or not self.start_date:
			return
		inputs_changed = not self.is_new() and any(
			self.has_value_changed(f) for f in ("start_date", "term_time_only")
		)
		if not self.planned_end_date or (inputs_changed and not self.has_value_changed("planned_end_date")):
			self.planned_end_date = default_end_date(getdate(self.start_date), bool(self.term_time_only))

	def validate_extension(self):
		"""Once the placement has started, a later end date is an extension with a reason."""
		before = self.before()
		if not before or before.status not in placements.RUNNING_STATUSES:
			return
		old_end = getdate(before.planned_end_date) if before.planned_end_date else None
		new_end = getdate(self.planned_end_date) if self.planned_end_date else None
		if old_end == new_end:
			return
		reason = self.extension_reason if self.has_value_changed("extension_reason") else None
		if problem := placements.extension_problem(old_end, new_end, reason):
			frappe.throw(problem, PlacementError, title=_("Extension"))
		self.extended_from = old_end

	def set_end_of_phase_warning(self):
		"""The year group at the start, and a warning when the planned end passes the end of
		Year 6 (secondary transfer) or Year 11 (leaving school)."""
		if not self.start_date or not self.pupil:
			return
		from ap_provision.ap_provision.doctype.panel.agenda import closures_between

		start = getdate(self.start_date)
		now = frappe.get_doc("Pupil", self.pupil).year_group_on(getdate(today()))
		self.year_group_at_start = academic.year_group_on(now, getdate(today()), start) if now else None
		end = getdate(self.planned_end_date) if self.planned_end_date else None
		warning = academic.end_of_phase_warning(
			self.year_group_at_start, start, end, closures_between(start, add_days(start, 400))
		)
		if warning and warning != self.previous("phase_end_warning"):
			frappe.msgprint(warning, title=_("End of Year 6 or Year 11"), indicator="orange")
		self.phase_end_warning = warning

	# -- provider due diligence -------------------------------------------------------------

	def validate_provider(self):
		"""No placement with a provider without current safeguarding checks or a free place;
		an unregistered provider that would educate full time 5 or more pupils (or 1 with an
		EHC plan) is flagged and the PRT confirms before the placement starts."""
		if not (
			self.is_new()
			or self.is_entering(placements.ACTIVE)
			or any(self.has_value_changed(f) for f in ("provider", "hours_per_week", "start_date"))
		):
			return
		provider = frappe.get_doc("AP Provider", self.provider)
		if not provider.is_active:
			frappe.throw(_("{0} is not an active provider.").format(provider.name), ProviderDueDiligenceError)
		if problem := due_diligence.registration_problem(provider.registration_status, provider.urn):
			frappe.throw(
				_("{0}: {1} Record it on the provider before making a placement.").format(
					provider.name, problem
				),
				ProviderDueDiligenceError,
				title=_("Provider due diligence"),
			)
		on = max(getdate(today()), getdate(self.start_date))
		if problem := due_diligence.placement_refusal(provider.name, due_diligence_checks(provider), on):
			frappe.throw(problem, ProviderDueDiligenceError, title=_("Provider due diligence"))
		if self.is_new() or self.has_value_changed("provider"):
			if provider.free_places(self.key_stage, exclude_referral=self.referral) < 1:
				frappe.throw(
					_("{0} has no free {1} place. Choose another provider.").format(
						provider.name, self.key_stage
					),
					ProviderDueDiligenceError,
					title=_("No place"),
				)
		self.flag_unregistered_provider(provider)

	def flag_unregistered_provider(self, provider):
		full_time, full_time_ehc = full_time_pupils(provider.name, exclude=self.name)
		if placements.is_full_time(self.hours_per_week):
			full_time += 1
			full_time_ehc += int(bool(self.has_ehc_plan))
		flag = due_diligence.unregistered_flag(
			provider=provider.name,
			status=provider.registration_status,
			full_time_pupils=full_time,
			full_time_ehc_pupils=full_time_ehc,
		)
		if flag != self.due_diligence_flag:
			self.due_diligence_acknowledged = 0
		self.due_diligence_flag = flag
		if flag and not self.due_diligence_acknowledged:
			frappe.msgprint(flag, title=_("Check the provider before confirming"), indicator="orange")

	# -- status -------------------------------------------------------------------------

	def validate_status_change(self):
		old = None if self.is_new() else self.previous("status")
		if problem := placements.status_problem(self.placement_type, old, self.status):
			frappe.throw(problem, PlacementStatusError, title=_("Placement status"))
		if self.is_entering(placements.ACTIVE):
			self.validate_start()
		if self.status in placements.ENDED_STATUSES and old not in placements.ENDED_STATUSES:
			self.actual_end_date = self.actual_end_date or today()

	def set_safeguarding_recorded(self):
		"""Whether the arrangements are recorded: from Placement Safeguarding, on every save (an
		open copy of the placement never writes back a stale answer)."""
		arrangements = None if self.is_new() else arrangements_of(self.name)
		self.safeguarding_recorded = int(bool((arrangements or "").strip()))

	def validate_start(self):
		"""R4 and R5: what must be recorded before the placement starts."""
		problem = placements.start_problem(
			placement_type=self.placement_type,
			start_date=getdate(self.start_date) if self.start_date else None,
			today=getdate(today()),
			admission_meeting_date=getdate(self.admission_meeting_date)
			if self.admission_meeting_date
			else None,
			stakeholders=[
				placements.Stakeholder(
					row.stakeholder_role, row.person_name, row.responsibilities, bool(row.confirmed)
				)
				for row in self.stakeholders
			],
			safeguarding_arrangements=None if self.is_new() else arrangements_of(self.name),
		)
		if problem:
			frappe.throw(problem, PlacementStartError, title=_("Cannot start the placement"))
		self.validate_annual_review_before_start()
		if self.due_diligence_flag and not self.due_diligence_acknowledged:
			frappe.throw(
				_(
					"{0} Tick 'Checked and confirmed by the PRT' and say what was checked before starting."
				).format(self.due_diligence_flag),
				ProviderDueDiligenceError,
				title=_("Provider due diligence"),
			)
		if self.due_diligence_flag and not (self.due_diligence_note or "").strip():
			frappe.throw(
				_("Say what was checked about the provider's registration before starting."),
				ProviderDueDiligenceError,
			)

	def validate_annual_review_before_start(self):
		"""R7/R10 again at the start: a KS1-3 EHC pupil's annual review due before the planned
		end is held before the placement starts."""
		next_due = frappe.db.get_value("Pupil", self.pupil, "next_annual_review_due") if self.pupil else None
		if problem := placements.annual_review_before_start_problem(
			placement_type=self.placement_type,
			has_ehc_plan=bool(self.has_ehc_plan),
			next_annual_review_due=getdate(next_due) if next_due else None,
			today=getdate(today()),
			planned_end=getdate(self.planned_end_date) if self.planned_end_date else None,
		):
			frappe.throw(problem, PlacementStartError, title=_("Annual review first"))

	# -- R12 funding -----------------------------------------------------------------------

	def set_funding(self):
		"""R12: a KS4 EHC pupil placed 5 days a week: EHC plan funding to the school ceases
		from the start date (or from the day a running placement goes up to 5 days) and is
		restored from the day it drops below 5 days, or the day after the placement ends. AWPU
		always stays."""
		before = self.before()
		period = funding.funding_period(
			key_stage=self.key_stage,
			has_ehc_plan=bool(self.has_ehc_plan),
			days_per_week=self.days_per_week,
			started=self.status != placements.PLANNED,
			ended=self.status in placements.ENDED_STATUSES,
			start_date=getdate(self.start_date) if self.start_date else None,
			actual_end_date=getdate(self.actual_end_date) if self.actual_end_date else None,
			today=getdate(today()),
			previous=funding.FundingPeriod(
				_date(before.ehc_funding_ceased_from) if before else None,
				_date(before.ehc_funding_restored_on) if before else None,
			),
		)
		self.ehc_funding_ceased = int(period.ceased)
		self.ehc_funding_ceased_from = period.ceased_from
		self.ehc_funding_restored_on = period.restored_on
		self.awpu_retained = int(funding.awpu_retained())
		self.funding_note = funding.funding_note(
			self.key_stage,
			self.has_ehc_plan,
			self.days_per_week,
			period.ceased_from or (getdate(self.start_date) if self.start_date else None),
			restored_on=period.restored_on,
		)

	def record_funding_change(self):
		"""Every change of days a week or of the funding timeline is written to the timeline."""
		before = self.before()
		if not before:
			return
		days_changed = self.has_value_changed("days_per_week")
		timeline_changed = any(
			self.has_value_changed(f) for f in ("ehc_funding_ceased_from", "ehc_funding_restored_on")
		)
		if days_changed:
			self.add_comment(
				"Info",
				_("Days per week changed from {0} to {1}. {2}").format(
					before.days_per_week, self.days_per_week, self.funding_note
				),
			)
		elif timeline_changed:
			self.add_comment("Info", _("EHC funding: {0}").format(self.funding_note))

	# -- monitoring ---------------------------------------------------------------------------

	def set_monitoring_dates(self):
		"""R5 and R6: when the next provider report and the next review are due."""
		settings = get_settings()
		if self.status in placements.RUNNING_STATUSES and self.start_date:
			self.next_update_due = placements.next_due(
				getdate(self.last_update_date) if self.last_update_date else None,
				getdate(self.start_date),
				settings.update_interval_days,
			)
			if not self.next_review_date and not self.last_review_date:
				self.next_review_date = add_days(self.start_date, settings.review_interval_days)
		elif self.status in placements.ENDED_STATUSES:
			self.next_update_due = None
			self.next_review_date = None


def _date(value):
	return getdate(value) if value else None


def days_decided(placement_type: str | None, referral_days) -> int | None:
	"""Days a week a new placement starts with: 5 for KS1-3; the panel's decision for KS4
	(none when the panel did not record it: the PRT then enters it)."""
	if placement_type == placements.INTERVENTION_PLACEMENT:
		return placements.SCHOOL_DAYS_PER_WEEK
	return frappe.utils.cint(referral_days) or None


def default_end_date(start, term_time_only: bool = False):
	from ap_provision.ap_provision.doctype.panel.agenda import closures_between

	weeks = get_settings().placement_weeks or 16
	closures = closures_between(start, add_days(start, weeks * 7 * 2)) if term_time_only else []
	return placements.planned_end_date(start, weeks, closures, term_time_only)


def full_time_pupils(provider: str, exclude: str | None = None) -> tuple[int, int]:
	"""(full-time pupils, full-time pupils with an EHC plan) in live placements at a provider."""
	rows = frappe.get_all(
		"Placement",
		filters={
			"provider": provider,
			"status": ("in", placements.LIVE_STATUSES),
			"hours_per_week": (">", placements.FULL_TIME_HOURS),
			"name": ("!=", exclude or ""),
		},
		fields=["count(name) as pupils", "sum(has_ehc_plan) as ehc"],
	)
	row = rows[0] if rows else {}
	return int(row.get("pupils") or 0), int(row.get("ehc") or 0)


@frappe.whitelist()
def make_placement(source_name: str, target_doc=None):
	"""Create Placement from an approved Referral (mapped, ERPNext style)."""
	frappe.has_permission("Referral", "read", doc=source_name, throw=True)
	frappe.has_permission("Placement", "create", throw=True)
	if existing := frappe.db.get_value("Placement", {"referral": source_name}, "name"):
		frappe.throw(
			_("Referral {0} already has placement {1}: open it instead.").format(
				frappe.bold(source_name), frappe.bold(existing)
			),
			PlacementExistsError,
			title=_("Placement already made"),
		)

	def postprocess(source, target):
		target.placement_type = placements.placement_type_for(source.key_stage)
		# KS4 has no default days: the panel decided them (Referral.days_per_week).
		target.days_per_week = days_decided(target.placement_type, source.days_per_week)
		target.hours_per_week = placements.default_hours_per_week(target.days_per_week)
		target.term_time_only = int(bool(get_settings().term_time_placements))
		# planned_end_date is set on save, from the start date and term-time choice.
		roles = [placements.SCHOOL, placements.PROVIDER, placements.PARENT, placements.PUPIL, placements.PRT]
		if source.has_ehc_plan:
			roles.append(placements.CASEWORKER)
		for role in roles:
			target.append(
				"stakeholders",
				{
					"stakeholder_role": role,
					"person_name": frappe.utils.get_fullname(source.send_caseworker)
					if role == placements.CASEWORKER and source.send_caseworker
					else None,
					"user": source.send_caseworker if role == placements.CASEWORKER else None,
					"responsibilities": _(placements.DEFAULT_RESPONSIBILITIES[role]),
				},
			)

	return get_mapped_doc(
		"Referral",
		source_name,
		{
			"Referral": {
				"doctype": "Placement",
				"field_map": {"name": "referral", "expected_start_date": "start_date"},
				"field_no_map": ["naming_series", "status"],
				"validation": {"docstatus": ["=", 1], "workflow_state": ["=", "Approved"]},
			}
		},
		target_doc,
		postprocess,
	)


@frappe.whitelist()
def make_review(source_name: str, target_doc=None):
	"""Schedule a Review of a placement: the usual attendees invited, the next date set."""
	settings = get_settings()

	def postprocess(source, target):
		target.review_date = source.next_review_date or today()
		target.review_type = (
			reviews.FOLLOW_UP
			if source.status in placements.ENDED_STATUSES
			else reviews.REINTEGRATION_PLANNING
			if source.status == placements.REINTEGRATING
			else reviews.FINAL
			if source.planned_end_date and getdate(target.review_date) >= getdate(source.planned_end_date)
			else reviews.INTERIM
		)
		target.next_review_date = add_days(target.review_date, settings.review_interval_days)
		invite = [
			*(
				reviews.FOLLOW_UP_INVITEES
				if target.review_type == reviews.FOLLOW_UP
				else reviews.PLACEMENT_REVIEW_INVITEES
			),
			"Parent/Carer",
			"Pupil",
		]
		if source.has_ehc_plan:
			invite.append("SEND Caseworker")
		for role in invite:
			target.append(
				"attendees",
				{
					"attendee_role": role,
					"user": source.send_caseworker if role == "SEND Caseworker" else None,
					"invited": 1,
				},
			)

	return get_mapped_doc(
		"Placement",
		source_name,
		{
			"Placement": {
				"doctype": "Review",
				"field_map": {"name": "placement"},
				"field_no_map": ["naming_series", "next_review_date", "status"],
			}
		},
		target_doc,
		postprocess,
	)
