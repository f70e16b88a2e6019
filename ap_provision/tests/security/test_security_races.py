"""Concurrency and audit, bench tier, through REST as real users.

- Two tabs of the panel's chair and a second Panel Chair decide the same referral at once:
  exactly one decision is recorded, the others get a clear refusal.
- Two PRT officers create a Placement from the same approved referral at once: exactly one
  placement exists.
- Two officers save the same placement, both from the version they loaded: one wins, the
  other is told the record changed.
- Two members of a provider's staff post reports of the same placement for overlapping
  periods at once: exactly one is saved (the placement's row is locked while a report is
  checked); then both save the same report from the version they loaded: one wins.
- Every change leaves a Version naming who and when; workflow transitions too.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from ap_provision.tests import factories
from ap_provision.tests.security import figures, world
from ap_provision.tests.security.client import RestUser
from ap_provision.tests.security.races import race

RACE_RUNS = 3
RECORD_DECISION = "/api/method/ap_provision.ap_provision.doctype.referral.referral.record_decision"
MAKE_PLACEMENT = "ap_provision.ap_provision.doctype.placement.placement.make_placement"


def json_post(data: dict) -> dict:
	return {"data": json.dumps(data, default=str), "content_type": "application/json"}


class TestSecurity3Races(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.chair = factories.make_user(world.user_for("Panel Chair"), ["Panel Chair"])
		cls.other_chair = factories.make_user(world.user_for("Panel Chair", "B"), ["Panel Chair"])
		cls.prt = factories.make_user(world.user_for("PRT Officer"), ["PRT Officer"])
		cls.prt_b = factories.make_user(world.user_for("PRT Officer", "B"), ["PRT Officer"])
		factories.make_school(world.SCHOOLS["A"], "SEC8 School A")
		cls.provider = factories.make_checked_provider(
			f"SEC8 Provider race {frappe.generate_hash(length=5)}", places=20
		).name
		frappe.db.commit()
		cls.users = {u: RestUser(u) for u in (cls.chair, cls.other_chair, cls.prt, cls.prt_b)}

	@classmethod
	def tearDownClass(cls):
		world.cleanup()
		super().tearDownClass()

	def accepted_referral(self) -> str:
		"""A referral accepted for a panel held today, chaired by self.chair (committed)."""
		panel_day = getdate(today())
		with self.freeze_time(f"{add_days(panel_day, -12)} 09:00:00"):
			panel = factories.make_panel(panel_day)
			world.track("Panel", panel.name)
			referral = factories.make_accepted_referral(
				world.SCHOOLS["A"], "Year 8", panel_date=panel_day, last_name=world.PUPIL_SURNAME
			)
		factories.set_chair(referral.panel, self.chair)
		frappe.db.commit()
		return referral.name

	def test_decisions_placements_and_saves_race_to_one_winner(self):
		for run in range(RACE_RUNS):
			referral = self.accepted_referral()
			start = str(add_days(today(), 7 + run))
			chair, other = self.users[self.chair], self.users[self.other_chair]
			replies = race(
				[
					(
						chair,
						"POST",
						RECORD_DECISION,
						json_post(
							{
								"referral": referral,
								"decision": "Approved",
								"provider": self.provider,
								"expected_start_date": start,
							}
						),
					),
					(
						chair,
						"POST",
						RECORD_DECISION,
						json_post(
							{
								"referral": referral,
								"decision": "Approved",
								"provider": self.provider,
								"expected_start_date": str(add_days(start, 1)),
							}
						),
					),
					(
						other,
						"POST",
						RECORD_DECISION,
						json_post({"referral": referral, "decision": "Declined", "decision_reason": "Race"}),
					),
				]
			)
			figures.race("two chairs deciding one referral")
			self.assert_one_winner(replies, f"decision on {referral}")
			frappe.db.commit()
			self.assertEqual(frappe.db.get_value("Referral", referral, "workflow_state"), "Approved")
			decisions = frappe.get_all(
				"Version",
				filters={"ref_doctype": "Referral", "docname": referral, "data": ("like", '%"Approved"%')},
			)
			if len(decisions) != 1:
				figures.add("duplicates")
			self.assertEqual(len(decisions), 1, "one decision recorded")

			# Two officers create the placement from the same approval at once.
			mapped = [
				self.users[u].call(MAKE_PLACEMENT, source_name=referral).data for u in (self.prt, self.prt_b)
			]
			replies = race(
				[
					(self.users[u], "POST", "/api/resource/Placement", json_post(doc))
					for u, doc in zip((self.prt, self.prt_b), mapped, strict=True)
				]
			)
			figures.race("two officers placing from one approval")
			frappe.db.commit()
			placements = frappe.get_all("Placement", filters={"referral": referral}, pluck="name")
			if len(placements) != 1:
				figures.add("duplicates", max(len(placements) - 1, 1))
			self.assert_one_winner(replies, f"placement from {referral}")
			self.assertEqual(len(placements), 1, "never two placements for one approval")

			# Two officers save the placement they both loaded.
			loaded = frappe.db.get_value("Placement", placements[0], "modified")
			replies = race(
				[
					(
						self.users[u],
						"PUT",
						f"/api/resource/Placement/{placements[0]}",
						json_post({"modified": str(loaded), "notes": f"by {u}"}),
					)
					for u in (self.prt, self.prt_b)
				]
			)
			figures.race("two officers saving one placement")
			self.assert_one_winner(replies, f"saves of {placements[0]}")

	def test_two_providers_staff_report_the_same_days_at_once(self):
		"""Overlapping reports of one placement posted together: one is saved, never two."""
		frappe.set_user("Administrator")
		factories.make_school(world.SCHOOLS["B"], "SEC8 School B")
		factories.make_checked_provider(world.PROVIDERS["A"], places=world.PLACES)
		staff = [
			factories.make_user(
				world.user_for("AP Provider User", s), ["AP Provider User"], provider=world.PROVIDERS["A"]
			)
			for s in ("A", "2")
		]
		placement = world.make_running_placement("A")
		frappe.db.commit()
		users = [RestUser(u) for u in staff]
		for _run in range(RACE_RUNS):
			first = world.update_payload(placement)
			second = dict(first, period_end=str(add_days(first["period_end"], 1)))
			second["attendance"] = first["attendance"] + [
				dict(first["attendance"][0], attendance_date=second["period_end"])
			]
			if getdate(second["period_end"]).weekday() >= 5:
				second = dict(first, progress="The same day, by the other member of staff")
			replies = race(
				[
					(user, "POST", "/api/resource/Placement Update", json_post(data))
					for user, data in zip(users, (first, second), strict=True)
				]
			)
			figures.race("two provider staff reporting the same days")
			frappe.db.commit()
			overlapping = frappe.get_all(
				"Placement Update",
				filters={
					"placement": placement,
					"period_start": ("<=", second["period_end"]),
					"period_end": (">=", first["period_start"]),
				},
				pluck="name",
			)
			if len(overlapping) != 1:
				figures.add("duplicates", max(len(overlapping) - 1, 1))
			self.assert_one_winner(replies, f"reports of {placement}")
			self.assertEqual(len(overlapping), 1, "each day is reported once")

			# Both members of staff save the report they loaded.
			report = overlapping[0]
			loaded = frappe.db.get_value("Placement Update", report, "modified")
			replies = race(
				[
					(
						user,
						"PUT",
						f"/api/resource/Placement Update/{report}",
						json_post({"modified": str(loaded), "progress": f"by {user.email}"}),
					)
					for user in users
				]
			)
			figures.race("two provider staff saving one report")
			self.assert_one_winner(replies, f"saves of {report}")

	def assert_one_winner(self, replies, what):
		statuses = [r.status for r in replies]
		self.assertEqual(
			statuses.count(200),
			1,
			f"{what}: exactly one wins, got {statuses} {[r.message()[:120] for r in replies]}",
		)
		for reply in replies:
			self.assertLess(reply.status, 500, f"{what}: {reply.text[:300]}")
			self.assertFalse(reply.leaks_traceback(), what)
			if reply.status != 200:
				self.assertTrue(
					reply.message().strip(), f"{what}: the loser is told why ({reply.text[:200]})"
				)


class TestSecurity4Audit(FrappeTestCase):
	"""Changes through REST leave Versions naming the user; transitions too."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		factories.make_school(world.SCHOOLS["A"], "SEC8 School A")
		cls.prt = factories.make_user(world.user_for("PRT Officer"), ["PRT Officer"])
		cls.referrer = factories.make_user(
			world.user_for("School Referrer"), ["School Referrer"], school=world.SCHOOLS["A"]
		)
		cls.caseworker = factories.make_user(world.user_for("SEND Caseworker"), ["SEND Caseworker"])
		factories.make_checked_provider(world.PROVIDERS["A"], places=world.PLACES)
		cls.provider_user = factories.make_user(
			world.user_for("AP Provider User"), ["AP Provider User"], provider=world.PROVIDERS["A"]
		)
		frappe.db.commit()
		cls.users = {u: RestUser(u) for u in (cls.prt, cls.referrer, cls.caseworker, cls.provider_user)}

	@classmethod
	def tearDownClass(cls):
		world.cleanup()
		super().tearDownClass()

	def versions(self, doctype, name, user):
		frappe.db.commit()
		return frappe.get_all(
			"Version",
			filters={"ref_doctype": doctype, "docname": name, "owner": user},
			fields=["data", "creation", "owner"],
		)

	def test_every_change_leaves_a_version_with_who_and_when(self):
		referral = world.make_referral("A", ehc=True)
		frappe.db.commit()
		school = self.users[self.referrer]
		reply = school.update("Referral", referral, {"reason_for_referral": "Audited change"})
		self.assertEqual(reply.status, 200, reply.message())
		versions = self.versions("Referral", referral, self.referrer)
		self.assertTrue(any("Audited change" in v.data for v in versions), versions)

		assessment = frappe.db.get_value("Referral", referral, "ehc_assessment")
		reply = school.update("EHC Assessment", assessment, {"annual_review_summary": "Audited summary"})
		self.assertEqual(reply.status, 200, reply.message())
		self.assertTrue(
			any(
				"Audited summary" in v.data
				for v in self.versions("EHC Assessment", assessment, self.referrer)
			)
		)

		# A workflow transition: who and when (a withdrawal records its reason first).
		reply = school.call(
			"ap_provision.ap_provision.doctype.referral.referral.set_withdrawal_reason",
			referral=referral,
			reason="Audited withdrawal",
		)
		self.assertEqual(reply.status, 200, reply.message())
		doc = frappe.get_doc("Referral", referral).as_dict()
		reply = school.call(
			"frappe.model.workflow.apply_workflow", doc=json.dumps(doc, default=str), action="Withdraw"
		)
		self.assertEqual(reply.status, 200, reply.message())
		transition = [v for v in self.versions("Referral", referral, self.referrer) if "Withdrawn" in v.data]
		self.assertEqual(len(transition), 1)
		self.assertIn("workflow_state", transition[0].data)
		self.assertTrue(transition[0].creation)

	def test_placements_reports_and_reviews_leave_versions_with_who_and_when(self):
		placement = world.make_running_placement("A")
		report = world.make_placement_update(placement)
		review = world.make_review(placement)
		frappe.db.commit()
		prt = self.users[self.prt]

		reply = prt.update("Placement", placement, {"admission_meeting_notes": "Audited placement"})
		self.assertEqual(reply.status, 200, reply.message())
		self.assertTrue(
			any("Audited placement" in v.data for v in self.versions("Placement", placement, self.prt))
		)
		# A status change of the placement (its lifecycle): who and when.
		reply = prt.update("Placement", placement, {"status": "Reintegrating"})
		self.assertEqual(reply.status, 200, reply.message())
		moved = [v for v in self.versions("Placement", placement, self.prt) if "Reintegrating" in v.data]
		self.assertEqual(len(moved), 1)
		self.assertIn('"status"', moved[0].data)
		self.assertTrue(moved[0].creation)

		reply = self.users[self.provider_user].update(
			"Placement Update", report, {"progress": "Audited progress"}
		)
		self.assertEqual(reply.status, 200, reply.message())
		self.assertTrue(
			any(
				"Audited progress" in v.data
				for v in self.versions("Placement Update", report, self.provider_user)
			)
		)

		reply = self.users[self.caseworker].update("Review", review, {"pupil_views": "Audited views"})
		self.assertEqual(reply.status, 200, reply.message())
		self.assertTrue(
			any("Audited views" in v.data for v in self.versions("Review", review, self.caseworker))
		)
		# Creation is recorded on the record itself (Frappe keeps no Version of an insert):
		# owner and creation, which a client cannot forge (guards.keep_server_fields).
		reply = self.users[self.caseworker].insert(
			"Review", {**world.review_payload(placement), "owner": "Administrator"}
		)
		self.assertEqual(reply.status, 200, reply.message())
		frappe.db.commit()
		owner, creation = frappe.db.get_value("Review", reply.data["name"], ["owner", "creation"])
		self.assertEqual(owner, self.caseworker)
		self.assertTrue(creation)
