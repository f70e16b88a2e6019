# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model import no_value_fields
from frappe.model.document import Document
from frappe.model.workflow import apply_workflow
from frappe.utils import cstr, get_datetime, getdate, now_datetime, today

from ap_provision.ap_provision.doctype.ehc_assessment.ehc_assessment import completeness_summary
from ap_provision.ap_provision.doctype.panel.panel import scheduled_panel_slots
from ap_provision.exceptions import (
	MissingEvidenceError,
	NoPanelError,
	NotReferableError,
	PanelDecisionError,
	PupilNotPermittedError,
	ReceivedOnOverrideError,
	ReferralAlreadyDecidedError,
	ReferralLockedError,
)
from ap_provision.rules import academic, deadlines, evidence, panels

SCHOOL_EDITABLE_STATES = ("Draft", "More Information Requested")
DECISION_FIELDS = ("provider", "expected_start_date", "decision_reason", "decision_conditions")
PRT_ROLES = {"PRT Officer", "AP Administrator", "System Manager"}


class Referral(Document):
	def validate(self):
		self.validate_pupil_permission()
		self.guard_school_edits()
		self.set_pupil_details()
		if self.is_entering("Submitted"):
			self.validate_submission()
		self.apply_received_on_override()
		if self.is_entering("Accepted for Panel"):
			self.confirm_panel_on_accept()
		if self.is_being_decided():
			self.validate_decision()
		self.set_ehc_completeness()

	def after_insert(self):
		self.create_ehc_assessment()

	def on_update(self):
		# A pupil may gain an EHC plan while the referral is a draft.
		self.create_ehc_assessment()
		self.sync_agenda()

	def check_if_latest(self):
		"""Two decisions at once: the one that arrives second is told who decided first."""
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
		changed = [
			df.label
			for df in self.meta.fields
			if df.permlevel == 0
			and df.fieldtype not in no_value_fields
			and df.fieldname != "workflow_state"
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

	# -- R3 -----------------------------------------------------------------------------

	def set_pupil_details(self):
		"""School, year group, key stage, referral type and EHC flag come from the pupil (R3)."""
		if not self.pupil or self.docstatus != 0:
			return
		pupil = frappe.get_doc("Pupil", self.pupil)
		self.school = pupil.school
		self.has_ehc_plan = pupil.has_ehc_plan
		self.year_group = (
			pupil.override_year_group if pupil.year_group_override else pupil.computed_year_group()
		)
		if self.year_group:
			self.key_stage = academic.key_stage_for(self.year_group)
		if self.key_stage and self.key_stage != "EYFS":
			self.referral_type = academic.referral_type_for(self.key_stage)
		if problem := pupil.referability_problem():
			frappe.throw(problem, NotReferableError, title=_("Cannot refer this pupil"))

	# -- Submit: R2, R1, then the EHC rules ----------------------------------------------

	def validate_submission(self):
		if problem := evidence.evidence_problem(
			self.boss_report, self.specialist_advice, self.specialist_advice_source
		):
			frappe.throw(problem, MissingEvidenceError, title=_("Evidence needed"))
		self.received_on = now_datetime()
		self.assign_panel()
		if self.has_ehc_plan:
			self.get_ehc_assessment().validate_for_submission(self)

	def assign_panel(self, after=None):
		"""R1: the earliest scheduled panel whose deadline is not before received_on."""
		choice = deadlines.choose_panel(get_datetime(self.received_on), scheduled_panel_slots(after=after))
		if not choice.panel:
			frappe.throw(
				deadlines.no_panel_message(get_datetime(self.received_on)), NoPanelError, title=_("No panel")
			)
		self.panel = choice.panel.name
		self.panel_date = choice.panel.panel_date
		self.late_referral = int(choice.is_late)
		self.panel_note = deadlines.late_message(choice) or _(
			"Received in time for the panel on {0} (deadline {1})."
		).format(
			frappe.format(choice.panel.panel_date, "Date"),
			frappe.format(choice.panel.referral_deadline, "Date"),
		)
		if choice.is_late:
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
		if self.workflow_state in ("Submitted", "More Information Requested", "Accepted for Panel"):
			self.assign_panel()

	def confirm_panel_on_accept(self):
		"""Accepting keeps the assigned panel while it is open, else rolls to the next one.

		A deferred referral goes to the next scheduled panel after the one that deferred it.
		"""
		if self.previous_state() == "Deferred":
			self.assign_panel(after=self.panel_date)
			return
		if self.panel and frappe.db.get_value("Panel", self.panel, "status") == "Scheduled":
			return
		self.assign_panel()

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
		from ap_provision.ap_provision.doctype.panel.panel import sync_agenda_row

		sync_agenda_row(self)

	# -- EHC evidence -------------------------------------------------------------------

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
				["answered_count", "required_count", "missing_items"],
				as_dict=True,
			)
		summary = (
			completeness_summary(values) if values else {"ehc_completeness": None, "ehc_missing_items": None}
		)
		self.update(summary)


def is_prt_user(user: str | None = None) -> bool:
	return bool(PRT_ROLES.intersection(frappe.get_roles(user)))


@frappe.whitelist(methods=["POST"])
def set_decision_details(
	referral: str,
	provider: str | None = None,
	expected_start_date: str | None = None,
	decision_reason: str | None = None,
	decision_conditions: str | None = None,
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
):
	"""Record a panel decision: its details, then the workflow's Approve, Decline or Defer."""
	action = panels.ACTION_FOR_DECISION.get(decision)
	if not action:
		frappe.throw(
			_("{0} is not a panel decision: use Approved, Declined or Deferred.").format(decision),
			PanelDecisionError,
		)
	doc = set_decision_details(referral, provider, expected_start_date, decision_reason, decision_conditions)
	return apply_workflow(doc.as_dict(), action)


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
