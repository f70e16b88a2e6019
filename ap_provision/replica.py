"""Reads on a MariaDB read replica, and what the app does when the replica is down or behind.

With ``read_from_replica`` and ``replica_host`` in the site config, Frappe runs every function
decorated with ``frappe.read_only()`` on the replica: the app's script reports (whether run
from the report view, exported or prepared in the background), the AP census export, and
Frappe's own report runner and list views. Frappe does not check the replica first: one that
is down makes each of those requests fail, and one that has fallen behind answers with old
rows.

The app decides before each request and each background job (``route_reads``: hooks
``before_request`` and ``before_job``). The replica is used only when it answers and has
applied, within ``ap_replica_max_lag_seconds`` (site config, default 5), everything the
primary had committed when it was checked: MariaDB's own ``MASTER_GTID_WAIT`` on the
primary's binary log position. Otherwise that request reads from the primary, as a site
without a replica does: the user gets current figures, the primary carries the load, and a
warning goes to the ``ap_provision.replica`` log. The verdict is kept in the cache for
``ap_replica_check_seconds`` (default 10) while the replica is usable, 30 seconds while it is
not, and one process checks at a time, so a replica that is down or behind costs one check a
period, not one a request. ``status()`` checks now and says why.
"""

import time

import frappe
import pymysql
from frappe.utils import cint

STATE_KEY = "ap_provision:replica_state"
LOCK_KEY = "ap_provision:replica_check"
DEFAULT_MAX_LAG = 5
DEFAULT_CHECK_SECONDS = 10
UNUSABLE_CHECK_SECONDS = 30
CONNECT_TIMEOUT = 2


def route_reads(*args, **kwargs):
	"""Before a request or a job: read from the primary this time when the replica is down or
	behind (``read_from_replica`` turned off for this request only: the site config is read
	afresh for each request and job)."""
	conf = frappe.local.conf
	if not conf.get("read_from_replica"):
		return
	state = replica_state()
	if not state["usable"]:
		conf.read_from_replica = 0
		frappe.local.flags.ap_replica_not_used = state["reason"]


def replica_state() -> dict:
	"""The cached verdict, or a fresh one (one process checks at a time; the others read from
	the primary meanwhile)."""
	state = frappe.cache.get_value(STATE_KEY, expires=True)
	if state:
		return state
	lock = frappe.cache.make_key(LOCK_KEY)
	max_lag = max_lag_seconds()
	if not frappe.cache.set(lock, 1, nx=True, ex=max_lag + CONNECT_TIMEOUT + 5):
		return {"usable": False, "reason": "the replica is being checked by another process"}
	try:
		state = check()
	finally:
		frappe.cache.delete(lock)
	seconds = (
		cint(frappe.local.conf.get("ap_replica_check_seconds")) or DEFAULT_CHECK_SECONDS
		if state["usable"]
		else UNUSABLE_CHECK_SECONDS
	)
	frappe.cache.set_value(STATE_KEY, state, expires_in_sec=seconds)
	if not state["usable"]:
		frappe.logger("ap_provision.replica", allow_site=True).warning(
			f"reading from the primary for the next {seconds} s: {state['reason']}"
		)
	return state


def forget_state():
	"""Drop the cached verdict: the next request checks the replica again."""
	frappe.cache.delete_value(STATE_KEY)


def max_lag_seconds() -> int:
	return cint(frappe.local.conf.get("ap_replica_max_lag_seconds")) or DEFAULT_MAX_LAG


def replica_credentials() -> dict:
	"""How Frappe connects to the replica (frappe.connect_replica)."""
	conf = frappe.local.conf
	user, password = conf.db_name, conf.db_password
	if conf.different_credentials_for_replica:
		user, password = conf.replica_db_name, conf.replica_db_password
	return {
		"host": conf.replica_host,
		"port": cint(conf.replica_db_port) or 3306,
		"user": user,
		"password": password,
		"database": conf.db_name,
	}


def check() -> dict:
	"""Whether the replica answers and applies the primary's current position within the
	allowed lag. Two queries: the position on the primary, the wait on the replica."""
	conf = frappe.local.conf
	if not conf.get("replica_host"):
		return {"usable": False, "reason": "no replica_host in the site config"}
	max_lag = max_lag_seconds()
	primary = getattr(frappe.local, "primary_db", None) or frappe.db
	position = primary.sql("select @@global.gtid_binlog_pos")[0][0]
	if not position:
		return {"usable": False, "reason": "the primary has no binary log position (log_bin is off)"}
	started = time.monotonic()
	try:
		connection = pymysql.connect(
			**replica_credentials(),
			connect_timeout=CONNECT_TIMEOUT,
			read_timeout=max_lag + 5,
			charset="utf8mb4",
		)
	except pymysql.Error as e:
		return {"usable": False, "reason": f"the replica does not answer: {e}"}
	try:
		with connection.cursor() as cursor:
			cursor.execute("select master_gtid_wait(%s, %s)", (position, max_lag))
			waited = cursor.fetchone()[0]
	except pymysql.Error as e:
		return {"usable": False, "reason": f"the replica could not be checked: {e}"}
	finally:
		connection.close()
	seconds = round(time.monotonic() - started, 3)
	if waited != 0:
		return {
			"usable": False,
			"reason": f"the replica has not applied the primary's position {position} within {max_lag} s",
			"position": position,
		}
	return {"usable": True, "reason": "", "position": position, "seconds": seconds}


def status() -> dict:
	"""Check the replica now (`bench --site SITE execute ap_provision.replica.status`)."""
	state = check()
	return {"read_from_replica": cint(frappe.local.conf.get("read_from_replica")), **state}
