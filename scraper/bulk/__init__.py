"""Bulk extraction: WARC files to article shards, here or on a Dask cluster.

``plan`` turns inputs into tasks, ``write_shard`` runs one task (the same
function under both engines), ``run_local`` and ``run_dask`` decide where
tasks run, ``Totals`` adds their reports up.
"""

from scraper.bulk.engines import (
    DASK_MISSING,
    Outcome,
    ShardFailed,
    load_dask,
    run_dask,
    run_local,
)
from scraper.bulk.job import Options, ShardReport, Task, shard_files, write_shard
from scraper.bulk.plan import expand, plan
from scraper.bulk.totals import Totals

__all__ = [
    "DASK_MISSING",
    "Options",
    "Outcome",
    "ShardFailed",
    "ShardReport",
    "Task",
    "Totals",
    "expand",
    "load_dask",
    "plan",
    "run_dask",
    "run_local",
    "shard_files",
    "write_shard",
]
