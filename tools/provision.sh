#!/usr/bin/env bash
# Provisions the real servers the tests run against (Debian bookworm, as root):
#   redis7  - Redis 7.0 from bookworm (apt-get install)
#   valkey8 - Valkey 8.0 from bookworm-backports (unpacked, not installed)
#   redis8  - Redis 8.0 from trixie (unpacked with trixie's glibc and libraries)
#   valkey9 - Valkey 9.x from sid (unpacked with sid's glibc and libraries)
# Unpacked servers go to $TAIRHASH_SERVERS (default: <repo>/.cache/servers). For every kind it
# writes <kind>-server and <kind>-cli launchers into $TAIRHASH_SERVERS/bin; internal/testserver
# runs those. The system's apt lists are not touched by the downloads: they use a private
# sources list built from the mirror the machine already uses. Idempotent: a second run only
# checks what is there.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
servers="${TAIRHASH_SERVERS:-$repo/.cache/servers}"
mkdir -p "$servers/bin"
servers="$(cd "$servers" && pwd)"
bin="$servers/bin"

log() { printf 'provision: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- redis7: the distribution's own package ---------------------------------------------------

# The package's own paths, so another redis-server earlier in PATH is never picked up.
redis7_server=/usr/bin/redis-server
redis7_cli=/usr/bin/redis-cli

install_redis7() {
	if [ -x "$redis7_server" ] && [ -x "$redis7_cli" ] && "$redis7_server" --version | grep -q 'v=7\.0\.'; then
		return
	fi
	[ "$(id -u)" = 0 ] || die "redis-server 7.0 is missing and installing it needs root"
	export DEBIAN_FRONTEND=noninteractive
	# Update the lists only when the package is not known yet (a fresh machine).
	if ! apt-cache show redis-server >/dev/null 2>&1 || ! apt-get install -y redis-server redis-tools; then
		apt-get update
		apt-get install -y redis-server redis-tools
	fi
	"$redis7_server" --version | grep -q 'v=7\.0\.' || die "installed redis-server is not 7.0: $("$redis7_server" --version)"
}

# The package starts a service on 6379; tests never use it, so stop it and keep it from
# coming back at boot.
stop_system_redis() {
	if ! "$redis7_cli" -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && [ ! -e /run/redis/redis-server.pid ]; then
		return
	fi
	log "stopping the system's redis-server service (tests start their own servers)"
	if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
		systemctl disable --now redis-server >/dev/null 2>&1 || true
	fi
	if [ -x /etc/init.d/redis-server ]; then
		/etc/init.d/redis-server stop >/dev/null 2>&1 || true
	fi
	if "$redis7_cli" -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
		"$redis7_cli" -h 127.0.0.1 -p 6379 shutdown nosave >/dev/null 2>&1 || true
	fi
}

# --- private apt setup for the newer suites ---------------------------------------------------

apt_dir="$servers/apt"
apt_opts=()

# The debian archive URI the machine already uses (never the -security one).
mirror_uri() {
	local f=/etc/apt/sources.list.d/debian.sources uri=""
	if [ -f "$f" ]; then
		uri="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /debian-security/) { print $i; exit } }' "$f")"
	fi
	if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
		uri="$(awk '$1 == "deb" && $0 !~ /debian-security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list)"
	fi
	[ -n "$uri" ] || die "cannot find the debian archive URI in $f"
	printf '%s\n' "$uri"
}

private_apt() {
	[ ${#apt_opts[@]} -eq 0 ] || return 0
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
	local uri keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	uri="$(mirror_uri)"
	cat >"$apt_dir/sources.list.new" <<-EOF
		deb [signed-by=$keyring] $uri trixie main
		deb [signed-by=$keyring] $uri bookworm-backports main
		deb [signed-by=$keyring] $uri sid main
	EOF
	# A changed list (a suite added) makes the lists stale now, not in a day.
	if ! cmp -s "$apt_dir/sources.list.new" "$apt_dir/sources.list" 2>/dev/null; then
		rm -f "$apt_dir"/lists/*Packages* "$apt_dir"/lists/*Release*
	fi
	mv "$apt_dir/sources.list.new" "$apt_dir/sources.list"
	apt_opts=(
		-o "Dir::Etc::sourcelist=$apt_dir/sources.list"
		-o "Dir::Etc::sourceparts=-"
		-o "Dir::State::Lists=$apt_dir/lists"
		-o "Dir::Cache=$apt_dir/cache"
		-o "APT::Sandbox::User=root"
	)
	# The private lists are refreshed at most once a day.
	if [ -z "$(find "$apt_dir/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n1)" ]; then
		log "updating the private package lists (trixie, bookworm-backports, sid)"
		apt-get "${apt_opts[@]}" update -qq
	fi
}

# fetch_into DIR PKG/SUITE... downloads the packages and unpacks them all into DIR/root.
fetch_into() {
	local dir="$1"
	shift
	private_apt
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp/debs" "$dir.tmp/root"
	log "downloading $*"
	(cd "$dir.tmp/debs" && apt-get "${apt_opts[@]}" download -qq "$@")
	local deb
	for deb in "$dir.tmp"/debs/*.deb; do
		dpkg -x "$deb" "$dir.tmp/root"
	done
	rm -rf "$dir.tmp/debs" "$dir"
	mv "$dir.tmp" "$dir"
}

# launcher NAME COMMAND... writes $bin/NAME, a script that execs COMMAND with the caller's
# arguments (exec keeps the pid, so the test harness signals the server itself).
launcher() {
	local name="$1"
	shift
	{
		printf '#!/bin/sh\n# Written by tools/provision.sh.\nexec'
		printf ' %q' "$@"
		printf ' "$@"\n'
	} >"$bin/$name.new"
	chmod +x "$bin/$name.new"
	mv "$bin/$name.new" "$bin/$name"
}

# --- the standalone kinds ---------------------------------------------------------------

setup_redis7() {
	install_redis7
	stop_system_redis
	# redis-server is a link to redis-check-rdb, which behaves by its argv[0]: keep that name.
	launcher redis7-server "$redis7_server"
	launcher redis7-cli "$redis7_cli"
}

setup_valkey8() {
	local dir="$servers/valkey8"
	if [ ! -x "$dir/root/usr/bin/valkey-check-rdb" ] || [ ! -x "$dir/root/usr/bin/valkey-cli" ]; then
		fetch_into "$dir" valkey-server/bookworm-backports valkey-tools/bookworm-backports
	fi
	# valkey-server is a link to valkey-check-rdb; exec -a keeps the name it decides by.
	{
		printf '#!/bin/bash\n# Written by tools/provision.sh.\nexec -a valkey-server %q "$@"\n' \
			"$dir/root/usr/bin/valkey-check-rdb"
	} >"$bin/valkey8-server"
	chmod +x "$bin/valkey8-server"
	launcher valkey8-cli "$dir/root/usr/bin/valkey-cli"
}

setup_redis8() {
	local dir="$servers/redis8" lib
	lib="$dir/root/usr/lib/x86_64-linux-gnu"
	if [ ! -x "$dir/root/usr/bin/redis-check-rdb" ] || [ ! -e "$lib/ld-linux-x86-64.so.2" ]; then
		local p pkgs=()
		# redis-tools holds the server binary; the libraries are trixie's because it needs
		# glibc 2.38+, and they run through trixie's own dynamic loader, never the system's.
		for p in redis-tools libc6 libstdc++6 libjemalloc2 liblzf1 libssl3t64 libsystemd0 \
			libatomic1 libgcc-s1 libcap2 libgcrypt20 liblz4-1 liblzma5 libzstd1 libgpg-error0; do
			pkgs+=("$p/trixie")
		done
		fetch_into "$dir" "${pkgs[@]}"
	fi
	# Without --argv0 redis-server the binary runs as the RDB checker.
	unpacked_launchers redis8 "$dir" redis
}

setup_valkey9() {
	local dir="$servers/valkey9" lib
	lib="$dir/root/usr/lib/x86_64-linux-gnu"
	if [ ! -x "$dir/root/usr/bin/valkey-check-rdb" ] || [ ! -e "$lib/ld-linux-x86-64.so.2" ]; then
		local p pkgs=()
		# valkey-tools holds the server binary; like redis8 it needs a newer glibc than the
		# system's, so it runs on sid's libraries through sid's own dynamic loader.
		for p in valkey-tools libc6 libstdc++6 libgcc-s1 libjemalloc2 liblzf1 libssl3t64 \
			libsystemd0 libatomic1 libzstd1 zlib1g; do
			pkgs+=("$p/sid")
		done
		fetch_into "$dir" "${pkgs[@]}"
	fi
	# The binary is valkey-check-rdb; it serves only when called valkey-server.
	unpacked_launchers valkey9 "$dir" valkey
}

# unpacked_launchers KIND DIR NAME writes KIND-server and KIND-cli for a server unpacked into DIR
# with its own libraries: they run through its own dynamic loader, and the server binary (the RDB
# checker, NAME-check-rdb) is given the name NAME-server it decides its role by.
unpacked_launchers() {
	local kind="$1" dir="$2" name="$3" lib="$2/root/usr/lib/x86_64-linux-gnu"
	launcher "$kind-server" "$lib/ld-linux-x86-64.so.2" --library-path "$lib" --argv0 "$name-server" \
		"$dir/root/usr/bin/$name-check-rdb"
	launcher "$kind-cli" "$lib/ld-linux-x86-64.so.2" --library-path "$lib" --argv0 "$name-cli" \
		"$dir/root/usr/bin/$name-cli"
}

# --- checks -----------------------------------------------------------------------------------

# check KIND VERSION-REGEX [COMMAND...]: starts the server briefly on a free port
# and asks it for its version (and a command), so a broken unpack fails here, not in tests.
check() {
	local kind="$1" want="$2" port dir pid ok="" cmd
	shift 2
	dir="$(mktemp -d)"
	port="$(free_port)"
	"$bin/$kind-server" --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
		--dir "$dir" --daemonize no >"$dir/log" 2>&1 &
	pid=$!
	for _ in $(seq 1 100); do
		if "$bin/$kind-cli" -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
			ok=1
			break
		fi
		sleep 0.05
	done
	local version="" info=""
	if [ -n "$ok" ]; then
		version="$("$bin/$kind-cli" -h 127.0.0.1 -p "$port" info server | tr -d '\r' |
			awk -F: '$1 == "valkey_version" || ($1 == "redis_version" && v == "") { v = $2 } END { print v }')"
		[ $# -eq 0 ] || info="$("$bin/$kind-cli" -h 127.0.0.1 -p "$port" command info "$@")"
	fi
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	if [ -z "$ok" ]; then
		cat "$dir/log" >&2
		rm -rf "$dir"
		die "$kind did not start"
	fi
	rm -rf "$dir"
	[[ "$version" =~ $want ]] || die "$kind reports version '$version', want $want"
	for cmd in "$@"; do
		grep -qix "$cmd" <<<"$info" || die "$kind lacks $cmd"
	done
	log "$kind ok: version $version${*:+, has $*}"
}

# free_port prints a loopback port nobody listens on (good enough for a one-second check).
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

setup_redis7
setup_valkey8
setup_redis8
setup_valkey9
check redis7 '^7\.0\.'
check valkey8 '^8\.'
check redis8 '^8\.' hsetex hpexpire
check valkey9 '^9\.' hsetex hgetex hgetdel hpexpire
log "servers ready in $servers"
