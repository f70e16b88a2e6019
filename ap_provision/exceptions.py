"""Typed errors, so tests assert the exact refusal and users get one clear message."""

import frappe


class NotReferableError(frappe.ValidationError):
	"""R3: EYFS, below Reception or post-16 pupils; year group override without a reason."""


class InvalidUPNError(frappe.ValidationError):
	"""The UPN is malformed, has a wrong check letter, or belongs to another pupil."""


class MissingEvidenceError(frappe.ValidationError):
	"""R2: no BOSS report or equivalent specialist advice with its source."""


class EHCEvidenceIncompleteError(frappe.ValidationError):
	"""R8, R9, R11: the EHC evidence for the pathway is not complete."""


class AnnualReviewDueError(frappe.ValidationError):
	"""R7: an EHC annual review falls due inside the placement window and has not been held."""


class NoPanelError(frappe.ValidationError):
	"""R1: no scheduled panel has an open deadline."""


class ReceivedOnOverrideError(frappe.ValidationError):
	"""R1: a PRT correction of received_on without a reason, or by someone not in PRT."""


class PupilNotPermittedError(frappe.PermissionError):
	"""A school user referring a pupil who is not on their school's roll."""


class ReferralLockedError(frappe.ValidationError):
	"""A school user editing a referral that is with the PRT or the panel."""


class OpenReferralExistsError(frappe.ValidationError):
	"""A second referral for a pupil who already has one in progress (or a placement not ended)."""


class WithdrawalError(frappe.ValidationError):
	"""A withdrawal without a reason, or of a referral already decided."""


class PanelDecisionError(frappe.ValidationError):
	"""A panel decision by someone other than the panel's chair, too early, off the agenda,
	without reasons, or an approval without a provider place and a start date."""


class ReferralAlreadyDecidedError(frappe.ValidationError):
	"""Two decisions raced: the referral was decided while this one was being recorded."""


class PanelStatusError(frappe.ValidationError):
	"""A panel status change out of order or too early."""


class AgendaFrozenError(frappe.ValidationError):
	"""A change to the agenda of a panel that has been held, or rows added or removed by hand."""


class OnboardingError(frappe.ValidationError):
	"""A portal user that cannot be added or removed: bad email, LA staff, another organisation's user."""


class PortalScopeError(frappe.PermissionError):
	"""A portal user saving a record of another school or provider."""


class AttachmentError(frappe.ValidationError):
	"""An attachment of the wrong type or size, public, or not the user's own upload."""


class PlacementExistsError(frappe.ValidationError):
	"""An approved referral already has its placement (one placement per referral)."""


class PlacementError(frappe.ValidationError):
	"""A placement made from a referral that is not approved, with the wrong days a week, or
	an extension without a reason."""


class PlacementStartError(frappe.ValidationError):
	"""R4/R5: a placement started before its admission meeting, confirmed roles or safeguarding
	arrangements are recorded."""


class PlacementStatusError(frappe.ValidationError):
	"""A placement status change out of order."""


class ProviderDueDiligenceError(frappe.ValidationError):
	"""A placement with a provider whose safeguarding checks have expired, with no free place, or
	flagged as unregistered and not yet checked by the PRT."""


class PlacementUpdateError(frappe.ValidationError):
	"""R5: a provider report with an invalid period or session marks without absence reasons."""


class ReviewError(frappe.ValidationError):
	"""R6, R10, R13: a review without the right people, EHC plan amendments, actions or outcome."""


class InvalidValueError(frappe.ValidationError):
	"""A value of the wrong type or out of range (text as a number, a dictionary in a text
	field, a date of 0000-00-00): refused before any controller reads it."""


class CaseworkerError(frappe.ValidationError):
	"""A SEND caseworker link names a user who is not a SEND Caseworker."""


class EHCEvidenceLockedError(frappe.ValidationError):
	"""The school changes EHC evidence after its referral has gone to the PRT."""


class PlacementHoursError(frappe.ValidationError):
	"""A placement's weekly pattern is malformed, or a running placement is below full time
	without a part-time arrangement (when AP Settings say to refuse it)."""


class PartTimeArrangementError(frappe.ValidationError):
	"""A part-time arrangement without a reason, the parent's agreement, or with an end date
	beyond the longest allowed (AP Settings)."""


class SessionMarkError(frappe.ValidationError):
	"""A register mark without a valid mark or absence reason, for a day not yet come, or for a
	placement that is not running."""
