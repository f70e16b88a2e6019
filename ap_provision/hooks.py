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

after_install = "ap_provision.setup.install.after_install"
after_migrate = "ap_provision.setup.install.after_migrate"
before_uninstall = "ap_provision.setup.install.before_uninstall"

# Scheduled jobs
# --------------

scheduler_events = {
	"daily": [
		"ap_provision.ap_provision.doctype.panel.panel.close_agendas",
	],
}
