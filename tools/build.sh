#!/usr/bin/env bash
# Builds the real upstream binaries Bulwark's end-to-end tests use into a
# cache outside the repository:
#
#   ${BULWARK_CACHE:-$HOME/.cache/bulwark}/<K8S_VERSION>/bin/
#     bulwark-kube   kube-apiserver, kube-scheduler and an embedded etcd
#     kube-score, netpolicy, trivy                 (scanners, from the Go module proxy)
#   ${BULWARK_CACHE:-$HOME/.cache/bulwark}/<K8S_VERSION>/checkov-<version>/
#     a Python venv with Checkov from PyPI           (scanner)
#
# kube-linter and polaris are pinned too, but the module proxy this project
# can reach refuses both (403), so they are built only when named explicitly.
#
# Usage:
#   bash tools/build.sh [all|kube|scanners|<binary name>...]
#   bash tools/build.sh --print-bin-dir     print the bin directory and exit
#   bash tools/build.sh --force ...         rebuild even if the stamp matches
#
# Scanners are built with `go install PKG@VERSION`; if that fails (some
# proxies refuse a module's version list, which go install asks for), the
# exact module version is downloaded and the package built inside a copy of it.
#
# Versions live in tools/versions.env. A binary is skipped when it exists and
# its stamp file (bin/.stamps/<name>) records exactly the versions (and, for
# bulwark-kube, the hash of go.mod, go.sum and the sources) it would be built
# from now. The control plane is required: its failure fails the script. A
# scanner that cannot be built is reported and skipped (exit code stays 0)
# unless BULWARK_REQUIRE_SCANNERS=1.
#
# Environment:
#   BULWARK_CACHE             cache root (default $HOME/.cache/bulwark)
#   BULWARK_GO                go binary (default: go on PATH, else /usr/local/go/bin/go)
#   BULWARK_BUILD_JOBS        parallel compile jobs (default: nproc, at most 2)
#   BULWARK_REQUIRE_SCANNERS  1 to fail when a scanner does not build
set -euo pipefail

TOOLS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "${TOOLS_DIR}/versions.env"

CACHE_ROOT="${BULWARK_CACHE:-${HOME}/.cache/bulwark}"
CACHE_DIR="${CACHE_ROOT}/${K8S_VERSION}"
BIN_DIR="${CACHE_DIR}/bin"
STAMP_DIR="${BIN_DIR}/.stamps"
LOG_DIR="${CACHE_DIR}/logs"

force=0
targets=()
for arg in "$@"; do
  case "${arg}" in
    --print-bin-dir) echo "${BIN_DIR}"; exit 0 ;;
    --force) force=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -n 's/^# \{0,1\}//p'; exit 0 ;;
    all|kube|scanners|bulwark-kube|kube-score|kube-linter|polaris|netpolicy|trivy|checkov) targets+=("${arg}") ;;
    *) echo "build.sh: unknown argument: ${arg}" >&2; exit 2 ;;
  esac
done
[[ ${#targets[@]} -eq 0 ]] && targets=(all)

want() { # want NAME GROUP: is NAME selected by the targets?
  local t
  for t in "${targets[@]}"; do
    [[ "${t}" == all || "${t}" == "$1" || "${t}" == "$2" ]] && return 0
  done
  return 1
}

log() { printf '[build.sh] %s\n' "$*" >&2; }

# --- Go toolchain -----------------------------------------------------------
GO="${BULWARK_GO:-}"
if [[ -z "${GO}" ]]; then
  if command -v go >/dev/null 2>&1; then GO="$(command -v go)";
  elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go;
  else log "no Go toolchain found (set BULWARK_GO)"; exit 1; fi
fi
GO_VERSION="$("${GO}" env GOVERSION)"

jobs="${BULWARK_BUILD_JOBS:-$(nproc 2>/dev/null || echo 2)}"
(( jobs > 2 )) && jobs=2
(( jobs < 1 )) && jobs=1
export GOMAXPROCS="${jobs}"
export GOFLAGS="-trimpath -buildvcs=false"
export GOTOOLCHAIN=local   # never download another toolchain
export CGO_ENABLED=0       # static binaries; no C toolchain needed
LDFLAGS="-s -w"

mkdir -p "${BIN_DIR}" "${STAMP_DIR}" "${LOG_DIR}"

# One build at a time per cache directory.
exec 9>"${CACHE_DIR}/.build.lock"
if command -v flock >/dev/null 2>&1; then
  if ! flock -n 9; then
    log "another build holds ${CACHE_DIR}/.build.lock; waiting"
    flock 9
  fi
fi

sha256() { sha256sum | cut -d' ' -f1; }

up_to_date() { # up_to_date NAME STAMP_TEXT
  [[ ${force} -eq 0 && -x "${BIN_DIR}/$1" && -f "${STAMP_DIR}/$1" ]] &&
    [[ "$(cat "${STAMP_DIR}/$1")" == "$2" ]]
}

write_stamp() { printf '%s\n' "$2" >"${STAMP_DIR}/$1.tmp" && mv "${STAMP_DIR}/$1.tmp" "${STAMP_DIR}/$1"; }

size_of() { du -h "$1" | cut -f1; }

summary=()
failed_required=0

# --- bulwark-kube (kube-apiserver, kube-scheduler, etcd) -----------------------
build_kube() {
  local name=bulwark-kube
  # The module graph is pinned in go.mod; check it says what versions.env says.
  local mod_k8s mod_etcd
  mod_k8s="$(awk '$1=="k8s.io/kubernetes"{print $2; exit}' "${TOOLS_DIR}/go.mod")"
  mod_etcd="$(awk '$1=="go.etcd.io/etcd/server/v3"{print $2; exit}' "${TOOLS_DIR}/go.mod")"
  if [[ "${mod_k8s}" != "${K8S_VERSION}" || "${mod_etcd}" != "${ETCD_VERSION}" ]]; then
    log "tools/go.mod requires k8s.io/kubernetes ${mod_k8s:-?} and etcd ${mod_etcd:-?}," \
        "but versions.env says ${K8S_VERSION} and ${ETCD_VERSION}"
    return 1
  fi
  if grep -E '^\s*k8s\.io/[a-z-]+ => k8s\.io/[a-z-]+ v' "${TOOLS_DIR}/go.mod" |
      grep -v " ${K8S_STAGING_VERSION}\$" | grep -q .; then
    log "tools/go.mod replaces a staging module with a version other than ${K8S_STAGING_VERSION}"
    return 1
  fi
  # Stamp the release into the binary the way Kubernetes' own build does, so
  # /version and --version report v1.x.y instead of v0.0.0-master.
  local major minor build_date ver_ldflags pkg
  major="${K8S_VERSION#v}"; major="${major%%.*}"
  minor="${K8S_VERSION#v*.}"; minor="${minor%%.*}"
  build_date="$(cd "${TOOLS_DIR}" && "${GO}" list -m -f '{{.Time.UTC.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes 2>/dev/null || true)"
  [[ -n "${build_date}" ]] || build_date=1970-01-01T00:00:00Z
  ver_ldflags=""
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ver_ldflags+=" -X ${pkg}.gitVersion=${K8S_VERSION} -X ${pkg}.gitMajor=${major} -X ${pkg}.gitMinor=${minor}"
    ver_ldflags+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=${build_date}"
  done
  local sum_hash src_hash stamp
  sum_hash="$(sha256 <"${TOOLS_DIR}/go.sum")"
  src_hash="$(cd "${TOOLS_DIR}" && cat go.mod $(find cmd -name '*.go' | LC_ALL=C sort) | sha256)"
  stamp="$(printf 'name=%s\nk8s=%s\nstaging=%s\netcd=%s\ngo=%s\nldflags=%s\ngo_sum_sha256=%s\nsource_sha256=%s' \
    "${name}" "${K8S_VERSION}" "${K8S_STAGING_VERSION}" "${ETCD_VERSION}" "${GO_VERSION}" "${LDFLAGS}${ver_ldflags}" \
    "${sum_hash}" "${src_hash}")"
  if up_to_date "${name}" "${stamp}"; then
    log "${name}: up to date (k8s ${K8S_VERSION}, etcd ${ETCD_VERSION}), skipping"
    summary+=("${name}: cached")
    return 0
  fi
  log "${name}: building kube-apiserver + kube-scheduler ${K8S_VERSION} and etcd ${ETCD_VERSION}" \
      "with ${GO_VERSION}, -p ${jobs} (cold: about 8 minutes on 2 cores)"
  local start=${SECONDS} logf="${LOG_DIR}/${name}.log"
  if ! (cd "${TOOLS_DIR}" && "${GO}" build -p "${jobs}" -mod=readonly -ldflags="${LDFLAGS}${ver_ldflags}" \
        -o "${BIN_DIR}/.${name}.tmp" ./cmd/bulwark-kube) >"${logf}" 2>&1; then
    log "${name}: FAILED after $((SECONDS - start)) s; last lines of ${logf}:"
    tail -n 40 "${logf}" >&2
    rm -f "${BIN_DIR}/.${name}.tmp"
    return 1
  fi
  mv -f "${BIN_DIR}/.${name}.tmp" "${BIN_DIR}/${name}"
  write_stamp "${name}" "${stamp}"
  log "${name}: built in $((SECONDS - start)) s ($(size_of "${BIN_DIR}/${name}"))"
  summary+=("${name}: built in $((SECONDS - start)) s")
}

# --- scanners -----------------------------------------------------------------
build_scanner() { # build_scanner BINARY PKG VERSION
  local name="$1" pkg="$2" version="$3"
  local stamp
  stamp="$(printf 'name=%s\npkg=%s\nversion=%s\ngo=%s\nldflags=%s' \
    "${name}" "${pkg}" "${version}" "${GO_VERSION}" "${LDFLAGS}")"
  if up_to_date "${name}" "${stamp}"; then
    log "${name}: up to date (${pkg}@${version}), skipping"
    summary+=("${name}: cached")
    return 0
  fi
  log "${name}: building ${pkg}@${version}"
  local start=${SECONDS} logf="${LOG_DIR}/${name}.log" work built
  work="$(mktemp -d "${CACHE_DIR}/.work.XXXXXX")"
  # 1) go install MODULE@VERSION, run outside any module so tools/go.mod plays
  #    no part in it. It also asks the proxy for the module's version list (to
  #    report deprecations), which some proxies refuse for some modules.
  if (cd "${work}" && GOBIN="${work}" "${GO}" install -p "${jobs}" -ldflags="${LDFLAGS}" \
        "${pkg}@${version}") >"${logf}" 2>&1; then
    built="${work}/${pkg##*/}"   # named after the package's last path element
  else
    # 2) Fallback: download that exact module version and build the package
    #    inside a copy of it, as the main module with its own go.sum. This
    #    needs no version list. The module is the package path up to /cmd/.
    local module="${pkg%%/cmd/*}" rel="." dir
    [[ "${module}" != "${pkg}" ]] && rel="./cmd/${pkg#*/cmd/}"
    log "${name}: go install failed ($(grep -m1 -oE '[0-9]{3} [A-Z][a-z]+|no matching versions|cannot find module' "${logf}" || echo 'see log')); trying go mod download + go build"
    if dir="$(cd "${work}" && "${GO}" mod download -json "${module}@${version}" 2>>"${logf}" |
              sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')" && [[ -n "${dir}" && -d "${dir}" ]] &&
       cp -R "${dir}" "${work}/src" && chmod -R u+w "${work}/src" &&
       (cd "${work}/src" && "${GO}" build -p "${jobs}" -ldflags="${LDFLAGS}" -o "${work}/out" "${rel}") >>"${logf}" 2>&1; then
      built="${work}/out"
    else
      log "${name}: FAILED after $((SECONDS - start)) s; last lines of ${logf}:"
      tail -n 15 "${logf}" >&2
      rm -rf "${work}"
      return 1
    fi
  fi
  if [[ ! -x "${built}" ]]; then
    log "${name}: the build produced no binary at ${built}"
    rm -rf "${work}"
    return 1
  fi
  mv -f "${built}" "${BIN_DIR}/${name}"
  rm -rf "${work}"
  write_stamp "${name}" "${stamp}"
  log "${name}: built in $((SECONDS - start)) s ($(size_of "${BIN_DIR}/${name}"))"
  summary+=("${name}: built in $((SECONDS - start)) s")
}

scanner() { # scanner BINARY PKG VERSION [GROUP]: build, treating failure per policy
  want "$1" "${4:-scanners}" || return 0
  if ! build_scanner "$1" "$2" "$3"; then
    summary+=("$1: FAILED (see ${LOG_DIR}/$1.log)")
    if [[ "${BULWARK_REQUIRE_SCANNERS:-0}" == 1 ]]; then failed_required=1; fi
  fi
}

total_start=${SECONDS}
log "cache: ${BIN_DIR}"

if want bulwark-kube kube; then
  if ! build_kube; then
    summary+=("bulwark-kube: FAILED (see ${LOG_DIR}/bulwark-kube.log)")
    failed_required=1
  fi
fi

scanner kube-score  "${KUBE_SCORE_PKG}"      "${KUBE_SCORE_VERSION}"
scanner netpolicy   "${NETPOL_ANALYZER_PKG}" "${NETPOL_ANALYZER_VERSION}"
# The proxy refuses Trivy's version list, so go install fails fast and the fallback builds
# ./cmd/trivy inside a copy of the module (cold: about 20 minutes on 2 cores).
scanner trivy       "${TRIVY_PKG}"           "${TRIVY_VERSION}"
# Refused by the module proxy here (403 for every version): only when asked for by name.
scanner kube-linter "${KUBE_LINTER_PKG}"     "${KUBE_LINTER_VERSION}" explicit-only
scanner polaris     "${POLARIS_PKG}"         "${POLARIS_VERSION}"     explicit-only

# --- Checkov (PyPI), in its own venv ----------------------------------------------
build_checkov() {
  local venv="${CACHE_DIR}/checkov-${CHECKOV_VERSION}" py stamp start=${SECONDS}
  py="$(command -v python3)" || { log "checkov: no python3"; return 1; }
  stamp="$(printf 'checkov=%s\npython=%s' "${CHECKOV_VERSION}" "$("${py}" --version 2>&1)")"
  if [[ ${force} -eq 0 && -x "${venv}/bin/checkov" && -f "${STAMP_DIR}/checkov" && "$(cat "${STAMP_DIR}/checkov")" == "${stamp}" ]]; then
    log "checkov: up to date (${CHECKOV_VERSION}), skipping"
    summary+=("checkov: cached")
    return 0
  fi
  log "checkov: installing checkov==${CHECKOV_VERSION} into ${venv}"
  rm -rf "${venv}"
  if "${py}" -m venv "${venv}" >"${LOG_DIR}/checkov.log" 2>&1 &&
     "${venv}/bin/pip" install --quiet --disable-pip-version-check "checkov==${CHECKOV_VERSION}" >>"${LOG_DIR}/checkov.log" 2>&1 &&
     "${venv}/bin/checkov" --version >>"${LOG_DIR}/checkov.log" 2>&1; then
    write_stamp checkov "${stamp}"
    log "checkov: installed in $((SECONDS - start)) s"
    summary+=("checkov: installed in $((SECONDS - start)) s")
  else
    log "checkov: FAILED; last lines of ${LOG_DIR}/checkov.log:"
    tail -n 15 "${LOG_DIR}/checkov.log" >&2
    return 1
  fi
}
if want checkov scanners; then
  if ! build_checkov; then
    summary+=("checkov: FAILED (see ${LOG_DIR}/checkov.log)")
    if [[ "${BULWARK_REQUIRE_SCANNERS:-0}" == 1 ]]; then failed_required=1; fi
  fi
fi

# A human-readable record of what the cache holds.
{
  echo "# written by tools/build.sh $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  for f in "${STAMP_DIR}"/*; do
    [[ -f "${f}" ]] || continue
    echo "[$(basename "${f}")]"
    cat "${f}"
  done
} >"${CACHE_DIR}/versions.txt"

log "summary (total $((SECONDS - total_start)) s):"
for line in "${summary[@]}"; do log "  ${line}"; done
exit "${failed_required}"
