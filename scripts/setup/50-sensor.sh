#!/usr/bin/env bash
# The runtime sensor's toolchain and kernel interfaces (issue 5), then the sensor build.
# Idempotent; runs as root on a fresh machine (CI) or an existing one.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v clang >/dev/null || need+=(clang llvm)
{ command -v bpftool >/dev/null || [ -x /usr/sbin/bpftool ]; } || need+=(bpftool)
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)   # node-gyp's compiler
command -v cc >/dev/null || need+=(gcc)    # the benchmark's and the burst test's workload
command -v pkg-config >/dev/null || need+=(pkg-config)
pkg-config --exists libbpf 2>/dev/null || need+=(libbpf-dev)
[ -e /usr/include/gelf.h ] || need+=(libelf-dev)
[ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
command -v setpriv >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  echo "50-sensor: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Tracepoints are attached through tracefs; bpffs is where pinned objects would live.
if [ ! -e /sys/kernel/tracing/events ] && ! mountpoint -q /sys/kernel/tracing; then
  mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || echo "50-sensor: could not mount tracefs (the sensor will say so)"
fi

nice -n 10 node scripts/build-native.mjs
