#!/usr/bin/env bash
# Idempotent one-node Slurm on localhost for CI and local testing (Debian 12: slurm-wlm 22.05 +
# munge), adapted from docs/reference/scripts/slurm-local.sh. Must run as root. Installs the
# packages (under `flock /tmp/apt.lock`), writes /etc/slurm/slurm.conf with
# batch_sched_delay=0,sched_min_interval=0 (about 1 s per array task instead of ~3 s), starts
# munged, slurmctld and slurmd in the background (foreground mode, detached, so no systemd is
# needed), waits until the node is idle, and prints the daemons' PIDs (also kept in
# /run/slurm/skystack-pids for scripts/ci/slurm-down.sh). Running it again while Slurm is up does
# nothing but print the PIDs.
set -euo pipefail
PIDS=/run/slurm/skystack-pids

up() { command -v sinfo >/dev/null 2>&1 && sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; }

if up && [ -s "$PIDS" ]; then
  echo "slurm already up: $(cat "$PIDS")"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1 || ! command -v sbatch >/dev/null 2>&1; then
  flock /tmp/apt.lock bash -c '
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends munge slurmctld slurmd slurm-client >/dev/null'
fi

[ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
chown munge:munge /etc/munge/munge.key
chmod 400 /etc/munge/munge.key
install -d -o munge -g munge -m 0755 /run/munge /var/log/munge /var/lib/munge

HOST=$(hostname -s)
CPUS=$(nproc)
MEM=$(($(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 - 1024))
install -d /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
cat >/etc/slurm/slurm.conf <<CONF
ClusterName=local
SlurmctldHost=$HOST(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0
SlurmctldDebug=info
SlurmdDebug=info
MinJobAge=300
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
CONF

# Foreground daemons (-D/-F), detached with setsid so they outlive this script; we keep their PIDs.
if ! (munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1); then
  setsid runuser -u munge -- /usr/sbin/munged -F >/var/log/munge/munged.out 2>&1 </dev/null &
  RUNUSER_PID=$!
  for _ in $(seq 50); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  # runuser stays as munged's parent: record munged itself, so slurm-down stops the daemon by PID.
  MUNGE_PID=$(pgrep -P "$RUNUSER_PID" -x munged || echo "$RUNUSER_PID")
else
  MUNGE_PID=$(pgrep -x munged | head -1 || true)
fi
setsid /usr/sbin/slurmctld -D -i >/var/log/slurm/slurmctld.out 2>&1 </dev/null &
CTLD_PID=$!
setsid /usr/sbin/slurmd -D >/var/log/slurm/slurmd.out 2>&1 </dev/null &
SLURMD_PID=$!
echo "munged=$MUNGE_PID slurmctld=$CTLD_PID slurmd=$SLURMD_PID" >"$PIDS"

for _ in $(seq 150); do
  up && break
  sleep 0.2
done
if ! up; then
  echo "slurm-up: the node did not become idle; logs in /var/log/slurm" >&2
  tail -20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
  exit 1
fi
echo "slurm up: $(sinfo -h -o '%P %D %T %c'); $(cat "$PIDS")"
