# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model import no_value_fields
from frappe.model.document import Document
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, cstr, get_datetime, getdate, now_datetime, today

from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.ap_provision.doctype.ehc_assessment.ehc_assessment import completeness_summary
from ap_provision.ap_provision.doctype.panel.agenda import (
	ASSIGNED_STATES,
	closures_between,
	next_open_panel_date,
	panel_slots_for,
	remove_from_other_agendas,
	sync_agenda_row,
)
from ap_provision.exceptions import (
	MissingEvidenceError,
	NoPanelError,
	NotReferableError,
	OpenReferralExistsError,
	PanelDecisionError,
	PupilNotPermittedError,
	ReceivedOnOverrideError,
	ReferralAlreadyDecidedError,
	ReferralLockedError,
	WithdrawalError,
)
from ap_provision.rules import academic, deadlines, evidence, panels, placements

SCHOOL_EDITABLE_STATES = ("Draft", "More Information Requested")
DECISION_FIELDS = (
	"provider",
	"expected_start_date",
	"days_per_week",
	"decision_reason",
	"decision_conditions",
)
PRT_ROLES = {"PRT Officer", "AP Administrator", "System Manager"}
# States of a referral still in progress: a pupil has at most one such referral (or an
# approved one whose placement has not ended).
OPEN_STATES = ("Draft", "Submitted", "More Information Requested", "Accepted for Panel", "Deferred")
# States from which the referral may be withdrawn (every state before a decision).
WITHDRAWABLE_STATES = OPEN_STATES
# Where an accepted referral is placed again by R1 (a deferred one waits for the PRT).
NEW_RECEIPT = "Is a new receipt"


class Referral(Document):
	def validate(self):
		self.validate_pupil_permission()
		self.guard_school_edits()
		self.validate_ehc_assessment_link()
		if self.is_entering("Submitted"):
			self.validate_referable_now()
			self.receive()
		self.apply_received_on_override()
		if self.is_entering("Accepted for Panel"):
			self.confirm_panel_on_accept()
		self.set_pupil_details()
		if self.is_entering("Submitted") and self.has_ehc_plan:
			self.get_ehc_assessment().validate_for_submission(self)
		if self.is_entering("Withdrawn"):
			self.validate_withdrawal()
		if self.is_being_decided():
			self.validate_decision()
		self.set_ehc_completeness()

	def before_save(self):
		# After every validation (its own and the app's checks of attachments and scope).
		self.validate_one_open_referral()

	def after_insert(self):
		self.create_ehc_assessment()

	def on_update(self):
		# A pupil may gain an EHC plan while the referral is a draft.
		self.create_ehc_assessment()
		self.sync_agenda()
		self.leave_agendas_when_withdrawn()

	def check_if_latest(self):
		"""Two decisions at once: the one that arrives second is told who decided first."""
		# Kept as an override: Frappe raises its TimestampMismatchError here, before any hook
		# (before_validate, validate) runs, so no supported hook can name the first decider.
		if not self.is_new() and self.workflow_state in panels.DECISIONS:
			stored = frappe.db.get_value(
				"Referral",
				self.name,
				["workflow_state", "decided_by", "decided_on", "modified"],
				as_dict=True,
				for_update=True,
			)
			if (
				stored
				and stored.workflow_state in panels.DECISIONS
				and cstr(stored.modified) != cstr(self._original_modified)
			):
				throw_already_decided(self.name, stored)
		super().check_if_latest()

	# -- state helpers ------------------------------------------------------------------

	def previous_state(self) -> str | None:
		before = self.get_doc_before_save()
		return before.workflow_state if before else None

	def is_entering(self, state: str) -> bool:
		return self.workflow_state == state and self.previous_state() != state

	def is_being_decided(self) -> bool:
		return self.workflow_state in panels.DECISIONS and self.previous_state() == "Accepted for Panel"

	# -- who may do what ----------------------------------------------------------------

	def validate_pupil_permission(self):
		"""A school user may only refer pupils on their own school's roll."""
		if self.pupil and not frappe.has_permission("Pupil", "read", doc=self.pupil):
			frappe.throw(
				_("You cannot refer pupil {0}: they are not on your school's roll.").format(
					frappe.bold(self.pupil)
				),
				PupilNotPermittedError,
				title=_("Not your pupil"),
			)

	def guard_school_edits(self):
		"""Schools edit a referral only while it is a draft or more information is asked for."""
		if self.is_new() or is_prt_user():
			return
		before = self.get_doc_before_save()
		if not before or before.workflow_state in SCHOOL_EDITABLE_STATES:
			return
		# Withdrawing (from any state before a decision) records its reason.
		allowed = (
			{"workflow_state", "withdrawal_reason"} if self.is_entering("Withdrawn") else {"workflow_state"}
		)
		changed = [
			df.label
			for df in self.meta.fields
			if df.permlevel == 0
			and df.fieldtype not in no_value_fields
			and df.fieldname not in allowed
			and not df.read_only
			and str(self.get(df.fieldname) or "") != str(before.get(df.fieldname) or "")
		]
		if changed:
			frappe.throw(
				_(
					"This referral is {0}, so the school can no longer change it ({1}). Ask the PRT to request more information if something needs correcting."
				).format(frappe.bold(_(before.workflow_state)), ", ".join(_(label) for label in changed)),
				ReferralLockedError,
				title=_("Referral locked"),
			)

	def validate_one_open_referral(self):
		"""A pupil has one referral in progress at a time (or an approved one whose placement
		has not ended): a second is refused, naming the first."""
		if not self.pupil or (self.workflow_state or "Draft") not in OPEN_STATES:
			return
		if not (self.is_new() or self.has_value_changed("pupil") or self.is_entering("Submitted")):
			return
		# Two referrals for one pupil saved at the same moment are checked one after the other.
		frappe.db.get_value("Pupil", self.pupil, "name", for_update=True)
		if other := open_referral_of(self.pupil, exclude=self.name):
			frappe.throw(
				_(
					"{0} already has referral {1} ({2}). A pupil has one referral at a time: continue with "
					"that one, or withdraw it first."
				).format(frappe.bold(self.pupil_name or self.pupil), frappe.bold(other.name), _(other.state)),
				OpenReferralExistsError,
				title=_("Referral already open"),
			)

	# -- R3, judged at the placement's start ------------------------------------------------

	def set_pupil_details(self):
		"""School and EHC flag come from the pupil; the year group, key stage and referral type
		are judged at the placement's expected start (R3): a Year 9 pupil referred in June for a
		September start is in Year 10 (KS4) then. The panel sees the year group at the start,
		and a warning when the placement would run past the end of Year 6 or Year 11."""
		if not self.pupil or self.docstatus != 0 or self.workflow_state == "Withdrawn":
			return
		pupil = frappe.get_doc("Pupil", self.pupil)
		self.school = pupil.school
		self.has_ehc_plan = pupil.has_ehc_plan
		on = getdate(today())
		self.year_group = pupil.year_group_on(on)
		start = self.judged_start()
		self.start_basis_date = start
		self.year_group_at_start = (
			academic.year_group_on(self.year_group, on, start) if self.year_group else None
		)
		if self.year_group_at_start:
			self.key_stage = academic.key_stage_for(self.year_group_at_start)
		if self.key_stage and self.key_stage != "EYFS":
			self.referral_type = academic.referral_type_for(self.key_stage)
		self.end_of_phase_warning = academic.end_of_phase_warning(
			self.year_group_at_start,
			start,
			self.planned_end_from(start),
			closures_between(start, add_days(start, 400)),
		)
		if self.is_new() or self.is_entering("Submitted") or self.is_entering("Accepted for Panel"):
			problem = pupil.referability_problem() or academic.referability_at_start_problem(
				getdate(pupil.date_of_birth),
				on,
				start,
				pupil.override_year_group if pupil.year_group_override else None,
			)
			if problem:
				frappe.throw(problem, NotReferableError, title=_("Cannot refer this pupil"))

	def validate_referable_now(self):
		"""R3 today: a pupil who has left Year 11 (or is in Reception) is told so before anything
		else; the check at the start follows once the panel is known (`set_pupil_details`)."""
		if self.pupil and (problem := frappe.get_doc("Pupil", self.pupil).referability_problem()):
			frappe.throw(problem, NotReferableError, title=_("Cannot refer this pupil"))

	def judged_start(self):
		"""The expected start the panel set, or before that the first open day the LA's usual
		lead time after the panel (the referral's, or the next open one's; today's while none)."""
		if self.expected_start_date:
			return getdate(self.expected_start_date)
		panel_date = (
			getdate(self.panel_date) if self.panel_date else next_open_panel_date() or getdate(today())
		)
		lead = get_settings().start_lead_days
		return academic.estimated_start(
			panel_date, 10 if lead is None else lead, closures_between(panel_date, add_days(panel_date, 120))
		)

	def planned_end_from(self, start):
		"""The planned end of a placement from `start`: the LA's length, in term time when that is
		its default (what the placement will get when it is made)."""
		from ap_provision.ap_provision.doctype.placement.placement import default_end_date

		return default_end_date(start, bool(get_settings().term_time_placements))

	# -- Submit: R2, R1, then (after R3) the EHC rules -----------------------------------

	def receive(self):
		"""Submit: R2 evidence, then when it was received and its panel (R1). The key stage is
		judged afterwards, from the start that panel gives (R3)."""
		if problem := evidence.evidence_problem(
			self.boss_report, self.specialist_advice, self.specialist_advice_source
		):
			frappe.throw(problem, MissingEvidenceError, title=_("Evidence needed"))
		self.set_received_on()
		self.assign_panel()

	def set_received_on(self):
		"""R1: set by the server when the referral reaches Submitted. A resubmission after more
		information was requested keeps the first receipt (and any PRT correction of it), unless
		the LA counts a resubmission as a new receipt (AP Settings); then a PRT correction of the
		first receipt is replaced, and the timeline says so."""
		resubmitted = self.previous_state() == "More Information Requested" and self.received_on
		if resubmitted and get_settings().resubmission_receipt != NEW_RECEIPT:
			return
		if resubmitted and self.received_on_override:
			self.add_comment(
				"Info",
				_(
					"Resubmitted after more information was requested: it counts as received now (AP "
					"Settings). The PRT's correction of the first receipt ({0}: {1}) no longer applies."
				).format(
					frappe.format(self.received_on_override, "Datetime"),
					self.received_on_override_reason or "",
				),
			)
			self.received_on_override = None
			self.received_on_override_reason = None
		self.received_on = now_datetime()

	def assign_panel(self, after=None, quiet: bool = False):
		"""R1: the earliest panel not yet held whose deadline is not before received_on; after a
		deferral, a panel after the one that deferred it."""
		received = get_datetime(self.received_on)
		after = after or self.deferred_at()
		choice = deadlines.choose_panel(received, panel_slots_for(received.date(), after=after))
		if not choice.panel:
			frappe.throw(deadlines.no_panel_message(received), NoPanelError, title=_("No panel"))
		self.panel = choice.panel.name
		self.panel_date = choice.panel.panel_date
		self.late_referral = int(choice.is_late)
		self.panel_note = (
			deadlines.late_message(choice)
			or deadlines.overtaken_message(choice)
			or deadlines.on_time_message(choice)
		)
		if (choice.is_late or choice.overtaken) and not quiet:
			frappe.msgprint(self.panel_note, title=_("Referral deadline missed"), indicator="orange")

	def apply_received_on_override(self):
		"""R1: PRT may correct received_on with a reason; the change is kept in the version log."""
		if not self.received_on_override or not self.has_value_changed("received_on_override"):
			return
		if not is_prt_user():
			frappe.throw(_("Only the PRT can correct when a referral was received."), ReceivedOnOverrideError)
		if not (self.received_on_override_reason or "").strip():
			frappe.throw(
				_("Give a reason for correcting the received date and time."),
				ReceivedOnOverrideError,
				title=_("Reason needed"),
			)
		if self.workflow_state in ("Draft", "Withdrawn"):
			frappe.throw(
				_("The received date can only be corrected once the referral has been submitted."),
				ReceivedOnOverrideError,
			)
		self.received_on = self.received_on_override
		if self.workflow_state in ASSIGNED_STATES:
			self.assign_panel()

	def deferred_at(self):
		"""The date of the last panel that deferred this referral, or None."""
		if self.is_new():
			return None
		item = frappe.qb.DocType("Panel Agenda Item")
		panel = frappe.qb.DocType("Panel")
		rows = (
			frappe.qb.from_(item)
			.join(panel)
			.on(panel.name == item.parent)
			.select(panel.panel_date)
			.where(
				(item.parenttype == "Panel") & (item.referral == self.name) & (item.decision == "Deferred")
			)
			.orderby(panel.panel_date, order=frappe.qb.desc)
			.limit(1)
			.run()
		)
		return getdate(rows[0][0]) if rows else None

	def confirm_panel_on_accept(self):
		"""R1 is about when the PRT received the referral, not when it was triaged: accepting
		keeps the panel it was received in time for until that panel is held (even after its
		agenda papers closed), else it rolls to the next one.

		A deferred referral goes to the next panel after the one that deferred it.
		"""
		self.assign_panel()

	# -- withdrawal ---------------------------------------------------------------------

	def validate_withdrawal(self):
		"""Withdraw from any state before a decision, with a reason."""
		before = self.previous_state()
		if before not in WITHDRAWABLE_STATES:
			frappe.throw(
				_("Referral {0} is {1}: only a referral not yet decided can be withdrawn.").format(
					self.name, _(before or "")
				),
				WithdrawalError,
			)
		if not (self.withdrawal_reason or "").strip():
			frappe.throw(
				_("Give the reason the referral is withdrawn: the PRT and the panel see it."),
				WithdrawalError,
				title=_("Reason needed"),
			)

	def leave_agendas_when_withdrawn(self):
		"""A withdrawn referral leaves the agenda of any panel not yet held; the reason is on its
		timeline."""
		if self.workflow_state == "Withdrawn" and self.has_value_changed("workflow_state"):
			remove_from_other_agendas(self.name, "")
			self.add_comment("Info", _("Withdrawn: {0}").format(self.withdrawal_reason or ""))

	# -- panel decisions ----------------------------------------------------------------

	def decision_request(self, decision: str) -> panels.DecisionRequest:
		panel = (
			frappe.db.get_value("Panel", self.panel, ["name", "panel_date", "chair"], as_dict=True)
			if self.panel
			else None
		)
		on_agenda = bool(
			panel
			and frappe.db.exists(
				"Panel Agenda Item", {"parenttype": "Panel", "parent": panel.name, "referral": self.name}
			)
		)
		free = None
		if decision == "Approved" and self.provider:
			free = frappe.get_doc("AP Provider", self.provider).free_places(
				self.key_stage, exclude_referral=self.name
			)
		return panels.DecisionRequest(
			decision=decision,
			user=frappe.session.user,
			panel=self.panel,
			panel_date=getdate(panel.panel_date) if panel else None,
			panel_chair=panel.chair if panel else None,
			on_agenda=on_agenda,
			today=getdate(today()),
			reason=self.decision_reason,
			provider=self.provider,
			provider_free_places=free,
			key_stage=self.key_stage,
			expected_start_date=getdate(self.expected_start_date) if self.expected_start_date else None,
			days_per_week=self.days_per_week,
			placement_type=placements.placement_type_for(self.key_stage),
			not_referable_at_start=None if self.year_group_at_start else self.start_problem_text(),
		)

	def start_problem_text(self) -> str | None:
		if not self.pupil or not self.expected_start_date:
			return None
		pupil = frappe.get_doc("Pupil", self.pupil)
		return academic.referability_at_start_problem(
			getdate(pupil.date_of_birth),
			getdate(today()),
			getdate(self.expected_start_date),
			pupil.override_year_group if pupil.year_group_override else None,
		)

	def validate_decision(self):
		"""Only the chair of the referral's panel, on or after its date, for a referral on its
		agenda; Decline and Defer need reasons; Approve needs a provider place and a start date."""
		if problem := panels.decision_problem(self.decision_request(self.workflow_state)):
			frappe.throw(problem, PanelDecisionError, title=_("Cannot record this decision"))
		self.decided_by = frappe.session.user
		self.decided_on = now_datetime()

	def sync_agenda(self):
		"""Keep the panel's agenda row in step with the referral, whichever side decided."""
		if not self.panel or self.workflow_state not in ("Accepted for Panel", *panels.DECISIONS):
			return
		sync_agenda_row(self)

	# -- EHC evidence -------------------------------------------------------------------

	def validate_ehc_assessment_link(self):
		"""A referral's EHC evidence is its own assessment (started by the server): pointing it at
		another referral's assessment would skip R7-R11 with someone else's answers."""
		if not self.ehc_assessment:
			return
		if (
			self.is_new()
			or frappe.db.get_value("EHC Assessment", self.ehc_assessment, "referral") != self.name
		):
			frappe.throw(
				_("EHC assessment {0} is not this referral's own evidence.").format(
					frappe.bold(self.ehc_assessment)
				),
				frappe.ValidationError,
				title=_("EHC evidence"),
			)

	def get_ehc_assessment(self):
		if not self.ehc_assessment:
			frappe.throw(
				_("This pupil has an EHC plan: complete the EHC evidence before submitting."),
				title=_("EHC evidence needed"),
			)
		return frappe.get_doc("EHC Assessment", self.ehc_assessment)

	def create_ehc_assessment(self):
		"""Pupils with an EHC plan need the evidence of their pathway: start it for the school."""
		if not self.has_ehc_plan or self.ehc_assessment:
			return
		existing = frappe.db.get_value("EHC Assessment", {"referral": self.name}, "name")
		if not existing:
			assessment = frappe.get_doc({"doctype": "EHC Assessment", "referral": self.name})
			assessment.flags.ignore_permissions = True
			existing = assessment.insert().name
		self.ehc_assessment = existing

	def set_ehc_completeness(self):
		values = None
		if self.ehc_assessment:
			values = frappe.db.get_value(
				"EHC Assessment",
				self.ehc_assessment,
				["answered_count", "required_count", "missing_items", "panel_flags"],
				as_dict=True,
			)
		summary = (
			completeness_summary(values)
			if values
			else {"ehc_completeness": None, "ehc_missing_items": None, "ehc_panel_flags": None}
		)
		self.update(summary)


def is_prt_user(user: str | None = None) -> bool:
	return bool(PRT_ROLES.intersection(frappe.get_roles(user)))


def open_referral_of(pupil: str, exclude: str | None = None):
	"""The pupil's referral in progress, or approved with a placement not yet ended (name and
	state), or None."""
	referral = frappe.qb.DocType("Referral")
	placement = frappe.qb.DocType("Placement")
	rows = (
		frappe.qb.from_(referral)
		.left_join(placement)
		.on(placement.referral == referral.name)
		.select(referral.name, referral.workflow_state.as_("state"), placement.status.as_("placement_status"))
		.where(
			(referral.pupil == pupil)
			& (referral.name != (exclude or ""))
			& (referral.workflow_state.isin((*OPEN_STATES, "Approved")))
		)
		.orderby(referral.creation)
		.run(as_dict=True)
	)
	for row in rows:
		if row.state in OPEN_STATES:
			return row
		if row.placement_status is None or row.placement_status in placements.LIVE_STATUSES:
			return row
	return None


@frappe.whitelist(methods=["POST"])
def set_decision_details(
	referral: str,
	provider: str | None = None,
	expected_start_date: str | None = None,
	decision_reason: str | None = None,
	decision_conditions: str | None = None,
	days_per_week: int | str | None = None,
):
	"""Save what the panel decided (provider, start date, reasons) before the workflow action."""
	doc = frappe.get_doc("Referral", referral)
	doc.check_permission("write")
	if doc.workflow_state != "Accepted for Panel":
		frappe.throw(
			_("Referral {0} is {1}: only referrals accepted for panel can be decided.").format(
				referral, _(doc.workflow_state)
			),
			PanelDecisionError,
		)
	doc.update(
		{
			"provider": provider or None,
			"expected_start_date": expected_start_date or None,
			"decision_reason": decision_reason,
			"decision_conditions": decision_conditions,
			"days_per_week": frappe.utils.cint(days_per_week) or None,
		}
	)
	doc.save()
	return doc


@frappe.whitelist(methods=["POST"])
def record_decision(
	referral: str,
	decision: str,
	provider: str | None = None,
	expected_start_date: str | None = None,
	decision_reason: str | None = None,
	decision_conditions: str | None = None,
	days_per_week: int | str | None = None,
):
	"""Record a panel decision: its details, then the workflow's Approve, Decline or Defer."""
	action = panels.ACTION_FOR_DECISION.get(decision)
	if not action:
		frappe.throw(
			_("{0} is not a panel decision: use Approved, Declined or Deferred.").format(decision),
			PanelDecisionError,
		)
	doc = set_decision_details(
		referral, provider, expected_start_date, decision_reason, decision_conditions, days_per_week
	)
	return apply_workflow(doc.as_dict(), action)


@frappe.whitelist(methods=["POST"])
def set_withdrawal_reason(referral: str, reason: str | None = None):
	"""Record why a referral not yet decided is being withdrawn, before the workflow's
	Withdraw (which reloads the referral): the school may give it in any state before the
	decision, though it can no longer edit the referral itself."""
	doc = frappe.get_doc("Referral", referral)
	doc.check_permission("write")
	if doc.workflow_state not in WITHDRAWABLE_STATES:
		frappe.throw(
			_("Referral {0} is {1}: only a referral not yet decided can be withdrawn.").format(
				referral, _(doc.workflow_state)
			),
			WithdrawalError,
		)
	if not (reason or "").strip():
		frappe.throw(
			_("Give the reason the referral is withdrawn: the PRT and the panel see it."), WithdrawalError
		)
	frappe.db.set_value("Referral", referral, "withdrawal_reason", reason.strip(), update_modified=False)


@frappe.whitelist(methods=["POST"])
def withdraw(referral: str, reason: str | None = None):
	"""Withdraw a referral not yet decided, with its reason (the school or the PRT)."""
	set_withdrawal_reason(referral, reason)
	return apply_workflow(frappe.get_doc("Referral", referral).as_dict(), "Withdraw")


def throw_already_decided(name: str, stored):
	"""The decision that lost a race (or came after another) is told who decided first."""
	frappe.throw(
		_(
			"Referral {0} has already been decided ({1}) by {2} on {3}. Reload it to see that decision."
		).format(
			name,
			_(stored.workflow_state),
			frappe.utils.get_fullname(stored.decided_by) if stored.decided_by else _("someone else"),
			frappe.format(stored.decided_on, "Datetime") if stored.decided_on else "",
		),
		ReferralAlreadyDecidedError,
		title=_("Already decided"),
	)
