# Copyright (c) 2026, ap_provision developers and contributors
# See license.txt
"""The portal's homes and lists count and show only the user's own school's or provider's records.

School A has more of everything than school B; school B's home, lists and searches must show
school B's figures exactly, and a School Referrer with no User Permission sees nothing at all.
The same for provider X and provider Y. The pages render as the signed-in user (as a request
resolves them) and are refused to the other portal role."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, set_request
from frappe.website.serve import get_response

from ap_provision import portal_home
from ap_provision.tests import factories
from ap_provision.tests.factories import at

SCHOOL_A = "home-school-a@example.org"
SCHOOL_B = "home-school-b@example.org"
SCHOOL_NONE = "home-school-none@example.org"
PROVIDER_X = "home-provider-x@example.org"
PROVIDER_Y = "home-provider-y@example.org"
PRT = "home-prt@example.org"
CHAIR = "home-chair@example.org"


class TestPortalHome(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		factories.mute_notification_emails(cls.addClassCleanup)
		cls.school_a = factories.make_school("400301", "Alderney Primary").name
		cls.school_b = factories.make_school("400302", "Birchwood Academy").name
		cls.provider_x = factories.make_checked_provider(factories.unique("Xylem AP "), places=20).name
		cls.provider_y = factories.make_checked_provider(factories.unique("Yarrow AP "), places=20).name
		factories.make_user(SCHOOL_A, ["School Referrer"], school=cls.school_a)
		factories.make_user(SCHOOL_B, ["School Referrer"], school=cls.school_b)
		factories.make_user(SCHOOL_NONE, ["School Referrer"])
		factories.make_user(PROVIDER_X, ["AP Provider User"], provider=cls.provider_x)
		factories.make_user(PROVIDER_Y, ["AP Provider User"], provider=cls.provider_y)
		factories.make_user(PRT, ["PRT Officer"])
		factories.make_user(CHAIR, ["Panel Chair"])

		# School A: two drafts (one with EHC evidence to complete), one the PRT asked about, and an
		# approved referral placed at provider X. School B: one draft and one placed at provider Y.
		cls.a_drafts = [cls.draft(cls.school_a).name, cls.draft(cls.school_a, has_ehc_plan=1).name]
		factories.make_panel(factories.next_weekday(add_days(frappe.utils.today(), 7), 2))
		cls.a_more_info = cls.draft(cls.school_a).name
		apply_workflow(frappe.get_doc("Referral", cls.a_more_info), "Submit")
		frappe.set_user(PRT)
		apply_workflow(frappe.get_doc("Referral", cls.a_more_info), "Request Information")
		frappe.set_user("Administrator")
		cls.placement_a = cls.running_placement(cls.school_a, cls.provider_x)
		cls.b_draft = cls.draft(cls.school_b).name
		cls.placement_b = cls.running_placement(cls.school_b, cls.provider_y)
		cls.a_referrals = set(frappe.get_all("Referral", {"school": cls.school_a}, pluck="name"))
		cls.b_referrals = set(frappe.get_all("Referral", {"school": cls.school_b}, pluck="name"))
		cls.a_pupil_name = frappe.db.get_value("Placement", cls.placement_a.name, "pupil_name")
		# Three weeks into the placements: the first report (due after two weeks) is overdue.
		cls.today = add_days(getdate(cls.placement_a.start_date), 21)

	@classmethod
	def draft(cls, school, **pupil_values):
		pupil = factories.make_pupil(school, "Year 8", **pupil_values)
		return frappe.get_doc(
			{
				"doctype": "Referral",
				"pupil": pupil.name,
				"boss_report": factories.boss_report(),
				"reason_for_referral": "Escalating incidents",
			}
		).insert(ignore_permissions=True)

	@classmethod
	def running_placement(cls, school, provider):
		from freezegun import freeze_time

		referral = factories.make_approved_referral(
			school, "Year 8", chair=CHAIR, provider=provider, has_ehc_plan=0
		)
		frappe.set_user(PRT)
		placement = factories.make_placement(referral.name)
		with freeze_time(at(placement.start_date)):
			factories.prepare_start(placement)
			placement.status = "Active"
			placement.save()
		frappe.set_user("Administrator")
		return placement

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()

	def home_of(self, user, kind="school"):
		from freezegun import freeze_time

		frappe.set_user(user)
		with freeze_time(at(self.today)):
			return portal_home.school_home() if kind == "school" else portal_home.provider_home()

	# -- schools ----------------------------------------------------------------------------------

	def test_school_b_home_counts_only_school_b_records(self):
		home = self.home_of(SCHOOL_B)
		figures = {label: number for label, number, _link in home.figures}
		self.assertEqual(figures["Referrals"], len(self.b_referrals))
		self.assertEqual(figures["Pupils"], frappe.db.count("Pupil", {"school": self.school_b}))
		self.assertEqual(figures["Current placements"], 1)
		self.assertEqual(sum(n for _state, n, _colour in home.sections["by_state"]), len(self.b_referrals))
		# Its draft to submit, and the decision on the referral that led to its placement.
		self.assertIn(("submit", self.b_draft), {(a.kind, a.name) for a in home.actions})
		self.assertLessEqual({a.name for a in home.actions}, self.b_referrals)
		self.assertEqual([p.name for p in home.sections["placements"]], [self.placement_b.name])

	def test_school_a_home_says_what_needs_it(self):
		home = self.home_of(SCHOOL_A)
		figures = {label: number for label, number, _link in home.figures}
		self.assertEqual(figures["Referrals"], len(self.a_referrals))
		kinds = {(a.kind, a.name) for a in home.actions}
		self.assertEqual({name for kind, name in kinds if kind == "submit"}, set(self.a_drafts), home.actions)
		self.assertIn(("more_information", self.a_more_info), kinds)
		self.assertIn(("ehc_evidence", self.a_drafts[1]), kinds)
		self.assertFalse({a.name for a in home.actions} & self.b_referrals)
		self.assertEqual([p.name for p in home.sections["placements"]], [self.placement_a.name])

	def test_school_user_without_a_school_sees_nothing(self):
		home = self.home_of(SCHOOL_NONE)
		self.assertEqual([number for _label, number, _link in home.figures], [0, 0, 0])
		self.assertEqual(home.actions, [])
		self.assertEqual(home.sections["by_state"], [])

	def test_lists_and_search_never_reach_another_school(self):
		frappe.set_user(SCHOOL_B)
		page = portal_home.list_page(
			"/school/referrals", portal_home.fetch_referrals, "Referral", ("pupil_name",), {}, {}
		)
		self.assertEqual({r.name for r in page.rows}, self.b_referrals)
		self.assertEqual(page.total, len(self.b_referrals))
		found = portal_home.list_page(
			"/school/placements",
			portal_home.fetch_placements,
			"Placement",
			("pupil_name",),
			{"q": self.a_pupil_name},
			{},
		)
		self.assertEqual((found.total, found.rows), (0, []))
		by_status = portal_home.list_page(
			"/school/referrals",
			portal_home.fetch_referrals,
			"Referral",
			("pupil_name",),
			{"status": "Draft", "key_stage": "not a key stage"},
			portal_home.REFERRAL_FILTERS,
		)
		self.assertEqual([r.name for r in by_status.rows], [self.b_draft])
		self.assertEqual(by_status.filters, {"status": "Draft"})

	# -- providers ---------------------------------------------------------------------------------

	def test_provider_home_counts_only_its_own_placements(self):
		for user, own, other in (
			(PROVIDER_X, self.placement_a, self.placement_b),
			(PROVIDER_Y, self.placement_b, self.placement_a),
		):
			home = self.home_of(user, "provider")
			figures = {label: number for label, number, _link in home.figures}
			self.assertEqual(figures["Running placements"], 1)
			self.assertEqual(figures["Reports overdue"], 1)
			self.assertEqual([p.name for p in home.sections["running"]], [own.name])
			self.assertEqual([r["name"] for r in home.actions], [own.name])
			self.assertNotIn(other.name, {r["name"] for r in home.actions})

	# -- pages --------------------------------------------------------------------------------

	def render(self, user, path, **query):
		frappe.set_user(user)
		set_request(method="GET", path=path, query_string="&".join(f"{k}={v}" for k, v in query.items()))
		frappe.local.form_dict = frappe._dict(query)
		return get_response(path)

	def test_pages_render_for_their_role_with_only_their_records(self):
		a_pupil = frappe.db.get_value("Referral", self.a_drafts[0], "pupil_name")
		for path in (
			"/school",
			"/school/referrals",
			"/school/pupils",
			"/school/ehc-evidence",
			"/school/placements",
		):
			response = self.render(SCHOOL_B, path)
			self.assertEqual(response.status_code, 200, path)
			html = response.get_data(as_text=True)
			self.assertNotIn(a_pupil, html, path)
			self.assertNotIn(self.placement_a.name, html, path)
		html = self.render(SCHOOL_A, "/school/referrals", q=a_pupil.split()[0]).get_data(as_text=True)
		self.assertIn(a_pupil, html)
		for path in ("/provider", "/provider/placements", "/provider/reports"):
			response = self.render(PROVIDER_Y, path)
			self.assertEqual(response.status_code, 200, path)
			self.assertNotIn(self.placement_a.name, response.get_data(as_text=True), path)
		self.assertIn(self.placement_b.name, self.render(PROVIDER_Y, "/provider").get_data(as_text=True))

	def test_each_portal_is_refused_to_the_other_role(self):
		self.assertEqual(self.render(PROVIDER_X, "/school").status_code, 403)
		self.assertEqual(self.render(SCHOOL_A, "/provider/placements").status_code, 403)

	def test_a_guest_is_sent_to_sign_in_and_back(self):
		response = self.render("Guest", "/school/referrals")
		# Temporary (302): a browser must not remember it once the user has signed in.
		self.assertEqual(response.status_code, 302)
		self.assertIn("/login?redirect-to=/school/referrals", response.headers["Location"])

	def test_sign_in_lands_on_the_role_home(self):
		from frappe.website.utils import get_home_page

		for user, home in ((SCHOOL_A, "school"), (PROVIDER_X, "provider")):
			frappe.set_user(user)
			frappe.cache.hdel("home_page", user)
			self.assertEqual(get_home_page(), home)

	def test_ehc_evidence_page_of_a_new_referral_opens_with_the_pupils_name(self):
		# Frappe fetched the pupil's name before the assessment knew its pupil: the web form page,
		# titled by that name, failed with a server error.
		assessment = frappe.db.get_value("Referral", self.a_drafts[1], "ehc_assessment")
		pupil_name = frappe.db.get_value("Referral", self.a_drafts[1], "pupil_name")
		self.assertEqual(frappe.db.get_value("EHC Assessment", assessment, "pupil_name"), pupil_name)
		response = self.render(SCHOOL_A, f"/ehc-evidence/{assessment}/edit")
		self.assertEqual(response.status_code, 200)
		self.assertIn(pupil_name, response.get_data(as_text=True))
