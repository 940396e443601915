#!/bin/bash
# A WarRoom sweep as a Slurm job array: 6 tasks, each running one of 6 equal shards; the merge
# runs as a dependent job once every task has succeeded.
#
#   jobid=$(sbatch --parsable deploy/slurm-sweep.sh)
#   sbatch --dependency=afterok:$jobid --wrap "warroom merge sweep --out reports"
#
#SBATCH --job-name=warroom-sweep
#SBATCH --array=1-6
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=02:00:00
#SBATCH --requeue
set -euo pipefail
# SLURM_ARRAY_TASK_ID runs 1..6 here (--array=1-6), as --shard counts; --resume lets a requeued task continue.
exec warroom sweep scenarios/east-china-medical.yaml --replications 30 --jobs "${SLURM_CPUS_PER_TASK:-2}" --resume \
  --shard "${SLURM_ARRAY_TASK_ID}/${SLURM_ARRAY_TASK_COUNT:-6}" --out sweep
