# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""Onboarding portal users from the School and AP Provider forms, as an AP Administrator."""

from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase

from ap_provision import onboarding
from ap_provision.exceptions import OnboardingError
from ap_provision.tests import factories

ADMIN = "onboarding-admin@example.org"
PRT = "onboarding-prt@example.org"


def visible(doctype: str) -> list[str]:
	"""What the session user's list of `doctype` holds; nothing when they may not list it at all."""
	try:
		return frappe.get_list(doctype, pluck="name")
	except frappe.PermissionError:
		return []


class TestOnboarding(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# A new portal user is sent Frappe's welcome email; in tests, with an outgoing account on
		# the site, it is sent at once and sending commits (the class's records would survive it).
		patcher = patch("frappe.core.doctype.user.user.User.send_welcome_mail_to_user")
		patcher.start()
		cls.addClassCleanup(patcher.stop)
		cls.school_a = factories.make_school("300001", "Ash Primary").name
		cls.school_b = factories.make_school("300002", "Beech Academy").name
		cls.provider = factories.make_provider("Onboarding Provider").name
		factories.make_user(ADMIN, ["AP Administrator"])
		factories.make_user(PRT, ["PRT Officer"])
		cls.pupil_a = factories.make_pupil(cls.school_a, "Year 5").name
		cls.pupil_b = factories.make_pupil(cls.school_b, "Year 5").name

	def tearDown(self):
		frappe.set_user("Administrator")

	def add(self, doctype, name, email, first_name="Sam"):
		with self.set_user(ADMIN):
			return onboarding.add_portal_user(doctype, name, email, first_name, "Jones")

	def test_school_user_gets_role_permission_and_sees_only_their_school(self):
		email = self.add("School", self.school_a, "Sam.Jones@Ash.example.org")
		self.assertEqual(email, "sam.jones@ash.example.org")
		user = frappe.get_doc("User", email)
		self.assertEqual(user.user_type, "Website User")
		self.assertEqual([r.role for r in user.roles], ["School Referrer"])
		self.assertEqual(
			frappe.get_all("User Permission", {"user": email}, ["allow", "for_value"]),
			[{"allow": "School", "for_value": self.school_a}],
		)
		with self.set_user(email):
			seen = visible("Pupil")
		# Only school A's pupils (a site may hold other pupils of school A from earlier runs).
		self.assertIn(self.pupil_a, seen)
		self.assertEqual({frappe.db.get_value("Pupil", p, "school") for p in seen}, {self.school_a})
		with self.set_user(ADMIN):
			self.assertIn(email, [u.name for u in onboarding.portal_users("School", self.school_a)])
			self.assertNotIn(email, [u.name for u in onboarding.portal_users("School", self.school_b)])

	def test_removing_a_school_user_removes_their_access(self):
		email = self.add("School", self.school_a, "leaver@ash.example.org")
		with self.set_user(email):
			self.assertTrue(frappe.has_permission("Pupil", "read", doc=self.pupil_a))
		with self.set_user(ADMIN):
			onboarding.remove_portal_user("School", self.school_a, email)
		self.assertFalse(frappe.db.exists("User Permission", {"user": email}))
		self.assertNotIn("School Referrer", frappe.get_roles(email))
		with self.set_user(email):
			self.assertEqual(visible("Pupil"), [])
			self.assertFalse(frappe.has_permission("Pupil", "read", doc=self.pupil_a))

	def test_provider_user_gets_provider_role_and_permission(self):
		email = self.add("AP Provider", self.provider, "staff@provider.example.org")
		self.assertEqual(frappe.get_roles(email).count("AP Provider User"), 1)
		self.assertTrue(
			frappe.db.exists(
				"User Permission", {"user": email, "allow": "AP Provider", "for_value": self.provider}
			)
		)
		with self.set_user(ADMIN):
			onboarding.remove_portal_user("AP Provider", self.provider, email)
		self.assertNotIn("AP Provider User", frappe.get_roles(email))

	def test_user_without_user_permission_sees_nothing(self):
		"""A portal role alone (no User Permission) must not open every school's records."""
		email = factories.make_user("no-school@example.org", ["School Referrer"])
		with self.set_user(email):
			self.assertEqual(visible("Pupil"), [])
			self.assertFalse(frappe.has_permission("Pupil", "read", doc=self.pupil_a))

	def test_only_an_ap_administrator_onboards(self):
		with self.set_user(PRT):
			self.assertRaises(
				frappe.PermissionError,
				onboarding.add_portal_user,
				"School",
				self.school_a,
				"x@ash.example.org",
				"X",
			)

	def test_refusals_are_clear(self):
		with self.set_user(ADMIN):
			self.assertRaises(
				OnboardingError, onboarding.add_portal_user, "School", self.school_a, "not-an-email", "X"
			)
			self.assertRaises(
				OnboardingError, onboarding.add_portal_user, "School", self.school_a, PRT, "Pat"
			)
			email = onboarding.add_portal_user("School", self.school_a, "one-school@ash.example.org", "Ola")
			with self.assertRaises(OnboardingError) as refused:
				onboarding.add_portal_user("School", self.school_b, email, "Ola")
			self.assertIn(self.school_a, str(refused.exception))
			self.assertRaises(OnboardingError, onboarding.remove_portal_user, "School", self.school_b, email)
		self.assertFalse(frappe.db.exists("User Permission", {"user": email, "for_value": self.school_b}))
