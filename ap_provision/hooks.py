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

# Print formats call these Jinja helpers (ap_provision/printing.py).
jinja = {"methods": ["ap_provision.printing.ehc_checklist"]}

after_install = [
	"ap_provision.setup.install.after_install",
	"ap_provision.security.setup.harden_site",
	"ap_provision.perf.indexes.ensure_indexes",
]
after_migrate = [
	"ap_provision.setup.install.after_migrate",
	"ap_provision.security.setup.harden_site",
	"ap_provision.perf.indexes.ensure_indexes",
]
before_uninstall = "ap_provision.setup.install.before_uninstall"

# Personal data of users named in the app's records, for Frappe's Personal Data Download
# and Deletion Requests. Pupils are not users: see docs/security.md and
# ap_provision.security.personal_data.export_pupil_data.
user_data_fields = [
	{"doctype": "Referral", "strict": False},
	{"doctype": "Referral", "filter_by": "decided_by"},
	{"doctype": "Pupil", "filter_by": "send_caseworker"},
	{"doctype": "Panel", "filter_by": "chair"},
	{"doctype": "Panel Attendance", "filter_by": "member"},
	{"doctype": "Placement Update", "strict": False},
	{"doctype": "Review Attendee", "filter_by": "user"},
]

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
	],
}

# The workflow action endpoint tells a chair when a referral was already decided.
override_whitelisted_methods = {
	"frappe.model.workflow.apply_workflow": "ap_provision.workflow.apply_workflow",
	# Web form data without the fields the user may not read (PRT notes): permissions.py.
	"frappe.website.doctype.web_form.web_form.get_form_data": "ap_provision.permissions.get_form_data",
	# Counts within the user's permissions (Frappe's counts the whole table): permissions.py.
	"frappe.client.get_count": "ap_provision.permissions.get_count",
	# The app's portal lists read their columns only, with the Web Form from the cache: portal.py.
	"frappe.www.list.get_list_data": "ap_provision.portal.get_list_data",
}

# Portal isolation: schools and providers see only their own records, in every channel
# (ap_provision/permissions.py).
# ----------------------------------------------------------------------------------------

# Child tables whose rows are scoped to the parent records the user may read, whether listed
# (permission_query_conditions) or loaded on their own (override_doctype_class).
SCOPED_CHILD_DOCTYPES = (
	"Placement Attendance Day",
	"Placement Stakeholder",
	"Review Attendee",
	"Review Action",
	"EHC Professional Advice",
	"AP Provider Check",
	"Panel Attendance",
	"Panel Agenda Item",
)

permission_query_conditions = {
	"Pupil": "ap_provision.permissions.pupil_query",
	"Referral": "ap_provision.permissions.referral_query",
	"EHC Assessment": "ap_provision.permissions.ehc_assessment_query",
	"Placement": "ap_provision.permissions.placement_query",
	"Placement Update": "ap_provision.permissions.placement_update_query",
	"Review": "ap_provision.permissions.review_query",
	# Child tables: rows only of parents the portal user may read (permissions.CHILD_PARENTS).
	**{child: "ap_provision.permissions.child_query" for child in SCOPED_CHILD_DOCTYPES},
}

# A child-table row loaded on its own is checked against its parent record (Frappe checks only
# the parent doctype): ap_provision/child_permissions.py.
override_doctype_class = {
	doctype: f"ap_provision.child_permissions.Scoped{doctype.replace(' ', '')}"
	for doctype in SCOPED_CHILD_DOCTYPES
}

has_permission = {
	doctype: "ap_provision.permissions.has_permission"
	for doctype in ("Pupil", "Referral", "EHC Assessment", "Placement", "Placement Update", "Review")
}

has_website_permission = {
	doctype: "ap_provision.permissions.has_website_permission"
	for doctype in ("Pupil", "Referral", "EHC Assessment", "Placement", "Placement Update", "Review")
}

doc_events = {
	doctype: {
		# A web form inserts with ignore_permissions: its user still needs create permission.
		"before_insert": "ap_provision.permissions.validate_web_form_create",
		"before_validate": [
			"ap_provision.permissions.set_portal_school",
			# Before the controllers' rules, so a form left half empty says what is missing.
			"ap_provision.permissions.validate_web_form_mandatory",
		],
		"validate": [
			"ap_provision.permissions.validate_portal_scope",
			"ap_provision.permissions.validate_attachments",
		],
		"on_update": "ap_provision.permissions.link_attachments",
	}
	for doctype in ("Pupil", "Referral", "EHC Assessment", "Placement", "Placement Update", "Review")
}

# Values of the wrong type or out of range are refused with a clear message before any
# controller reads them (ap_provision/security/guards.py).
doc_events["*"] = {
	"before_insert": "ap_provision.security.guards.check_value_types",
	"before_validate": "ap_provision.security.guards.check_value_types",
	# After the controller's own checks, whose typed errors (say PupilNotPermittedError) come first.
	"validate": "ap_provision.security.guards.check_links",
}
# "Value Change" notifications that fire are sent from a job after the commit, not in the
# request; the others are not loaded from the database on every save.
for doctype in ("Referral", "Panel"):
	doc_events.setdefault(doctype, {})["on_change"] = "ap_provision.notifications.defer_value_change_alerts"

# Portal users of a school or provider: buttons on their forms (ap_provision/onboarding.py).
doctype_js = {
	"School": "public/js/portal_users.js",
	"AP Provider": "public/js/portal_users.js",
	"Referral": "public/js/referral_placement.js",
}
