"""Backup and restore, checked (docs/security.md): ``bench backup --with-files`` of a site, restored into
a new site, keeps every record and attachment.

:func:`snapshot` describes a site's data: the row count of every table of the app (and of the
Frappe tables that hold users, permissions, history and files) and the sha256 of every stored
file. :func:`backup_and_restore` backs a site up with its files, restores it into a new
site (``new-site --source-sql``, files extracted as ``bench restore --with-*-files`` does),
takes the restored site's snapshot (``bench execute``) and drops that site again. The bench
test in test_security_backup.py compares the two snapshots.

Run by hand (as the bench user, from the bench's ``sites`` folder)::

    ../env/bin/python -m frappe.utils.bench_helper frappe --site SITE \\
        execute ap_provision.tests.security.backup.print_snapshot
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

import frappe

FRAPPE_TABLES = ("User", "Has Role", "User Permission", "Version", "File", "Comment", "ToDo")
STEP_TIMEOUT = 900  # seconds for one bench command (a restore imports the whole database)


def app_doctypes() -> list[str]:
	return frappe.get_all(
		"DocType",
		filters={"module": ("in", frappe.get_module_list("ap_provision")), "issingle": 0, "is_virtual": 0},
		pluck="name",
		order_by="name",
	)


def file_sha256(file_url: str, is_private: bool) -> str | None:
	name = file_url.split("/files/", 1)[-1]
	path = frappe.get_site_path("private" if is_private else "public", "files", name)
	if not os.path.isfile(path):
		return None
	digest = hashlib.sha256()
	with open(path, "rb") as f:
		for chunk in iter(lambda: f.read(1 << 16), b""):
			digest.update(chunk)
	return digest.hexdigest()


def snapshot() -> dict:
	"""Row counts of the app's tables (and Frappe's user, history and file tables) and the
	sha256 of every file stored on the site, keyed by file URL."""
	tables = [*app_doctypes(), *FRAPPE_TABLES]
	counts = {dt: frappe.db.count(dt) for dt in tables}
	files = {}
	for f in frappe.get_all(
		"File", filters={"is_folder": 0}, fields=["file_url", "is_private"], order_by="file_url"
	):
		if f.file_url and f.file_url.startswith(("/files/", "/private/files/")):
			files[f.file_url] = file_sha256(f.file_url, bool(f.is_private))
	return {"site": frappe.local.site, "counts": counts, "files": files}


def print_snapshot():
	"""The snapshot on one line, for ``bench execute`` (read back by backup_and_restore)."""
	print("SNAPSHOT " + json.dumps(snapshot(), sort_keys=True))


@dataclass
class Result:
	source: dict
	restored: dict
	seconds: float
	log: str


def bench(*args: str, site: str | None = None, timeout: int = STEP_TIMEOUT) -> str:
	"""A bench command, run as Frappe's own CLI from the bench's sites folder."""
	command = [sys.executable, "-m", "frappe.utils.bench_helper", "frappe"]
	if site:
		command += ["--site", site]
	command += list(args)
	done = subprocess.run(
		command,
		cwd=os.path.join(frappe.utils.get_bench_path(), "sites"),
		capture_output=True,
		text=True,
		timeout=timeout,
	)
	if done.returncode != 0:
		raise RuntimeError(f"{' '.join(args[:2])} failed ({done.returncode}): {done.stderr[-2000:]}")
	return done.stdout


def backup_and_restore(site: str, restored_site: str, db_root_password: str) -> Result:
	"""Back ``site`` up with its files, restore it as ``restored_site``, snapshot both, drop
	the restored site. The caller commits what must be in the backup."""
	started = time.monotonic()
	log = []
	with tempfile.TemporaryDirectory(prefix="ap-backup-") as folder:
		os.chmod(folder, 0o700)
		log.append(bench("backup", "--with-files", "--backup-path", folder, site=site))
		source = snapshot()
		sql = one(folder, "*-database.sql.gz")
		public, private = one(folder, "*-files.tar"), one(folder, "*-private-files.tar")
		drop(restored_site, db_root_password, folder)  # a site left by an interrupted run
		try:
			log.append(
				bench(
					"new-site",
					restored_site,
					"--source-sql",
					sql,
					"--db-root-password",
					db_root_password,
					"--admin-password",
					frappe.generate_hash(length=16),
					"--force",
				)
			)
			site_path = os.path.join(frappe.utils.get_bench_path(), "sites", restored_site)
			for tar in (public, private):  # as `bench restore --with-*-files` extracts them
				subprocess.run(
					["tar", "xf", tar, "--strip", "2"], cwd=site_path, check=True, timeout=STEP_TIMEOUT
				)
			out = bench("execute", "ap_provision.tests.security.backup.print_snapshot", site=restored_site)
			restored = json.loads(out.split("SNAPSHOT ", 1)[1].splitlines()[0])
		finally:
			drop(restored_site, db_root_password, folder)
	return Result(source, restored, time.monotonic() - started, "\n".join(log))


def one(folder: str, pattern: str) -> str:
	found = [
		p
		for p in glob.glob(os.path.join(folder, pattern))
		if pattern != "*-files.tar" or "-private-" not in p
	]
	if len(found) != 1:
		raise RuntimeError(f"expected one {pattern} in the backup, found {found}")
	return found[0]


def drop(site: str, db_root_password: str, archive: str):
	if not os.path.isdir(os.path.join(frappe.utils.get_bench_path(), "sites", site)):
		return
	bench(
		"drop-site",
		site,
		"--db-root-password",
		db_root_password,
		"--no-backup",
		"--force",
		"--archived-sites-path",
		archive,
	)


def differences(source: dict, restored: dict) -> list[str]:
	problems = []
	for table, count in source["counts"].items():
		if restored["counts"].get(table) != count:
			problems.append(f"{table}: {count} rows backed up, {restored['counts'].get(table)} restored")
	for url, digest in source["files"].items():
		if digest is None:
			problems.append(f"{url}: missing on the backed-up site")
		elif restored["files"].get(url) != digest:
			problems.append(f"{url}: sha256 differs after restore ({restored['files'].get(url)})")
	for url in set(restored["files"]) - set(source["files"]):
		problems.append(f"{url}: restored but not in the backup")
	return problems
