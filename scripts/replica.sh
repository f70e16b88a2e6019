#!/usr/bin/env bash
# A MariaDB read replica on this machine: a second mariadbd (its own datadir, port, socket and
# server_id) following the system MariaDB with MariaDB's own replication (GTID), for the
# databases of the sites named. scripts/test.sh starts it for the test site; production runs
# the replica on its own server (docs/deployment.md), the steps are the same.
#
#   scripts/replica.sh start --site SITE [--site SITE ...] [--route-reads]
#   scripts/replica.sh status
#   scripts/replica.sh stop
#
# start: initialises the replica when missing (mariadb-install-db), starts it when down, makes
# it replicate each site's database, creates the read-only user the sites read with, writes
# each site's replica settings (replica_host, replica_db_port, different_credentials_for_replica,
# replica_db_name, replica_db_password) and waits until the replica has applied everything the
# primary had committed. A database new to the replica, or one whose replication stopped with
# an error, is seeded again from one consistent dump of every replicated database taken with
# its GTID position (mariadb-dump --single-transaction --gtid --master-data). --route-reads
# also sets read_from_replica on the sites (production); the test site leaves it off and the
# replica test turns it on for itself, so other tests read their uncommitted rows.
#
# The primary needs its binary log (server_id, log_bin, binlog_format=ROW): scripts/setup.sh
# writes /etc/mysql/mariadb.conf.d/98-ap-binlog.cnf. The replica's server refuses writes
# (read_only), its read user has SELECT only, and it counts each user's statements
# (userstat) and logs every statement to mysql.general_log, which the replica test reads.
#
# Environment: BENCH_PATH, DB_ROOT_PASSWORD (scripts/lib.sh; the replica's root gets the same
# password), REPLICA_DIR (default /var/tmp/ap-replica-<bench folder>), REPLICA_PORT (default
# 3307 + the bench's webserver_port - 8000), REPLICA_BUFFER_POOL (default 256M),
# PRIMARY_HOST/PRIMARY_PORT (default 127.0.0.1:3306).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ACTION=${1:-}
[ $# -gt 0 ] && shift
SITES=()
ROUTE_READS=0
while [ $# -gt 0 ]; do
	case "$1" in
	--site)
		SITES+=("$2")
		shift 2
		;;
	--route-reads)
		ROUTE_READS=1
		shift
		;;
	-h | --help)
		sed -n '2,30p' "$0"
		exit 0
		;;
	*) die "unknown option: $1 (see --help)" ;;
	esac
done

BENCH=$(default_bench_path)
[ -d "$BENCH/sites" ] || die "no bench at $BENCH (set BENCH_PATH)"
OWNER=$(bench_owner "$BENCH")
resolve_bench_cli
WEB_PORT=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("webserver_port", 8000))' \
	"$BENCH/sites/common_site_config.json" 2>/dev/null || echo 8000)
REPLICA_DIR=${REPLICA_DIR:-/var/tmp/ap-replica-$(basename "$BENCH")}
REPLICA_PORT=${REPLICA_PORT:-$((3307 + WEB_PORT - 8000))}
REPLICA_BUFFER_POOL=${REPLICA_BUFFER_POOL:-256M}
PRIMARY_HOST=${PRIMARY_HOST:-127.0.0.1}
PRIMARY_PORT=${PRIMARY_PORT:-3306}
SOCKET=$REPLICA_DIR/mysqld.sock
READER=ap_reader
REPL_USER=ap_repl_$REPLICA_PORT

primary() { mariadb -uroot -p"$DB_ROOT_PASSWORD" -h "$PRIMARY_HOST" -P "$PRIMARY_PORT" "$@"; }
replica() { mariadb -uroot -p"$DB_ROOT_PASSWORD" -h 127.0.0.1 -P "$REPLICA_PORT" "$@"; }
replica_up() { replica -N -e "select 1" >/dev/null 2>&1; }
# A value of SHOW SLAVE STATUS (empty when the server replicates nothing).
slave_field() { replica -e "show slave status\G" 2>/dev/null | awk -v f="$1:" '$1 == f {$1 = ""; sub(/^ /, ""); print}'; }
as_owner() { as_root runuser -u "$OWNER" -- "$@"; }
[ "$(id -un)" = "$OWNER" ] && as_owner() { "$@"; }

secret() {
	local file=$REPLICA_DIR/$1.pw
	[ -s "$file" ] || as_owner bash -c "umask 077; python3 -c 'import secrets; print(secrets.token_hex(16))' > '$file'"
	cat "$file"
}

site_db() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["db_name"])' "$BENCH/sites/$1/site_config.json"
}

write_config() {
	local dbs=("$@") db
	{
		cat <<EOF
# Written by scripts/replica.sh: a read replica of $PRIMARY_HOST:$PRIMARY_PORT for bench $BENCH.
[mysqld]
datadir = $REPLICA_DIR/data
socket = $SOCKET
pid-file = $REPLICA_DIR/mysqld.pid
log-error = $REPLICA_DIR/error.log
port = $REPLICA_PORT
bind-address = 127.0.0.1
skip-name-resolve
server_id = $REPLICA_PORT
read_only = ON
relay_log = $REPLICA_DIR/data/relay-bin
innodb_buffer_pool_size = $REPLICA_BUFFER_POOL
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci
# each user's statements counted (information_schema.USER_STATISTICS) and logged (mysql.general_log)
userstat = ON
general_log = ON
log_output = TABLE
EOF
		for db in "${dbs[@]}"; do echo "replicate_wild_do_table = $db.%"; done
	} | as_owner tee "$REPLICA_DIR/my.cnf" >/dev/null
}

replicated_dbs() { [ -s "$REPLICA_DIR/databases" ] && cat "$REPLICA_DIR/databases" || true; }

start_server() {
	replica_up && return 0
	if [ ! -d "$REPLICA_DIR/data/mysql" ]; then
		say "replica: initialising $REPLICA_DIR/data"
		as_owner mariadb-install-db --defaults-file="$REPLICA_DIR/my.cnf" --auth-root-authentication-method=normal \
			--skip-test-db >"$REPLICA_DIR/install.log" 2>&1 || {
			tail -20 "$REPLICA_DIR/install.log"
			die "mariadb-install-db failed"
		}
		FRESH=1
	fi
	say "replica: starting mariadbd on 127.0.0.1:$REPLICA_PORT ($REPLICA_DIR)"
	as_owner bash -c "nohup setsid /usr/sbin/mariadbd --defaults-file='$REPLICA_DIR/my.cnf' >>'$REPLICA_DIR/mariadbd.out' 2>&1 < /dev/null &"
	for _ in $(seq 1 60); do
		if [ "${FRESH:-0}" = 1 ]; then
			mariadb -uroot --socket="$SOCKET" -N -e "select 1" >/dev/null 2>&1 && break
		else
			replica_up && break
		fi
		sleep 0.5
	done
	if [ "${FRESH:-0}" = 1 ]; then
		# the root accounts mariadb-install-db made have no password: give them the primary's
		mariadb -uroot --socket="$SOCKET" -e "
			CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
			GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
			ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '$DB_ROOT_PASSWORD';
			ALTER USER 'root'@'localhost' IDENTIFIED BY '$DB_ROOT_PASSWORD';
			FLUSH PRIVILEGES;" || die "could not set the replica's root password"
	fi
	replica_up || {
		tail -20 "$REPLICA_DIR/error.log" 2>/dev/null
		die "the replica did not start (log: $REPLICA_DIR/error.log)"
	}
}

# One consistent dump of every replicated database, loaded into the replica, which then
# follows the primary from the dump's GTID position.
seed() {
	local dbs=("$@") dump pos
	say "replica: seeding ${dbs[*]} from a consistent dump of the primary"
	dump=$(as_owner mktemp "$REPLICA_DIR/seed.XXXXXX.sql")
	replica -e "STOP SLAVE; RESET SLAVE ALL;" 2>/dev/null || true
	mariadb-dump -uroot -p"$DB_ROOT_PASSWORD" -h "$PRIMARY_HOST" -P "$PRIMARY_PORT" --single-transaction \
		--gtid --master-data=2 --add-drop-database --routines --databases "${dbs[@]}" >"$dump" ||
		die "mariadb-dump of ${dbs[*]} failed"
	pos=$(grep -m1 -oE "gtid_slave_pos='[^']*'" "$dump" | cut -d"'" -f2)
	[ -n "$pos" ] || die "the dump carries no GTID position (is the primary's binary log on?)"
	replica -e "SET GLOBAL read_only = OFF"
	replica <"$dump" || die "loading the dump into the replica failed"
	rm -f "$dump"
	replica -e "
		SET GLOBAL read_only = ON;
		SET GLOBAL replicate_wild_do_table = '$(printf '%s.%%,' "${dbs[@]}" | sed 's/,$//')';
		SET GLOBAL gtid_slave_pos = '$pos';
		CHANGE MASTER TO MASTER_HOST = '$PRIMARY_HOST', MASTER_PORT = $PRIMARY_PORT, MASTER_USER = '$REPL_USER',
			MASTER_PASSWORD = '$(secret repl)', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 5;
		START SLAVE;"
	printf '%s\n' "${dbs[@]}" | as_owner tee "$REPLICA_DIR/databases" >/dev/null
}

wait_caught_up() {
	local pos waited
	pos=$(primary -N -e "select @@global.gtid_binlog_pos")
	waited=$(replica -N -e "select master_gtid_wait('$pos', 120)")
	[ "$waited" = 0 ] || die "the replica has not applied the primary's position $pos after 120 s (Slave_SQL_Running: $(slave_field Slave_SQL_Running); $(slave_field Last_Error))"
}

status() {
	if ! replica_up; then
		echo "replica: not running (127.0.0.1:$REPLICA_PORT, $REPLICA_DIR)"
		return 1
	fi
	echo "replica: running on 127.0.0.1:$REPLICA_PORT ($REPLICA_DIR), server_id $(replica -N -e 'select @@server_id'), read_only $(replica -N -e 'select @@read_only')"
	echo "databases: $(replicated_dbs | tr '\n' ' ')"
	for f in Slave_IO_Running Slave_SQL_Running Seconds_Behind_Master Gtid_IO_Pos Last_Error; do
		echo "$f: $(slave_field "$f")"
	done
	echo "primary gtid_binlog_pos: $(primary -N -e 'select @@global.gtid_binlog_pos')"
}

case "$ACTION" in
start)
	[ ${#SITES[@]} -gt 0 ] || die "name the site(s) to replicate: --site SITE"
	command -v mariadb-install-db >/dev/null 2>&1 || die "mariadb-install-db is missing: install mariadb-server"
	ensure_mariadb_running || die "MariaDB is not installed; run scripts/setup.sh"
	[ "$(primary -N -e 'select @@global.log_bin')" = 1 ] ||
		die "the primary MariaDB has no binary log: run scripts/setup.sh (it writes /etc/mysql/mariadb.conf.d/98-ap-binlog.cnf and restarts MariaDB once)"
	# the replica's folder, owned by the bench's user, who runs the replica
	if [ "$(id -un)" = "$OWNER" ]; then
		mkdir -p "$REPLICA_DIR"
	else
		as_root mkdir -p "$REPLICA_DIR"
		as_root chown "$OWNER:" "$REPLICA_DIR"
	fi
	chmod 750 "$REPLICA_DIR" 2>/dev/null || as_root chmod 750 "$REPLICA_DIR"
	# The databases: those replicated already whose site still exists, and the sites named.
	wanted=()
	for site in "${SITES[@]}"; do
		site_exists "$site" || die "no site $site on $BENCH"
		wanted+=("$(site_db "$site")")
	done
	current_sites_dbs=$(for f in "$BENCH"/sites/*/site_config.json; do
		python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("db_name", ""))' "$f" 2>/dev/null
	done)
	while read -r db; do
		[ -n "$db" ] && grep -qx "$db" <<<"$current_sites_dbs" && wanted+=("$db")
	done < <(replicated_dbs)
	mapfile -t wanted < <(printf '%s\n' "${wanted[@]}" | sort -u)
	# the replication user on the primary (one per replica, its password kept with the replica)
	primary -e "
		CREATE USER IF NOT EXISTS '$REPL_USER'@'127.0.0.1';
		ALTER USER '$REPL_USER'@'127.0.0.1' IDENTIFIED BY '$(secret repl)';
		GRANT REPLICATION SLAVE ON *.* TO '$REPL_USER'@'127.0.0.1';"
	[ -f "$REPLICA_DIR/my.cnf" ] || write_config "${wanted[@]}"
	start_server
	if [ "$(replicated_dbs | sort -u)" != "$(printf '%s\n' "${wanted[@]}")" ] ||
		[ "$(slave_field Slave_SQL_Running)" != Yes ] || [ "$(slave_field Slave_IO_Running)" != Yes ]; then
		[ -n "$(slave_field Last_Error)" ] && warn "replica: replication had stopped: $(slave_field Last_Error)"
		seed "${wanted[@]}"
	fi
	write_config "${wanted[@]}"
	# the sites' read user: SELECT on their databases, nothing else
	grants=$(for db in "${wanted[@]}"; do printf "GRANT SELECT ON \`%s\`.* TO '%s'@'127.0.0.1';" "$db" "$READER"; done)
	replica -e "
		SET SESSION sql_log_bin = 0;
		CREATE USER IF NOT EXISTS '$READER'@'127.0.0.1';
		ALTER USER '$READER'@'127.0.0.1' IDENTIFIED BY '$(secret reader)';
		$grants
		FLUSH PRIVILEGES;"
	for site in "${SITES[@]}"; do
		in_bench bench --site "$site" set-config replica_host 127.0.0.1 >/dev/null
		in_bench bench --site "$site" set-config -p replica_db_port "$REPLICA_PORT" >/dev/null
		in_bench bench --site "$site" set-config -p different_credentials_for_replica 1 >/dev/null
		in_bench bench --site "$site" set-config replica_db_name "$READER" >/dev/null
		in_bench bench --site "$site" set-config replica_db_password "$(secret reader)" >/dev/null
		[ "$ROUTE_READS" = 1 ] && in_bench bench --site "$site" set-config -p read_from_replica 1 >/dev/null
	done
	wait_caught_up
	say "replica: 127.0.0.1:$REPLICA_PORT follows the primary for ${SITES[*]} (databases: ${wanted[*]})"
	;;
status) status ;;
stop)
	if replica_up; then
		say "replica: stopping 127.0.0.1:$REPLICA_PORT"
		mariadb-admin -uroot -p"$DB_ROOT_PASSWORD" -h 127.0.0.1 -P "$REPLICA_PORT" shutdown
	else
		say "replica: not running"
	fi
	;;
*) die "usage: scripts/replica.sh start --site SITE [--route-reads] | status | stop" ;;
esac
