#!/usr/bin/env bash
# Installs the software Vulkan driver (Mesa lavapipe, Debian bookworm-backports) so the WebGPU kernel
# backend (`webgpu` npm package, Dawn) finds an adapter in CI. Idempotent; run as root.
# Recipe and measurements: docs/reference/toolchain.md section 3.
set -euo pipefail

if ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 && ldconfig -p | grep -q libvulkan.so.1; then
  echo "install-vulkan: lavapipe already installed"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
src=/etc/apt/sources.list.d/bpo.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    # Copy the first stanza (the main mirror) and change only the suite.
    awk 'BEGIN{RS="";ORS="\n\n"} NR==1' /etc/apt/sources.list.d/debian.sources \
      | sed 's/^Suites:.*/Suites: bookworm-backports/' > "$src"
  else
    echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/bpo.list
  fi
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
ls /usr/share/vulkan/icd.d/
echo "install-vulkan: done"
