"""Full-time education and the daily register, as real users acting days apart: hours against full time and part-time arrangements,
the daily register with its cut-off alerts, unexplained absences reaching the social worker, the
school's register export, and the social care record no school or provider reads."""

import csv
import io
import json
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from ap_provision import hours as hours_jobs
from ap_provision import register
from ap_provision.ap_provision.doctype.placement_alert import placement_alert as alerts
from ap_provision.exceptions import PartTimeArrangementError, PlacementHoursError, SessionMarkError
from ap_provision.rules import register as register_rules
from ap_provision.tests import factories
from ap_provision.tests.channels import PortalChannels
from ap_provision.tests.factories import at

PRT = "ft-prt@example.org"
SCHOOL_USER = "ft-school@example.org"
OTHER_SCHOOL_USER = "ft-other-school@example.org"
PROVIDER_USER = "ft-provider@example.org"
OTHER_PROVIDER_USER = "ft-other-provider@example.org"
PANEL_MEMBER = "ft-panel@example.org"
SOCIAL_WORKER = "ft-social-worker@example.org"
CASEWORKER = "ft-caseworker@example.org"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def pattern(am=("AP provider", 3.0), pm=(None, 0)):
	"""Monday to Friday: the morning at `am`, the afternoon at `pm` (None: no session)."""
	rows = []
	for day in WEEKDAYS:
		for session, (where, hours) in (("AM", am), ("PM", pm)):
			rows.append(
				{
					"weekday": day,
					"session": session,
					"location": where or "None",
					"hours": hours if where else 0,
				}
			)
	return rows


def monday_after(day, weeks: int = 1):
	"""The Monday at least ``weeks`` weeks after ``day`` of a week with every session expected:
	the site's calendar may hold a bank holiday or school holidays (no register on those)."""
	day = getdate(add_days(day, 7 * weeks))
	monday = getdate(add_days(day, -day.weekday()))
	while any(register.closure_on(getdate(add_days(monday, i))) for i in range(5)):
		monday = getdate(add_days(monday, 7))
	return monday


class FullTimeTestCase(PortalChannels, FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.school = factories.make_school("100919", "Hawthorn Academy").name
		cls.other_school = factories.make_school("100920", "Birch Primary").name
		cls.provider = factories.make_checked_provider(factories.unique("Willow AP ")).name
		cls.other_provider = factories.make_checked_provider(factories.unique("Ash AP ")).name
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(PANEL_MEMBER, ["Panel Member"])
		factories.make_user(SCHOOL_USER, ["School Referrer"], school=cls.school)
		factories.make_user(OTHER_SCHOOL_USER, ["School Referrer"], school=cls.other_school)
		factories.make_user(PROVIDER_USER, ["AP Provider User"], provider=cls.provider)
		factories.make_user(OTHER_PROVIDER_USER, ["AP Provider User"], provider=cls.other_provider)
		factories.make_email_account()

	def setUp(self):
		# Each test's records are its own: the placements of one test (at the same provider, starting
		# on the same day) would be on another's register.
		frappe.db.savepoint("full_time_test")
		factories.mute_notification_emails(self.addCleanup)
		self.set_setting("below_full_time_action", "Refuse")
		for fieldname, value in (
			("register_am_cutoff_at", "10:00"),
			("register_pm_cutoff_at", "14:00"),
			("register_escalate_minutes", 60),
			("part_time_max_weeks", 6),
		):
			self.set_setting(fieldname, value)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback(save_point="full_time_test")
		frappe.clear_document_cache("AP Settings", "AP Settings")

	def page(self, user, path, **query):
		from frappe.utils import set_request
		from frappe.website.serve import get_response

		frappe.set_user(user)
		set_request(method="GET", path=path, query_string="&".join(f"{k}={v}" for k, v in query.items()))
		frappe.local.form_dict = frappe._dict(query)
		return get_response(path)

	def set_setting(self, fieldname, value):
		frappe.db.set_single_value("AP Settings", fieldname, value)
		frappe.clear_document_cache("AP Settings", "AP Settings")

	# -- helpers ------------------------------------------------------------------------------

	def placed(self, year_group="Year 8", session_pattern=None, **pupil_values):
		referral = factories.make_approved_referral(
			self.school, year_group, provider=self.provider, **pupil_values
		)
		with self.set_user(PRT):
			return factories.make_placement(referral.name, session_pattern=session_pattern or [])

	def start(self, placement):
		with self.set_user(PRT), self.freeze_time(at(placement.start_date)):
			doc = frappe.get_doc("Placement", placement.name)
			factories.prepare_start(doc)
			doc.status = "Active"
			doc.save()
			return doc

	def running(self, session_pattern=None, **pupil_values):
		placement = self.placed(
			session_pattern=session_pattern or pattern(pm=("AP provider", 2.5)), **pupil_values
		)
		self.set_setting("below_full_time_action", "Flag")
		return self.start(placement)

	def part_time(self, placement, start, weeks=4, review_days=None, **values):
		with self.set_user(PRT), self.freeze_time(at(start, "09:00:00")):
			return frappe.get_doc(
				{
					"doctype": "Part-time Arrangement",
					"placement": placement.name,
					"reason": "Phased start after a long absence",
					"start_date": start,
					"end_date": add_days(start, 7 * weeks - 1),
					"review_date": add_days(start, review_days) if review_days else None,
					"parent_agreed": 1,
					**values,
				}
			).insert()

	def alerts_with(self, prefix):
		return frappe.get_all(
			"Placement Alert",
			filters={"name": ("like", f"{prefix}%")},
			fields=["name", "recipients", "sent_on", "alert_type"],
		)


class TestHoursAgainstFullTime(FullTimeTestCase):
	def test_15_hours_for_year_8_without_part_time_arrangement_is_refused_then_allowed(self):
		placement = self.placed("Year 8", pattern())
		# Planned: flagged, not refused (the arrangement needs the placement to exist).
		self.assertEqual(placement.total_hours_per_week, 15)
		self.assertEqual(placement.ap_hours_per_week, 15)
		self.assertEqual(placement.full_time_hours, 24)
		self.assertEqual(placement.hours_gap, 9)
		self.assertEqual(placement.below_full_time, 1)
		self.assertIn("below the full time of 24 hours", placement.hours_flag)
		self.assertRaises(PlacementHoursError, self.start, placement)
		self.assertEqual(frappe.db.get_value("Placement", placement.name, "status"), "Planned")

		# An arrangement longer than the setting allows is refused; one within it lets it start.
		self.assertRaises(PartTimeArrangementError, self.part_time, placement, placement.start_date, weeks=8)
		self.assertRaises(
			PartTimeArrangementError, self.part_time, placement, placement.start_date, parent_agreed=0
		)
		arrangement = self.part_time(placement, placement.start_date, weeks=4)
		self.assertEqual(arrangement.school, self.school)
		self.assertEqual(arrangement.provider, self.provider)
		started = self.start(placement)
		self.assertEqual(started.status, "Active")
		self.assertEqual(started.part_time_arrangement, arrangement.name)
		self.assertFalse(started.hours_flag)

	def test_15_hours_is_flagged_when_the_setting_says_flag(self):
		self.set_setting("below_full_time_action", "Flag")
		placement = self.placed("Year 8", pattern())
		started = self.start(placement)
		self.assertEqual(started.status, "Active")
		self.assertEqual(started.below_full_time, 1)
		self.assertIn("9 below the full time of 24 hours", started.hours_flag)

	def test_school_sessions_count_towards_full_time(self):
		placement = self.placed("Year 11", pattern(pm=("Home school", 2.0)))
		self.assertEqual((placement.total_hours_per_week, placement.full_time_hours), (25, 25))
		self.assertEqual(placement.below_full_time, 0)
		self.assertFalse(placement.hours_flag)
		self.assertEqual(self.start(placement).status, "Active")

	def test_hours_at_the_provider_are_the_patterns_for_due_diligence(self):
		"""A weekly pattern decides the hours a week at the provider (not 5 a day, not a typed
		figure), so an unregistered provider's full-time count is what the pupil will attend."""
		factories.make_user(CASEWORKER, ["SEND Caseworker"])
		unregistered = factories.make_checked_provider(registration_status="Unregistered").name
		referral = factories.make_approved_referral(
			self.school, "Year 8", provider=unregistered, has_ehc_plan=1, send_caseworker=CASEWORKER
		)
		mornings_only = pattern(pm=("Home school", 2.0))  # 15 h at the provider, 10 at school
		with self.set_user(PRT):
			placement = factories.make_placement(referral.name, session_pattern=mornings_only)
		self.assertEqual((placement.days_per_week, placement.hours_per_week), (5, 15))
		self.assertEqual(placement.ap_hours_per_week, 15)
		self.assertFalse(placement.due_diligence_flag)  # 15 h is not full time

		with self.set_user(PRT):
			doc = frappe.get_doc("Placement", placement.name)
			doc.hours_per_week = 30  # a typed figure does not outweigh the pattern
			doc.save()
			self.assertEqual(doc.hours_per_week, 15)
			self.assertFalse(doc.due_diligence_flag)
			for row in doc.session_pattern:
				if row.session == "PM":
					row.location, row.hours = "AP provider", 2.0
			doc.save()
		self.assertEqual(doc.hours_per_week, 25)
		self.assertIn("unregistered", doc.due_diligence_flag)

		# Without a pattern the hours are typed, or 5 a day.
		referral = factories.make_approved_referral(self.school, "Year 8", provider=self.provider)
		with self.set_user(PRT):
			placement = factories.make_placement(referral.name, session_pattern=[])
		self.assertEqual(placement.hours_per_week, 25)

	def test_malformed_pattern_is_refused(self):
		rows = pattern()
		rows.append(dict(rows[0]))
		self.assertRaises(PlacementHoursError, self.placed, "Year 8", rows)

	def test_part_time_arrangement_past_its_end_alerts_exactly_once(self):
		placement = self.placed("Year 8", pattern())
		arrangement = self.part_time(placement, placement.start_date, weeks=2)
		self.start(placement)
		end = getdate(arrangement.end_date)
		for day in (end, add_days(end, 1), add_days(end, 2), add_days(end, 5)):
			with self.freeze_time(at(day, "06:00:00")):
				hours_jobs.flag_part_time_arrangements()
				# A second run the same day (a retried job) sends nothing more.
				hours_jobs.flag_part_time_arrangements()
		sent = self.alerts_with(f"part-time-end:{arrangement.name}:")
		self.assertEqual(len(sent), 1)
		self.assertEqual(sent[0].alert_type, alerts.PART_TIME_DUE)
		self.assertEqual(getdate(sent[0].sent_on), add_days(end, 1))
		self.assertIn(PRT, sent[0].recipients)
		self.assertIn(SCHOOL_USER, sent[0].recipients)

	def test_review_date_passed_alerts_once(self):
		placement = self.placed("Year 8", pattern())
		arrangement = self.part_time(placement, placement.start_date, weeks=4, review_days=7)
		self.start(placement)
		review = getdate(arrangement.review_date)
		for day in (add_days(review, 1), add_days(review, 3)):
			with self.freeze_time(at(day, "06:00:00")):
				hours_jobs.flag_part_time_arrangements()
		self.assertEqual(len(self.alerts_with(f"part-time-review:{arrangement.name}:")), 1)
		self.assertEqual(self.alerts_with(f"part-time-end:{arrangement.name}:"), [])


class TestDailyRegister(FullTimeTestCase):
	def test_missing_am_mark_alerts_the_provider_then_the_prt(self):
		placement = self.running()
		day = monday_after(placement.start_date)
		provider_key = f"register-missing:{self.provider}:{day}:AM"
		prt_key = f"register-missing-prt:{self.provider}:{day}:AM"
		with self.freeze_time(at(day, "09:50:00")):
			register.check_register()
		self.assertFalse(frappe.db.exists("Placement Alert", provider_key))
		with self.freeze_time(at(day, "10:05:00")):
			register.check_register()
		self.assertTrue(frappe.db.exists("Placement Alert", provider_key))
		self.assertFalse(frappe.db.exists("Placement Alert", prt_key))
		recipients = frappe.db.get_value("Placement Alert", provider_key, "recipients")
		self.assertIn(PROVIDER_USER, recipients)
		self.assertNotIn(PRT, recipients)
		with self.freeze_time(at(day, "10:45:00")):
			register.check_register()
		self.assertFalse(frappe.db.exists("Placement Alert", prt_key))
		with self.freeze_time(at(day, "11:05:00")):
			register.check_register()
			register.check_register()
		self.assertIn(PRT, frappe.db.get_value("Placement Alert", prt_key, "recipients"))
		self.assertEqual(len(self.alerts_with(f"register-missing-prt:{self.provider}:{day}:AM")), 1)

	def test_a_marked_register_alerts_nobody(self):
		placement = self.running()
		day = monday_after(placement.start_date)
		with self.set_user(PROVIDER_USER), self.freeze_time(at(day, "09:30:00")):
			register.save_register(
				str(day), "AM", json.dumps([{"placement": placement.name, "mark": "Present"}])
			)
		with self.freeze_time(at(day, "11:30:00")):
			register.check_register()
		self.assertEqual(self.alerts_with(f"register-missing:{self.provider}:{day}:AM"), [])

	def test_unexplained_absence_alerts_school_prt_and_social_worker_the_same_day(self):
		placement = self.running()
		frappe.get_doc(
			{
				"doctype": "Pupil Social Care",
				"pupil": placement.pupil,
				"child_in_need": 1,
				"social_worker": "Sam Worker",
				"social_worker_email": SOCIAL_WORKER,
			}
		).insert()
		day = monday_after(placement.start_date)
		with self.set_user(PROVIDER_USER), self.freeze_time(at(day, "09:40:00")):
			register.save_register(
				str(day),
				"AM",
				json.dumps(
					[{"placement": placement.name, "mark": "Absent", "absence_reason": "Unexplained"}]
				),
			)
		key = f"unexplained-absence:{placement.name}:{day}"
		alert = frappe.get_doc("Placement Alert", key)
		self.assertEqual(getdate(alert.sent_on), day)
		for who in (SOCIAL_WORKER, SCHOOL_USER, PRT):
			self.assertIn(who, alert.recipients)
		self.assertNotIn(PROVIDER_USER, alert.recipients)
		queued = frappe.get_all(
			"Email Queue Recipient",
			filters={
				"parent": (
					"in",
					frappe.get_all(
						"Email Queue", filters={"reference_name": placement.name + f"-{day}-AM"}, pluck="name"
					),
				)
			},
			pluck="recipient",
		)
		self.assertIn(SOCIAL_WORKER, queued)
		# The afternoon's unexplained absence of the same day does not alert again.
		with self.set_user(PROVIDER_USER), self.freeze_time(at(day, "13:40:00")):
			register.save_register(
				str(day),
				"PM",
				json.dumps(
					[{"placement": placement.name, "mark": "Absent", "absence_reason": "Unexplained"}]
				),
			)
		self.assertEqual(len(self.alerts_with(f"unexplained-absence:{placement.name}:")), 1)

	def test_weekly_report_reuses_the_marks(self):
		placement = self.running()
		monday = monday_after(placement.start_date)
		for offset in range(5):
			day = add_days(monday, offset)
			for session in ("AM", "PM"):
				absent = offset == 2 and session == "PM"
				with self.set_user(PROVIDER_USER), self.freeze_time(at(day, "15:00:00")):
					register.save_register(
						str(day),
						session,
						json.dumps(
							[
								{
									"placement": placement.name,
									"mark": "Absent" if absent else "Present",
									"absence_reason": "Illness" if absent else None,
								}
							]
						),
					)
		friday = add_days(monday, 4)
		with self.set_user(PROVIDER_USER), self.freeze_time(at(friday, "16:00:00")):
			report = frappe.get_doc(
				{
					"doctype": "Placement Update",
					"placement": placement.name,
					"period_start": monday,
					"period_end": friday,
					"behaviour_incidents": 0,
					"progress": "Settled well",
				}
			).insert()
		self.assertEqual(len(report.attendance), 5)
		self.assertEqual((report.sessions_possible, report.sessions_attended), (10, 9))
		self.assertEqual(report.authorised_absences, 1)

	def test_provider_marks_only_its_own_pupils_and_only_today_or_before(self):
		placement = self.running()
		day = monday_after(placement.start_date)
		with self.set_user(OTHER_PROVIDER_USER), self.freeze_time(at(day, "09:30:00")):
			self.assertEqual(register.register_sheet(day, "AM"), [])
			self.assertRaises(
				frappe.PermissionError,
				register.save_register,
				str(day),
				"AM",
				json.dumps([{"placement": placement.name, "mark": "Present"}]),
			)
		with self.set_user(PROVIDER_USER), self.freeze_time(at(day, "09:30:00")):
			self.assertEqual([r["name"] for r in register.register_sheet(day, "AM")], [placement.name])
			self.assertRaises(
				SessionMarkError,
				register.save_register,
				str(add_days(day, 1)),
				"AM",
				json.dumps([{"placement": placement.name, "mark": "Present"}]),
			)
			self.assertRaises(
				SessionMarkError,
				register.save_register,
				str(day),
				"AM",
				json.dumps([{"placement": placement.name, "mark": "Absent"}]),
			)
		self.assertFalse(frappe.db.exists("AP Session Mark", f"{placement.name}-{day}-AM"))

	def test_changing_a_mark_needs_its_reason_and_after_the_providers_days_the_prt(self):
		"""A recorded mark is corrected with the reason, the original kept in its history; the
		provider corrects for AP Settings' days after the session, then the PRT does."""
		self.set_setting("register_amend_days", 5)
		placement = self.running()
		day = monday_after(placement.start_date)
		name = f"{placement.name}-{day}-AM"
		marked = [{"placement": placement.name, "mark": "Absent", "absence_reason": "Unexplained"}]
		with self.set_user(PROVIDER_USER), self.freeze_time(at(day, "09:30:00")):
			register.save_register(str(day), "AM", json.dumps(marked))
		self.assertEqual(frappe.db.get_value("AP Session Mark", name, "register_code"), "O")

		# Later that morning the pupil arrives: without a reason nothing changes.
		late = [{"placement": placement.name, "mark": "Late"}]
		with self.set_user(PROVIDER_USER), self.freeze_time(at(day, "11:00:00")):
			self.assertRaisesRegex(
				SessionMarkError, "give the reason", register.save_register, str(day), "AM", json.dumps(late)
			)
			self.assertEqual(frappe.db.get_value("AP Session Mark", name, "mark"), "Absent")
			late[0]["amendment_reason"] = (
				"Arrived at 10:40 after a dentist's appointment; the school was told."
			)
			# Versions are kept as on a live site (Frappe's test runner skips them otherwise).
			with patch.dict(frappe.flags, {"in_test": False}):
				register.save_register(str(day), "AM", json.dumps(late))
		doc = frappe.get_doc("AP Session Mark", name)
		self.assertEqual((doc.mark, doc.absence_reason, doc.register_code), ("Late", None, "K"))
		self.assertEqual((doc.amended_by, getdate(doc.amended_on)), (PROVIDER_USER, day))
		self.assertIn("dentist", doc.amendment_reason)
		# The history keeps the original entry beside the amended one, with the reason.
		changes = json.loads(
			frappe.get_last_doc("Version", filters={"ref_doctype": "AP Session Mark", "docname": name}).data
		)["changed"]
		self.assertIn(["mark", "Absent", "Late"], changes)
		self.assertIn("amendment_reason", [c[0] for c in changes])

		# The same reason again is not a reason for a second change; and the reason, who and
		# when are the server's: a save that changes no mark keeps them.
		with self.set_user(PROVIDER_USER), self.freeze_time(at(day, "12:00:00")):
			late[0]["mark"] = "Present"
			self.assertRaises(SessionMarkError, register.save_register, str(day), "AM", json.dumps(late))
			doc = frappe.get_doc("AP Session Mark", name)
			doc.amendment_reason, doc.amended_by = "Rewritten", OTHER_PROVIDER_USER
			doc.save()
			self.assertEqual((doc.amended_by, doc.amendment_reason[:7]), (PROVIDER_USER, "Arrived"))

		# Six days on, the provider cannot correct it; the PRT can, with the reason.
		present = [{"placement": placement.name, "mark": "Present", "amendment_reason": "Register audit."}]
		week_on = add_days(day, 6)
		with self.set_user(PROVIDER_USER), self.freeze_time(at(week_on, "09:00:00")):
			self.assertRaisesRegex(
				SessionMarkError,
				"corrected by the PRT",
				register.save_register,
				str(day),
				"AM",
				json.dumps(present),
			)
		with self.set_user(PRT), self.freeze_time(at(week_on, "09:00:00")):
			register.save_register(str(day), "AM", json.dumps(present))
		self.assertEqual(
			frappe.db.get_value("AP Session Mark", name, ["mark", "amended_by"]), ("Present", PRT)
		)

		# The provider's page asks why in a marked row while it may still correct it.
		with self.freeze_time(at(day, "11:30:00")):
			html = self.page(PROVIDER_USER, "provider/register", date=str(day), session="AM").get_data(
				as_text=True
			)
		self.assertIn(f'name="change-{placement.name}"', html)
		with self.freeze_time(at(week_on, "09:00:00")):
			html = self.page(PROVIDER_USER, "provider/register", date=str(day), session="AM").get_data(
				as_text=True
			)
		self.assertNotIn(f'name="change-{placement.name}"', html)
		self.assertIn("the PRT corrects them", html)


class TestRegisterClosures(FullTimeTestCase):
	def test_no_session_is_expected_on_a_bank_holiday_but_is_on_a_training_day(self):
		placement = self.running(session_pattern=pattern(am=("AP provider", 2.5), pm=("AP provider", 2.5)))
		monday = monday_after(placement.start_date)
		holiday, training = monday, add_days(monday, 1)
		for day, kind in ((holiday, "Bank Holiday"), (training, "Training Day")):
			frappe.get_doc(
				{
					"doctype": "LA Closure",
					"closure_name": f"Register test {kind}",
					"closure_type": kind,
					"start_date": day,
					"end_date": day,
				}
			).insert()
		# Nobody is alerted for the bank holiday's sessions, however late in the day.
		with self.freeze_time(at(holiday, "16:00:00")):
			register.check_register()
		self.assertEqual(self.alerts_with(f"register-missing:{self.provider}:{holiday}:AM"), [])
		self.assertEqual(self.alerts_with(f"register-missing:{self.provider}:{holiday}:PM"), [])
		# A training day closes the LA's office, not the provider: its sessions are expected.
		with self.freeze_time(at(training, "16:00:00")):
			register.check_register()
		self.assertEqual(len(self.alerts_with(f"register-missing:{self.provider}:{training}:AM")), 1)
		# The provider's page says why there is no register; the training day has one.
		with self.freeze_time(at(training, "16:00:00")):
			closed = self.page(PROVIDER_USER, "/provider/register", date=str(holiday), session="AM")
			self.assertIn(
				"No register on this day: Register test Bank Holiday (Bank Holiday).",
				closed.get_data(as_text=True),
			)
			opened = self.page(PROVIDER_USER, "/provider/register", date=str(training), session="AM")
			self.assertIn(f'name="mark-{placement.name}"', opened.get_data(as_text=True))
		frappe.set_user("Administrator")
		# The school's register has no entry for the bank holiday, and N for the unmarked training day.
		with self.set_user(SCHOOL_USER), self.freeze_time(at(add_days(monday, 4), "16:00:00")):
			rows = [
				r
				for r in register.school_register_rows(self.school, monday)
				if r["Placement"] == placement.name
			]
		days = {r["Date"] for r in rows}
		self.assertNotIn(str(holiday), days)
		self.assertEqual(
			{(r["Date"], r["Session"]): r["Code"] for r in rows if r["Date"] == str(training)},
			{(str(training), "AM"): "N", (str(training), "PM"): "N"},
		)
		self.assertEqual(len(rows), 8)

	def test_no_session_is_expected_at_a_provider_on_its_own_closure_day(self):
		both = pattern(am=("AP provider", 2.5), pm=("AP provider", 2.5))
		placement = self.running(session_pattern=both)
		referral = factories.make_approved_referral(self.school, "Year 8", provider=self.other_provider)
		with self.set_user(PRT):
			elsewhere = self.start(factories.make_placement(referral.name, session_pattern=both))
		monday = monday_after(max(getdate(placement.start_date), getdate(elsewhere.start_date)))
		provider = frappe.get_doc("AP Provider", self.provider)
		# Dates out of order or no reason: refused, nothing saved.
		provider.append(
			"own_closures", {"from_date": monday, "to_date": add_days(monday, -1), "description": "INSET"}
		)
		self.assertRaisesRegex(frappe.ValidationError, "before it starts", provider.save)
		provider = frappe.get_doc("AP Provider", self.provider)
		self.assertEqual(provider.own_closures, [])
		provider.append("own_closures", {"from_date": monday, "to_date": monday, "description": "INSET day"})
		provider.save()

		# Nobody is alerted for the closed provider's sessions; the other provider's are expected.
		with self.freeze_time(at(monday, "16:00:00")):
			register.check_register()
		self.assertEqual(self.alerts_with(f"register-missing:{self.provider}:{monday}:AM"), [])
		self.assertEqual(len(self.alerts_with(f"register-missing:{self.other_provider}:{monday}:AM")), 1)
		# The provider's page says why; the next day has its register.
		with self.freeze_time(at(add_days(monday, 1), "16:00:00")):
			closed = self.page(PROVIDER_USER, "/provider/register", date=str(monday), session="AM")
			self.assertIn(
				f"No register on this day: your provision is closed ({self.provider}: INSET day).",
				closed.get_data(as_text=True),
			)
			opened = self.page(
				PROVIDER_USER, "/provider/register", date=str(add_days(monday, 1)), session="AM"
			)
			self.assertIn(f'name="mark-{placement.name}"', opened.get_data(as_text=True))
		frappe.set_user("Administrator")
		# The school's export has no entry at the closed provider that day, and N at the other.
		with self.set_user(SCHOOL_USER), self.freeze_time(at(add_days(monday, 4), "16:00:00")):
			rows = register.school_register_rows(self.school, monday)
		monday_rows = {(r["Placement"], r["Session"]) for r in rows if r["Date"] == str(monday)}
		self.assertNotIn((placement.name, "AM"), monday_rows)
		self.assertIn((elsewhere.name, "AM"), monday_rows)
		self.assertEqual(len([r for r in rows if r["Placement"] == placement.name]), 8)


class TestSchoolRegister(FullTimeTestCase):
	def test_week_export_gives_k_for_attended_and_mapped_codes_for_absences(self):
		placement = self.running()
		monday = monday_after(placement.start_date)
		marks = {
			(0, "AM"): ("Present", None),
			(0, "PM"): ("Late", None),
			(1, "AM"): ("Absent", "Illness"),
			(1, "PM"): ("Absent", "Unexplained"),
			(2, "AM"): ("Absent", "Medical or dental appointment"),
			(2, "PM"): ("Absent", "Exclusion"),
			(3, "AM"): ("Present", None),
		}
		for (offset, session), (mark, reason) in marks.items():
			day = add_days(monday, offset)
			with self.set_user(PROVIDER_USER), self.freeze_time(at(day, "15:00:00")):
				register.save_register(
					str(day),
					session,
					json.dumps([{"placement": placement.name, "mark": mark, "absence_reason": reason}]),
				)
		friday = add_days(monday, 4)
		with self.set_user(SCHOOL_USER), self.freeze_time(at(friday, "16:00:00")):
			rows = [
				r
				for r in register.school_register_rows(self.school, monday)
				if r["Placement"] == placement.name
			]
			self.call("ap_provision.register.download_school_register", week_start=str(add_days(monday, 2)))
			content = frappe.response["filecontent"]
		codes = {(r["Date"], r["Session"]): r["Code"] for r in rows}
		self.assertEqual(
			codes,
			{
				(str(monday), "AM"): "K",
				(str(monday), "PM"): "K",
				(str(add_days(monday, 1)), "AM"): "I",
				(str(add_days(monday, 1)), "PM"): "O",
				(str(add_days(monday, 2)), "AM"): "M",
				(str(add_days(monday, 2)), "PM"): "E",
				(str(add_days(monday, 3)), "AM"): "K",
				(str(add_days(monday, 3)), "PM"): "N",
				(str(friday), "AM"): "N",
				(str(friday), "PM"): "N",
			},
		)
		upn = frappe.db.get_value("Pupil", placement.pupil, "upn")
		self.assertEqual({r["UPN"] for r in rows}, {upn})
		parsed = list(csv.DictReader(io.StringIO(content)))
		self.assertEqual(tuple(parsed[0].keys()), register_rules.CSV_COLUMNS)
		mine = [r for r in parsed if r["Placement"] == placement.name]
		self.assertEqual({(r["Date"], r["Session"]): r["Code"] for r in mine}, codes)

		# Another school gets neither the rows nor the file.
		with self.set_user(OTHER_SCHOOL_USER), self.freeze_time(at(friday, "16:00:00")):
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"ap_provision.register.download_school_register",
				week_start=str(monday),
				school=self.school,
			)
			self.assertEqual(
				[r for r in register.school_register_rows(self.other_school, monday) if r["UPN"] == upn], []
			)
			self.assertEqual(register.school_register_rows(self.school, monday), [])


class TestPupilSocialCareIsolation(FullTimeTestCase):
	def test_provider_and_schools_cannot_read_social_care(self):
		from frappe.www.printview import get_html_and_style

		placement = self.running()
		with self.set_user(PRT):
			record = frappe.get_doc(
				{
					"doctype": "Pupil Social Care",
					"pupil": placement.pupil,
					"looked_after": 1,
					"responsible_authority": "Northshire County Council",
					"virtual_school_head": "Vera Head",
					"social_worker": "Sam Worker",
					"social_worker_email": SOCIAL_WORKER,
				}
			).insert()
			self.assertEqual(record.needs_more_eyes, 1)
			self.assertEqual(record.school, self.school)
			record.child_protection_plan = 1
			record.save(ignore_version=False)
		versions = frappe.get_all(
			"Version", filters={"ref_doctype": "Pupil Social Care", "docname": record.name}
		)
		self.assertTrue(versions)
		for user in (PROVIDER_USER, OTHER_SCHOOL_USER, SCHOOL_USER):
			with self.set_user(user):
				self.assertFalse(frappe.has_permission("Pupil Social Care", "read", doc=record.name))
				self.assertRaises(
					frappe.PermissionError,
					self.call,
					"frappe.client.get",
					doctype="Pupil Social Care",
					name=record.name,
				)
				self.assertRaises(
					frappe.PermissionError,
					self.call,
					"frappe.client.get_list",
					doctype="Pupil Social Care",
					fields=["name", "social_worker"],
				)
				self.assertRaises(
					frappe.PermissionError,
					self.call,
					"frappe.client.get_value",
					doctype="Pupil Social Care",
					filters={"pupil": placement.pupil},
					fieldname="virtual_school_head",
				)
				self.assertRaises(
					frappe.PermissionError, get_html_and_style, "Pupil Social Care", record.name
				)
				self.assertRaises(
					frappe.PermissionError,
					self.call,
					"frappe.desk.form.load.getdoc",
					doctype="Pupil Social Care",
					name=record.name,
				)
				try:
					seen = frappe.get_list(
						"Version",
						filters={"ref_doctype": "Pupil Social Care", "docname": record.name},
						pluck="data",
					)
				except frappe.PermissionError:
					seen = []
				self.assertEqual(seen, [])
				if user != OTHER_SCHOOL_USER:  # the placement they read carries nothing of it
					shown = self.call("frappe.client.get", doctype="Placement", name=placement.name)
					self.assertNotIn("Vera Head", json.dumps(shown, default=str))
		with self.set_user(PANEL_MEMBER):
			self.assertEqual(
				frappe.get_doc("Pupil Social Care", record.name).virtual_school_head, "Vera Head"
			)


class TestPartTimeAndHoursReport(FullTimeTestCase):
	def run_report(self, **filters):
		from ap_provision.ap_provision.report.part_time_and_hours import part_time_and_hours

		return part_time_and_hours.execute({"provider": self.provider, **filters})[1]

	def test_lists_pupils_below_full_time_with_the_gap_in_a_fixed_number_of_queries(self):
		from ap_provision.tests.test_reports import count_queries

		self.set_setting("below_full_time_action", "Flag")
		first = self.start(self.placed("Year 8", pattern()))
		with self.set_user(PRT):
			rows = {r.name: r for r in self.run_report()}
			self.assertEqual((rows[first.name].hours_gap, rows[first.name].no_arrangement), (9, 1))
			before = count_queries(self.run_report)
		for _i in range(3):
			self.start(self.placed("Year 8", pattern(am=("AP provider", 2.0))))
		full = self.start(self.placed("Year 8", pattern(pm=("AP provider", 2.0))))
		with self.set_user(PRT):
			rows = {r.name: r for r in self.run_report()}
			self.assertEqual(count_queries(self.run_report), before)
			self.assertNotIn(full.name, rows)
			self.assertIn(full.name, {r.name for r in self.run_report(include_full_time=1)})
		self.assertEqual(len([r for r in rows.values() if r.hours_gap == 14]), 3)
		with self.set_user(OTHER_SCHOOL_USER):
			self.assertEqual(self.run_report(), [])


class TestPlacementRegisterHoursAndEyes(FullTimeTestCase):
	def run_register(self, **filters):
		from ap_provision.ap_provision.report.placement_register import placement_register

		columns, rows, *_rest = placement_register.execute({"provider": self.provider, **filters})
		return [c["fieldname"] for c in columns], {r.name: r for r in rows}

	def test_lists_below_full_time_and_who_needs_more_eyes_only_to_those_who_may_know(self):
		self.set_setting("below_full_time_action", "Flag")
		short = self.start(self.placed("Year 8", pattern()))  # 15 h a week against 24
		full = self.start(self.placed("Year 8", pattern(pm=("AP provider", 2.0))))  # 25 h
		frappe.get_doc(
			{
				"doctype": "Pupil Social Care",
				"pupil": short.pupil,
				"child_in_need": 1,
				"social_worker": "Sam Worker",
				"social_worker_email": SOCIAL_WORKER,
			}
		).insert()
		on = str(add_days(max(getdate(short.start_date), getdate(full.start_date)), 1))
		with self.set_user(PRT):
			columns, rows = self.run_register(as_on=on)
			self.assertIn("needs_more_eyes", columns)
			self.assertEqual((rows[short.name].hours_gap, rows[short.name].below_full_time), (9, 1))
			self.assertEqual((rows[full.name].total_hours_per_week, rows[full.name].below_full_time), (25, 0))
			self.assertEqual((rows[short.name].needs_more_eyes, rows[full.name].needs_more_eyes), (1, 0))
			_columns, below = self.run_register(as_on=on, below_full_time_only=1)
			self.assertIn(short.name, below)
			self.assertNotIn(full.name, below)
			_columns, eyes = self.run_register(as_on=on, needs_more_eyes=1)
			self.assertEqual(list(eyes), [short.name])
		# A BOSS practitioner runs the register but may not read Pupil Social Care: no column,
		# and the filter answers nothing about who needs more eyes.
		boss = factories.make_user("ft-boss@example.org", ["BOSS Practitioner"])
		with self.set_user(boss):
			columns, rows = self.run_register(as_on=on)
			self.assertNotIn("needs_more_eyes", columns)
			self.assertEqual({r.needs_more_eyes for r in rows.values()}, {0})
			self.assertEqual(self.run_register(as_on=on, needs_more_eyes=1)[1], {})


class TestRegisterPages(FullTimeTestCase):
	def test_provider_register_and_school_register_pages(self):
		placement = self.running()
		day = monday_after(placement.start_date)
		with self.freeze_time(at(day, "09:15:00")):
			response = self.page(PROVIDER_USER, "/provider/register", date=str(day), session="AM")
			self.assertEqual(response.status_code, 200)
			html = response.get_data(as_text=True)
			self.assertIn(placement.pupil_name, html)
			self.assertIn(f'name="mark-{placement.name}"', html)
			other = self.page(OTHER_PROVIDER_USER, "/provider/register", date=str(day), session="AM")
			self.assertNotIn(placement.pupil_name, other.get_data(as_text=True))
			self.assertEqual(self.page(SCHOOL_USER, "/provider/register").status_code, 403)
			# The form posts to the register without script; back on the page with what was saved.
			frappe.set_user(PROVIDER_USER)
			frappe.local.response = frappe._dict()
			register.submit_register(
				str(day), "AM", **{f"mark-{placement.name}": "Absent", f"reason-{placement.name}": "Illness"}
			)
			self.assertIn("saved=1", frappe.local.response["location"])
			register.submit_register(str(day), "AM", **{f"mark-{placement.name}": "Absent"})
			self.assertIn("error=", frappe.local.response["location"])
		self.assertEqual(
			frappe.db.get_value("AP Session Mark", f"{placement.name}-{day}-AM", "register_code"), "I"
		)
		with self.freeze_time(at(add_days(day, 4), "16:00:00")):
			html = self.page(SCHOOL_USER, "/school/register", week=str(day)).get_data(as_text=True)
			self.assertIn(frappe.db.get_value("Pupil", placement.pupil, "upn"), html)
			other = self.page(OTHER_SCHOOL_USER, "/school/register", week=str(day)).get_data(as_text=True)
			self.assertNotIn(placement.pupil_name, other)
			self.assertEqual(self.page(PROVIDER_USER, "/school/register").status_code, 403)


class TestPupilsWhoNeedMoreEyes(FullTimeTestCase):
	def test_panel_sees_the_flag_and_the_virtual_school_head_and_social_worker_are_told(self):
		from ap_provision.social_care import referral_flags

		referral = factories.make_accepted_referral(self.school, "Year 8")
		frappe.get_doc(
			{
				"doctype": "Pupil Social Care",
				"pupil": referral.pupil,
				"looked_after": 1,
				"responsible_authority": "Northshire County Council",
				"virtual_school_head": "Vera Head",
				"virtual_school_head_email": "vsh@example.org",
				"social_worker": "Sam Worker",
				"social_worker_email": SOCIAL_WORKER,
			}
		).insert()
		with self.set_user(PANEL_MEMBER):
			flags = referral_flags(referral.name)
		self.assertTrue(any("Vera Head" in f for f in flags), flags)
		with self.set_user(SCHOOL_USER):
			self.assertEqual(referral_flags(referral.name), [])
		with self.set_user(PROVIDER_USER):
			self.assertRaises(frappe.PermissionError, referral_flags, referral.name)

		chair = factories.make_user("factory-panel-chair@example.org", ["Panel Chair"])
		factories.decide(referral.name, "Approved", chair, provider=self.provider)
		told = frappe.db.get_value(
			"Placement Alert", f"social-care-decision:{referral.name}:Approved", "recipients"
		)
		self.assertEqual(set(told.split()), {"vsh@example.org", SOCIAL_WORKER})

		with self.set_user(PRT):
			placement = factories.make_placement(referral.name, admission_meeting_date=getdate())
		self.assertTrue(
			frappe.db.exists("Placement Alert", f"social-care-admission:{placement.name}:{getdate()}")
		)
		started = self.start(placement)
		with self.set_user(PRT), self.freeze_time(at(add_days(started.start_date, 20))):
			from ap_provision.ap_provision.doctype.placement.placement import make_review

			review = make_review(placement.name)
			review.review_date = add_days(started.start_date, 28)
			review.next_review_date = add_days(started.start_date, 70)
			review.insert()
		invited = frappe.db.get_value("Placement Alert", f"social-care-review:{review.name}", "recipients")
		self.assertIn(SOCIAL_WORKER, invited)


class TestDemoData(FullTimeTestCase):
	def test_demo_gives_running_placements_patterns_social_care_and_marks(self):
		import random

		from ap_provision.demo_register import make_full_time_and_register

		placement = self.running()
		today = add_days(monday_after(placement.start_date), 7)
		make_full_time_and_register(random.Random(3), getdate(today), PRT)
		doc = frappe.get_doc("Placement", placement.name)
		self.assertEqual(len(doc.session_pattern), 10)
		self.assertGreaterEqual(doc.total_hours_per_week, doc.full_time_hours)
		marks = frappe.get_all(
			"AP Session Mark", filters={"placement": placement.name}, pluck="register_code"
		)
		self.assertEqual(len(marks), 10)
		self.assertTrue(set(marks) <= {"K", "I", "M", "O"})
