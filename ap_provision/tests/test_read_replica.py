"""Bench tier: the reports, their exports and the AP census on a real MariaDB read replica.

The replica is a second mariadbd on this machine following the primary with MariaDB's own
replication (scripts/replica.sh; scripts/test.sh starts it and writes the test site's replica
settings). A missing replica fails this module with the command that sets it up.

Data: a small region made by the benchmark's generator and committed, as replication needs
(removed again when the class ends). Evidence is read from the replica itself: the read
user's statement counters (information_schema.USER_STATISTICS, userstat) and its general log.
The site config has replica_host etc. but not read_from_replica (other tests read rows they
have not committed); each test turns it on for itself, as a production site has it.
"""

import json
import re
import socket
from contextlib import contextmanager
from unittest.mock import patch

import frappe
import pymysql
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_bench_path

from ap_provision import replica
from ap_provision.tests.perf import generate as gen
from ap_provision.tests.perf.harness import counting_queries, script_reports

TODAY = "2036-03-11"  # the fixture's own years (2034-2036), away from other tests' dates
REFERRALS = 120
# What each report is run with: the fixture's dates, so every report has rows to compare.
REPORT_FILTERS = {
	"AP Funding Impact": {},
	"EHC Statutory Compliance": {"as_on": TODAY},
	"Panel Outcomes": {},
	"Part-time and Hours": {"include_full_time": 1},
	"Placement Register": {"as_on": TODAY},
	"Provider Sufficiency": {"from_date": str(add_days(TODAY, -120)), "to_date": str(add_days(TODAY, 60))},
	"Referral Tracker": {},
	"Reintegration Outcomes": {},
}
CENSUS_DATE = "2036-01-15"
# Statements a read may issue: SELECT and SHOW, the connection's SET NAMES / SET x = y, and
# ending its transaction.
READS = re.compile(
	r"^\s*(/\*.*?\*/\s*)?(select\b|show\b|set\s+names\b|set\s+(session\s+)?\w+\s*=|rollback\b|commit\b|start transaction\b)",
	re.I | re.S,
)
STATS = (
	"SELECT_COMMANDS",
	"ROWS_READ",
	"ROWS_SENT",
	"UPDATE_COMMANDS",
	"ROWS_UPDATED",
	"ROWS_DELETED",
	"OTHER_COMMANDS",
)


def setup_command() -> str:
	return (
		f"BENCH_PATH={get_bench_path()} bash scripts/replica.sh start --site {frappe.local.site} "
		"(scripts/test.sh runs it; the primary's binary log comes from scripts/setup.sh)"
	)


def replica_admin():
	"""A root connection to the replica, or a failure naming the command that sets it up."""
	conf = frappe.local.conf
	if not conf.get("replica_host"):
		raise AssertionError(f"the site has no read replica configured: run {setup_command()}")
	try:
		return pymysql.connect(
			host=conf.replica_host,
			port=int(conf.replica_db_port or 3306),
			user="root",
			password=conf.root_password,
			connect_timeout=5,
			autocommit=True,
		)
	except pymysql.Error as e:
		raise AssertionError(f"the read replica does not answer ({e}): run {setup_command()}") from e


class TestReadReplica(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.admin = replica_admin()
		cls.reader = replica.replica_credentials()["user"]
		before = set(frappe.get_all("User Permission", filters={"user": ("like", "perf-%")}, pluck="name"))
		made = gen.generate(referrals=REFERRALS, seed=18, today=TODAY, batch=1000, keep_names=True)["made"]
		cls.addClassCleanup(cls.remove_fixture, made, before)
		frappe.db.commit()
		cls.wait_for_replica()
		cls.figures = []

	@classmethod
	def remove_fixture(cls, made, permissions_before):
		gen.remove(made)
		for name in frappe.get_all("User Permission", filters={"user": ("like", "perf-%")}, pluck="name"):
			if name not in permissions_before:
				frappe.db.delete("User Permission", name)
		frappe.db.commit()
		frappe.clear_cache()

	@classmethod
	def tearDownClass(cls):
		if cls.figures:
			print("\nRead replica: what the replica's read user ran for each report, export and census")
			print(
				"| what | rows | replica statements | replica rows read | replica writes | primary queries |"
			)
			for f in cls.figures:
				print(
					f"| {f['what']} | {f['rows']} | {f['SELECT_COMMANDS']} | {f['ROWS_READ']} | "
					f"{f['UPDATE_COMMANDS'] + f['ROWS_UPDATED'] + f['ROWS_DELETED']} | {f['primary_queries']} |"
				)
		cls.admin.close()
		super().tearDownClass()

	# -- the replica's own view ------------------------------------------------------------------

	@classmethod
	def replica_sql(cls, query, values=None):
		with cls.admin.cursor() as cursor:
			cursor.execute(query, values)
			return cursor.fetchall()

	@classmethod
	def wait_for_replica(cls, seconds=60):
		position = frappe.db.sql("select @@global.gtid_binlog_pos")[0][0]
		waited = cls.replica_sql("select master_gtid_wait(%s, %s)", (position, seconds))[0][0]
		assert waited == 0, f"the replica has not applied {position} in {seconds} s: {cls.slave_status()}"

	@classmethod
	def slave_status(cls) -> dict:
		with cls.admin.cursor(pymysql.cursors.DictCursor) as cursor:
			cursor.execute("show slave status")
			return cursor.fetchone() or {}

	def reader_stats(self) -> dict:
		rows = self.replica_sql(
			f"select {', '.join(STATS)} from information_schema.USER_STATISTICS where user = %s", self.reader
		)
		return dict(zip(STATS, rows[0], strict=True)) if rows else dict.fromkeys(STATS, 0)

	def reader_statements_since(self, mark) -> list[str]:
		return [
			(argument.decode() if isinstance(argument, bytes) else argument)
			for (argument,) in self.replica_sql(
				"select argument from mysql.general_log where event_time > %s and command_type = 'Query' "
				"and user_host like %s order by event_time",
				(mark, f"{self.reader}[%"),
			)
		]

	def log_mark(self):
		return self.replica_sql("select now(6)")[0][0]

	# -- running as a request does -------------------------------------------------------------------

	@contextmanager
	def request(self, **conf):
		"""One request or job of a site that reads from its replica: the app's before_request hook,
		then the call; Frappe's replica connection is dropped afterwards, as at a request's end."""
		with patch.dict(frappe.local.conf, {"read_from_replica": 1, **conf}):
			replica.forget_state()
			replica.route_reads()
			try:
				yield
			finally:
				for attribute in ("replica_db", "primary_db"):
					if hasattr(frappe.local, attribute):
						delattr(frappe.local, attribute)
				replica.forget_state()

	def on_replica(self, what, fn):
		"""Run `fn` as a request reading from the replica; its result, and the replica's counters
		and statements of the read user for it, with the queries the primary saw meanwhile."""
		with self.request():
			self.assertTrue(frappe.local.conf.read_from_replica, frappe.local.flags.ap_replica_not_used)
			before, mark = self.reader_stats(), self.log_mark()
			with counting_queries(keep=True) as primary:
				result = fn()
		after = self.reader_stats()
		delta = {k: after[k] - before[k] for k in STATS}
		statements = self.reader_statements_since(mark)
		figures = {"what": what, "primary_queries": primary.count, "primary": primary.queries, **delta}
		return result, figures, statements

	def assert_ran_on_replica(self, figures, statements, primary_may_read_frappe=False):
		"""Reads reached the replica and none of them wrote; nothing reached the primary, except,
		for an export, Frappe's own look-up of the Report document before it runs the report
		(`export_query` is not read-only itself): never a table of the app's."""
		what = figures["what"]
		self.assertGreater(figures["SELECT_COMMANDS"], 0, f"{what}: no statement reached the replica")
		if primary_may_read_frappe:
			app_tables = [
				f"`tab{d}`" for d in frappe.get_all("DocType", {"module": "AP Provision"}, pluck="name")
			]
			on_primary = [q for q in figures["primary"] if any(t in q for t in app_tables)]
			self.assertEqual(on_primary, [], f"{what}: the app's tables read on the primary")
		else:
			self.assertEqual(
				figures["primary_queries"], 0, f"{what}: queries went to the primary: {figures['primary']}"
			)
		self.assertTrue(statements, f"{what}: nothing in the replica's general log")
		writes = [s for s in statements if not READS.match(s)]
		self.assertEqual(writes, [], f"{what}: statements other than reads on the replica")
		for counter in ("UPDATE_COMMANDS", "ROWS_UPDATED", "ROWS_DELETED"):
			self.assertEqual(figures[counter], 0, f"{what}: {counter} on the replica")

	# -- the tests ----------------------------------------------------------------------------------

	def test_the_replica_is_a_second_server_following_the_primary(self):
		server_id, port, read_only = self.replica_sql("select @@server_id, @@port, @@read_only")[0]
		primary_id = frappe.db.sql("select @@server_id")[0][0]
		self.assertNotEqual(server_id, primary_id)
		self.assertEqual(read_only, 1)
		status = self.slave_status()
		self.assertEqual((status["Slave_IO_Running"], status["Slave_SQL_Running"]), ("Yes", "Yes"), status)
		self.assertIn(f"{frappe.conf.db_name}.%", status["Replicate_Wild_Do_Table"])
		grants = " ".join(
			g[0] for g in self.replica_sql(f"show grants for '{self.reader}'@'127.0.0.1'")
		).upper()
		self.assertNotRegex(grants, r"\b(INSERT|UPDATE|DELETE|ALL PRIVILEGES)\b")
		state = replica.check()
		self.assertTrue(state["usable"], state)
		print(
			f"\nreplica: server_id {server_id} on port {port} (primary server_id {primary_id}), read_only, "
			f"replicating {status['Replicate_Wild_Do_Table']} at {status['Gtid_IO_Pos']}; check: {state}"
		)

	def test_reports_exports_and_the_census_run_on_the_replica(self):
		from frappe.desk.query_report import export_query, run

		from ap_provision.census import download_ap_census

		reports = script_reports()
		self.assertEqual(set(reports), set(REPORT_FILTERS), "a report without filters for this test")
		frappe.set_user(gen.PRT_USER)
		for report in reports:
			filters = REPORT_FILTERS[report]

			def run_report(report=report, filters=filters):
				return run(report, filters=filters, ignore_prepared_report=True)

			result, figures, statements = self.on_replica(report, run_report)
			rows = [r for r in result["result"] if isinstance(r, dict)]
			self.assertTrue(rows, f"{report}: no rows to compare")
			self.assert_ran_on_replica(figures, statements)
			self.assertEqual(
				result["result"], run_report()["result"], f"{report}: replica and primary differ"
			)
			self.figures.append({**figures, "rows": len(rows)})

			def export(report=report, filters=filters):
				frappe.local.form_dict = frappe._dict(
					report_name=report,
					file_format_type="CSV",
					filters=json.dumps(filters),
					visible_idx="[]",
					custom_columns="[]",
				)
				export_query()
				return frappe.response.pop("filecontent")

			content, figures, statements = self.on_replica(f"{report} (CSV export)", export)
			self.assert_ran_on_replica(figures, statements, primary_may_read_frappe=True)
			self.assertEqual(content, export(), f"{report}: the exports differ")
			self.figures.append({**figures, "rows": content.count(b"\n") - 1})

		def census():
			download_ap_census(CENSUS_DATE)
			return frappe.response.pop("filecontent")

		content, figures, statements = self.on_replica("AP census (CSV)", census)
		self.assertGreater(content.count("\n"), 1, "the census has no rows to compare")
		self.assert_ran_on_replica(figures, statements)
		self.assertEqual(content, census())
		self.figures.append({**figures, "rows": content.count("\n") - 1})

	def test_a_replica_behind_the_primary_is_not_read(self):
		"""Replication stopped (the SQL thread): a panel committed on the primary is missing
		from the replica. Frappe alone would show the old figures; the app reads the primary
		until the replica has caught up, then reads the replica again."""
		from frappe.desk.query_report import run

		day = "2036-07-16"  # a Wednesday after the fixture's last panel
		filters = {"from_date": day, "to_date": day}
		frappe.set_user(gen.PRT_USER)

		def panels_on_the_day():
			rows = run("Provider Sufficiency", filters=filters, ignore_prepared_report=True)["result"]
			return {r["panel"] for r in rows if isinstance(r, dict)}

		self.replica_sql("stop slave sql_thread")
		try:
			frappe.set_user("Administrator")
			panel = frappe.get_doc({"doctype": "Panel", "panel_date": day, "status": "Scheduled"}).insert()
			self.addCleanup(self.delete_committed, "Panel", panel.name)
			frappe.db.commit()
			frappe.set_user(gen.PRT_USER)
			# Frappe on its own (no check): the replica's old rows
			with patch.dict(frappe.local.conf, {"read_from_replica": 1}):
				try:
					self.assertEqual(panels_on_the_day(), set())
				finally:
					for attribute in ("replica_db", "primary_db"):
						if hasattr(frappe.local, attribute):
							delattr(frappe.local, attribute)
			# the app: the replica is behind, so this request reads the primary
			with self.request(ap_replica_max_lag_seconds=1):
				self.assertFalse(frappe.local.conf.read_from_replica)
				self.assertIn("has not applied", frappe.local.flags.ap_replica_not_used)
				before = self.reader_stats()
				self.assertEqual(panels_on_the_day(), {panel.name})
				self.assertEqual(self.reader_stats()["SELECT_COMMANDS"], before["SELECT_COMMANDS"])
		finally:
			self.replica_sql("start slave sql_thread")
		self.wait_for_replica()
		_result, figures, statements = self.on_replica("caught up", panels_on_the_day)
		self.assertEqual(_result, {panel.name})
		self.assert_ran_on_replica(figures, statements)

	def test_a_replica_that_does_not_answer_is_not_read(self):
		"""Nothing listening on the replica's port: Frappe alone fails the request; the app reads
		the primary, and the report gives the same figures."""
		from frappe.desk.query_report import run

		with socket.socket() as s:
			s.bind(("127.0.0.1", 0))
			closed_port = s.getsockname()[1]
		frappe.set_user(gen.PRT_USER)
		filters = REPORT_FILTERS["Placement Register"]
		expected = run("Placement Register", filters=filters, ignore_prepared_report=True)["result"]
		with patch.dict(frappe.local.conf, {"read_from_replica": 1, "replica_db_port": closed_port}):
			try:
				with self.assertRaises(pymysql.err.OperationalError):
					run("Placement Register", filters=filters, ignore_prepared_report=True)
			finally:
				for attribute in ("replica_db", "primary_db"):
					if hasattr(frappe.local, attribute):
						delattr(frappe.local, attribute)
		with self.request(replica_db_port=closed_port):
			self.assertFalse(frappe.local.conf.read_from_replica)
			self.assertIn("does not answer", frappe.local.flags.ap_replica_not_used)
			self.assertEqual(
				run("Placement Register", filters=filters, ignore_prepared_report=True)["result"], expected
			)

	def tearDown(self):
		frappe.set_user("Administrator")
		super().tearDown()

	def delete_committed(self, doctype, name):
		frappe.db.delete(doctype, name)
		frappe.db.commit()
