# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""Isolation of schools, channel by channel: a School Referrer of school B tries every way in
to school A's pupil, referral and BOSS report, and is refused in each; school A reads its own
records but never the PRT's notes. Bad input through the portal saves nothing.

Each channel is called through the same whitelisted function the HTTP route runs, as the
signed-in user (the browser tier, browser_tests/, drives the real HTTP server)."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from werkzeug.exceptions import Forbidden

from ap_provision.exceptions import AttachmentError, PortalScopeError, PupilNotPermittedError
from ap_provision.tests import factories
from ap_provision.tests.channels import PortalChannels

SCHOOL_A = "iso-school-a@example.org"
SCHOOL_A2 = "iso-school-a-colleague@example.org"
SCHOOL_B = "iso-school-b@example.org"
PRT = "iso-prt@example.org"
PRT_NOTE = "PRT-ONLY: family circumstances discussed with social care"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def as_list(result) -> list[str]:
	"""Names in a reportview / REST list answer (dicts, lists, or Frappe's compressed form)."""
	if isinstance(result, dict) and "values" in result:
		keys = result["keys"]
		return [dict(zip(keys, row, strict=False)).get("name") for row in result["values"]]
	return [r.get("name") if isinstance(r, dict) else r[0] for r in result or []]


class TestSchoolIsolation(PortalChannels, FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.school_a = factories.make_school("400001", "Aspen Primary").name
		cls.school_b = factories.make_school("400002", "Buckthorn Academy").name
		factories.make_user(SCHOOL_A, ["School Referrer"], school=cls.school_a)
		factories.make_user(SCHOOL_A2, ["School Referrer"], school=cls.school_a)
		factories.make_user(SCHOOL_B, ["School Referrer"], school=cls.school_b)
		factories.make_user(PRT, ["PRT Officer"])
		cls.pupil_a = factories.make_pupil(cls.school_a, "Year 8").name
		cls.pupil_b = factories.make_pupil(cls.school_b, "Year 8").name

		frappe.set_user(SCHOOL_A)
		cls.boss_file = frappe.get_doc(
			{"doctype": "File", "file_name": "boss-aspen.pdf", "content": PDF, "is_private": 1}
		).insert()
		cls.referral_a = (
			frappe.get_doc(
				{
					"doctype": "Referral",
					"pupil": cls.pupil_a,
					"reason_for_referral": "Escalating incidents",
					"boss_report": cls.boss_file.file_url,
				}
			)
			.insert()
			.name
		)
		frappe.set_user("Administrator")
		frappe.get_doc(
			{"doctype": "Referral Triage", "referral": cls.referral_a, "prt_notes": PRT_NOTE}
		).insert()
		cls.boss_file.reload()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()

	# -- the upload is private and attached ---------------------------------------------------

	def test_boss_report_is_private_and_attached_to_the_referral(self):
		self.assertEqual(self.boss_file.is_private, 1)
		self.assertEqual(
			(self.boss_file.attached_to_doctype, self.boss_file.attached_to_name),
			("Referral", self.referral_a),
		)

	# -- school B is refused in every channel -------------------------------------------------

	def test_desk_list_and_reportview(self):
		with self.set_user(SCHOOL_B):
			for doctype, name in (("Referral", self.referral_a), ("Pupil", self.pupil_a)):
				got = self.call("frappe.desk.reportview.get", doctype=doctype, fields=json.dumps(["name"]))
				self.assertNotIn(name, as_list(got))
				self.assertEqual(
					self.call(
						"frappe.desk.reportview.get_count",
						doctype=doctype,
						filters=json.dumps([[doctype, "name", "=", name]]),
					),
					0,
				)

	def test_desk_form(self):
		with self.set_user(SCHOOL_B):
			for doctype, name in (("Referral", self.referral_a), ("Pupil", self.pupil_a)):
				self.assertRaises(
					frappe.PermissionError,
					self.call,
					"frappe.desk.form.load.getdoc",
					doctype=doctype,
					name=name,
				)

	def test_rest_resource(self):
		from frappe.api import v1

		with self.set_user(SCHOOL_B):
			self.assertRaises(frappe.PermissionError, v1.read_doc, "Referral", self.referral_a)
			self.assertRaises(frappe.PermissionError, v1.read_doc, "Pupil", self.pupil_a)
			frappe.local.form_dict = frappe._dict(fields=json.dumps(["name"]), limit_page_length=0)
			self.assertNotIn(self.referral_a, as_list(v1.document_list("Referral")))
			doc = frappe.get_doc("Referral", self.referral_a).as_dict()
			doc["reason_for_referral"] = "Overwritten by school B"
			self.assertRaises(frappe.PermissionError, self.call, "frappe.client.save", doc=doc)
		self.assertEqual(
			frappe.db.get_value("Referral", self.referral_a, "reason_for_referral"), "Escalating incidents"
		)

	def test_frappe_client(self):
		with self.set_user(SCHOOL_B):
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"frappe.client.get",
				doctype="Referral",
				name=self.referral_a,
			)
			self.assertNotIn(
				self.referral_a,
				as_list(self.call("frappe.client.get_list", doctype="Referral", fields=["name"])),
			)
			self.assertFalse(
				self.call(
					"frappe.client.get_value",
					doctype="Referral",
					fieldname="reason_for_referral",
					filters=self.referral_a,
				)
			)
			self.assertEqual(
				self.call("frappe.client.get_count", doctype="Pupil", filters={"name": self.pupil_a}), 0
			)
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"frappe.client.set_value",
				doctype="Pupil",
				name=self.pupil_a,
				fieldname="last_name",
				value="Changed",
			)

	def test_search_link(self):
		with self.set_user(SCHOOL_B):
			for doctype, name in (("Referral", self.referral_a), ("Pupil", self.pupil_a)):
				found = self.call("frappe.desk.search.search_link", doctype=doctype, txt=name)
				self.assertNotIn(name, [r.get("value") for r in found])
			# Linking school A's pupil by hand from a referral of school B.
			self.assertRaises(
				PupilNotPermittedError,
				frappe.get_doc(
					{"doctype": "Referral", "pupil": self.pupil_a, "reason_for_referral": "x"}
				).insert,
			)

	def test_print_view_and_pdf(self):
		from frappe.utils.print_format import download_pdf
		from frappe.www.printview import get_html_and_style

		with self.set_user(SCHOOL_B):
			self.assertRaises(frappe.PermissionError, get_html_and_style, "Referral", self.referral_a)
			self.assertRaises(frappe.PermissionError, download_pdf, "Referral", self.referral_a)
			self.assertRaises(frappe.PermissionError, get_html_and_style, "Pupil", self.pupil_a)

	def test_export(self):
		with self.set_user(SCHOOL_B):
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"frappe.desk.reportview.export_query",
				doctype="Referral",
				file_format_type="CSV",
				fields=json.dumps(["`tabReferral`.`name`"]),
			)

	def test_web_forms(self):
		from ap_provision.access.web import get_form_data

		with self.set_user(SCHOOL_B):
			self.assertNotIn(
				self.referral_a,
				as_list(
					self.call(
						"frappe.www.list.get_list_data", doctype="Referral", web_form_name="school-referrals"
					)
				),
			)
			self.assertNotIn(
				self.pupil_a,
				as_list(
					self.call("frappe.www.list.get_list_data", doctype="Pupil", web_form_name="school-pupils")
				),
			)
			self.assertRaises(
				frappe.PermissionError, get_form_data, "Referral", self.referral_a, "school-referrals"
			)
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"frappe.website.doctype.web_form.web_form.get_form_data",
				doctype="Pupil",
				docname=self.pupil_a,
				web_form_name="school-pupils",
			)
			web_form = frappe.get_doc("Web Form", "school-referrals")
			self.assertFalse(web_form.has_web_form_permission("Referral", self.referral_a))
			self.assertRaises(
				frappe.PermissionError, self.render_web_form, "school-referrals", self.referral_a
			)

	def test_portal_list_reads_the_columns_it_shows(self):
		"""The app's list endpoint (overriding Frappe's for the app's web forms) gives the rows
		Frappe's own gives, in its order and with its values, but only the list's columns; the
		list's filters still apply."""
		from frappe.www.list import get_list_data as frappe_get_list_data

		with self.set_user(SCHOOL_A):
			ours = self.call(
				"frappe.www.list.get_list_data", doctype="Referral", web_form_name="school-referrals"
			)
			frappe.local.form_dict = frappe._dict()
			theirs = {r.name: r for r in frappe_get_list_data("Referral", web_form_name="school-referrals")}
			self.assertIn(self.referral_a, as_list(ours))
			self.assertEqual(as_list(ours), list(theirs))
			columns = ["name", "pupil_name", "workflow_state", "panel_date", "key_stage"]
			for row in ours:
				self.assertEqual(list(row), columns)
				self.assertEqual(row, {k: theirs[row.name][k] for k in columns})
			state = next(r.workflow_state for r in ours if r.name == self.referral_a)
			filtered = self.call(
				"frappe.www.list.get_list_data",
				doctype="Referral",
				web_form_name="school-referrals",
				workflow_state=state,
			)
			self.assertIn(self.referral_a, as_list(filtered))
			self.assertEqual({r.workflow_state for r in filtered}, {state})
			other = self.call(
				"frappe.www.list.get_list_data",
				doctype="Referral",
				web_form_name="school-referrals",
				workflow_state="No Such State",
			)
			self.assertEqual(other, [])
			self.assertRaises(
				frappe.DoesNotExistError,
				self.call,
				"frappe.www.list.get_list_data",
				doctype="Referral",
				web_form_name="no-such-form",
			)

	def test_web_form_edit_of_another_schools_record_posted_by_hand(self):
		with self.set_user(SCHOOL_B):
			data = {
				"name": self.pupil_a,
				"first_name": "Hijacked",
				"last_name": "X",
				"date_of_birth": "2013-01-01",
			}
			self.assertRaises(frappe.PermissionError, self.post, "school-pupils", data)
			data = {"pupil": self.pupil_a, "reason_for_referral": "posted by hand"}
			self.assertRaises(PupilNotPermittedError, self.post, "school-referrals", data)
		self.assertNotEqual(frappe.db.get_value("Pupil", self.pupil_a, "first_name"), "Hijacked")
		self.assertFalse(frappe.db.exists("Referral", {"reason_for_referral": "posted by hand"}))

	def test_attached_file(self):
		from frappe.utils.response import download_private_file

		url = self.boss_file.file_url
		with self.set_user(SCHOOL_B):
			self.assertFalse(frappe.has_permission("File", "read", doc=self.boss_file.name))
			self.assertEqual(
				self.call(
					"frappe.client.get_list", doctype="File", filters={"file_url": url}, fields=["name"]
				),
				[],
			)
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"frappe.client.get",
				doctype="File",
				name=self.boss_file.name,
			)
			self.assertRaises(Forbidden, download_private_file, url)
			# School A's file URL posted by hand as the BOSS report of a school B referral.
			referral = frappe.get_doc(
				{"doctype": "Referral", "pupil": self.pupil_b, "reason_for_referral": "x", "boss_report": url}
			)
			self.assertRaises(AttachmentError, referral.insert)

	# -- school A reads its own, without the PRT's notes ----------------------------------------

	def test_own_school_reads_its_records_but_not_prt_notes(self):
		from ap_provision.access.web import get_form_data

		for user in (SCHOOL_A, SCHOOL_A2):
			with self.set_user(user):
				doc = self.call("frappe.client.get", doctype="Referral", name=self.referral_a)
				self.assertEqual(doc["name"], self.referral_a)
				self.assertNotIn(PRT_NOTE, json.dumps(doc, default=str))
				listed = self.call("frappe.client.get_list", doctype="Referral", fields=["name"], filters={})
				self.assertEqual(as_list(listed), [self.referral_a])
				self.assertRaises(
					frappe.PermissionError,
					self.call,
					"frappe.client.get_list",
					doctype="Referral Triage",
					fields=["name", "prt_notes"],
				)
				self.assertFalse(frappe.has_permission("Referral Triage", "read", doc=self.referral_a))
				out = get_form_data("Referral", self.referral_a, "school-referrals")
				self.assertEqual(out.doc["name"], self.referral_a)
				self.assertNotIn(PRT_NOTE, json.dumps(out, default=str))
				context = self.render_web_form("school-referrals", self.referral_a)
				self.assertNotIn(PRT_NOTE, json.dumps(context.reference_doc, default=str))
				self.assertTrue(frappe.has_permission("File", "read", doc=self.boss_file.name))
		with self.set_user(PRT):
			self.assertTrue(frappe.has_permission("File", "read", doc=self.boss_file.name))
			self.assertEqual(frappe.get_doc("Referral Triage", self.referral_a).prt_notes, PRT_NOTE)

	# -- bad input saves nothing --------------------------------------------------------------

	def test_bad_input_through_the_portal_saves_nothing(self):
		before = frappe.db.count("Pupil") + 1  # the one whose "school" is ignored
		with self.set_user(SCHOOL_A):
			self.assertRaises(frappe.MandatoryError, self.post, "school-pupils", {"first_name": "Only"})
			future = frappe.utils.add_days(frappe.utils.today(), 30)
			data = {"first_name": "Future", "last_name": "Pupil", "date_of_birth": future}
			self.assertRaises(frappe.ValidationError, self.post, "school-pupils", data)
			data = {
				"first_name": "Wrong",
				"last_name": "School",
				"date_of_birth": "2013-03-01",
				"school": self.school_b,
			}
			# Not a field of the web form: ignored there; through REST refused.
			self.assertEqual(self.post("school-pupils", data).school, self.school_a)
			self.assertRaises(
				frappe.PermissionError, self.call, "frappe.client.insert", doc={"doctype": "Pupil", **data}
			)
			self.assertRaises(frappe.MandatoryError, self.post, "school-referrals", {"pupil": self.pupil_a})
			exe = frappe.get_doc(
				{"doctype": "File", "file_name": "report.exe", "content": b"MZ...", "is_private": 1}
			).insert()
			data = {"pupil": self.pupil_a, "reason_for_referral": "r", "boss_report": exe.file_url}
			self.assertRaises(AttachmentError, self.post, "school-referrals", data)
			public = frappe.get_doc(
				{"doctype": "File", "file_name": "public-boss.pdf", "content": PDF, "is_private": 0}
			).insert()
			data = {"pupil": self.pupil_a, "reason_for_referral": "r", "boss_report": public.file_url}
			self.assertRaises(AttachmentError, self.post, "school-referrals", data)
		self.assertEqual(frappe.db.count("Pupil"), before)
		self.assertFalse(frappe.db.exists("Referral", {"reason_for_referral": "r"}))

	def test_pupil_added_through_the_portal_belongs_to_the_users_school(self):
		with self.set_user(SCHOOL_A):
			data = {"first_name": "Portal", "last_name": "Pupil", "date_of_birth": "2013-03-01"}
			doc = self.post("school-pupils", data)
		self.assertEqual(doc.school, self.school_a)
		with self.set_user(SCHOOL_A2):
			self.assertTrue(frappe.has_permission("Pupil", "read", doc=doc.name))
		with self.set_user(SCHOOL_B):
			self.assertFalse(frappe.has_permission("Pupil", "read", doc=doc.name))
