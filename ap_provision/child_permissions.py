"""Rows of child tables checked against their own parent record.

Frappe v15 checks a child-table row loaded on its own (``frappe.client.get`` of a child doctype
by name or by ``{"parent": ...}``, ``/api/resource/<child>/<name>``, ``getdoc``) against the
parent *doctype* only: ``has_child_permission`` passes ``child.parent_doc``, which is None for a
row loaded without its parent, so no record-level rule (User Permissions, the app's
``has_permission`` hooks) is applied. Provider X could read the session marks of provider Y's
report by naming it. These classes (``override_doctype_class`` in hooks.py) add the missing
check: a row loaded on its own is readable only by those who may read its parent record.
Rows listed through ``frappe.get_list`` are scoped by ``permissions.child_query``.
"""

import frappe

from ap_provision.ap_provision.doctype.ap_provider_check.ap_provider_check import APProviderCheck
from ap_provision.ap_provision.doctype.ehc_professional_advice.ehc_professional_advice import (
	EHCProfessionalAdvice,
)
from ap_provision.ap_provision.doctype.panel_agenda_item.panel_agenda_item import PanelAgendaItem
from ap_provision.ap_provision.doctype.panel_attendance.panel_attendance import PanelAttendance
from ap_provision.ap_provision.doctype.placement_attendance_day.placement_attendance_day import (
	PlacementAttendanceDay,
)
from ap_provision.ap_provision.doctype.placement_stakeholder.placement_stakeholder import (
	PlacementStakeholder,
)
from ap_provision.ap_provision.doctype.review_action.review_action import ReviewAction
from ap_provision.ap_provision.doctype.review_attendee.review_attendee import ReviewAttendee


class ParentScoped:
	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		if not super().has_permission(permtype, debug=debug, user=user):
			return False
		if self.flags.ignore_permissions or self.parent_doc is not None:
			return True  # loaded with its parent, which was checked
		if not (self.parenttype and self.parent):
			return True
		return bool(frappe.has_permission(self.parenttype, permtype, doc=self.parent, user=user))


class ScopedPlacementAttendanceDay(ParentScoped, PlacementAttendanceDay):
	pass


class ScopedPlacementStakeholder(ParentScoped, PlacementStakeholder):
	pass


class ScopedReviewAttendee(ParentScoped, ReviewAttendee):
	pass


class ScopedReviewAction(ParentScoped, ReviewAction):
	pass


class ScopedEHCProfessionalAdvice(ParentScoped, EHCProfessionalAdvice):
	pass


class ScopedAPProviderCheck(ParentScoped, APProviderCheck):
	pass


class ScopedPanelAttendance(ParentScoped, PanelAttendance):
	pass


class ScopedPanelAgendaItem(ParentScoped, PanelAgendaItem):
	pass
