"""carnet graph rebuild|stats: the in-memory graph engine from the command line.

    carnet graph stats      build the index here and print its size and timings (JSON)
    carnet graph rebuild    tell every running process to rebuild (Redis), then build here
                            to check the database reads cleanly

Web processes build the index themselves (lazily, or at `carnet serve` start); `rebuild` is for
after a bulk change that bypassed the services and signals (raw SQL, a restored backup).
"""

from __future__ import annotations

import json
import sys
import time

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Build the graph engine's index and print its statistics, or ask every process to rebuild it."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "stats"])
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")

    def handle(self, *args, action: str, no_progress: bool = False, **options):
        from django.conf import settings
        from tqdm import tqdm

        from carnet.network.graph.build import build_index
        from carnet.network.graph.runtime import get_runtime, policy_admits

        runtime = get_runtime()
        if action == "rebuild":
            runtime.request_rebuild()
            if settings.REDIS_URL:
                self.stderr.write(f"Asked every process on {runtime.channel} to rebuild.")
            else:
                self.stderr.write("No REDIS_URL: only this process can rebuild; restart the server to rebuild there.")
        bar = tqdm(desc="connections", unit=" rows", unit_scale=True, file=sys.stderr, disable=no_progress)
        started = time.perf_counter()
        seen = [0]

        def progress(done: int) -> None:
            bar.update(done - seen[0])
            seen[0] = done

        try:
            index, affiliations = build_index(admits=policy_admits, progress=progress)
        except Exception as exc:
            raise CommandError(f"Could not build the graph index: {exc}") from exc
        finally:
            bar.close()
        elapsed = time.perf_counter() - started
        edges = index.directed_edges
        self.stdout.write(
            json.dumps(
                {
                    "members": index.members,
                    "directed_edges": edges,
                    "build_s": round(elapsed, 3),
                    "index_bytes": index.nbytes(),
                    "bytes_per_directed_edge": round(index.nbytes() / edges, 2) if edges else None,
                    "affiliation_bytes": affiliations.nbytes(),
                    "company_periods": len(affiliations.companies),
                    "school_classes": len(affiliations.schools),
                    "mode": runtime.mode,
                    "redis": bool(settings.REDIS_URL),
                },
                indent=2,
            )
        )
