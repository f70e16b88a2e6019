# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""Isolation of providers, channel by channel: an AP Provider User of provider X tries every way
in to provider Y's placement, its reports, its review and a file attached to a report, and is
refused in each. Through the portal (web form ``accept``) X reports on its own placement and
cannot on Y's, a hand-posted id included; bad input saves nothing. The school's placements page
shows the school its own pupils' placements only.

Each channel is called through the same whitelisted function the HTTP route runs, as the
signed-in user (the browser tier, browser_tests/, drives the real HTTP server)."""

import json
from unittest.mock import patch

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate
from werkzeug.exceptions import Forbidden

from ap_provision.exceptions import PlacementUpdateError
from ap_provision.tests import factories
from ap_provision.tests.channels import PortalChannels
from ap_provision.tests.factories import at
from ap_provision.tests.test_isolation import as_list

PROVIDER_X = "iso-provider-x@example.org"
PROVIDER_Y = "iso-provider-y@example.org"
SCHOOL = "iso-placement-school@example.org"
OTHER_SCHOOL = "iso-placement-other-school@example.org"
PRT = "iso-placement-prt@example.org"
CHAIR = "iso-placement-chair@example.org"
Y_PROGRESS = "Y-ONLY: reading age up a year"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCTYPES = ("Placement", "Placement Update", "Review")


class TestProviderIsolation(PortalChannels, FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# Assignment and alert emails are sent at once in tests, and sending commits.
		factories.mute_notification_emails(cls.addClassCleanup)

		cls.school = factories.make_school("400101", "Hazel Academy").name
		cls.other_school = factories.make_school("400102", "Larch Primary").name
		cls.provider_x = factories.make_checked_provider(factories.unique("Willow AP ")).name
		cls.provider_y = factories.make_checked_provider(factories.unique("Yew AP ")).name
		factories.make_user(PROVIDER_X, ["AP Provider User"], provider=cls.provider_x)
		factories.make_user(PROVIDER_Y, ["AP Provider User"], provider=cls.provider_y)
		factories.make_user(SCHOOL, ["School Referrer"], school=cls.school)
		factories.make_user(OTHER_SCHOOL, ["School Referrer"], school=cls.other_school)
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(CHAIR, ["Panel Chair"])

		cls.placement_x = cls.running_placement(cls.provider_x)
		cls.placement_y = cls.running_placement(cls.provider_y)
		cls.start = getdate(cls.placement_x.start_date)
		# Three weeks into the placements: Y has reported on its first week, and a review is booked.
		cls.today = add_days(cls.start, 21)
		cls.update_y = cls.report(PROVIDER_Y, cls.placement_y, cls.start, progress=Y_PROGRESS)
		cls.review_y = cls.schedule_review(cls.placement_y)
		frappe.set_user("Administrator")
		cls.file_y = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "yew-incident-log.pdf",
				"content": PDF,
				"is_private": 1,
				"attached_to_doctype": "Placement Update",
				"attached_to_name": cls.update_y.name,
			}
		).insert()

	@classmethod
	def running_placement(cls, provider):
		"""An approved referral of the school, placed with `provider` and started (time frozen at
		the start date)."""
		from freezegun import freeze_time

		referral = factories.make_approved_referral(
			cls.school, "Year 8", chair=CHAIR, provider=provider, has_ehc_plan=0
		)
		frappe.set_user(PRT)
		placement = factories.make_placement(referral.name)
		with freeze_time(at(placement.start_date)):
			factories.prepare_start(placement)
			placement.status = "Active"
			placement.save()
		frappe.set_user("Administrator")
		return placement

	@classmethod
	def report(cls, user, placement, start, **values):
		from freezegun import freeze_time

		rows = factories.attendance_rows(start, 5)
		frappe.set_user(user)
		with freeze_time(at(rows[-1]["attendance_date"], "16:00:00")):
			doc = frappe.get_doc(
				{
					"doctype": "Placement Update",
					"placement": placement.name,
					"period_start": start,
					"period_end": rows[-1]["attendance_date"],
					"attendance": rows,
					"behaviour_incidents": 0,
					**values,
				}
			).insert()
		frappe.set_user("Administrator")
		return doc

	@classmethod
	def schedule_review(cls, placement):
		from ap_provision.ap_provision.doctype.placement.placement import make_review

		frappe.set_user(PRT)
		doc = make_review(placement.name)
		doc.review_date = add_days(cls.today, 14)
		doc.next_review_date = add_days(cls.today, 56)
		doc.insert()
		frappe.set_user("Administrator")
		return doc

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()
		frappe.flags.in_web_form = False

	def y_records(self):
		return (
			("Placement", self.placement_y.name),
			("Placement Update", self.update_y.name),
			("Review", self.review_y.name),
		)

	def update_data(self, placement, start=None, **values):
		"""A report on three school days from `start` (default: the placements' start)."""
		start = start or self.start
		rows = [
			{k: str(v) if k == "attendance_date" else v for k, v in row.items()}
			for row in factories.attendance_rows(start, 3)
		]
		data = {
			"placement": placement,
			"period_start": str(rows[0]["attendance_date"]),
			"period_end": str(rows[-1]["attendance_date"]),
			"attendance": rows,
			"behaviour_incidents": 1,
			"behaviour_summary": "Left the room once; returned after ten minutes.",
			"progress": "Settled into the maths group.",
		}
		data.update(values)
		return data

	# -- provider X is refused in every channel -----------------------------------------------

	def test_desk_list_and_reportview(self):
		with self.set_user(PROVIDER_X):
			for doctype, name in self.y_records():
				got = self.call("frappe.desk.reportview.get", doctype=doctype, fields=json.dumps(["name"]))
				self.assertNotIn(name, as_list(got), doctype)
				count = self.call(
					"frappe.desk.reportview.get_count",
					doctype=doctype,
					filters=json.dumps([[doctype, "name", "=", name]]),
				)
				self.assertEqual(count, 0, doctype)
			# X's own placement is listed: the refusal is isolation, not a missing permission.
			got = self.call("frappe.desk.reportview.get", doctype="Placement", fields=json.dumps(["name"]))
			self.assertEqual(as_list(got), [self.placement_x.name])

	def test_desk_form(self):
		with self.set_user(PROVIDER_X):
			for doctype, name in self.y_records():
				self.assertRaises(
					frappe.PermissionError,
					self.call,
					"frappe.desk.form.load.getdoc",
					doctype=doctype,
					name=name,
				)
			self.call("frappe.desk.form.load.getdoc", doctype="Placement", name=self.placement_x.name)

	def test_rest_resource(self):
		from frappe.api import v1

		with self.set_user(PROVIDER_X):
			for doctype, name in self.y_records():
				self.assertRaises(frappe.PermissionError, v1.read_doc, doctype, name)
				frappe.local.form_dict = frappe._dict(fields=json.dumps(["name"]), limit_page_length=0)
				self.assertNotIn(name, as_list(v1.document_list(doctype)), doctype)
			doc = frappe.get_doc("Placement Update", self.update_y.name).as_dict()
			doc["progress"] = "Overwritten by provider X"
			self.assertRaises(frappe.PermissionError, self.call, "frappe.client.save", doc=doc)
		self.assertEqual(frappe.db.get_value("Placement Update", self.update_y.name, "progress"), Y_PROGRESS)

	def test_frappe_client(self):
		with self.set_user(PROVIDER_X):
			for doctype, name in self.y_records():
				self.assertRaises(
					frappe.PermissionError, self.call, "frappe.client.get", doctype=doctype, name=name
				)
				listed = self.call(
					"frappe.client.get_list", doctype=doctype, fields=["name"], limit_page_length=0
				)
				self.assertNotIn(name, as_list(listed), doctype)
				self.assertEqual(
					self.call("frappe.client.get_count", doctype=doctype, filters={"name": name}), 0
				)
			self.assertFalse(
				self.call(
					"frappe.client.get_value",
					doctype="Placement Update",
					fieldname="progress",
					filters={"placement": self.placement_y.name},
				)
			)
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"frappe.client.set_value",
				doctype="Placement Update",
				name=self.update_y.name,
				fieldname="behaviour_incidents",
				value=9,
			)
		self.assertEqual(
			frappe.db.get_value("Placement Update", self.update_y.name, "behaviour_incidents"), 0
		)

	def test_child_table_rows(self):
		"""Rows of a child table (the session marks of Y's report, the stakeholders of Y's
		placement, the attendees of Y's review) listed through their parent doctype."""
		tables = (
			("Placement Attendance Day", "Placement Update", self.update_y.name),
			("Placement Stakeholder", "Placement", self.placement_y.name),
			("Review Attendee", "Review", self.review_y.name),
		)
		with self.set_user(PROVIDER_X):
			for child, parent, name in tables:
				filters = json.dumps([[child, "parent", "=", name]])
				fields = json.dumps(["name", "parent"])
				with self.subTest(child=child):
					got = self.call(
						"frappe.client.get_list", doctype=child, parent=parent, fields=fields, filters=filters
					)
					self.assertEqual(as_list(got), [])
					got = self.call(
						"frappe.desk.reportview.get",
						doctype=child,
						parent_doctype=parent,
						fields=fields,
						filters=filters,
					)
					self.assertEqual(as_list(got), [])
					row = frappe.db.get_value(child, {"parent": name}, "name")
					self.assertRaises(
						frappe.PermissionError,
						self.call,
						"frappe.client.get",
						doctype=child,
						name=row,
						parent=parent,
					)
		with self.set_user(PROVIDER_Y):
			got = self.call(
				"frappe.client.get_list",
				doctype="Placement Attendance Day",
				parent="Placement Update",
				fields=["name"],
				filters={"parent": self.update_y.name},
			)
			self.assertEqual(len(got), 5)

	def test_search_link(self):
		with self.set_user(PROVIDER_X):
			for doctype, name in self.y_records():
				found = self.call("frappe.desk.search.search_link", doctype=doctype, txt=name)
				self.assertNotIn(name, [r.get("value") for r in found], doctype)
			found = self.call("frappe.desk.search.search_link", doctype="Placement", txt="")
			self.assertEqual([r.get("value") for r in found], [self.placement_x.name])

	def test_print_view_and_pdf(self):
		from frappe.utils.print_format import download_pdf
		from frappe.www.printview import get_html_and_style

		with self.set_user(PROVIDER_X):
			for doctype, name in self.y_records():
				self.assertRaises(frappe.PermissionError, get_html_and_style, doctype, name)
				self.assertRaises(frappe.PermissionError, download_pdf, doctype, name)

	def test_export(self):
		with self.set_user(PROVIDER_X):
			for doctype in DOCTYPES:
				self.assertRaises(
					frappe.PermissionError,
					self.call,
					"frappe.desk.reportview.export_query",
					doctype=doctype,
					file_format_type="CSV",
					fields=json.dumps([f"`tab{doctype}`.`name`"]),
				)

	def test_web_forms(self):
		from ap_provision.access.web import get_form_data

		pages = (
			("Placement", self.placement_y.name, "provider-placements"),
			("Placement Update", self.update_y.name, "placement-updates"),
		)
		with self.set_user(PROVIDER_X):
			for doctype, name, web_form in pages:
				self.assertNotIn(
					name,
					as_list(
						self.call("frappe.www.list.get_list_data", doctype=doctype, web_form_name=web_form)
					),
				)
				self.assertRaises(frappe.PermissionError, get_form_data, doctype, name, web_form)
				self.assertFalse(frappe.get_doc("Web Form", web_form).has_web_form_permission(doctype, name))
				self.assertRaises(frappe.PermissionError, self.render_web_form, web_form, name)
			self.assertEqual(
				as_list(
					self.call(
						"frappe.www.list.get_list_data",
						doctype="Placement",
						web_form_name="provider-placements",
					)
				),
				[self.placement_x.name],
			)
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"ap_provision.portal.placement_summary",
				name=self.placement_y.name,
			)

	def test_attached_file(self):
		from frappe.utils.response import download_private_file

		url = self.file_y.file_url
		with self.set_user(PROVIDER_Y):
			self.assertTrue(frappe.has_permission("File", "read", doc=self.file_y.name))
		with self.set_user(PROVIDER_X):
			self.assertFalse(frappe.has_permission("File", "read", doc=self.file_y.name))
			listed = self.call(
				"frappe.client.get_list", doctype="File", filters={"file_url": url}, fields=["name"]
			)
			self.assertEqual(listed, [])
			self.assertRaises(
				frappe.PermissionError, self.call, "frappe.client.get", doctype="File", name=self.file_y.name
			)
			self.assertRaises(Forbidden, download_private_file, url)

	# -- the provider portal ------------------------------------------------------------------

	def test_provider_sees_its_placement_with_reviews_and_reports(self):
		with self.set_user(PROVIDER_Y), self.freeze_time(at(self.today)):
			options = self.call("ap_provision.portal.placement_options")
			self.assertEqual([o["value"] for o in options], [self.placement_y.name])
			summary = self.call("ap_provision.portal.placement_summary", name=self.placement_y.name)
			self.assertEqual([r.name for r in summary["upcoming_reviews"]], [self.review_y.name])
			self.assertEqual([u.name for u in summary["updates"]], [self.update_y.name])
			self.assertTrue(summary["can_report"])
			self.assertEqual(
				summary["next_review_date"],
				frappe.db.get_value("Placement", self.placement_y.name, "next_review_date"),
			)
			context = self.render_web_form("provider-placements", self.placement_y.name)
			self.assertEqual(context.reference_doc["name"], self.placement_y.name)

	def test_provider_posts_an_update_through_the_web_form(self):
		with self.set_user(PROVIDER_X), self.freeze_time(at(self.today, "16:00:00")):
			data = self.update_data(
				self.placement_x.name, safeguarding_concern=1, safeguarding_details="Bruise"
			)
			doc = self.post("placement-updates", data)
		doc.reload()
		self.assertEqual((doc.provider, doc.school), (self.provider_x, self.school))
		self.assertEqual(doc.sessions_possible, 6)
		self.assertEqual(doc.safeguarding_details, "Bruise")
		self.assertEqual(
			getdate(frappe.db.get_value("Placement", self.placement_x.name, "last_update_date")),
			getdate(data["period_end"]),
		)
		with self.set_user(PROVIDER_Y):
			self.assertFalse(frappe.has_permission("Placement Update", "read", doc=doc.name))

	def test_update_for_another_providers_placement_posted_by_hand(self):
		before = frappe.db.count("Placement Update")
		with self.set_user(PROVIDER_X), self.freeze_time(at(self.today, "16:00:00")):
			data = self.update_data(self.placement_y.name)
			self.assertRaises(frappe.PermissionError, self.post, "placement-updates", data)
			# Through REST too.
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"frappe.client.insert",
				doc={"doctype": "Placement Update", **data},
			)
			# Editing Y's report by posting its name: the web form does not edit reports.
			data = {"name": self.update_y.name, **self.update_data(self.placement_y.name)}
			self.assertRaises(frappe.ValidationError, self.post, "placement-updates", data)
		self.assertEqual(frappe.db.count("Placement Update"), before)
		self.assertEqual(frappe.db.get_value("Placement Update", self.update_y.name, "progress"), Y_PROGRESS)

	def test_bad_input_through_the_portal_saves_nothing(self):
		before = frappe.db.count("Placement Update")
		name = self.placement_x.name
		first_day = self.update_data(name)["period_start"]
		with self.set_user(PROVIDER_X), self.freeze_time(at(self.today, "16:00:00")):
			cases = [
				# Missing fields (the web form's mandatory ones hold on the server).
				(frappe.MandatoryError, {"placement": name}),
				(frappe.MandatoryError, self.update_data(name, progress="")),
				(frappe.MandatoryError, self.update_data(name, attendance=[])),
				# An absence without its reason.
				(
					PlacementUpdateError,
					self.update_data(
						name,
						attendance=[
							{"attendance_date": first_day, "am_mark": "Absent", "pm_mark": "Present"}
						],
						period_end=first_day,
					),
				),
				# Dates out of range: days to come, before the placement, the wrong way round.
				(PlacementUpdateError, self.update_data(name, start=add_days(self.today, 1))),
				(PlacementUpdateError, self.update_data(name, start=add_days(self.start, -7))),
				(PlacementUpdateError, self.update_data(name, period_end=str(add_days(first_day, -1)))),
				# A safeguarding concern with nothing said about it.
				(PlacementUpdateError, self.update_data(name, safeguarding_concern=1)),
				# A placement that does not exist.
				(frappe.ValidationError, self.update_data("PLC-0000-99999")),
			]
			for exc, data in cases:
				with self.subTest(data=data):
					self.assertRaises(exc, self.post, "placement-updates", data)
		self.assertEqual(frappe.db.count("Placement Update"), before)

	def test_read_only_pages_add_nothing(self):
		"""Web forms insert with ignore_permissions: the placements pages still add no placement,
		and a school cannot post a provider's report."""
		before = frappe.db.count("Placement")
		with self.set_user(PROVIDER_X):
			data = {"pupil_name": "Posted by hand", "status": "Active", "start_date": str(self.today)}
			self.assertRaises(frappe.PermissionError, self.post, "provider-placements", data)
		with self.set_user(SCHOOL):
			self.assertRaises(frappe.PermissionError, self.post, "school-placements", data)
			with self.freeze_time(at(self.today, "16:00:00")):
				data = self.update_data(self.placement_x.name)
				self.assertRaises(frappe.PermissionError, self.post, "placement-updates", data)
		self.assertEqual(frappe.db.count("Placement"), before)

	# -- the school's placements page ---------------------------------------------------------

	def test_school_sees_its_pupils_placements_and_reviews(self):
		with self.set_user(SCHOOL), self.freeze_time(at(self.today)):
			listed = as_list(
				self.call(
					"frappe.www.list.get_list_data", doctype="Placement", web_form_name="school-placements"
				)
			)
			self.assertEqual(sorted(listed), sorted([self.placement_x.name, self.placement_y.name]))
			summary = self.call("ap_provision.portal.placement_summary", name=self.placement_y.name)
			self.assertEqual([r.name for r in summary["upcoming_reviews"]], [self.review_y.name])
			self.assertFalse(summary["can_report"])
			context = self.render_web_form("school-placements", self.placement_y.name)
			self.assertEqual(context.reference_doc["provider_name"], self.placement_y.provider_name)
		with self.set_user(OTHER_SCHOOL):
			self.assertEqual(
				as_list(
					self.call(
						"frappe.www.list.get_list_data",
						doctype="Placement",
						web_form_name="school-placements",
					)
				),
				[],
			)
			self.assertRaises(
				frappe.PermissionError, self.render_web_form, "school-placements", self.placement_y.name
			)
			self.assertRaises(
				frappe.PermissionError,
				self.call,
				"ap_provision.portal.placement_summary",
				name=self.placement_y.name,
			)
