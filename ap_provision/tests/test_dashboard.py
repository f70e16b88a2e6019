# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""The workspace's "Referrals per Month by Key Stage" chart, called as the desk's chart widget calls
it (every argument the widget sends, empty), counts the referrals received in each of the last 12
months by key stage: drafts (not received) are left out, and every month of the window is there."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_months, get_first_day, getdate

from ap_provision import dashboard
from ap_provision.tests import factories

PRT = "chart-prt@example.org"
# What the desk's chart widget posts for a Custom chart (frappe/public/js/frappe/widgets/chart_widget.js).
WIDGET_ARGS = {
	"chart_name": "Referrals per Month by Key Stage",
	"refresh": 1,
	"time_interval": "",
	"timespan": "",
	"from_date": "",
	"to_date": "",
	"heatmap_year": "",
}


class TestReferralsPerMonthChart(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		factories.mute_notification_emails(cls.addClassCleanup)
		factories.make_user(PRT, ["PRT Officer"])
		cls.school = factories.make_school("400401", "Chartwell Academy").name
		# Today's counts before this test's referrals (the test site holds other tests' records).
		frappe.set_user(PRT)
		cls.before = dashboard.referrals_by_month(**WIDGET_ARGS)
		frappe.set_user("Administrator")
		cls.this_month = getdate(frappe.utils.today()).strftime("%b %y")
		cls.three_months_ago = getdate(add_months(get_first_day(frappe.utils.today()), -3))
		cls.received = []
		for year_group, on in (
			("Year 8", cls.three_months_ago),
			("Year 8", add_days(cls.three_months_ago, 3)),
			("Year 4", cls.three_months_ago),
		):
			cls.received.append(cls.submitted(year_group, on))
		# A draft has not been received: it is not counted.
		factories.make_pupil(cls.school, "Year 8")

	@classmethod
	def submitted(cls, year_group, on):
		"""A referral received on `on` (time frozen there), as the PRT would have received it."""
		from frappe.model.workflow import apply_workflow
		from freezegun import freeze_time

		with freeze_time(factories.at(on)):
			factories.make_panel(factories.next_weekday(add_days(on, 7), 2))
			pupil = factories.make_pupil(cls.school, year_group, on=on)
			referral = frappe.get_doc(
				{
					"doctype": "Referral",
					"pupil": pupil.name,
					"boss_report": factories.boss_report(),
					"reason_for_referral": "Chart",
				}
			).insert(ignore_permissions=True)
			apply_workflow(referral, "Submit")
		return referral.name

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_counts_received_referrals_by_month_and_key_stage_as_the_widget_asks(self):
		frappe.set_user(PRT)
		chart = dashboard.referrals_by_month(**WIDGET_ARGS)
		self.assertEqual(len(chart["labels"]), 12)
		self.assertEqual(chart["labels"][-1], self.this_month)
		month = chart["labels"].index(self.three_months_ago.strftime("%b %y"))
		before = {d["name"]: d["values"] for d in self.before["datasets"]}
		added = {d["name"]: d["values"][month] - before[d["name"]][month] for d in chart["datasets"]}
		self.assertEqual(added, {"KS1": 0, "KS2": 1, "KS3": 2, "KS4": 0})
		self.assertGreater(sum(sum(d["values"]) for d in chart["datasets"]), 0)

	def test_a_month_with_no_referral_is_zero_not_missing(self):
		frappe.set_user(PRT)
		chart = dashboard.referrals_by_month(**WIDGET_ARGS)
		for dataset in chart["datasets"]:
			self.assertEqual(len(dataset["values"]), 12)
