"""Personal data, bench tier: Frappe's Personal Data Download and Deletion Requests
find the app's records of a user through ``user_data_fields`` (hooks.py), and an AP
Administrator exports everything held about a pupil (personal_data.export_pupil_data).
Nothing is committed: the records are rolled back with the test."""

import json
from unittest.mock import patch

import frappe
from frappe.model import default_fields
from frappe.tests.utils import FrappeTestCase
from frappe.website.doctype.personal_data_download_request.personal_data_download_request import (
	get_user_data,
)

from ap_provision.personal_data import export_pupil_data
from ap_provision.tests import factories
from ap_provision.tests.security import world

PRT = "sec8-pd-prt@example.org"
CASEWORKER = "sec8-pd-caseworker@example.org"
ADMIN = "sec8-pd-admin@example.org"
LEAVER = "sec8-pd-leaver@example.org"


class TestSecurityPersonalData(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.school = factories.make_school(world.SCHOOLS["A"], "SEC8 School A").name
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(CASEWORKER, ["SEND Caseworker"])
		factories.make_user(ADMIN, ["AP Administrator"])
		factories.make_user(LEAVER, ["PRT Officer"])
		frappe.db.set_value("User", CASEWORKER, {"first_name": "Casey", "last_name": "Worker"})

	def setUp(self):
		# Frappe emails assignments at once in tests; the mail is not what is tested here.
		factories.mute_notification_emails(self.addCleanup)

	def tearDown(self):
		frappe.set_user("Administrator")

	def make_records(self, officer=PRT):
		pupil = factories.make_pupil(
			self.school, "Year 8", last_name=world.PUPIL_SURNAME, has_ehc_plan=1, send_caseworker=CASEWORKER
		)
		with self.set_user(officer):
			referral = frappe.get_doc(
				{
					"doctype": "Referral",
					"pupil": pupil.name,
					"reason_for_referral": f"Raised by {officer} after a call with Casey Worker",
				}
			).insert()
		return pupil, referral

	def test_a_users_data_download_holds_the_app_records_they_made_or_are_named_in(self):
		pupil, referral = self.make_records()
		data = json.loads(get_user_data(PRT))
		self.assertIn(referral.name, [r["name"] for r in data.get("Referral", [])])
		data = json.loads(get_user_data(CASEWORKER))
		self.assertIn(pupil.name, [r["name"] for r in data.get("Pupil", [])])
		# Every doctype and field named in user_data_fields exists (a typo would silently
		# leave a user's data out of their download).
		for hook in frappe.get_hooks("user_data_fields"):
			field = hook.get("filter_by", "owner")
			self.assertTrue(
				field in default_fields or frappe.get_meta(hook["doctype"]).has_field(field), hook
			)

	def test_a_users_data_deletion_redacts_their_name_and_email_in_app_records(self):
		pupil, referral = self.make_records(LEAVER)
		request = frappe.get_doc({"doctype": "Personal Data Deletion Request", "email": LEAVER})
		with patch.object(type(request), "send_verification_mail"):
			request.insert(ignore_permissions=True)
		request.db_set("status", "Pending Approval")
		request._anonymize_data()  # what trigger_data_deletion runs (queued) once approved

		self.assertFalse(frappe.db.exists("User", LEAVER))
		reason = frappe.db.get_value("Referral", referral.name, "reason_for_referral")
		self.assertNotIn(LEAVER, reason)
		self.assertNotIn(LEAVER.split("@")[0], reason)  # the user's full name
		self.assertIn("REDACTED", reason)
		self.assertEqual(frappe.db.get_value("Referral", referral.name, "owner"), request.name)
		# The child's record is the LA's, kept under its retention schedule, not the user's.
		self.assertEqual(frappe.db.get_value("Pupil", pupil.name, "first_name"), pupil.first_name)

	def test_an_ap_administrator_exports_everything_held_about_a_pupil(self):
		provider = factories.make_checked_provider(factories.unique("SEC8 Provider export ")).name
		referral = factories.make_approved_referral(
			self.school, "Year 8", provider=provider, has_ehc_plan=1, last_name=world.PUPIL_SURNAME
		)
		pupil = frappe.get_doc("Pupil", referral.pupil)
		placement = factories.make_placement(referral.name)
		placement.admission_meeting_notes = "Parents and pupil at the meeting"
		placement.save(ignore_version=False)  # the test runner keeps no Versions otherwise
		with self.set_user(PRT):
			self.assertRaises(frappe.PermissionError, export_pupil_data, pupil.name)
		with self.set_user(ADMIN):
			export = export_pupil_data(pupil.name)
		self.assertEqual(export["pupil"], pupil.name)
		self.assertEqual(export["exported_by"], ADMIN)
		self.assertEqual([r["name"] for r in export["records"]["Pupil"]], [pupil.name])
		self.assertIn(referral.name, [r["name"] for r in export["records"]["Referral"]])
		assessment = frappe.db.get_value("Referral", referral.name, "ehc_assessment")
		self.assertIn(assessment, [r["name"] for r in export["records"]["EHC Assessment"]])
		self.assertIn(placement.name, [r["name"] for r in export["records"]["Placement"]])
		self.assertTrue(export["versions"], "the records' history is part of the export")
		json.dumps(export, default=str)  # one JSON document
