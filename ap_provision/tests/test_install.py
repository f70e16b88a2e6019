import json
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

from ap_provision.setup import install

APP_ROLES = {
	"AP Administrator": 1,
	"PRT Officer": 1,
	"Panel Chair": 1,
	"Panel Member": 1,
	"SEND Caseworker": 1,
	"BOSS Practitioner": 1,
	"School Referrer": 0,
	"AP Provider User": 0,
}


class TestInstall(FrappeTestCase):
	def test_roles_exist_with_desk_access(self):
		for role, desk_access in APP_ROLES.items():
			self.assertTrue(frappe.db.exists("Role", role), role)
			self.assertEqual(frappe.db.get_value("Role", role, "desk_access"), desk_access, role)

	def test_roles_fixture_matches_spec(self):
		fixture = Path(frappe.get_app_path("ap_provision", "fixtures", "role.json"))
		self.assertEqual({d["name"] for d in json.loads(fixture.read_text())}, set(APP_ROLES))

	def test_shipped_workflows_are_installed_and_sync_is_idempotent(self):
		shipped = install.load_workflows()
		for data in shipped:
			self.assertTrue(frappe.db.exists("Workflow", data["name"]), data["name"])
		before = {w["name"]: frappe.db.get_value("Workflow", w["name"], "modified") for w in shipped}
		install.sync_workflows()
		after = {w["name"]: frappe.db.get_value("Workflow", w["name"], "modified") for w in shipped}
		self.assertEqual(before, after)

	def test_workflow_sync_repairs_a_changed_workflow(self):
		shipped = install.load_workflows()
		if not shipped:
			self.skipTest("no workflows shipped yet")
		data = shipped[0]
		workflow = frappe.get_doc("Workflow", data["name"])
		workflow.transitions = workflow.transitions[:-1]
		workflow.save(ignore_permissions=True)
		install.sync_workflows()
		workflow.reload()
		self.assertEqual(len(workflow.transitions), len(data["transitions"]))
