"""The isolation sweep, bench tier: every endpoint of the site called by every user who
must not see (or change) something, against a world of canaries. The machinery, and what it
enumerates, fills in and judges, is in ``sweep.py``; docs/security.md describes it.

One test: the whole sweep. It fails listing each leak, write and 5xx on the app's doctypes
(attacker, endpoint, what leaked or changed, whose), capped in length; the figures line is printed
at the end of the run with the security suite's (``figures.py``) and by ``scripts/test.sh``. The
records it commits are removed before and after (``sweep.cleanup``).
"""

import os

import frappe
from frappe.tests.utils import FrappeTestCase

from ap_provision.tests.security import figures, sweep


class TestSecuritySweep(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		sweep.cleanup()
		cls.world = sweep.build()

	@classmethod
	def tearDownClass(cls):
		frappe.set_user("Administrator")
		sweep.cleanup()
		super().tearDownClass()

	def test_no_endpoint_shows_or_changes_what_the_user_may_not(self):
		run = sweep.Sweep(
			self.world,
			workers=int(os.environ.get("SWEEP_WORKERS", "3")),
			processes=int(os.environ.get("SWEEP_PROCESSES", "2")),
		)
		run.run()
		figures.sweep(run.summary_line())
		report = run.report(limit=60)
		self.assertEqual(run.crashes, [], report)
		counts = run.counts()
		self.assertEqual(counts["whitelisted methods enumerated"], len(frappe.whitelisted))
		self.assertGreater(counts["calls made"], 2000)
		if counts["leaks"] or counts["writes"] or counts["5xx on app doctypes"]:
			self.fail(report)
