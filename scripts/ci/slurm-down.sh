#!/usr/bin/env bash
# Stops the daemons scripts/ci/slurm-up.sh started, by the PIDs it recorded (nothing else).
set -euo pipefail
PIDS=/run/slurm/skystack-pids
[ -s "$PIDS" ] || { echo "slurm-down: no $PIDS; nothing to stop"; exit 0; }
read -r -a pairs <"$PIDS"
pids=()
for p in "${pairs[@]}"; do v=${p#*=}; [ -n "$v" ] && pids+=("$v"); done
# slurmd, slurmctld, then munged
for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[$i]}" 2>/dev/null || true; done
for p in "${pids[@]}"; do
  for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
done
rm -f "$PIDS"
echo "slurm down: stopped ${pids[*]}"
