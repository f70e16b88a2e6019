"""Isolation by construction, bench tier: each way a school user took over or read another
school's records (found on a demo site over REST), now refused, through Frappe's real request
pipeline. Records are committed (the requests run on their own connections) and removed at
the end (world.cleanup).

- scope fields: a portal user's request never moves a record to another organisation, and every
  check is made against the record as stored;
- prints: only stored documents are printed, and linked records only for those who may read them;
- confidential data (the PRT's triage, a placement's safeguarding) lives in doctypes the roles it
  is kept from have no permission on: no write response, version history, filter or print has it;
- locks and lookups: EHC evidence frozen after submission, real uploads only, caseworker links,
  census cells, decision and placement lookups behind read permission;
- bad input of every shape: a clear 4xx, never a 500.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from ap_provision.tests.security import world
from ap_provision.tests.security.client import RestUser

CANARY_EHC = "CANARY-EHC-7f3a91"
CANARY_TRIAGE = "CANARY-TRIAGE-52be0c"
CANARY_SAFEGUARDING = "CANARY-SAFEGUARDING-c81d44"
_W: world.World | None = None
_USERS: dict[str, RestUser] = {}


def w() -> world.World:
	global _W
	if _W is None:
		_W = world.build()
		plant_canaries(_W)
	return _W


def as_user(key: str) -> RestUser:
	if key not in _USERS:
		_USERS[key] = RestUser(w().users.get(key, key))
	return _USERS[key]


def plant_canaries(world_: world.World):
	"""Canaries in school A's EHC evidence, every referral's triage and placement's safeguarding."""
	frappe.db.set_value(
		"EHC Assessment", world_.records["EHC Assessment"]["A"], "difficulties_linked_to_needs", CANARY_EHC
	)
	for name in world_.records["Referral Triage"].values():
		frappe.db.set_value(
			"Referral Triage", name, {"prt_notes": CANARY_TRIAGE, "recommendation": CANARY_TRIAGE}
		)
	for name in world_.records["Placement Safeguarding"].values():
		frappe.db.set_value("Placement Safeguarding", name, "safeguarding_arrangements", CANARY_SAFEGUARDING)
	frappe.db.commit()


def tearDownModule():
	if _W is not None:
		world.cleanup()


def stored(doctype: str, name: str, *fields):
	frappe.db.commit()  # see what the requests committed
	return frappe.db.get_value(doctype, name, list(fields), as_dict=True)


class TestScopeFieldsDoNotMove(FrappeTestCase):
	def test_another_schools_pupil_cannot_be_taken_by_rewriting_its_school(self):
		pupil_a = w().records["Pupil"]["A"]
		reply = as_user("School Referrer B").update("Pupil", pupil_a, {"school": world.SCHOOLS["B"]})
		self.assertIn(reply.status, (403, 404, 417), reply.text[:300])
		self.assertEqual(stored("Pupil", pupil_a, "school").school, world.SCHOOLS["A"])

	def test_a_school_cannot_move_its_own_records_to_another_school(self):
		pupil_b = w().records["Pupil"]["B"]
		as_user("School Referrer B").update("Pupil", pupil_b, {"school": world.SCHOOLS["A"]})
		self.assertEqual(stored("Pupil", pupil_b, "school").school, world.SCHOOLS["B"])
		referral_b = w().records["Referral"]["B"]
		before = stored("Referral", referral_b, "school", "pupil")
		as_user("School Referrer B").update(
			"Referral", referral_b, {"school": world.SCHOOLS["A"], "pupil": w().records["Pupil"]["A"]}
		)
		self.assertEqual(stored("Referral", referral_b, "school", "pupil"), before)

	def test_another_schools_referral_and_evidence_cannot_be_taken(self):
		referral_a = w().records["Referral"]["A"]
		reply = as_user("School Referrer B").update("Referral", referral_a, {"school": world.SCHOOLS["B"]})
		self.assertIn(reply.status, (403, 404, 417), reply.text[:300])
		self.assertEqual(stored("Referral", referral_a, "school").school, world.SCHOOLS["A"])
		ehc_a = w().records["EHC Assessment"]["A"]
		before = stored("EHC Assessment", ehc_a, "school", "referral")
		reply = as_user("School Referrer B").update(
			"EHC Assessment", ehc_a, {"school": world.SCHOOLS["B"], "referral": w().records["Referral"]["B"]}
		)
		self.assertIn(reply.status, (403, 404, 417), reply.text[:300])
		self.assertEqual(stored("EHC Assessment", ehc_a, "school", "referral"), before)

	def test_a_referral_cannot_point_at_another_assessment(self):
		referral_b = w().records["Referral"]["B"]
		other = w().records["EHC Assessment"]["B"]  # the evidence of another referral of school B
		as_user("School Referrer B").update("Referral", referral_b, {"ehc_assessment": other})
		self.assertNotEqual(stored("Referral", referral_b, "ehc_assessment").ehc_assessment, other)
		with self.assertRaises(frappe.ValidationError):
			doc = frappe.get_doc("Referral", referral_b)
			doc.ehc_assessment = other
			doc.save()  # as Administrator: the assessment is still not this referral's own
		frappe.db.rollback()


class TestPrintsOfStoredDocumentsOnly(FrappeTestCase):
	def test_a_forged_referral_cannot_print_another_schools_evidence(self):
		forged = {
			"doctype": "Referral",
			"school": world.SCHOOLS["B"],
			"docstatus": 1,
			"has_ehc_plan": 1,
			"ehc_assessment": w().records["EHC Assessment"]["A"],
		}
		reply = as_user("School Referrer B").call(
			"frappe.www.printview.get_html_and_style", doc=json.dumps(forged), print_format="Referral Form"
		)
		self.assertNotIn(CANARY_EHC, reply.text)
		self.assertEqual(reply.status, 417, reply.text[:300])
		# The name of the school's own referral with another school's evidence: the stored one is printed.
		forged["name"] = w().records["Referral"]["B"]
		reply = as_user("School Referrer B").call(
			"frappe.www.printview.get_html_and_style", doc=json.dumps(forged), print_format="Referral Form"
		)
		self.assertEqual(reply.status, 200, reply.text[:300])
		self.assertIn(w().records["Referral"]["B"], reply.text)
		self.assertNotIn(CANARY_EHC, reply.text)

	def test_a_forged_agenda_cannot_print_a_referral(self):
		forged = {
			"doctype": "Panel",
			"panel_date": "2019-01-02",
			"agenda": [{"referral": w().records["Referral"]["A"], "pupil_name": "x"}],
		}
		for user in ("SEND Caseworker", "School Referrer B"):
			reply = as_user(user).call(
				"frappe.www.printview.get_html_and_style", doc=json.dumps(forged), print_format="Panel Agenda"
			)
			self.assertIn(reply.status, (403, 417), reply.text[:300])

	def test_the_agenda_shows_the_prt_recommendation_to_the_panel_only(self):
		referral = world.approved_referral("A")
		panel = frappe.db.get_value("Referral", referral, "panel")
		triage = frappe.db.exists("Referral Triage", referral) or world.make_triage(referral)
		frappe.db.set_value("Referral Triage", triage, "recommendation", CANARY_TRIAGE)
		frappe.db.commit()
		replies = {
			user: as_user(user).call(
				"frappe.www.printview.get_html_and_style",
				doc="Panel",
				name=panel,
				print_format="Panel Agenda",
			)
			for user in ("Panel Member", "SEND Caseworker", "BOSS Practitioner")
		}
		self.assertIn(CANARY_TRIAGE, replies["Panel Member"].text)
		for user in ("SEND Caseworker", "BOSS Practitioner"):
			self.assertEqual(replies[user].status, 200, replies[user].text[:300])
			self.assertNotIn(CANARY_TRIAGE, replies[user].text)
		for user in ("SEND Caseworker", "BOSS Practitioner"):
			reply = as_user(user).get_doc("Panel", panel)
			self.assertEqual(reply.status, 200)
			self.assertNotIn(CANARY_TRIAGE, reply.text)


class TestConfidentialDataInItsOwnDoctype(FrappeTestCase):
	def test_triage_never_reaches_the_school_or_send_or_boss(self):
		referral_b = w().records["Referral"]["B"]
		triage_b = w().records["Referral Triage"]["B"]
		prt = as_user("PRT Officer")
		self.assertEqual(
			prt.update("Referral Triage", triage_b, {"prt_notes": CANARY_TRIAGE + " edited"}).status, 200
		)
		school = as_user("School Referrer B")
		replies = [
			school.update("Referral", referral_b, {}),
			school.call(
				"frappe.client.save", doc=json.dumps({**school.get_doc("Referral", referral_b).data})
			),
			school.call("frappe.desk.form.load.getdoc", doctype="Referral", name=referral_b),
			school.get_list("Referral Triage", fields=["name", "prt_notes"]),
			school.call(
				"frappe.client.get_count",
				doctype="Referral Triage",
				filters=json.dumps({"prt_notes": ("like", "%CANARY%")}),
			),
			school.call("frappe.desk.reportview.get_count", doctype="Referral Triage"),
		]
		for reply in replies:
			self.assertNotIn("CANARY-TRIAGE", reply.text)
		self.assertIn(replies[3].status, (403,))
		for user in ("SEND Caseworker", "BOSS Practitioner"):
			self.assertEqual(as_user(user).get_doc("Referral Triage", triage_b).status, 403)
			reply = as_user(user).call("frappe.desk.form.load.getdoc", doctype="Referral", name=referral_b)
			self.assertEqual(reply.status, 200)
			self.assertNotIn("CANARY-TRIAGE", reply.text)

	def test_safeguarding_never_reaches_the_panel(self):
		placement_a = w().records["Placement"]["A"]
		for user in ("Panel Chair", "Panel Member"):
			client = as_user(user)
			self.assertEqual(client.get_doc("Placement", placement_a).status, 200)
			for reply in (
				client.get_doc("Placement Safeguarding", placement_a),
				client.call("frappe.desk.form.load.getdoc", doctype="Placement", name=placement_a),
				client.call(
					"frappe.www.printview.get_html_and_style",
					doc="Placement",
					name=placement_a,
					print_format="Placement Agreement",
				),
			):
				self.assertNotIn(CANARY_SAFEGUARDING, reply.text)
		self.assertIn(
			CANARY_SAFEGUARDING,
			as_user("School Referrer").call("ap_provision.portal.placement_summary", name=placement_a).text,
		)


class TestLocksAndLookups(FrappeTestCase):
	def test_ehc_evidence_is_frozen_once_the_referral_is_submitted(self):
		ehc = w().records["EHC Assessment"]["A"]
		referral = frappe.db.get_value("EHC Assessment", ehc, "referral")
		frappe.db.set_value("Referral", referral, "workflow_state", "Submitted")
		frappe.db.commit()
		try:
			reply = as_user("School Referrer").update(
				"EHC Assessment", ehc, {"difficulties_linked_to_needs": "changed"}
			)
			self.assertIn(reply.status, (403, 417), reply.text[:300])
			self.assertEqual(
				stored("EHC Assessment", ehc, "difficulties_linked_to_needs").difficulties_linked_to_needs,
				CANARY_EHC,
			)
			reply = as_user("School Referrer").call(
				"frappe.website.doctype.web_form.web_form.accept",
				web_form="ehc-evidence",
				data=json.dumps(
					{"doctype": "EHC Assessment", "name": ehc, "difficulties_linked_to_needs": "changed"}
				),
			)
			self.assertGreaterEqual(reply.status, 400, reply.text[:300])
			self.assertEqual(
				stored("EHC Assessment", ehc, "difficulties_linked_to_needs").difficulties_linked_to_needs,
				CANARY_EHC,
			)
		finally:
			frappe.db.set_value("Referral", referral, "workflow_state", "Draft")
			frappe.db.commit()

	def test_an_attachment_must_be_a_real_upload_of_the_user(self):
		referral_a = w().records["Referral"]["A"]
		school = as_user("School Referrer")
		reply = school.update("Referral", referral_a, {"boss_report": "/private/files/none.pdf"})
		self.assertEqual(reply.status, 417, reply.text[:300])
		self.assertIsNone(stored("Referral", referral_a, "boss_report").boss_report)
		# A file named .pdf that is not a PDF, and one whose record understates its size.
		frappe.set_user(w().users["School Referrer"])
		try:
			fake = frappe.get_doc(
				{"doctype": "File", "file_name": "boss.pdf", "is_private": 1, "content": b"MZ\x90\x00binary"}
			).insert(ignore_permissions=True)
			big = frappe.get_doc(
				{"doctype": "File", "file_name": "big.pdf", "is_private": 1, "content": b"%PDF-1.4\n"}
			).insert(ignore_permissions=True)
		finally:
			frappe.set_user("Administrator")
		with open(frappe.get_doc("File", big.name).get_full_path(), "ab") as handle:
			handle.write(b"0" * (11 * 1024 * 1024))
		frappe.db.set_value("File", big.name, "file_size", 10)
		frappe.db.commit()
		try:
			for file in (fake, big):
				reply = school.update("Referral", referral_a, {"boss_report": file.file_url})
				self.assertEqual(reply.status, 417, reply.text[:300])
				self.assertIsNone(stored("Referral", referral_a, "boss_report").boss_report)
		finally:
			# Later tests (the backup check) compare every File record with its disk file.
			for file in (fake, big):
				frappe.delete_doc("File", file.name, ignore_permissions=True, force=True)
			frappe.db.commit()

	def test_a_caseworker_link_names_a_send_caseworker(self):
		pupil = w().records["Pupil"]["A"]
		school = as_user("School Referrer")
		reply = school.update(
			"Pupil", pupil, {"has_ehc_plan": 1, "send_caseworker": w().users["School Referrer B"]}
		)
		self.assertEqual(reply.status, 417, reply.text[:300])
		reply = school.update(
			"Pupil", pupil, {"has_ehc_plan": 1, "send_caseworker": w().users["SEND Caseworker"]}
		)
		self.assertEqual(reply.status, 200, reply.text[:300])

	def test_decision_and_placement_lookups_need_read_permission(self):
		referral = world.approved_referral("A")
		frappe.db.set_value("Referral", referral, "decided_by", w().users["Panel Chair"])
		frappe.db.commit()
		school_b = as_user("School Referrer B")
		reply = school_b.call(
			"frappe.model.workflow.apply_workflow",
			doc=json.dumps({"doctype": "Referral", "name": referral}),
			action="Approve",
		)
		self.assertEqual(reply.status, 403, reply.text[:300])
		self.assertNotIn("already been decided", reply.text)
		reply = school_b.call(
			"ap_provision.ap_provision.doctype.placement.placement.make_placement", source_name=referral
		)
		self.assertEqual(reply.status, 403, reply.text[:300])
		self.assertNotIn("already has placement", reply.text)

	def test_census_cells_never_start_a_formula(self):
		from ap_provision.census import census_csv

		placement = w().records["Placement"]["A"]
		pupil = frappe.db.get_value("Placement", placement, "pupil")
		frappe.db.set_value("Pupil", pupil, "first_name", '=HYPERLINK("http://evil.example/x","click")')
		frappe.db.commit()
		csv_text = census_csv(frappe.utils.today())
		self.assertIn("'=HYPERLINK", csv_text)
		self.assertNotIn(",=HYPERLINK", csv_text)
