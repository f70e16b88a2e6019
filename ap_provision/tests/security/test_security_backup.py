"""Backup and restore (docs/security.md), bench tier: ``bench backup --with-files`` of the test site,
restored into a new site, keeps every record and attachment: the row counts of every app
table and the sha256 of every stored file are compared (ap_provision/tests/security/backup.py).

The records and files of this test are committed (the backup is taken by another process)
and removed at the end."""

import os

import frappe
from frappe.tests.utils import FrappeTestCase

from ap_provision.tests import factories
from ap_provision.tests.security import backup, figures, world

DB_ROOT_PASSWORD = "frappe-root"  # the bench's MariaDB root (scripts/lib.sh)


def restored_site_name(site: str) -> str:
	return f"{site.split('.')[0]}-restore.localhost"


class TestSecurity5Backup(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.files = []

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		for name in cls.files:
			if frappe.db.exists("File", name):
				frappe.delete_doc("File", name, ignore_permissions=True, force=True)
		world.cleanup()
		super().tearDownClass()

	def attach(self, doctype, name, file_name, is_private):
		content = os.urandom(48 * 1024)
		doc = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": file_name,
				"attached_to_doctype": doctype,
				"attached_to_name": name,
				"is_private": is_private,
				"content": content,
			}
		).insert(ignore_permissions=True)
		self.files.append(doc.name)
		return doc

	def test_backup_with_files_restores_every_record_and_attachment(self):
		factories.make_school(world.SCHOOLS["A"], "SEC8 School A")
		referral = world.make_referral("A", ehc=True)
		pupil = frappe.db.get_value("Referral", referral, "pupil")
		evidence = self.attach("Referral", referral, "sec8-boss-report.pdf", 1)
		self.attach("Referral", referral, "sec8-specialist-advice.pdf", 1)
		self.attach("Pupil", pupil, "sec8-photo.png", 0)
		frappe.db.commit()

		site = frappe.local.site
		result = backup.backup_and_restore(site, restored_site_name(site), DB_ROOT_PASSWORD)

		problems = backup.differences(result.source, result.restored)
		records = sum(result.source["counts"].values())
		figures.add("backup/restore records compared", records)
		figures.add("backup/restore files compared", len(result.source["files"]))
		figures.add("backup/restore mismatches", len(problems))
		self.assertEqual(problems, [], "\n".join(problems))
		self.assertIn(evidence.file_url, result.restored["files"])
		self.assertGreater(result.source["counts"]["Referral"], 0)
		self.assertFalse(os.path.isdir(frappe.utils.get_site_path("..", restored_site_name(site))))
