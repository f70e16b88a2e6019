# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.mapper import get_mapped_doc
from frappe.utils import add_days, getdate, today

from ap_provision.ap_provision.doctype.ap_provider.ap_provider import due_diligence_checks
from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.exceptions import (
	PlacementError,
	PlacementExistsError,
	PlacementStartError,
	PlacementStatusError,
	ProviderDueDiligenceError,
)
from ap_provision.rules import due_diligence, funding, placements, reviews


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
		extended_from: DF.Date | None
		extension_reason: DF.SmallText | None
		funding_note: DF.SmallText | None
		has_ehc_plan: DF.Check
		hours_per_week: DF.Float
		key_stage: DF.Literal["", "EYFS", "KS1", "KS2", "KS3", "KS4"]
		last_review_date: DF.Date | None
		last_update_date: DF.Date | None
		naming_series: DF.Literal["PLC-.YYYY.-.#####"]
		next_review_date: DF.Date | None
		next_update_due: DF.Date | None
		placement_type: DF.Literal["", "Intervention Placement", "Alternative Pathway"]
		planned_end_date: DF.Date | None
		provider: DF.Link
		provider_dsl: DF.Data | None
		provider_name: DF.Data | None
		pupil: DF.Link | None
		pupil_name: DF.Data | None
		referral: DF.Link
		safeguarding_arrangements: DF.Text | None
		school: DF.Link | None
		school_dsl: DF.Data | None
		school_name: DF.Data | None
		send_caseworker: DF.Link | None
		stakeholders: DF.Table[PlacementStakeholder]
		start_date: DF.Date
		status: DF.Literal["Planned", "Active", "Reintegrating", "Completed", "Ended Early", "Transitioned"]
		term_time_only: DF.Check
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
		self.validate_provider()
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
			["pupil", "school", "key_stage", "provider", "expected_start_date"],
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
		existing = frappe.db.get_value(
			"Placement", {"referral": self.referral, "name": ("!=", self.name)}, "name"
		)
		if existing:
			self.throw_placement_exists(existing)

	# -- dates and pattern ----------------------------------------------------------------

	def validate_days_per_week(self):
		if self.placement_type == placements.INTERVENTION_PLACEMENT and not self.days_per_week:
			self.days_per_week = placements.SCHOOL_DAYS_PER_WEEK
		if problem := placements.days_per_week_problem(self.placement_type, self.days_per_week):
			frappe.throw(problem, PlacementError, title=_("Days per week"))
		if (
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
			safeguarding_arrangements=self.safeguarding_arrangements,
		)
		if problem:
			frappe.throw(problem, PlacementStartError, title=_("Cannot start the placement"))
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

	# -- R12 funding -----------------------------------------------------------------------

	def set_funding(self):
		"""R12: a KS4 EHC pupil placed 5 days a week: EHC plan funding to the school ceases
		from the start date (or from the day a running placement goes up to 5 days); AWPU
		always stays. Fewer days: EHC funding continues."""
		ceased = funding.ehc_funding_ceased(self.key_stage, self.has_ehc_plan, self.days_per_week)
		was_ceased = bool(self.previous("ehc_funding_ceased"))
		self.ehc_funding_ceased = int(ceased)
		self.awpu_retained = int(funding.awpu_retained())
		if not ceased:
			self.ehc_funding_ceased_from = None
		elif not was_ceased or self.status == placements.PLANNED or not self.ehc_funding_ceased_from:
			not_started = self.status == placements.PLANNED or getdate(today()) <= getdate(self.start_date)
			self.ehc_funding_ceased_from = self.start_date if not_started else today()
		self.funding_note = funding.funding_note(
			self.key_stage,
			self.has_ehc_plan,
			self.days_per_week,
			getdate(self.ehc_funding_ceased_from or self.start_date),
		)

	def record_funding_change(self):
		"""Changes of days a week re-evaluate R12; each change is written to the timeline."""
		before = self.before()
		if not before or not self.has_value_changed("days_per_week"):
			return
		self.add_comment(
			"Info",
			_("Days per week changed from {0} to {1}. {2}").format(
				before.days_per_week, self.days_per_week, self.funding_note
			),
		)

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


def default_end_date(start, term_time_only: bool = False):
	from ap_provision.ap_provision.doctype.panel.panel import closures_between

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
		target.days_per_week = placements.SCHOOL_DAYS_PER_WEEK
		target.hours_per_week = placements.default_hours_per_week(target.days_per_week)
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
			reviews.REINTEGRATION_PLANNING
			if source.status == placements.REINTEGRATING
			else reviews.FINAL
			if source.planned_end_date and getdate(target.review_date) >= getdate(source.planned_end_date)
			else reviews.INTERIM
		)
		target.next_review_date = add_days(target.review_date, settings.review_interval_days)
		invite = [*reviews.PLACEMENT_REVIEW_INVITEES, "Parent/Carer", "Pupil"]
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
