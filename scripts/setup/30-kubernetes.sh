#!/usr/bin/env bash
# Builds the real control plane the Kubernetes integration tests start on loopback:
#   kube-apiserver          from the k8s.io/kubernetes module (Go module proxy), staging modules pinned by `replace`
#   clusterrole-aggregator  the upstream clusterrole-aggregation controller (k8s.io/kubernetes/pkg/controller/...)
#   etcd                    from the go.etcd.io/etcd/server/v3 module (Go module proxy)
# Binaries are cached under ~/.cache/reachgraph/kubernetes/<component>-<version>/ so a warm run takes seconds.
# Stable links in ~/.cache/reachgraph/kubernetes/bin/ are what test/helpers/kube.ts starts.
# Idempotent; safe on a fresh machine (needs only Go, which the machine image ships, and openssl).
set -euo pipefail

K8S_VERSION="${REACHGRAPH_K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${REACHGRAPH_ETCD_VERSION:-v3.6.5}"
CACHE="${HOME}/.cache/reachgraph/kubernetes"
APISERVER_DIR="${CACHE}/kube-apiserver-${K8S_VERSION}"
AGGREGATOR_DIR="${CACHE}/clusterrole-aggregator-${K8S_VERSION}"
ETCD_DIR="${CACHE}/etcd-${ETCD_VERSION}"
export GOTOOLCHAIN=local GOFLAGS=-buildvcs=false CGO_ENABLED=0

log() { printf '[30-kubernetes] %s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:${PATH}"; else
    log "go toolchain not found (needed to build kube-apiserver and etcd)"; exit 1; fi
fi
if ! command -v openssl >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
fi

mkdir -p "${CACHE}/bin"

# Writes a go.mod requiring k8s.io/kubernetes with every staging module pinned to its published twin:
# k8s.io/kubernetes replaces each staging module with ./staging/src/...; a consumer must pin v0.X.Y itself.
k8s_module() {
  local work="$1" name="$2"
  local staging="v0.${K8S_VERSION#v1.}"
  local gomod
  gomod=$(cd "${work}" && go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)",*/\1/p')
  {
    echo "module reachgraph.local/${name}"
    echo
    echo "go 1.24.0"
    echo
    echo "require k8s.io/kubernetes ${K8S_VERSION}"
    echo
    grep -E '^\s*k8s\.io/[a-z0-9-]+ => \./staging/' "${gomod}" |
      sed -E "s#^\s*(k8s\.io/[a-z0-9-]+) => .*#replace \1 => \1 ${staging}#"
  } >"${work}/go.mod"
}

build_kube_apiserver() {
  if [ -x "${APISERVER_DIR}/kube-apiserver" ]; then log "kube-apiserver ${K8S_VERSION}: cached"; return; fi
  local start work
  start=$(date +%s)
  work=$(mktemp -d "${CACHE}/build-apiserver.XXXXXX")
  log "kube-apiserver ${K8S_VERSION}: building in ${work} (cold build takes a while on 2 cores)"
  k8s_module "${work}" kubebuild
  printf '//go:build tools\n\npackage tools\n\nimport _ "k8s.io/kubernetes/cmd/kube-apiserver"\n' >"${work}/tools.go"
  (cd "${work}" && { go mod tidy >/dev/null 2>&1 || go mod tidy; })
  (cd "${work}" && nice -n 10 go build -p 2 -trimpath \
    -ldflags "-s -w -X k8s.io/component-base/version.gitVersion=${K8S_VERSION} -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$(echo "${K8S_VERSION}" | cut -d. -f2)" \
    -o "${work}/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver)
  mkdir -p "${APISERVER_DIR}"
  mv "${work}/kube-apiserver" "${APISERVER_DIR}/kube-apiserver"
  rm -rf "${work}"
  log "kube-apiserver ${K8S_VERSION}: built in $(($(date +%s) - start))s"
}

# The clusterrole-aggregation controller alone (normally inside kube-controller-manager): without it,
# aggregated ClusterRoles (admin, edit, view, and the tests' own) keep empty rules on a bare API server.
build_aggregator() {
  if [ -x "${AGGREGATOR_DIR}/clusterrole-aggregator" ]; then log "clusterrole-aggregator ${K8S_VERSION}: cached"; return; fi
  local start work
  start=$(date +%s)
  work=$(mktemp -d "${CACHE}/build-aggregator.XXXXXX")
  k8s_module "${work}" aggregator
  cat >"${work}/main.go" <<'GO'
// Runs the upstream clusterrole-aggregation controller against one API server.
package main

import (
	"context"
	"flag"
	"os"
	"os/signal"
	"syscall"

	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/kubernetes/pkg/controller/clusterroleaggregation"
)

func main() {
	kubeconfig := flag.String("kubeconfig", "", "path to a kubeconfig")
	flag.Parse()
	cfg, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		panic(err)
	}
	cs := kubernetes.NewForConfigOrDie(cfg)
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer cancel()
	f := informers.NewSharedInformerFactory(cs, 0)
	c := clusterroleaggregation.NewClusterRoleAggregation(f.Rbac().V1().ClusterRoles(), cs.RbacV1())
	f.Start(ctx.Done())
	c.Run(ctx, 2)
}
GO
  (cd "${work}" && { go mod tidy >/dev/null 2>&1 || go mod tidy; })
  (cd "${work}" && nice -n 10 go build -p 2 -trimpath -ldflags "-s -w" -o "${work}/clusterrole-aggregator" .)
  mkdir -p "${AGGREGATOR_DIR}"
  mv "${work}/clusterrole-aggregator" "${AGGREGATOR_DIR}/clusterrole-aggregator"
  rm -rf "${work}"
  log "clusterrole-aggregator ${K8S_VERSION}: built in $(($(date +%s) - start))s"
}

build_etcd() {
  if [ -x "${ETCD_DIR}/etcd" ]; then log "etcd ${ETCD_VERSION}: cached"; return; fi
  local start work
  start=$(date +%s)
  work=$(mktemp -d "${CACHE}/build-etcd.XXXXXX")
  log "etcd ${ETCD_VERSION}: building in ${work}"
  printf 'module reachgraph.local/etcdbuild\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "${ETCD_VERSION}" >"${work}/go.mod"
  # The server module's main is etcdmain.Main; a two-line main keeps us off the module's own replace directives.
  printf 'package main\n\nimport (\n\t"os"\n\n\t"go.etcd.io/etcd/server/v3/etcdmain"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n' >"${work}/main.go"
  (cd "${work}" && { go mod tidy >/dev/null 2>&1 || go mod tidy; })
  (cd "${work}" && nice -n 10 go build -p 2 -trimpath -ldflags "-s -w" -o "${work}/etcd" .)
  mkdir -p "${ETCD_DIR}"
  mv "${work}/etcd" "${ETCD_DIR}/etcd"
  rm -rf "${work}"
  log "etcd ${ETCD_VERSION}: built in $(($(date +%s) - start))s"
}

build_etcd
build_kube_apiserver
build_aggregator
ln -sfn "${ETCD_DIR}/etcd" "${CACHE}/bin/etcd"
ln -sfn "${APISERVER_DIR}/kube-apiserver" "${CACHE}/bin/kube-apiserver"
ln -sfn "${AGGREGATOR_DIR}/clusterrole-aggregator" "${CACHE}/bin/clusterrole-aggregator"
log "ready: ${CACHE}/bin/{etcd,kube-apiserver,clusterrole-aggregator}"
