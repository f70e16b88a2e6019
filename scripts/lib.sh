# shellcheck shell=bash
# Shared by scripts/setup.sh and scripts/test.sh. Source it; do not run it.
#
# Settings (environment variables), with their defaults:
#   BENCH_PATH        the bench to use: $HOME/frappe-bench, or /home/$BENCH_USER/frappe-bench
#                     when that exists (the setup script's default when started as root)
#   BENCH_USER        the ordinary user who owns the bench when started as root: frappe
#   DB_ROOT_PASSWORD  MariaDB root password the bench uses to create sites: frappe-root
#                     (stored as root_password in the bench's common_site_config.json)

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APP_NAME=ap_provision
BENCH_USER=${BENCH_USER:-frappe}
DB_ROOT_PASSWORD=${DB_ROOT_PASSWORD:-frappe-root}

# Certificate and proxy settings that must survive the switch from root to the bench user.
PRESERVED_ENV=SSL_CERT_FILE,SSL_CERT_DIR,REQUESTS_CA_BUNDLE,CURL_CA_BUNDLE,PIP_CERT,NODE_EXTRA_CA_CERTS,GIT_SSL_CAINFO,UV_NATIVE_TLS,HTTP_PROXY,HTTPS_PROXY,NO_PROXY,http_proxy,https_proxy,no_proxy,CI

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
warn() { printf '\033[33m!!  %s\033[0m\n' "$*" >&2; }
die() {
	printf '\033[31mxx  %s\033[0m\n' "$*" >&2
	exit 1
}

is_root() { [ "$(id -u)" -eq 0 ]; }

# Run a command as root: directly when we are root, else through sudo.
as_root() {
	if is_root; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root for: $* (run as root, or install sudo)"
	fi
}

default_bench_path() {
	if [ -n "${BENCH_PATH:-}" ]; then
		echo "$BENCH_PATH"
	elif ! is_root && [ -d "$HOME/frappe-bench" ]; then
		echo "$HOME/frappe-bench"
	elif [ -d "/home/$BENCH_USER/frappe-bench" ]; then
		echo "/home/$BENCH_USER/frappe-bench"
	elif is_root; then
		echo "/home/$BENCH_USER/frappe-bench"
	else
		echo "$HOME/frappe-bench"
	fi
}

# The user who owns (or will own) the bench. bench refuses to run as root.
bench_owner() {
	local path=$1
	if [ -e "$path" ]; then
		stat -c %U "$path"
	elif is_root; then
		echo "$BENCH_USER"
	else
		id -un
	fi
}

# Run a command as the bench owner, inside the bench, with the certificate settings kept.
in_bench() {
	local owner
	owner=$(bench_owner "$BENCH")
	if [ "$(id -un)" = "$owner" ]; then
		(cd "$BENCH" && PATH="$BENCH_CLI_BIN:$PATH" "$@")
	else
		[ "$owner" != root ] || die "the bench at $BENCH is owned by root; bench refuses to run as root"
		as_root runuser -u "$owner" -- env "$(printf 'PATH=%s:%s' "$BENCH_CLI_BIN" "$PATH")" \
			HOME="$(getent passwd "$owner" | cut -d: -f6)" \
			$(for v in ${PRESERVED_ENV//,/ }; do [ -n "${!v:-}" ] && printf '%s=%s ' "$v" "${!v}"; done) \
			bash -c 'cd "$0" && exec "$@"' "$BENCH" "$@"
	fi
}

# bench CLI location for the bench owner: an existing `bench` on PATH, or the venv setup made.
resolve_bench_cli() {
	local owner home
	owner=$(bench_owner "$BENCH")
	home=$(getent passwd "$owner" | cut -d: -f6)
	BENCH_CLI_BIN="$home/.local/share/bench-cli/bin"
	if [ ! -x "$BENCH_CLI_BIN/bench" ]; then
		for candidate in "$home/bench-cli/bin" "$home/.local/bin" /usr/local/bin /usr/bin; do
			if [ -x "$candidate/bench" ]; then
				BENCH_CLI_BIN=$candidate
				break
			fi
		done
	fi
}

mariadb_running() {
	mysqladmin ping >/dev/null 2>&1 || mysqladmin -uroot -p"$DB_ROOT_PASSWORD" ping >/dev/null 2>&1
}

start_service() {
	local name=$1
	if [ -d /run/systemd/system ]; then
		as_root systemctl start "$name"
	else
		as_root service "$name" start
	fi
}

# Start MariaDB when it is installed but not running.
ensure_mariadb_running() {
	command -v mysqld >/dev/null 2>&1 || command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] ||
		return 1
	if ! mariadb_running; then
		say "starting MariaDB"
		start_service mariadb >/dev/null 2>&1 || start_service mysql >/dev/null 2>&1 || true
		for _ in $(seq 1 30); do
			mariadb_running && return 0
			sleep 1
		done
		die "MariaDB is installed but did not start"
	fi
}

# The bench's own Redis servers (cache and queue), started from its config files when down.
ensure_bench_redis() {
	local conf port
	for conf in redis_cache redis_queue; do
		[ -f "$BENCH/config/$conf.conf" ] || continue
		port=$(awk '/^port/ {print $2}' "$BENCH/config/$conf.conf")
		if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
			say "starting the bench's $conf (port $port)"
			in_bench redis-server "config/$conf.conf" --daemonize yes >/dev/null
			for _ in $(seq 1 20); do
				redis-cli -p "$port" ping >/dev/null 2>&1 && break
				sleep 0.5
			done
		fi
	done
}

# Copy this checkout's working tree into the bench and install it there, as `bench get-app`
# would (pip install -e, apps.txt, assets). Nothing is copied when the bench's app folder
# is this checkout (a soft link made by `bench get-app --soft-link`).
install_checkout_into_bench() {
	local target="$BENCH/apps/$APP_NAME"
	if [ "$(readlink -f "$target" 2>/dev/null)" != "$(readlink -f "$REPO_DIR")" ]; then
		say "installing this checkout ($REPO_DIR) into $target"
		command -v rsync >/dev/null 2>&1 || as_root apt-get install -y -qq rsync >/dev/null
		# The bench's owner copies as themselves (no root needed); anyone else copies as root
		# and hands the copy to the owner.
		local owner as=as_root
		owner=$(bench_owner "$BENCH")
		[ "$(id -un)" != "$owner" ] || as=""
		if [ -L "$target" ]; then
			$as rm -f "$target"
		fi
		$as mkdir -p "$target"
		$as rsync -a --delete --exclude .git --exclude '.venv*' --exclude node_modules \
			--exclude __pycache__ --exclude .pytest_cache --exclude .ruff_cache --exclude test-artifacts \
			"$REPO_DIR/" "$target/"
		[ -z "$as" ] || as_root chown -R "$owner:" "$target"
	fi
	in_bench env/bin/python -m pip install -q --disable-pip-version-check -e "apps/$APP_NAME"
	if ! grep -qx "$APP_NAME" "$BENCH/sites/apps.txt"; then
		in_bench bash -c "printf '\n%s\n' '$APP_NAME' >> sites/apps.txt && sed -i '/^$/d' sites/apps.txt"
	fi
	in_bench bench build --app "$APP_NAME" >/dev/null
}

site_exists() { [ -f "$BENCH/sites/$1/site_config.json" ]; }

app_installed_on() {
	in_bench bench --site "$1" list-apps 2>/dev/null | grep -q "^$APP_NAME"
}

# Create the site with the app, or bring an existing one up to date with this checkout.
ensure_site() {
	local site=$1
	if ! site_exists "$site"; then
		say "creating site $site"
		in_bench bench new-site "$site" --admin-password "${ADMIN_PASSWORD:-admin}" \
			--db-root-password "$DB_ROOT_PASSWORD" --install-app "$APP_NAME"
	elif ! app_installed_on "$site"; then
		say "installing $APP_NAME on $site"
		in_bench bench --site "$site" clear-cache
		in_bench bench --site "$site" install-app "$APP_NAME"
		# list-apps can fail for a moment (say while Redis starts); install-app then answers
		# "already installed" without touching the schema, so migrate in any case.
		say "migrating $site"
		in_bench bench --site "$site" migrate
	else
		say "migrating $site"
		in_bench bench --site "$site" migrate
	fi
}
