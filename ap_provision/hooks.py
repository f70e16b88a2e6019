app_name = "ap_provision"
app_title = "AP Provision"
app_publisher = "ap_provision developers"
app_description = "Alternative provision (step four) for English local authorities"
app_email = "ap-provision@example.org"
app_license = "mit"

export_python_type_annotations = True

# Installation
# ------------
# Roles ship as fixtures (ap_provision/fixtures/role.json); workflows ship as JSON in
# ap_provision/workflows/ and are synced after install and after every migrate.

fixtures = [
	{
		"dt": "Role",
		"filters": [
			[
				"name",
				"in",
				[
					"AP Administrator",
					"PRT Officer",
					"Panel Chair",
					"Panel Member",
					"SEND Caseworker",
					"BOSS Practitioner",
					"School Referrer",
					"AP Provider User",
				],
			]
		],
	}
]

# Print formats call these Jinja helpers (ap_provision/printing.py); they load other records
# only for users who may read them.
jinja = {
	"methods": [
		"ap_provision.printing.ehc_checklist",
		"ap_provision.printing.ap_readable_doc",
		"ap_provision.printing.ap_settings",
		"ap_provision.printing.ap_triage",
		"ap_provision.printing.ap_safeguarding",
	]
}

after_install = [
	"ap_provision.setup.install.after_install",
	"ap_provision.setup.harden.harden_site",
	"ap_provision.setup.indexes.ensure_indexes",
]
after_migrate = [
	"ap_provision.setup.install.after_migrate",
	"ap_provision.setup.harden.harden_site",
	"ap_provision.setup.indexes.ensure_indexes",
]
before_uninstall = "ap_provision.setup.install.before_uninstall"

# Personal data of users named in the app's records, for Frappe's Personal Data Download
# and Deletion Requests. Pupils are not users: see docs/security.md and
# ap_provision.personal_data.export_pupil_data.
user_data_fields = [
	{"doctype": "Referral", "strict": False},
	{"doctype": "Referral", "filter_by": "decided_by"},
	{"doctype": "Pupil", "filter_by": "send_caseworker"},
	{"doctype": "Panel", "filter_by": "chair"},
	{"doctype": "Panel Attendance", "filter_by": "member"},
	{"doctype": "Placement Update", "strict": False},
	{"doctype": "Review Attendee", "filter_by": "user"},
]

# Before each request, in this order:
# - documents of the app carried by a request are checked for shape before Frappe builds them
#   (a dict in a Link, a string for a child table): a clear 417 instead of a server error;
# - with a read replica (read_from_replica): read from the primary for this request (or job)
#   when the replica is down or behind (ap_provision/replica.py, docs/deployment.md).
before_request = [
	"ap_provision.access.requests.check_request_documents",
	"ap_provision.replica.route_reads",
]
before_job = ["ap_provision.replica.route_reads"]

# Scheduled jobs
# --------------

scheduler_events = {
	"daily": [
		"ap_provision.ap_provision.doctype.panel.panel.close_agendas",
		"ap_provision.notifications.remind_panel_deadlines",
		"ap_provision.ap_provision.doctype.placement.placement_jobs.flag_overdue_updates",
		"ap_provision.ap_provision.doctype.placement.placement_jobs.remind_reviews_due",
		"ap_provision.ap_provision.doctype.placement.placement_jobs.plan_reintegration_for_ending_placements",
		"ap_provision.ap_provision.doctype.placement.placement_jobs.flag_annual_reviews_in_placements",
		# Acts once a year, on the first run on or after 1 September.
		"ap_provision.ap_provision.doctype.pupil.pupil.roll_year_groups",
		# Full-time education (ap_provision/hours.py): part-time arrangements past their end or review.
		"ap_provision.hours.flag_part_time_arrangements",
	],
	"cron": {
		# The daily register (ap_provision/register.py): sessions unmarked at the cut-off.
		"*/10 7-18 * * 1-5": ["ap_provision.register.check_register"],
	},
}

# The workflow action endpoint tells a chair when a referral was already decided.
override_whitelisted_methods = {
	"frappe.model.workflow.apply_workflow": "ap_provision.workflow.apply_workflow",
	# Web form data without the fields the user may not read: access/web.py.
	"frappe.website.doctype.web_form.web_form.get_form_data": "ap_provision.access.web.get_form_data",
	# Counts within the user's permissions (Frappe's counts the whole table): access/web.py.
	"frappe.client.get_count": "ap_provision.access.web.get_count",
	# The app's portal lists read their columns only, with the Web Form from the cache: access/web.py.
	"frappe.www.list.get_list_data": "ap_provision.access.web.get_list_data",
	# Prints of stored documents only, never of a document sent as JSON: access/prints.py.
	"frappe.www.printview.get_html_and_style": "ap_provision.access.prints.get_html_and_style",
	"frappe.www.printview.get_rendered_raw_commands": "ap_provision.access.prints.get_rendered_raw_commands",
	"frappe.utils.print_format.download_pdf": "ap_provision.access.prints.download_pdf",
	# Frappe's desk endpoints that skip the permission of the record: access/desk.py.
	"frappe.desk.search.search_link": "ap_provision.access.desk.search_link",
	"frappe.desk.search.search_widget": "ap_provision.access.desk.search_widget",
	"frappe.desk.search.get_link_title": "ap_provision.access.desk.get_link_title",
	"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count": "ap_provision.access.desk.get_workflow_state_count",
	"frappe.core.api.file.unzip_file": "ap_provision.access.desk.unzip_file",
	"frappe.desk.like.toggle_like": "ap_provision.access.desk.toggle_like",
	"frappe.website.doctype.discussion_topic.discussion_topic.submit_discussion": "ap_provision.access.desk.submit_discussion",
}

# Portal isolation: schools and providers see only their own records, in every channel
# (ap_provision/access/).
# ----------------------------------------------------------------------------------------

# Child tables whose rows are scoped to the parent records the user may read when listed
# (permission_query_conditions); loaded on their own, their controllers check the parent
# record (ap_provision/access/children.py).
SCOPED_CHILD_DOCTYPES = (
	"Placement Attendance Day",
	"Placement Stakeholder",
	"Placement Session",
	"Review Attendee",
	"Review Action",
	"EHC Professional Advice",
	"AP Provider Check",
	"AP Provider Closure",
	"Panel Attendance",
	"Panel Agenda Item",
)

# The doctypes whose records belong to a school or a provider (access/scope.py SCOPE_FIELDS).
SCOPED_DOCTYPES = (
	"Pupil",
	"Referral",
	"EHC Assessment",
	"Placement",
	"Placement Update",
	"Review",
	"Placement Safeguarding",
	"Part-time Arrangement",
	"AP Session Mark",
)

permission_query_conditions = {
	**{doctype: "ap_provision.access.scope.query_conditions" for doctype in SCOPED_DOCTYPES},
	# Child tables: rows only of parents the portal user may read (access/children.py).
	**{child: "ap_provision.access.children.child_query" for child in SCOPED_CHILD_DOCTYPES},
}

has_permission = {doctype: "ap_provision.access.scope.has_permission" for doctype in SCOPED_DOCTYPES}
# Frappe lets any user read any notification by name: only its addressee reads it (access/desk.py).
has_permission["Notification Log"] = "ap_provision.access.desk.notification_log_permission"

has_website_permission = {
	doctype: "ap_provision.access.scope.has_website_permission" for doctype in SCOPED_DOCTYPES
}

doc_events = {
	doctype: {
		# A web form inserts with ignore_permissions: its user still needs create permission.
		"before_insert": "ap_provision.access.web.validate_web_form_create",
		"before_validate": [
			# The fields that place the record in a school or provider are the server's.
			"ap_provision.access.scope.keep_placing_fields",
			# Before the controllers' rules, so a form left half empty says what is missing.
			"ap_provision.access.web.validate_web_form_mandatory",
		],
		"validate": [
			"ap_provision.access.scope.validate_portal_scope",
			"ap_provision.access.attachments.validate_attachments",
		],
		"on_update": "ap_provision.access.attachments.link_attachments",
	}
	for doctype in SCOPED_DOCTYPES
}
# Records about a record (comment, attachment, tag, discussion) only about a record the user may
# read (attach: write); Frappe's endpoints insert them unchecked (access/desk.py).
for _doctype in ("Comment", "File", "Tag Link", "Discussion Topic"):
	doc_events.setdefault(_doctype, {})["before_insert"] = "ap_provision.access.desk.check_reference"

# The app's doctypes (child tables aside); tests/test_security_matrix.py keeps this list equal to
# the doctype folders.
APP_DOCTYPES = (
	"AP Provider",
	"AP Session Mark",
	"AP Settings",
	"EHC Assessment",
	"LA Closure",
	"Panel",
	"Part-time Arrangement",
	"Placement",
	"Placement Alert",
	"Placement Safeguarding",
	"Placement Update",
	"Pupil",
	"Pupil Social Care",
	"Referral",
	"Referral Triage",
	"Review",
	"School",
)

# On every document of the app (and no other app's): values of the wrong type or out of range
# are refused with a clear message before any controller reads them (access/values.py); links
# to app records the user may not read are refused after the controller's own checks, whose
# typed errors (say PupilNotPermittedError) come first (access/links.py).
for doctype in APP_DOCTYPES:
	events = doc_events.setdefault(doctype, {})
	for event, handler in (
		("before_insert", "ap_provision.access.values.check_value_types"),
		("before_validate", "ap_provision.access.values.check_value_types"),
		("validate", "ap_provision.access.links.check_links"),
	):
		current = events.get(event) or []
		events[event] = [*([current] if isinstance(current, str) else current), handler]

# A placement's hours against full time, from its weekly pattern (ap_provision/hours.py), after the
# controller's own checks.
doc_events["Placement"]["validate"] = [
	*doc_events["Placement"]["validate"],
	"ap_provision.hours.validate_placement_hours",
]

# A new provider report without attendance rows takes them from the daily register
# (ap_provision/register.py), before the checks that would find them missing.
doc_events["Placement Update"]["before_validate"] = [
	"ap_provision.register.fill_report_from_marks",
	*doc_events["Placement Update"]["before_validate"],
]

# Pupils who need more eyes (ap_provision/social_care.py): the virtual school head and the social
# worker are told of the panel's decision and invited to the admission meeting and the reviews.
for doctype, event, handler in (
	("Referral", "on_update", "ap_provision.social_care.tell_of_decision"),
	("Placement", "on_update", "ap_provision.social_care.invite_to_admission_meeting"),
	("Review", "after_insert", "ap_provision.social_care.invite_to_review"),
):
	current = doc_events.setdefault(doctype, {}).get(event) or []
	doc_events[doctype][event] = [*([current] if isinstance(current, str) else current), handler]

# A change of state fires its notifications (Method "notify_state_change") from a job queued
# after the commit, not in the user's request (ap_provision/notifications.py).
for doctype in ("Referral", "Panel"):
	doc_events.setdefault(doctype, {})["on_change"] = "ap_provision.notifications.queue_state_change_alerts"

# Portal users of a school or provider: buttons on their forms (ap_provision/onboarding.py).
doctype_js = {
	"School": "public/js/portal_users.js",
	"AP Provider": "public/js/portal_users.js",
	"Referral": ["public/js/referral_placement.js", "public/js/referral_social_care.js"],
}

# The school and provider portals: where sign-in lands, the portal menu, the top bar and footer
# (ap_provision/portal_nav.py), each role's home and lists (ap_provision/portal_home.py,
# ap_provision/www/school, ap_provision/www/provider), the accessibility statement
# (ap_provision/www/accessibility.html) and the portal's stylesheet and script.
role_home_page = {"School Referrer": "school", "AP Provider User": "provider"}
standard_portal_menu_items = [
	{
		"title": "Referrals",
		"route": "/school/referrals",
		"reference_doctype": "Referral",
		"role": "School Referrer",
	},
	{"title": "Pupils", "route": "/school/pupils", "reference_doctype": "Pupil", "role": "School Referrer"},
	{
		"title": "EHC evidence",
		"route": "/school/ehc-evidence",
		"reference_doctype": "EHC Assessment",
		"role": "School Referrer",
	},
	{
		"title": "Placements",
		"route": "/school/placements",
		"reference_doctype": "Placement",
		"role": "School Referrer",
	},
	{
		"title": "Placements",
		"route": "/provider/placements",
		"reference_doctype": "Placement",
		"role": "AP Provider User",
	},
	{
		"title": "Register",
		"route": "/provider/register",
		"reference_doctype": "AP Session Mark",
		"role": "AP Provider User",
	},
	{
		"title": "AP register",
		"route": "/school/register",
		"reference_doctype": "AP Session Mark",
		"role": "School Referrer",
	},
	{
		"title": "Reports",
		"route": "/provider/reports",
		"reference_doctype": "Placement Update",
		"role": "AP Provider User",
	},
]
update_website_context = "ap_provision.portal_nav.update_website_context"
web_include_css = ["/assets/ap_provision/css/portal.css"]
web_include_js = ["/assets/ap_provision/js/portal.js"]
# The web forms' own list pages give way to the portal's lists (search, filters, status, links a
# keyboard reaches).
website_redirects = [
	{"source": "/school-referrals/list", "target": "/school/referrals", "redirect_http_status": 302},
	{"source": "/school-pupils/list", "target": "/school/pupils", "redirect_http_status": 302},
	{"source": "/ehc-evidence/list", "target": "/school/ehc-evidence", "redirect_http_status": 302},
	{"source": "/school-placements/list", "target": "/school/placements", "redirect_http_status": 302},
	{"source": "/provider-placements/list", "target": "/provider/placements", "redirect_http_status": 302},
	{"source": "/placement-updates/list", "target": "/provider/reports", "redirect_http_status": 302},
]
