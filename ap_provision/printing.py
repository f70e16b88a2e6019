"""Jinja helpers for the app's print formats (registered in hooks.py under ``jinja``)."""

import frappe
from frappe import _

from ap_provision.rules import ehc


def ehc_checklist(assessment) -> list[dict]:
	"""The questions of the assessment's pathway that apply to it, with their answers, in
	form order (a follow-up question is left out when its "Yes" was not given)."""
	if not assessment or not assessment.get("pathway"):
		return []
	rows = []
	for question in ehc.questions_for(assessment.pathway):
		condition = question.condition
		if condition and assessment.get(condition[0]) != condition[1]:
			continue
		value = assessment.get(question.fieldname)
		if value in (None, ""):
			shown = ""
		elif question.fieldtype == "Date":
			shown = frappe.format(value, "Date")
		else:
			shown = str(value)
		rows.append({"label": _(question.label), "value": shown, "fieldtype": question.fieldtype})
	return rows
