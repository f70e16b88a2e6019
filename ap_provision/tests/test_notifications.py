# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""The intake notifications, driven as real users: a School Referrer of school A and a PRT
Officer. Panels on Wed 21 Apr 2032 (deadline Thu 15 Apr) and Wed 5 May 2032 (deadline 29 Apr)."""

import email
from unittest.mock import patch

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from ap_provision.notifications import remind_panel_deadlines, send_alerts
from ap_provision.tests import factories
from ap_provision.tests.test_reports import wipe_school_cases

SCHOOL_USER = "notify-school-a@example.org"
OTHER_SCHOOL_USER = "notify-school-b@example.org"
PRT = "notify-prt@example.org"
CASEWORKER = "notify-caseworker@example.org"
PANEL_1, PANEL_2 = "2032-04-21", "2032-05-05"


def make_email_account():
	"""A default outgoing account: without one Frappe queues no mail (nothing is sent in tests)."""
	if hasattr(factories, "make_email_account"):
		return factories.make_email_account()
	if not frappe.db.exists("Email Account", "AP Test Outgoing"):
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "AP Test Outgoing",
				"email_id": "ap-notifications@example.org",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "smtp.example.org",
				"password": "not-used-in-tests",
			}
		).insert(ignore_permissions=True)


def mail_text(raw: str | None) -> str:
	"""The decoded text of a queued MIME message (its HTML parts, tags stripped)."""
	message = email.message_from_string(raw or "")
	parts = [
		part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8", "replace")
		for part in message.walk()
		if part.get_content_type() in ("text/html", "text/plain") and part.get_payload(decode=True)
	]
	return " ".join(frappe.utils.strip_html(p) for p in parts)


def queued() -> list[dict]:
	"""Queued e-mails with their recipients and decoded text."""
	mails = frappe.get_all("Email Queue", fields=["name", "message"])
	for mail in mails:
		mail.message = mail_text(mail.message)
	recipients = frappe.get_all(
		"Email Queue Recipient",
		filters={"parent": ("in", [m.name for m in mails] or [""])},
		fields=["parent", "recipient"],
	)
	for mail in mails:
		mail.recipients = [r.recipient for r in recipients if r.parent == mail.name]
	return mails


class TestIntakeNotifications(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.school = factories.make_school("320001", "Notify Primary").name
		cls.other_school = factories.make_school("320002", "Notify Academy").name
		wipe_school_cases([cls.school, cls.other_school])
		factories.make_user(SCHOOL_USER, ["School Referrer"], school=cls.school)
		factories.make_user(OTHER_SCHOOL_USER, ["School Referrer"], school=cls.other_school)
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(CASEWORKER, ["SEND Caseworker"])
		make_email_account()
		for day in (PANEL_1, PANEL_2):
			factories.make_panel(day)

	def setUp(self):
		frappe.db.delete("Email Queue")

	def tearDown(self):
		frappe.set_user("Administrator")

	def draft(self, user=SCHOOL_USER, school=None, **pupil_values):
		pupil = factories.make_pupil(school or self.school, "Year 5", **pupil_values).name
		with self.set_user(user):
			return frappe.get_doc(
				{
					"doctype": "Referral",
					"pupil": pupil,
					"boss_report": factories.boss_report(),
					"reason_for_referral": "Escalating incidents",
				}
			).insert()

	def act(self, name, action, user):
		with self.set_user(user):
			return apply_workflow(frappe.get_doc("Referral", name), action)

	def mails_to(self, user, containing):
		return [m for m in queued() if user in m.recipients and containing in (m.message or "")]

	def test_submission_tells_the_prt(self):
		with self.freeze_time("2032-04-13 10:00:00"):
			referral = self.draft()
			self.act(referral.name, "Submit", SCHOOL_USER)
		self.assertTrue(self.mails_to(PRT, referral.name))
		self.assertFalse(self.mails_to(SCHOOL_USER, "arrived after the referral deadline"))

	def queued_jobs(self, *steps):
		"""Run `steps` as on a live site (not in a test: jobs are queued, not run at once) and
		return the alert jobs they queue, each as (args, kwargs) of `frappe.enqueue`."""
		calls = []
		frappe.flags.in_test = False
		try:
			with patch("frappe.enqueue", side_effect=lambda *args, **kwargs: calls.append((args, kwargs))):
				for step in steps:
					step()
		finally:
			frappe.flags.in_test = True
		return [c for c in calls if c[0] == ("ap_provision.notifications.send_alerts",)]

	def test_only_a_change_of_state_queues_alerts(self):
		"""Frappe evaluates none of the app's notifications in the request (they are Method
		notifications, not "Value Change" ones it would load from the database on every save),
		and a save queues the job only when it changes the state."""
		self.assertFalse(
			frappe.get_all(
				"Notification",
				filters={"document_type": ("in", ("Referral", "Panel")), "event": "Value Change"},
			)
		)
		with self.freeze_time("2032-04-13 10:00:00"):
			referral = self.draft()
			jobs = self.queued_jobs(lambda: self.act(referral.name, "Submit", SCHOOL_USER))
			self.assertEqual(len(jobs), 1)
			self.assertFalse(queued())

			def save_unchanged():
				with self.set_user(PRT):
					frappe.get_doc("Referral", referral.name).save()

			self.assertEqual(self.queued_jobs(save_unchanged), [])

	def test_alerts_are_queued_once_per_save(self):
		"""on_change runs again on a db_set of the saved document: the alerts of the save are
		not queued a second time (so nobody is told twice)."""
		with self.freeze_time("2032-04-13 10:00:00"):
			referral = self.draft()

			def submit_then_db_set():
				with self.set_user(SCHOOL_USER):
					doc = apply_workflow(frappe.get_doc("Referral", referral.name), "Submit")
					doc.db_set("support_already_given", "Key adult and a reduced timetable.")

			self.assertEqual(len(self.queued_jobs(submit_then_db_set)), 1)
		self.assertEqual(len(self.mails_to(PRT, referral.name)), 0)

	def test_muted_email_queues_no_alerts(self):
		"""While e-mail is muted (the demo's replay of a year), a change of state tells nobody."""
		from ap_provision.demo import muted_notifications

		with self.freeze_time("2032-04-13 10:00:00"):
			referral = self.draft()
			with muted_notifications():
				self.act(referral.name, "Submit", SCHOOL_USER)
			self.assertFalse(frappe.flags.mute_emails)
			self.assertFalse(queued())
			self.act(referral.name, "Request Information", PRT)  # unmuted again
		self.assertEqual(len(self.mails_to(SCHOOL_USER, "needs more information")), 1)

	def test_notifications_are_sent_from_a_job_after_the_commit(self):
		"""Outside tests a save renders no e-mail in the request: it queues one job after the
		commit with the document as saved, and the job tells whom the saved state called for
		even when the document has moved on by the time it runs."""
		with self.freeze_time("2032-04-13 10:00:00"):
			referral = self.draft()
			jobs = self.queued_jobs(lambda: self.act(referral.name, "Submit", SCHOOL_USER))
			self.assertFalse(queued())
			self.act(referral.name, "Request Information", PRT)  # moved on before the job ran
		self.assertEqual(len(jobs), 1)
		_args, kwargs = jobs[0]
		self.assertTrue(kwargs["enqueue_after_commit"])
		self.assertFalse(kwargs["now"])
		self.assertEqual(kwargs["doc"]["workflow_state"], "Submitted")
		frappe.db.delete("Email Queue")
		with self.set_user(SCHOOL_USER):  # a worker runs the job as the user who saved
			send_alerts(kwargs["doc"])
		mails = self.mails_to(PRT, referral.name)
		self.assertEqual(len(mails), 1)
		self.assertIn("submitted", mails[0].message.lower())
		self.assertFalse(self.mails_to(SCHOOL_USER, "needs more information"))

	def test_late_referral_tells_the_referrer_which_panel(self):
		with self.freeze_time("2032-04-16 09:00:00"):
			referral = self.draft()
			self.act(referral.name, "Submit", SCHOOL_USER)
		mails = self.mails_to(SCHOOL_USER, "arrived after the referral deadline")
		self.assertEqual(len(mails), 1)
		self.assertIn(
			"5 May 2032", frappe.utils.strip_html(mails[0].message).replace("05-05-2032", "5 May 2032")
		)

	def test_more_information_and_acceptance_go_to_the_referrer(self):
		with self.freeze_time("2032-04-13 10:00:00"):
			referral = self.draft()
			self.act(referral.name, "Submit", SCHOOL_USER)
			self.act(referral.name, "Request Information", PRT)
			self.assertEqual(len(self.mails_to(SCHOOL_USER, "needs more information")), 1)
			self.act(referral.name, "Submit", SCHOOL_USER)
			self.act(referral.name, "Accept", PRT)
		self.assertEqual(len(self.mails_to(SCHOOL_USER, "has been accepted by the Pupil Referral Team")), 1)
		self.assertFalse(self.mails_to(OTHER_SCHOOL_USER, referral.name))

	def test_acceptance_tells_the_caseworker_of_an_ehc_pupil(self):
		with self.freeze_time("2032-04-13 10:00:00"):
			referral = factories.make_accepted_referral(
				self.school, "Year 5", panel_date=PANEL_1, has_ehc_plan=1, send_caseworker=CASEWORKER
			)
		self.assertTrue(self.mails_to(CASEWORKER, referral.name))

	def test_deadline_reminder_goes_to_referrers_with_drafts_only(self):
		with self.freeze_time("2032-04-10 10:00:00"):
			draft = self.draft()
			submitted = self.draft(user=OTHER_SCHOOL_USER, school=self.other_school)
			self.act(submitted.name, "Submit", OTHER_SCHOOL_USER)
		frappe.db.delete("Email Queue")
		with self.freeze_time("2032-04-12 07:00:00"):  # deadline in three days: nothing yet
			self.assertEqual(remind_panel_deadlines(), [])
		with self.freeze_time("2032-04-13 07:00:00"):  # Tuesday: two days before Thursday 15th
			reminded = remind_panel_deadlines()
		self.assertIn(draft.name, reminded)
		self.assertNotIn(submitted.name, reminded)
		reminders = [m for m in queued() if "has not been submitted yet" in m.message]
		mine = [m for m in reminders if draft.name in m.message]
		self.assertEqual(len(mine), 1)
		self.assertEqual(mine[0].recipients, [SCHOOL_USER])
		self.assertIn(frappe.format("2032-04-15", "Date"), mine[0].message)
		self.assertFalse([m for m in reminders if OTHER_SCHOOL_USER in m.recipients])
