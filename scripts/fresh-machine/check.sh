#!/usr/bin/env bash
# Fresh-machine check (issue 13): does `npm install && npm start` work on a new machine that has only Node.js +
# npm, python3, make, g++ and git, and none of the Debian packages OpsDeck's demo and tests use (no chromium,
# openssh, awscli, libkrb5-dev, unzip, curl, sudo, …)? And how long does it take, from a clean clone to the
# "AWS OpsDeck is running. Open http://…" line, and what does the user see on the way?
#
#   sudo scripts/fresh-machine/check.sh             as root: npm start should apt-get install what is missing
#                                                   (a progress line per step), install Node 24 + code-server into
#                                                   .tools, start moto, seed the demo and print the URL; the
#                                                   check then asks code-server's /healthz, presses Ctrl+C
#                                                   (SIGINT to npm start's process group) and checks that
#                                                   nothing is left running
#   sudo scripts/fresh-machine/check.sh --as-user   as a non-root user: npm start should fail with ONE sentence
#                                                   naming the exact apt-get command, exit non-zero, and print
#                                                   no compiler output
#   --rebuild                                       rebuild the cached Debian rootfs first
#   --keep                                          keep the run's overlay (the clone, node_modules, .tools)
#   --test[=STEPS]                                  run `npm test -- --only=STEPS` (default vscode) instead of
#                                                   npm start: as root it must apt-get install what the steps
#                                                   need and pass; as a user, print the sentence and skip loudly
#   npm run check:fresh-machine [-- --as-user]      the same (it must run as root)
#
# It needs root on the host (debootstrap, mounts, namespaces) and several minutes, so it is not part of
# `npm test`. See docs/fresh-machine.md for what it does and the numbers measured with it.
#
# How it works, in three stages of this one file:
#   host    (as called)  builds the rootfs once (debootstrap, cached in /var/tmp/opsdeck-fresh/rootfs), makes a
#                        bare clone of this repo's HEAD, then runs stage "ns" under `unshare -m -p -f`.
#   ns      (pid 1 of a new pid + mount namespace, still on the host's filesystem) mounts a fresh overlay of
#                        the pristine rootfs, /proc, /sys, /dev, the host's Node.js (read-only), /root/.pyenv
#                        (read-only: the machine image preinstalls moto there), copies in the host's apt
#                        sources, apt network settings and resolv.conf, then chroots into stage "inside".
#                        Every mount lives in that namespace and disappears with it.
#   inside  (in the chroot, as root or as the user `dev`) clones, times `npm install` and `npm start`, checks.
# Networking is the host's (no network namespace): npm and apt need their registries, and the URL that
# npm start prints is on the host's loopback.
#
# No registry or mirror host name is written in this file: the Debian mirror is read from the host's
# /etc/apt/sources.list(.d) and the npm registry from `npm config get registry`, at run time.
set -euo pipefail

SELF="$(realpath "${BASH_SOURCE[0]}")"
CACHE="${OPSDECK_FRESH_CACHE:-/var/tmp/opsdeck-fresh}"
ROOTFS="$CACHE/rootfs"
SUITE=bookworm                     # Debian 12, what the machines of this kind run
USER_NAME=dev                      # the non-root user of --as-user
USER_UID=1000
IN_DIR=/opsdeck-check              # inside the chroot: this script, the transcript, the summary (bind mount)
IN_REPO=/srv/opsdeck.git           # inside the chroot: the bare clone of HEAD (bind mount, read-only)
START_TIMEOUT_S="${OPSDECK_FRESH_START_TIMEOUT:-2400}"   # npm start → URL, at most (40 min)

say() { printf '[fresh-machine] %s\n' "$*"; }
die() { say "FAILED: $*" >&2; exit 1; }

# ----------------------------------------------------------------------------------------------------------------
# host stage
# ----------------------------------------------------------------------------------------------------------------

# The Debian mirror the host's apt uses for the main suite (not -security, not -updates): the first URI of a
# deb822 paragraph in sources.list.d/*.sources whose Suites has "$SUITE", else of a one-line `deb` entry.
host_debian_mirror() {
  local uri=''
  shopt -s nullglob
  local sources=(/etc/apt/sources.list.d/*.sources)
  if ((${#sources[@]})); then
    uri="$(awk -v suite="$SUITE" 'BEGIN { RS = ""; FS = "\n" }
      {
        types = ""; uris = ""; suites = ""; enabled = "yes"
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Types:/)   types = $i
          if ($i ~ /^URIs:/)    { uris = $i; sub(/^URIs:[ \t]*/, "", uris) }
          if ($i ~ /^Suites:/)  suites = " " $i " "
          if ($i ~ /^Enabled:[ \t]*no/) enabled = "no"
        }
        if (enabled == "yes" && types ~ /(^|[ \t])deb([ \t]|$)/ && suites ~ ("[ \t]" suite "[ \t]")) {
          split(uris, u, /[ \t]+/); print u[1]; exit
        }
      }' "${sources[@]}")"
  fi
  if [[ -z "$uri" ]]; then
    local lists=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list)
    uri="$(awk -v suite="$SUITE" '$1 == "deb" {
        n = 2; if ($2 ~ /^\[/) { while ($n !~ /\]$/) n++; n++ }
        if ($(n + 1) == suite) { print $n; exit } }' "${lists[@]}" 2>/dev/null || true)"
  fi
  shopt -u nullglob
  [[ -n "$uri" ]] || die "could not find the Debian mirror for $SUITE in /etc/apt/sources.list(.d)"
  printf '%s\n' "$uri"
}

# The Debian packages behind the shared libraries of the pyenv Python that moto lives in. The machine image
# preinstalls /root/.pyenv (built against these), so a fresh machine has them; Tk is left out (nothing here
# imports tkinter). Read off the host with ldd + dpkg -S.
pyenv_runtime_packages() {
  local moto; moto="$(ls /root/.pyenv/versions/*/bin/moto_server 2>/dev/null | head -n1 || true)"
  [[ -n "$moto" ]] || { say "no moto_server under /root/.pyenv/versions: moto will be missing in the rootfs too" >&2; return 0; }
  local version_dir; version_dir="$(dirname "$(dirname "$moto")")"
  find "$version_dir" \( -name '*.so' -o -name '*.so.*' -o -path '*/bin/python3*' \) -type f ! -name '_tkinter*' \
    -print0 2>/dev/null |
    { xargs -0 -r ldd 2>/dev/null || true; } | awk '$2 == "=>" && $3 ~ /^\// { print $3 }' | { grep -v "^$version_dir" || true; } | sort -u |
    while read -r lib; do
      dpkg -S "$lib" 2>/dev/null || dpkg -S "$(realpath "$lib")" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null || true
    done | cut -d: -f1 | { grep -v -E '^(libtk|libtcl|libx|libfontconfig|libfreetype|libpng|libbrotli)' || true; } | sort -u | tr '\n' ' '
}

build_rootfs() {
  command -v debootstrap >/dev/null || { say "installing debootstrap on the host"; apt-get install -y -q debootstrap >/dev/null; }
  local mirror; mirror="$(host_debian_mirror)"
  # What a fresh machine of this kind has (docs/fresh-machine.md): python3, make, g++, git (for the clone),
  # ca-certificates; plus the runtime libraries of the preinstalled pyenv Python. Node.js + npm come from the host
  # at run time (read-only). Nothing else: no openssh, chromium, awscli, unzip, curl, sudo.
  local include="python3,make,g++,git,ca-certificates"
  local pylibs; pylibs="$(pyenv_runtime_packages)"
  [[ -n "${pylibs// /}" ]] && include="$include,${pylibs// /,}" && include="${include%,}"
  say "building the Debian $SUITE rootfs in $ROOTFS (debootstrap --variant=minbase, a few minutes, once)"
  say "  packages: ${include//,/ }"
  rm -rf "$ROOTFS.tmp"
  local started=$SECONDS
  if ! debootstrap --variant=minbase --include="$include" "$SUITE" "$ROOTFS.tmp" "$mirror" >"$CACHE/debootstrap.log" 2>&1; then
    tail -n 20 "$CACHE/debootstrap.log" >&2
    die "debootstrap failed (full output: $CACHE/debootstrap.log)"
  fi
  chroot "$ROOTFS.tmp" useradd --create-home --uid "$USER_UID" --shell /bin/bash "$USER_NAME"
  chroot "$ROOTFS.tmp" apt-get clean
  rm -rf "$ROOTFS.tmp"/var/lib/apt/lists/* "$ROOTFS.tmp/etc/apt/sources.list" "$ROOTFS.tmp"/etc/apt/sources.list.d/*
  # /usr/bin/python3 etc. must be there, and the packages the demo needs must not be (or the check proves nothing).
  local p
  for p in /usr/bin/python3 /usr/bin/make /usr/bin/g++ /usr/bin/git; do
    [[ -e "$ROOTFS.tmp$p" ]] || die "the rootfs has no $p"
  done
  # (No openssl here: Debian's ca-certificates depends on the openssl package, so every machine with a CA bundle
  # has /usr/bin/openssl.)
  for p in /usr/bin/ssh /usr/sbin/sshd /usr/bin/chromium /usr/bin/aws /usr/bin/unzip /usr/bin/curl /usr/bin/sudo; do
    [[ ! -e "$ROOTFS.tmp$p" ]] || die "the rootfs has $p, which a fresh machine lacks"
  done
  printf 'built %s from the host mirror, suite %s, in %d s\npackages: %s\n' "$(date -u +%FT%TZ)" "$SUITE" \
    $((SECONDS - started)) "${include//,/ }" >"$ROOTFS.tmp/etc/opsdeck-fresh-rootfs"
  mv "$ROOTFS.tmp" "$ROOTFS"
  say "rootfs ready in $((SECONDS - started)) s ($(du -sh "$ROOTFS" | cut -f1))"
}

host_main() {
  local mode=root keep=0 rebuild=0 test_steps='' arg
  for arg in "$@"; do
    case "$arg" in
      --as-user) mode=user ;;
      --rebuild) rebuild=1 ;;
      --keep) keep=1 ;;
      --test) test_steps=vscode ;;
      --test=*) test_steps="${arg#--test=}" ;;
      -h|--help) sed -n '2,/^set -euo/p' "$SELF" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      *) die "unknown option $arg (see --help)" ;;
    esac
  done
  [[ $(id -u) -eq 0 ]] || die "run it as root (it builds a rootfs with debootstrap and mounts it in a new namespace)"
  command -v node >/dev/null || die "no node on PATH (the fresh machine gets the host's Node.js)"
  mkdir -p "$CACHE"
  ((rebuild)) && rm -rf "$ROOTFS"
  [[ -d "$ROOTFS" ]] || build_rootfs
  say "rootfs: $(head -n1 "$ROOTFS/etc/opsdeck-fresh-rootfs")"

  local repo; repo="$(git -C "$(dirname "$SELF")" rev-parse --show-toplevel)"
  local run; run="$CACHE/runs/$mode${test_steps:+-test}-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$run"/{upper,work,merged,out}
  # A bare clone of HEAD (what `git clone` would fetch: committed work only). Copied, not hard-linked, and owned
  # by the user who clones it (git refuses a repository owned by someone else).
  git clone -q --bare --no-local "$repo" "$run/opsdeck.git"
  local head; head="$(git -C "$run/opsdeck.git" rev-parse --short HEAD)"
  cp "$SELF" "$run/out/check.sh"
  if [[ $mode == user ]]; then chown -R "$USER_UID:$USER_UID" "$run/opsdeck.git" "$run/out"; fi

  # The host's npm settings, passed by environment only (no file of the repo names a registry).
  local registry nodedir default_registry
  registry="$(npm config get registry)"
  nodedir="$(npm config get nodedir 2>/dev/null || true)"
  [[ -d "$nodedir" ]] || nodedir=''
  default_registry="$(cd / && env -i PATH="$PATH" HOME=/nonexistent npm config get registry --userconfig=/nonexistent/u --globalconfig=/nonexistent/g 2>/dev/null || true)"
  if [[ "$registry" != "$default_registry" ]]; then
    say "note: the host's npm registry is not npm's default; it reaches the clone as npm_config_registry (env), which scripts/lib/tools.mjs keeps for its own npm installs"
  fi

  say "mode: $mode; repo HEAD $head; run folder: $run"
  say "transcript: $run/out/transcript.log"
  local rc=0
  OPSDECK_FRESH_TEST="$test_steps" OPSDECK_FRESH_RUN="$run" OPSDECK_FRESH_MODE="$mode" OPSDECK_FRESH_REGISTRY="$registry" OPSDECK_FRESH_NODEDIR="$nodedir" \
    unshare --mount --pid --fork --mount-proc --propagation private "$SELF" --stage ns 2>&1 | tee "$run/out/transcript.log.tmp" || rc=${PIPESTATUS[0]}
  # The transcript without the run folder's owner problems: out/ may be owned by the user.
  mv "$run/out/transcript.log.tmp" "$run/out/transcript.log"
  if ((keep)); then
    say "kept the run's files in $run/upper (the clone is $run/upper/$([[ $mode == user ]] && echo "home/$USER_NAME" || echo root)/aws-opsdeck)"
  else
    rm -rf "$run/upper" "$run/work" "$run/merged" "$run/opsdeck.git"
  fi
  say "transcript: $run/out/transcript.log; summary: $run/out/summary.txt"
  exit "$rc"
}

# ----------------------------------------------------------------------------------------------------------------
# ns stage: pid 1 of a new pid + mount namespace, on the host's filesystem
# ----------------------------------------------------------------------------------------------------------------
ns_main() {
  local run="$OPSDECK_FRESH_RUN" mode="$OPSDECK_FRESH_MODE" m="$OPSDECK_FRESH_RUN/merged"
  # A fresh copy of the pristine rootfs for this run: an overlay (writes go to $run/upper), or, where overlayfs
  # cannot be mounted, a full copy.
  if ! mount -t overlay overlay -o "lowerdir=$ROOTFS,upperdir=$run/upper,workdir=$run/work" "$m" 2>/dev/null; then
    say "overlayfs unavailable: copying the rootfs (cp -a)"
    cp -a "$ROOTFS/." "$m/"
  fi
  mount -t proc proc "$m/proc"                 # this namespace's processes only
  mount --rbind /sys "$m/sys" && mount --make-rslave "$m/sys"
  mount --rbind /dev "$m/dev" && mount --make-rslave "$m/dev"

  # Node.js + npm: the host's installation, read-only at the same paths (a machine of this kind comes with them).
  local node_bin prefix cmd p
  node_bin="$(realpath "$(command -v node)")"
  prefix="$(dirname "$(dirname "$node_bin")")"
  ro_bind "$node_bin" "$m$node_bin"
  ro_bind "$prefix/lib/node_modules" "$m$prefix/lib/node_modules"
  [[ -d "$prefix/include/node" ]] && ro_bind "$prefix/include/node" "$m$prefix/include/node"
  for cmd in node npm npx; do
    p="$(command -v "$cmd" || true)"
    if [[ -n "$p" && -L "$p" && ! -e "$m$p" ]]; then mkdir -p "$m$(dirname "$p")"; cp -P "$p" "$m$p"; fi
  done
  # npm's global config file (here: the CA bundle to use), copied as the host has it.
  local globalconfig; globalconfig="$(npm config get globalconfig 2>/dev/null || true)"
  if [[ -f "$globalconfig" ]]; then mkdir -p "$m$(dirname "$globalconfig")"; cp "$globalconfig" "$m$globalconfig"; fi

  # moto: the image preinstalls pyenv with moto in /root/.pyenv; the same, read-only.
  [[ -d /root/.pyenv ]] && ro_bind /root/.pyenv "$m/root/.pyenv"

  # apt inside must reach the same archive as the host's: its sources, its Acquire:: settings (e.g. a snapshot
  # mirror's Valid-Until), its resolver.
  shopt -s nullglob
  [[ -f /etc/apt/sources.list ]] && cp /etc/apt/sources.list "$m/etc/apt/sources.list"
  for p in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do cp "$p" "$m/etc/apt/sources.list.d/"; done
  for p in /etc/apt/apt.conf.d/*; do grep -q 'Acquire::' "$p" 2>/dev/null && cp "$p" "$m/etc/apt/apt.conf.d/"; done
  shopt -u nullglob
  rm -f "$m/etc/resolv.conf"; cp -L /etc/resolv.conf "$m/etc/resolv.conf"
  # The machine's certificate authorities: the image adds its own (here: the CA of the egress proxy that every
  # HTTPS request goes through) to /usr/local/share/ca-certificates and the bundle. Without them npm fails with
  # SELF_SIGNED_CERT_IN_CHAIN. The same files, at run time.
  for p in /usr/local/share/ca-certificates/*; do
    [[ -e "$p" ]] && mkdir -p "$m/usr/local/share/ca-certificates" && cp -a "$p" "$m/usr/local/share/ca-certificates/"
  done
  [[ -f /etc/ssl/certs/ca-certificates.crt ]] && cp -L /etc/ssl/certs/ca-certificates.crt "$m/etc/ssl/certs/ca-certificates.crt"
  cp /etc/hosts "$m/etc/hosts"

  mkdir -p "$m$IN_REPO" "$m$IN_DIR"
  ro_bind "$run/opsdeck.git" "$m$IN_REPO"
  mount --bind "$run/out" "$m$IN_DIR"

  # A login-like, clean environment: nothing of the caller's (no CI=, no npm_*), the host's npm registry and
  # nodedir by environment, Debian's default PATH for the user.
  local home=/root path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin userspec=()
  if [[ $mode == user ]]; then home="/home/$USER_NAME"; path=/usr/local/bin:/usr/bin:/bin; userspec=(--userspec="$USER_UID:$USER_UID"); fi
  local env=(HOME="$home" PATH="$path" USER="$( [[ $mode == user ]] && echo "$USER_NAME" || echo root)" LANG=C.UTF-8
    TERM=dumb SHELL=/bin/bash OPSDECK_FRESH_MODE="$mode" OPSDECK_FRESH_TEST="${OPSDECK_FRESH_TEST:-}" npm_config_registry="$OPSDECK_FRESH_REGISTRY")
  [[ -n "$OPSDECK_FRESH_NODEDIR" ]] && env+=(npm_config_nodedir="$OPSDECK_FRESH_NODEDIR")
  # The machine's own TLS settings (where it sets them), pointing at files that exist in the rootfs too.
  local v
  for v in NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR; do
    [[ -n "${!v:-}" && -e "$m${!v}" ]] && env+=("$v=${!v}")
  done
  exec chroot "${userspec[@]}" "$m" /usr/bin/env -i "${env[@]}" /bin/bash "$IN_DIR/check.sh" --stage inside
}

ro_bind() {
  local src="$1" dst="$2"
  if [[ -d "$src" ]]; then mkdir -p "$dst"; else mkdir -p "$(dirname "$dst")"; : >"$dst"; fi
  mount --bind "$src" "$dst"
  mount -o remount,bind,ro "$dst"
}

# ----------------------------------------------------------------------------------------------------------------
# inside stage: in the chroot (pid 1 of the namespace), as root or as the user
# ----------------------------------------------------------------------------------------------------------------
now_us() { echo "${EPOCHREALTIME/./}"; }
T0=''
# One line as the user saw it, prefixed with the seconds since the clone began.
stamp() {
  local us=$(( $(now_us) - T0 ))
  printf '[%4d.%d s] %s\n' $((us / 1000000)) $(((us / 100000) % 10)) "$1"
}
secs() { local us=$(( $2 - $1 )); printf '%d.%d' $((us / 1000000)) $(((us / 100000) % 10)); }

# Runs a step, its output (stdout and stderr together, as on a terminal) stamped line by line and kept in
# $IN_DIR/<name>.log; sets STEP_RC and STEP_US.
run_step() {
  local name="$1"; shift
  stamp "\$ $*"
  local t=$(now_us) line
  set +e
  "$@" 2>&1 | tee "$IN_DIR/$name.log" | while IFS= read -r line; do stamp "  $line"; done
  STEP_RC=${PIPESTATUS[0]}
  set -e
  STEP_US=$(( $(now_us) - t ))
  stamp "  (exit $STEP_RC after $(secs 0 "$STEP_US") s)"
}

# Processes in this namespace other than this script: after npm start has stopped there must be none.
LEFT=()
leftovers() {
  LEFT=()
  local d pid cmd
  for d in /proc/[0-9]*; do
    pid="${d#/proc/}"
    [[ "$pid" == "$$" || "$pid" == "$BASHPID" ]] && continue
    cmd="$(tr '\0' ' ' <"$d/cmdline" 2>/dev/null || true)"
    [[ -n "$cmd" ]] && LEFT+=("$pid $cmd")
  done
  return 0
}

# The lines of a compiler or node-gyp dump (what the user must never see instead of a sentence).
COMPILER_RE='gyp ERR!|:[0-9]+(:[0-9]+)?: (fatal )?error:|collect2: error|^(g\+\+|c\+\+|cc|make)(\[[0-9]+\])?: '

# Appends the verdict to the summary file and prints it; true when there are no failures (the other arguments).
report() {
  local summary="$1"; shift
  if (($#)); then printf 'FAILED: %s\n' "$@"; else echo 'PASSED'; fi >>"$summary"
  echo
  echo '------------------------------------------------------------------ summary'
  cat "$summary"
  (($# == 0))
}

# `npm test -- --only=STEPS` instead of npm start (--test): what the user sees, and what each mode must show.
test_instead() {
  local install_us="$1" install_rc="$2" clone_us="$3" steps="$OPSDECK_FRESH_TEST" failures=() summary="$IN_DIR/summary.txt" mode="$OPSDECK_FRESH_MODE"
  ((install_rc == 0)) || failures+=("npm install exited $install_rc")
  run_step npm-test npm test -- "--only=$steps"
  local test_us=$STEP_US test_rc=$STEP_RC log="$IN_DIR/npm-test.log"
  local compiler; compiler="$(cat "$IN_DIR/npm-install.log" "$log" | grep -E "$COMPILER_RE" | head -n 5 || true)"
  [[ -z "$compiler" ]] || failures+=("compiler/node-gyp output shown to the user: ${compiler//$'\n'/ | }")
  local totals; totals="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n1 || true)"
  if [[ $mode == root ]]; then
    grep -q 'installing the missing Debian packages (you are root)' "$log" || failures+=("no 'installing the missing Debian packages' line")
    ((test_rc == 0)) || failures+=("npm test exited $test_rc")
    [[ "$totals" =~ ^[1-9][0-9]*\ passed,\ 0\ failed$ ]] || failures+=("expected passes and no skip: '$totals'")
  else
    local sentence; sentence="$(grep -E 'apt-get install -y --no-install-recommends [a-z]' "$log" | head -n1 || true)"
    if [[ -n "$sentence" ]]; then stamp "the sentence: $sentence"; else failures+=("no sentence naming the apt-get install command"); fi
    [[ "$totals" =~ [1-9][0-9]*\ skipped ]] || failures+=("the steps that need the missing tools should be counted as skipped: '$totals'")
  fi
  {
    echo "mode: $mode ($(id -un)), npm test -- --only=$steps, $(node --version), npm $(npm --version), repo $(git rev-parse --short HEAD)"
    echo "git clone:            $(secs 0 "$clone_us") s"
    echo "npm install:          $(secs 0 "$install_us") s (exit $install_rc)"
    echo "npm test:             $(secs 0 "$test_us") s (exit $test_rc): $totals"
    echo "clone → done (total): $(secs 0 $(( clone_us + install_us + test_us ))) s"
  } >"$summary"
  report "$summary" "${failures[@]}"
}

inside_main() {
  local mode="$OPSDECK_FRESH_MODE" failures=() summary="$IN_DIR/summary.txt"
  cd "$HOME"
  T0=$(now_us)
  stamp "fresh machine: $(. /etc/os-release && echo "$PRETTY_NAME"), user $(id -un) (uid $(id -u)), Node $(node --version), npm $(npm --version)"
  local tool have=() lack=()
  for tool in python3 make g++ git ssh sshd chromium aws unzip openssl curl sudo apt-get; do
    if command -v "$tool" >/dev/null; then have+=("$tool"); else lack+=("$tool"); fi
  done
  stamp "on PATH: ${have[*]}; not on PATH: ${lack[*]}"

  # 1. the clone
  run_step clone git clone "$IN_REPO" aws-opsdeck
  local clone_us=$STEP_US
  ((STEP_RC == 0)) || { stamp "FAILED: git clone"; exit 1; }
  cd aws-opsdeck

  # 2. npm install
  run_step npm-install npm install
  local install_us=$STEP_US install_rc=$STEP_RC
  ((install_rc == 0)) || failures+=("npm install exited $install_rc")
  if [[ -n "${OPSDECK_FRESH_TEST:-}" ]]; then test_instead "$install_us" "$install_rc" "$clone_us"; return; fi

  # 3. npm start: in its own session (as a terminal's job would be), its output followed line by line until the
  #    URL line, npm start's exit, or the time limit.
  local start_log="$IN_DIR/npm-start.log" url='' start_rc='' t_start line chunk buf=''
  : >"$start_log"
  stamp '$ npm start'
  t_start=$(now_us)
  setsid npm start >"$start_log" 2>&1 </dev/null &
  local npm_pid=$!
  exec 3<"$start_log"
  local deadline=$(( SECONDS + START_TIMEOUT_S ))
  follow() {   # prints the new complete lines of the log; returns 0 when the URL line has been seen
    while IFS= read -r chunk <&3; do
      line="$buf$chunk"; buf=''
      stamp "  $line"
      if [[ -z "$url" && "$line" =~ AWS\ OpsDeck\ is\ running\.\ Open\ (http://[^[:space:]]+) ]]; then url="${BASH_REMATCH[1]}"; fi
    done
    buf+="$chunk"
  }
  while :; do
    follow
    [[ -n "$url" ]] && break
    if ! kill -0 "$npm_pid" 2>/dev/null; then
      wait "$npm_pid" && start_rc=0 || start_rc=$?
      follow; [[ -n "$buf" ]] && stamp "  $buf" && buf=''
      break
    fi
    ((SECONDS < deadline)) || { failures+=("no URL within $START_TIMEOUT_S s"); break; }
    sleep 0.2
  done
  local start_us=$(( $(now_us) - t_start )) healthz='-' page='-' stop_us='-' stop_rc='-'

  if [[ -n "$url" ]]; then
    stamp "  (URL after $(secs 0 "$start_us") s of npm start)"
    # code-server's own liveness endpoint, and the page itself, asked with the machine's Node (no curl here).
    local origin="${url%%/\?*}"; origin="${origin%/}"
    healthz="$(node -e 'fetch(process.argv[1]).then(async (r) => { console.log(`${r.status} ${(await r.text()).slice(0, 120)}`); process.exit(r.ok ? 0 : 1); }, (e) => { console.log(`no answer: ${e.message}`); process.exit(1); })' "$origin/healthz")" \
      || failures+=("$origin/healthz: $healthz")
    stamp "  GET $origin/healthz → $healthz"
    page="$(node -e 'fetch(process.argv[1]).then(async (r) => { const t = await r.text(); console.log(`${r.status}, ${t.length} bytes${/workbench/i.test(t) ? ", a VS Code workbench page" : ""}`); process.exit(r.ok ? 0 : 1); }, (e) => { console.log(`no answer: ${e.message}`); process.exit(1); })' "$url")" \
      || failures+=("$url: $page")
    stamp "  GET $url → $page"
    # Ctrl+C: SIGINT to npm start's whole process group, as a terminal sends it.
    stamp '  ^C (SIGINT to the npm start process group)'
    local t_stop=$(now_us)
    kill -INT -- "-$npm_pid" 2>/dev/null || true
    local stop_deadline=$(( SECONDS + 60 ))
    while kill -0 "$npm_pid" 2>/dev/null && ((SECONDS < stop_deadline)); do follow; sleep 0.2; done
    if kill -0 "$npm_pid" 2>/dev/null; then
      failures+=("npm start still running 60 s after SIGINT")
      kill -KILL -- "-$npm_pid" 2>/dev/null || true
    fi
    wait "$npm_pid" && stop_rc=0 || stop_rc=$?
    follow; [[ -n "$buf" ]] && stamp "  $buf" && buf=''
    stop_us=$(( $(now_us) - t_stop ))
    stamp "  (npm start exited $stop_rc, $(secs 0 "$stop_us") s after SIGINT)"
    ((stop_rc == 0 || stop_rc == 130)) || failures+=("npm start exited $stop_rc after SIGINT")
    grep -q 'stopped every process this demo started' "$start_log" || failures+=("no 'stopped every process' line after SIGINT")
    sleep 1
    leftovers
    if ((${#LEFT[@]})); then
      failures+=("${#LEFT[@]} process(es) still running after npm start stopped")
      local l; for l in "${LEFT[@]}"; do stamp "  still running: ${l:0:160}"; done
    else
      stamp '  nothing of the demo is still running'
    fi
  else
    start_rc="${start_rc:-timeout}"
    stamp "  (npm start exited $start_rc after $(secs 0 "$start_us") s, no URL)"
  fi

  # What each mode must show.
  local all_output; all_output="$(cat "$IN_DIR/npm-install.log" "$start_log")"
  local compiler; compiler="$(grep -E "$COMPILER_RE" <<<"$all_output" | head -n 5 || true)"
  [[ -z "$compiler" ]] || failures+=("compiler/node-gyp output shown to the user: ${compiler//$'\n'/ | }")
  if [[ $mode == root ]]; then
    [[ -n "$url" ]] || failures+=("npm start printed no URL (exit $start_rc)")
    grep -q 'installing the missing Debian packages (you are root)' "$start_log" \
      || failures+=("no 'installing the missing Debian packages' line (was nothing missing?)")
  else
    [[ -z "$url" ]] || failures+=("npm start printed a URL as a non-root user on a machine without openssh-client")
    [[ "$start_rc" != 0 && "$start_rc" != timeout ]] || failures+=("npm start should exit non-zero as a non-root user (exit $start_rc)")
    local sentence; sentence="$(grep -E 'apt-get install -y --no-install-recommends [a-z]' "$start_log" | head -n1 || true)"
    if [[ -n "$sentence" ]]; then stamp "the sentence: $sentence"; else failures+=("no sentence naming the apt-get install command"); fi
    local opsdeck_lines; opsdeck_lines="$(grep -c '^\[opsdeck\]' "$start_log" || true)"
    stamp "npm start printed $(wc -l <"$start_log") lines, $opsdeck_lines of them its own ([opsdeck] …)"
  fi

  local total_us=$(( $(now_us) - T0 ))
  {
    echo "mode: $mode ($(id -un)), $(node --version), npm $(npm --version), repo $(git rev-parse --short HEAD)"
    echo "git clone:            $(secs 0 "$clone_us") s"
    echo "npm install:          $(secs 0 "$install_us") s (exit $install_rc)"
    if [[ -n "$url" ]]; then
      echo "npm start → URL:      $(secs 0 "$start_us") s"
      echo "clone → URL (total):  $(secs 0 $(( clone_us + install_us + start_us ))) s"
      echo "healthz:              $healthz"
      echo "Ctrl+C → stopped:     $(secs 0 "$stop_us") s (exit $stop_rc)"
    else
      echo "npm start → exit:     $(secs 0 "$start_us") s (exit $start_rc)"
      echo "clone → exit (total): $(secs 0 $(( clone_us + install_us + start_us ))) s"
    fi
    [[ -d .tools ]] && echo "sizes:                node_modules $(du -sh node_modules 2>/dev/null | cut -f1), .tools $(du -sh .tools 2>/dev/null | cut -f1)"
  } >"$summary"
  report "$summary" "${failures[@]}"
}

case "${1:-}" in
  --stage)
    case "${2:-}" in
      ns) ns_main ;;
      inside) inside_main ;;
      *) die "unknown stage ${2:-}" ;;
    esac ;;
  *) host_main "$@" ;;
esac
