# Copyright (c) 2026, ap_provision developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from ap_provision.access.scope import locked_for_portal, portal_scope
from ap_provision.ap_provision.doctype.ap_settings.ap_settings import get_settings
from ap_provision.exceptions import AnnualReviewDueError, EHCEvidenceIncompleteError, EHCEvidenceLockedError
from ap_provision.rules import ehc

# Answers kept on the Pupil record too (SPEC's data contract); the assessment shows them.
PUPIL_REVIEW_FIELDS = ("last_annual_review_date", "next_annual_review_due")


class EHCAssessment(Document):
	def validate(self):
		self.guard_school_edits()
		self.set_referral_details()
		self.set_review_dates_from_pupil()
		self.validate_annual_review_dates()
		self.set_completeness()

	def on_update(self):
		self.sync_review_dates_to_pupil()
		self.update_referral_summary()

	def guard_school_edits(self):
		"""The evidence is the school's while its referral is a draft or more information is
		asked for; once the referral has gone to the PRT, the school can no longer change it
		(in any channel: web forms save with ignore_permissions)."""
		if self.is_new() or portal_scope() is None:
			return
		if state := locked_for_portal(self.get_doc_before_save() or self):
			frappe.throw(
				_(
					"The referral is {0}, so its EHC evidence can no longer be changed. Ask the PRT to request more information if something needs correcting."
				).format(frappe.bold(_(state))),
				EHCEvidenceLockedError,
				title=_("EHC evidence locked"),
			)

	def set_referral_details(self):
		referral = frappe.db.get_value(
			"Referral", self.referral, ["pupil", "pupil_name", "school", "key_stage"], as_dict=True
		)
		if not referral:
			frappe.throw(_("Referral {0} does not exist.").format(frappe.bold(self.referral)))
		self.pupil = referral.pupil
		# Set here, not fetched: Frappe fetches before validate, when the pupil is not yet known (and
		# the portal's page of an assessment without its title field fails).
		self.pupil_name = referral.pupil_name
		self.school = referral.school
		self.pathway = (
			ehc.pathway_for(referral.key_stage)
			if referral.key_stage in ("KS1", "KS2", "KS3", "KS4")
			else None
		)

	def set_review_dates_from_pupil(self):
		if not self.pupil:
			return
		values = frappe.db.get_value("Pupil", self.pupil, PUPIL_REVIEW_FIELDS, as_dict=True) or {}
		for fieldname in PUPIL_REVIEW_FIELDS:
			if not self.get(fieldname) and values.get(fieldname):
				self.set(fieldname, values[fieldname])

	def validate_annual_review_dates(self):
		"""R7/R10: the next annual review is due within 12 months of the last one."""
		last = getdate(self.last_annual_review_date) if self.last_annual_review_date else None
		next_due = getdate(self.next_annual_review_due) if self.next_annual_review_due else None
		if problem := ehc.annual_review_dates_problem(last, next_due):
			frappe.throw(problem, AnnualReviewDueError, title=_("Annual review dates"))

	def advice(self) -> list[ehc.Advice]:
		return [
			ehc.Advice(
				row.agency,
				getdate(row.advice_date) if row.advice_date else None,
				bool(row.implemented),
				bool(row.reviewed),
			)
			for row in self.professional_advice
		]

	def set_completeness(self):
		"""Completeness of the checklist for the pathway, shown to the school before it submits."""
		if not self.pathway:
			self.is_complete = 0
			self.answered_count = self.required_count = 0
			self.missing_items = _("The pupil's key stage is not known yet.")
			return
		settings = get_settings()
		answers = self.as_dict()
		advice = self.advice()
		missing = ehc.missing_items(self.pathway, answers)
		if problem := ehc.advice_problem(advice, getdate(today()), settings.advice_window_months):
			missing.append(problem)
		if self.pathway == ehc.KS4 and (
			problem := ehc.ks4_resources_request_problem(
				self.resources_requested_last_24_months,
				getdate(self.resources_request_date) if self.resources_request_date else None,
				getdate(today()),
				settings.ks4_resources_window_months or ehc.KS4_RESOURCE_WINDOW_MONTHS,
			)
		):
			missing.append(problem)
		self.panel_flags = "\n".join(ehc.panel_flags(self.pathway, answers))
		self.answered_count, self.required_count = ehc.completeness(
			self.pathway, answers, self.professional_advice
		)
		self.missing_items = "\n".join(missing)
		self.is_complete = int(not missing)
		self.advice_note = ehc.advice_warning(
			advice, getdate(today()), settings.advice_warning_months, settings.advice_window_months
		)

	def validate_for_submission(self, referral):
		"""R7, R8, R9, R11: what must hold before a referral for an EHC pupil is submitted."""
		self.set_completeness()
		problems = []
		if not self.is_complete:
			problems.append(
				_("The EHC evidence ({0}) is not complete. Still to answer:").format(self.name)
				+ "<ul>"
				+ "".join(
					f"<li>{frappe.utils.escape_html(item)}</li>" for item in self.missing_items.split("\n")
				)
				+ "</ul>"
			)
		if self.pathway == "KS1-3":
			if problem := ehc.resources_discussion_problem(
				self.resources_likely_next_6_months,
				getdate(self.caseworker_discussion_date) if self.caseworker_discussion_date else None,
				self.caseworker_discussion_notes,
				getdate(today()),
				get_settings().resources_window_months or ehc.RESOURCES_WINDOW_MONTHS,
			):
				problems.append(problem)
		if problems:
			frappe.throw(
				"".join(f"<p>{p}</p>" for p in problems), EHCEvidenceIncompleteError, title=_("EHC evidence")
			)
		if self.pathway == "KS1-3":
			# R7: from the panel to the planned end of a placement from the expected start (a
			# term-time placement ends later than 16 calendar weeks).
			next_due = frappe.db.get_value("Pupil", self.pupil, "next_annual_review_due")
			start = getdate(referral.start_basis_date or referral.panel_date)
			if problem := ehc.annual_review_problem(
				getdate(next_due) if next_due else None,
				getdate(referral.panel_date),
				get_settings().placement_weeks,
				placement_end=referral.planned_end_from(start),
			):
				frappe.throw(problem, AnnualReviewDueError, title=_("Annual review first"))
		if self.advice_note:
			frappe.msgprint(self.advice_note, title=_("Outside advice"), indicator="orange")

	def sync_review_dates_to_pupil(self):
		if not self.pupil:
			return
		pupil = frappe.get_doc("Pupil", self.pupil)
		changed = False
		for fieldname in PUPIL_REVIEW_FIELDS:
			if self.get(fieldname) and str(self.get(fieldname)) != str(pupil.get(fieldname) or ""):
				pupil.set(fieldname, self.get(fieldname))
				changed = True
		if changed:
			pupil.flags.ignore_permissions = True
			pupil.save()

	def update_referral_summary(self):
		"""Link the referral to this evidence and show its completeness there."""
		frappe.db.set_value(
			"Referral",
			self.referral,
			{"ehc_assessment": self.name, **completeness_summary(self)},
			update_modified=False,
		)


def completeness_summary(values) -> dict:
	"""What the referral shows of its EHC evidence: "17 of 25 answered", what is missing, and
	the answers for the panel's attention."""
	return {
		"ehc_completeness": _("{0} of {1} answered").format(
			values.answered_count or 0, values.required_count or 0
		),
		"ehc_missing_items": values.missing_items,
		"ehc_panel_flags": values.get("panel_flags"),
	}
