"""Install, migrate and uninstall hooks.

Roles ship as fixtures (``ap_provision/fixtures/role.json``) and Frappe syncs them on every
migrate. Workflows ship as Workflow documents in ``ap_provision/workflows/*.json``; Frappe
has no standard sync for them, so :func:`sync_workflows` creates or updates them (with the
Workflow State and Workflow Action Master records they link to) after install and after
every migrate. Re-running is a no-op when nothing changed.
"""

import json
from pathlib import Path

import frappe
from frappe.utils.fixtures import sync_fixtures

WORKFLOWS_PATH = Path(__file__).resolve().parent.parent / "workflows"

# Workflow State styles for the indicator colours Frappe shows in list views.
STATE_STYLES = {
	"Draft": "",
	"Submitted": "Primary",
	"More Information Requested": "Warning",
	"Accepted for Panel": "Info",
	"Approved": "Success",
	"Declined": "Danger",
	"Deferred": "Warning",
	"Withdrawn": "Inverse",
}


# An app for English local authorities: what a fresh site gets unless it has chosen otherwise.
# Frappe's own default time zone is Asia/Kolkata, so without this R1's "end of the deadline
# day" would be midnight in India and letters would print dates as yyyy-mm-dd.
ENGLISH_SYSTEM_SETTINGS = {
	"country": "United Kingdom",
	"time_zone": "Europe/London",
	"date_format": "dd-mm-yyyy",
	"number_format": "#,###.##",
}
ENGLISH_DEFAULTS = {"currency": "GBP", "country": "United Kingdom"}


def after_install():
	# install_app runs after_install before it syncs fixtures; workflows need the roles.
	sync_fixtures("ap_provision")
	sync_workflows()
	seed_bank_holidays()
	set_english_defaults()


def set_english_defaults() -> dict:
	"""Europe/London, dd-mm-yyyy dates, GBP and the United Kingdom for a site that has not chosen
	its own (a value already set, by the setup wizard or an administrator, is kept). Returns
	what was set."""
	settings = frappe.get_single("System Settings")
	changed = {field: value for field, value in ENGLISH_SYSTEM_SETTINGS.items() if not settings.get(field)}
	if changed:
		settings.update(changed)
		settings.flags.ignore_mandatory = True
		settings.save(ignore_permissions=True)
		if hasattr(frappe.local, "system_settings"):  # read again, with the new time zone
			del frappe.local.system_settings
	for key, value in ENGLISH_DEFAULTS.items():
		if not frappe.db.get_default(key):
			frappe.db.set_default(key, value)
			changed[f"default:{key}"] = value
	if frappe.db.exists("Currency", "GBP"):
		frappe.db.set_value("Currency", "GBP", "enabled", 1)
	return changed


def after_migrate():
	sync_workflows()
	seed_bank_holidays()
	# A site that had the app before these defaults existed gets them too (blanks only).
	set_english_defaults()


def seed_bank_holidays():
	"""England's bank holidays for this year and the next two, in the LA closure calendar."""
	from ap_provision.ap_provision.doctype.la_closure.la_closure import insert_bank_holidays

	year = frappe.utils.getdate().year
	insert_bank_holidays([year, year + 1, year + 2])


def before_uninstall():
	for workflow in load_workflows():
		frappe.delete_doc("Workflow", workflow["name"], ignore_missing=True, force=True)


def load_workflows() -> list[dict]:
	workflows = []
	for path in sorted(WORKFLOWS_PATH.glob("*.json")):
		data = json.loads(path.read_text())
		data.setdefault("name", data["workflow_name"])
		workflows.append(data)
	return workflows


def sync_workflows():
	for data in load_workflows():
		ensure_workflow_masters(data)
		sync_workflow(data)


def ensure_workflow_masters(data: dict):
	for row in data.get("states", []):
		state = row["state"]
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{
					"doctype": "Workflow State",
					"workflow_state_name": state,
					"style": STATE_STYLES.get(state, ""),
				}
			).insert(ignore_permissions=True)
	for row in data.get("transitions", []):
		action = row["action"]
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)


def sync_workflow(data: dict):
	"""Create the workflow, or bring an existing one back to what the app ships."""
	values = {k: v for k, v in data.items() if k not in ("doctype", "name", "modified", "creation")}
	if frappe.db.exists("Workflow", data["name"]):
		workflow = frappe.get_doc("Workflow", data["name"])
		if _workflow_matches(workflow, values):
			return
		workflow.set("states", [])
		workflow.set("transitions", [])
		workflow.update(values)
		workflow.save(ignore_permissions=True)
	else:
		frappe.get_doc({"doctype": "Workflow", **values}).insert(ignore_permissions=True)


def _workflow_matches(workflow, values: dict) -> bool:
	def rows(docs, keys):
		return [tuple(str(d.get(k) or "") for k in keys) for d in docs]

	state_keys = ("state", "doc_status", "allow_edit", "update_field", "update_value")
	transition_keys = ("state", "action", "next_state", "allowed", "allow_self_approval", "condition")
	for key in ("document_type", "workflow_state_field", "is_active", "send_email_alert"):
		if key in values and str(workflow.get(key)) != str(values[key]):
			return False
	return rows(workflow.states, state_keys) == rows(
		[frappe._dict(r) for r in values.get("states", [])], state_keys
	) and rows(workflow.transitions, transition_keys) == rows(
		[frappe._dict(r) for r in values.get("transitions", [])], transition_keys
	)
