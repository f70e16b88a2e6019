#!/usr/bin/env bash
# One-command setup: a Frappe v15 bench with ap_provision installed on a site, served on
# http://localhost:8000. Safe to re-run: every step checks what is already there.
#
#   scripts/setup.sh [--frappe-path PATH] [--site NAME] [--no-serve] [--no-demo]
#
#   --frappe-path PATH  build the bench from a local Frappe source (a git checkout with a
#                       version-15 branch), as `bench init --frappe-path` does; default:
#                       Frappe's repository.
#   --site NAME         site to create (default ap.localhost)
#   --no-serve          stop after installing; do not start `bench start`
#   --no-demo           do not build the demo LA (`bench --site NAME ap-demo`) on a fresh site
#
# Environment: BENCH_PATH, BENCH_USER, DB_ROOT_PASSWORD (see scripts/lib.sh),
# ADMIN_PASSWORD (the site's Administrator password, default admin),
# FRAPPE_BRANCH (default version-15), PYTHON (default: python3.12, 3.11 or 3.10 on PATH).
#
# Started as root, it creates the bench user (frappe) and runs every bench command as that
# user, because bench refuses to run as root. Started as an ordinary user, it uses sudo
# only to install and start system packages.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

FRAPPE_PATH=""
SITE=${SITE:-ap.localhost}
SERVE=1
DEMO=1
FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
while [ $# -gt 0 ]; do
	case "$1" in
	--frappe-path)
		FRAPPE_PATH=$(readlink -f "$2")
		shift 2
		;;
	--site)
		SITE=$2
		shift 2
		;;
	--no-serve)
		SERVE=0
		shift
		;;
	--no-demo)
		DEMO=0
		shift
		;;
	-h | --help)
		sed -n '2,20p' "$0"
		exit 0
		;;
	*) die "unknown option: $1 (see --help)" ;;
	esac
done

BENCH=$(default_bench_path)

# 1. System packages ------------------------------------------------------------------
APT_PACKAGES=(mariadb-server mariadb-client redis-server python3-venv python3-dev python3-pip
	libmariadb-dev pkg-config build-essential git curl rsync cron wkhtmltopdf fonts-dejavu-core
	xfonts-75dpi chromium)
# chromium: Debian's, for the browser test tier (playwright drives it; nothing is downloaded).
# Node 18 or newer: Debian's packages unless a node is already installed (e.g. NodeSource's).
command -v node >/dev/null 2>&1 || APT_PACKAGES+=(nodejs npm)

missing_packages() {
	local p
	for p in "${APT_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
	done
}

if command -v apt-get >/dev/null 2>&1; then
	mapfile -t missing < <(missing_packages)
	if [ ${#missing[@]} -gt 0 ]; then
		say "installing system packages: ${missing[*]}"
		as_root apt-get update -qq
		as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
else
	for cmd in mysqld redis-server git node npm; do
		command -v "$cmd" >/dev/null 2>&1 || die "$cmd is missing; install MariaDB 10.6+, Redis, git and Node 18+"
	done
fi
command -v yarn >/dev/null 2>&1 || {
	say "installing yarn"
	as_root npm install -g --silent yarn >/dev/null
}

# 2. MariaDB: utf8mb4, running, root password known to bench -------------------------------
MARIADB_CNF=/etc/mysql/mariadb.conf.d/99-frappe.cnf
if [ -d /etc/mysql/mariadb.conf.d ] && [ ! -f "$MARIADB_CNF" ]; then
	say "configuring MariaDB for Frappe (utf8mb4)"
	as_root tee "$MARIADB_CNF" >/dev/null <<'EOF'
[mysqld]
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci

[mysql]
default-character-set = utf8mb4
EOF
	RESTART_MARIADB=1
fi
# The binary log, so a read replica can follow this server (scripts/replica.sh, started by
# scripts/test.sh for the replica test; docs/deployment.md): written once, one restart.
BINLOG_CNF=/etc/mysql/mariadb.conf.d/98-ap-binlog.cnf
if [ -d /etc/mysql/mariadb.conf.d ] && [ ! -f "$BINLOG_CNF" ]; then
	say "configuring MariaDB's binary log for read replicas ($BINLOG_CNF)"
	as_root tee "$BINLOG_CNF" >/dev/null <<'EOF'
# Written by ap_provision's scripts/setup.sh: the binary log, so a read replica can follow
# this server (scripts/replica.sh, docs/deployment.md).
[mysqld]
server_id = 1
log_bin = mariadb-bin
binlog_format = ROW
binlog_expire_logs_seconds = 172800
EOF
	RESTART_MARIADB=1
fi
# one restart for what was written above, when MariaDB was already running
if [ "${RESTART_MARIADB:-0}" = 1 ] && mariadb_running; then
	as_root service mariadb restart >/dev/null 2>&1 || as_root systemctl restart mariadb
fi
ensure_mariadb_running || die "MariaDB is not installed"

if ! mysql -uroot -p"$DB_ROOT_PASSWORD" -h 127.0.0.1 -e "SELECT 1" >/dev/null 2>&1; then
	say "giving MariaDB's root user a password for bench (DB_ROOT_PASSWORD)"
	as_root mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD('$DB_ROOT_PASSWORD'); FLUSH PRIVILEGES;" ||
		die "cannot log in to MariaDB as root; set DB_ROOT_PASSWORD to its root password"
fi

# 3. The bench user and the bench CLI -----------------------------------------------------
if is_root && [ ! -e "$BENCH" ] && ! id "$BENCH_USER" >/dev/null 2>&1; then
	say "creating user $BENCH_USER (bench refuses to run as root)"
	useradd -m -s /bin/bash "$BENCH_USER"
fi
OWNER=$(bench_owner "$BENCH")
OWNER_HOME=$(getent passwd "$OWNER" | cut -d: -f6)
chmod o+x "$OWNER_HOME" 2>/dev/null || true # static assets are served from the bench
resolve_bench_cli

# A Python the bench user can run (not e.g. a pyenv shim inside root's home).
owner_can_run() { BENCH=$OWNER_HOME in_bench test -x "$1" >/dev/null 2>&1; }
if [ -z "${PYTHON:-}" ]; then
	for name in python3.12 python3.11 python3.10; do
		for candidate in "/usr/bin/$name" "/usr/local/bin/$name" "$(command -v "$name" 2>/dev/null)"; do
			if [ -n "$candidate" ] && [ -x "$candidate" ] && owner_can_run "$candidate"; then
				PYTHON=$candidate
				break 2
			fi
		done
	done
fi
[ -n "${PYTHON:-}" ] || die "Frappe v15 needs Python 3.10, 3.11 or 3.12"

if [ ! -x "$BENCH_CLI_BIN/bench" ]; then
	say "installing the bench CLI for $OWNER"
	BENCH_CLI_BIN="$OWNER_HOME/.local/share/bench-cli/bin"
	BENCH=$OWNER_HOME in_bench "$PYTHON" -m venv "$OWNER_HOME/.local/share/bench-cli"
	BENCH=$OWNER_HOME in_bench "$BENCH_CLI_BIN/pip" install -q "setuptools<80" frappe-bench uv
fi
[ -n "${SSL_CERT_FILE:-}" ] && export UV_NATIVE_TLS=${UV_NATIVE_TLS:-1}

# 4. The bench ---------------------------------------------------------------------------
if [ ! -d "$BENCH/apps/frappe" ]; then
	say "creating the bench at $BENCH (Frappe $FRAPPE_BRANCH${FRAPPE_PATH:+ from $FRAPPE_PATH})"
	PARENT=$(dirname "$BENCH")
	[ -w "$PARENT" ] || is_root || die "cannot create $BENCH: $PARENT is not writable"
	[ "$(bench_owner "$PARENT")" = "$OWNER" ] || as_root install -d -o "$OWNER" "$PARENT"
	init_args=(init --frappe-branch "$FRAPPE_BRANCH" --python "$PYTHON")
	[ -n "$FRAPPE_PATH" ] && init_args+=(--frappe-path "$FRAPPE_PATH")
	BENCH=$PARENT in_bench bench "${init_args[@]}" "$(basename "$BENCH")"
fi
# Frappe v15 imports pkg_resources, which setuptools 80 and later no longer ship.
in_bench env/bin/python -c "import pkg_resources" >/dev/null 2>&1 ||
	in_bench env/bin/python -m pip install -q "setuptools<80"
in_bench bench set-config -g root_password "$DB_ROOT_PASSWORD" >/dev/null

# 5. The app and the site ----------------------------------------------------------------
ensure_bench_redis
install_checkout_into_bench
ensure_site "$SITE"
in_bench bench use "$SITE" >/dev/null

# 5b. Demo data on a fresh site (--no-demo skips it; a site with data is left alone) -------
if [ "$DEMO" = 1 ]; then
	if in_bench bench --site "$SITE" execute ap_provision.demo.site_has_data 2>/dev/null | grep -q true; then
		say "demo data: $SITE already has data, left as it is"
	else
		# The demo replays a year of referrals with the clock set back (freezegun).
		in_bench env/bin/python -c "import freezegun" >/dev/null 2>&1 ||
			in_bench env/bin/python -m pip install -q "freezegun~=1.2.2"
		say "building the demo LA on $SITE (bench --site $SITE ap-demo; a few minutes)"
		in_bench bench --site "$SITE" ap-demo
	fi
fi

# 6. Serve on localhost:8000 -------------------------------------------------------------
ping_ok() { curl -fsS "http://localhost:8000/api/method/ping" 2>/dev/null | grep -q pong; }
if [ "$SERVE" = 1 ]; then
	if ping_ok; then
		say "already serving on http://localhost:8000"
	else
		say "starting the bench (bench start; log: $BENCH/logs/bench-start.log)"
		# bench start runs its own Redis servers: stop any started for the steps above.
		for port in $(awk '/^port/ {print $2}' "$BENCH"/config/redis_*.conf); do
			redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
		done
		in_bench bash -c 'nohup setsid bench start > logs/bench-start.log 2>&1 < /dev/null &'
		for _ in $(seq 1 90); do
			ping_ok && break
			sleep 2
		done
		ping_ok || die "the site did not answer on http://localhost:8000; see $BENCH/logs/bench-start.log"
	fi
	say "ready: http://localhost:8000 (Administrator / ${ADMIN_PASSWORD:-admin}), site $SITE, bench $BENCH"
	in_bench bench --site "$SITE" list-apps
fi
