#!/usr/bin/env bash
# Run a churnsim sweep as a Slurm job array: one shard per array task, merged afterwards.
#
#   sbatch --array=0-15 scripts/cluster/slurm-sweep.sh scenarios/sweeps/recovery-small.json
#   # when all tasks have finished:
#   npm run merge -- results/recovery-small-shard-*/ --out results/recovery-small-sweep
#
# Each task runs shard $SLURM_ARRAY_TASK_ID of $SLURM_ARRAY_TASK_COUNT into its own directory, using the cores
# Slurm gave it. A task that is preempted or killed can simply be resubmitted: finished runs are kept.
#SBATCH --job-name=churnsim-sweep
#SBATCH --cpus-per-task=2
#SBATCH --mem=8G
#SBATCH --time=04:00:00
#SBATCH --output=churnsim-%A_%a.log
set -euo pipefail
scenario="${1:?usage: sbatch --array=0-N slurm-sweep.sh <scenario.json>}"
name="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).name)' "$scenario")"
cd "${SLURM_SUBMIT_DIR:-.}"
exec npm run sweep -- "$scenario" \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT}" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --out "results/${name}-shard-${SLURM_ARRAY_TASK_ID}"
