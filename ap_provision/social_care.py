"""Pupils who need more eyes: the panel sees the flag on the referral, and the virtual
school head and the social worker are told of the panel's decision and invited to the reviews.

Pupil Social Care is read here by the server for users who may read it (the flag) or for the
server's own emails (never shown to schools or providers).
"""

import frappe
from frappe import _
from frappe.utils import getdate

from ap_provision.ap_provision.doctype.placement_alert import placement_alert as alerts
from ap_provision.rules._i18n import english_date

DECISIONS = ("Approved", "Declined", "Deferred")
FLAG_FIELDS = [
	"looked_after",
	"responsible_authority",
	"virtual_school_head",
	"child_in_need",
	"child_protection_plan",
	"social_worker",
	"youth_justice_worker",
]


def flags_of(record) -> list[str]:
	flags = []
	if record.looked_after:
		flags.append(
			_("Looked after ({0}; virtual school head {1})").format(
				record.responsible_authority or _("authority not recorded"),
				record.virtual_school_head or _("not recorded"),
			)
		)
	if record.child_protection_plan:
		flags.append(_("Child protection plan"))
	elif record.child_in_need:
		flags.append(_("Child in need"))
	if record.social_worker:
		flags.append(_("Social worker: {0}").format(record.social_worker))
	if record.youth_justice_worker:
		flags.append(_("Youth justice worker: {0}").format(record.youth_justice_worker))
	return flags


@frappe.whitelist()
def referral_flags(referral: str) -> list[str]:
	"""What the panel must know about the pupil of a referral: empty for users who may not read
	Pupil Social Care (schools, providers, BOSS), whatever the pupil's record says."""
	frappe.has_permission("Referral", "read", doc=referral, throw=True)
	if not frappe.has_permission("Pupil Social Care", "read"):
		return []
	pupil = frappe.db.get_value("Referral", referral, "pupil")
	rows = frappe.get_list("Pupil Social Care", filters={"pupil": pupil}, fields=FLAG_FIELDS, limit=1)
	return flags_of(rows[0]) if rows else []


def _contacts(pupil: str | None) -> list[str]:
	if not pupil:
		return []
	values = frappe.db.get_value(
		"Pupil Social Care",
		pupil,
		["virtual_school_head_email", "social_worker_email", "looked_after"],
		as_dict=True,
	)
	if not values:
		return []
	emails = [values.social_worker_email]
	if values.looked_after:
		emails.append(values.virtual_school_head_email)
	return [e for e in emails if e]


def tell_of_decision(doc, method=None):
	"""doc_events Referral on_update: the panel's decision reaches the virtual school head and the
	social worker (once per decision)."""
	state = doc.get("workflow_state")
	if state not in DECISIONS or not doc.has_value_changed("workflow_state"):
		return
	emails = _contacts(doc.pupil)
	if not emails:
		return
	alerts.send(
		alerts.SOCIAL_CARE_TOLD,
		f"social-care-decision:{doc.name}:{state}",
		placement=None,
		subject=_("Panel decision for {0}: {1}").format(doc.pupil_name or doc.pupil, _(state)),
		message=_(
			"The alternative provision panel has decided on the referral of {0} ({1}): {2}. The Pupil "
			"Referral Team will contact you about the admission meeting and reviews."
		).format(doc.pupil_name or doc.pupil, doc.name, _(state)),
		users=[],
		emails=emails,
		reference_doctype="Referral",
		reference_name=doc.name,
	)


def invite_to_review(doc, method=None):
	"""doc_events Review after_insert: the virtual school head and the social worker are invited
	to each review meeting of the placement."""
	pupil = doc.get("pupil") or frappe.db.get_value("Placement", doc.placement, "pupil")
	emails = _contacts(pupil)
	if not emails or not doc.get("review_date"):
		return
	day = getdate(doc.review_date)
	alerts.send(
		alerts.SOCIAL_CARE_TOLD,
		f"social-care-review:{doc.name}",
		placement=doc.placement,
		subject=_("Review meeting {0}: {1}").format(english_date(day), doc.get("pupil_name") or pupil),
		message=_(
			"You are invited to the review meeting of {0}'s alternative provision placement on {1}. Please "
			"reply to the Pupil Referral Team with your views if you cannot attend."
		).format(doc.get("pupil_name") or pupil, english_date(day, weekday=True)),
		users=[],
		emails=emails,
		reference_doctype="Review",
		reference_name=doc.name,
	)


def invite_to_admission_meeting(doc, method=None):
	"""doc_events Placement on_update: when the admission meeting is recorded or moved, the virtual
	school head and the social worker are told its date."""
	if not doc.get("admission_meeting_date") or not doc.has_value_changed("admission_meeting_date"):
		return
	emails = _contacts(doc.pupil)
	if not emails:
		return
	day = getdate(doc.admission_meeting_date)
	alerts.send(
		alerts.SOCIAL_CARE_TOLD,
		f"social-care-admission:{doc.name}:{day}",
		placement=doc.name,
		subject=_("Admission meeting {0}: {1}").format(english_date(day), doc.pupil_name or doc.pupil),
		message=_(
			"The admission meeting of {0} at {1} is on {2}. You are invited; please tell the Pupil Referral "
			"Team if you cannot attend."
		).format(doc.pupil_name or doc.pupil, doc.provider, english_date(day, weekday=True)),
		users=[],
		emails=emails,
		reference_doctype="Placement",
		reference_name=doc.name,
	)
