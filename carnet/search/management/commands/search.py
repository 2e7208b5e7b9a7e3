"""carnet search reindex: rebuild the people-search index from the database.

    carnet search reindex    rebuild every member's search document (a progress bar on
                             standard error, a core.Job of kind "search_reindex")

The index follows profile changes by itself (signals and tasks) and is rebuilt after
`carnet seed`; reindex after a bulk change that bypassed both (raw SQL, a restored backup), or
after changing what a document holds.
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Rebuild the people-search index (every member's search document) from the database."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["reindex"])
        parser.add_argument("--batch-size", type=int, default=1000, help="members per transaction (1000)")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")

    def handle(self, *args, action: str, batch_size: int = 1000, no_progress: bool = False, **options):
        from tqdm import tqdm

        from carnet.profiles.models import Profile
        from carnet.search.services import reindex_all

        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        disabled = no_progress or options["verbosity"] == 0
        bar = tqdm(
            total=Profile.objects.filter(user__is_active=True).count(),
            desc="search index",
            unit=" members",
            unit_scale=True,
            file=self.stderr._out,  # the raw stream: OutputWrapper would end each redraw with a newline
            dynamic_ncols=True,
            disable=disabled,
        )
        try:
            report = reindex_all(progress=bar.update, batch_size=batch_size)
        except Exception as exc:
            raise CommandError(f"Could not rebuild the search index: {exc}") from exc
        finally:
            bar.close()
        if options["verbosity"] > 0:
            self.stdout.write(json.dumps(report, indent=2))
