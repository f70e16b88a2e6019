# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""The Referral Form print format: the full referral with its EHC evidence, for the panel pack."""

import frappe
from bs4 import BeautifulSoup
from frappe.tests.utils import FrappeTestCase

from ap_provision.rules import ehc
from ap_provision.tests import factories

SCHOOL_USER = "referral-form-school@example.org"
PRT = "referral-form-prt@example.org"


class TestReferralForm(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.school = factories.make_school("340001", "Referral Form Primary").name
		factories.make_user(SCHOOL_USER, ["School Referrer"], school=cls.school)
		factories.make_user(PRT, ["PRT Officer"])
		with cls.frozen("2034-01-10 10:00:00"):
			factories.make_panel("2034-01-25")
			cls.referral = factories.make_accepted_referral(
				cls.school, "Year 5", panel_date="2034-01-25", has_ehc_plan=1
			).name
		frappe.get_doc(
			{
				"doctype": "Referral Triage",
				"referral": cls.referral,
				"recommendation": "Recommend a KS2 place at the PRU.",
			}
		).insert(ignore_permissions=True)

	@staticmethod
	def frozen(when):
		from freezegun import freeze_time

		return freeze_time(when)

	def tearDown(self):
		frappe.set_user("Administrator")

	def render(self, user=PRT) -> str:
		with self.set_user(user):
			html = frappe.get_print("Referral", self.referral, "Referral Form")
		return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())

	def test_the_ehc_checklist_of_the_pathway_is_printed(self):
		text = self.render()
		self.assertIn(self.referral, text)
		self.assertIn("Referral Form Primary", text)
		for question in ehc.questions_for("KS1-3"):
			if question.condition is None:
				self.assertIn(" ".join(question.label.split()), text)
		ks4_only = [q for q in ehc.questions_for("KS4") if "KS1-3" not in q.pathways]
		self.assertNotIn(ks4_only[0].label, text)
		self.assertIn("Educational Psychologist", text)  # the outside advice table
		self.assertIn("Accepted for Panel", text)

	def test_prt_recommendation_only_for_those_who_may_read_it(self):
		self.assertIn("Recommend a KS2 place at the PRU.", self.render(PRT))
		self.assertNotIn("Recommend a KS2 place at the PRU.", self.render(SCHOOL_USER))
