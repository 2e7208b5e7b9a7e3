"""carnet seed: a realistic synthetic network (demo, tests, benchmarks)."""

from __future__ import annotations

import datetime
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Progress:
    """One tqdm bar per stage of the seeding, on standard error."""

    def __init__(self, *, enabled: bool, totals: dict[str, int]):
        self.enabled = enabled
        self.totals = totals
        self.stage = None
        self.bar = None

    def __call__(self, stage: str, count: int) -> None:
        if not self.enabled:
            return
        if stage != self.stage:
            self.close()
            from tqdm import tqdm

            self.stage = stage
            self.bar = tqdm(
                total=self.totals.get(stage),
                desc=f"{stage:<12}",
                unit=" rows",
                unit_scale=True,
                file=sys.stderr,
                dynamic_ncols=True,
            )
        self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Create a synthetic network: members with careers, education, skills, connections and posts. "
        "Deterministic for a seed. --demo loads the small demo network once and prints its login."
    )

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, help="number of members (default: 200 with --demo, else 1000)")
        parser.add_argument("--seed", type=int, default=42, help="random seed: same seed, same network (42)")
        parser.add_argument(
            "--demo", action="store_true", help="the demo network and its login; does nothing if loaded"
        )
        parser.add_argument("--posts-per-member", type=float, default=2.0, help="average posts per member (2)")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            help="the day the network is seeded as of, YYYY-MM-DD (default: today); dates are relative to it",
        )
        parser.add_argument("--mean-degree", type=float, help="average connections per member (default: by size)")

    def handle(self, *args, **options):
        from carnet.accounts.models import User
        from carnet.core.seed import DEMO_EMAIL, SeedError, seed_network, seeded_network

        demo = options["demo"]
        members = options["members"] or (200 if demo else 1000)
        if members < 1:
            raise CommandError("--members must be at least 1.")
        if demo:
            if seeded_network(demo=True) or User.objects.filter(email=DEMO_EMAIL).exists():
                self.stdout.write("The demo network is already loaded: nothing to do.")
                self._print_login()
                return
        else:
            existing = seeded_network()
            if existing:
                raise CommandError(
                    f"This database already holds a seeded network ({existing['members']} members, seed "
                    f"{existing['seed']}, as of {existing['as_of']}). Seed into a fresh database "
                    "(another CARNET_DATA_DIR or DATABASE_URL)."
                )

        from carnet.core.seed.graph import mean_degree

        expected_edges = int(members * (options["mean_degree"] or mean_degree(members)))
        progress = Progress(
            enabled=options["verbosity"] > 0,
            totals={"accounts": 2 * members, "profiles": members, "connections": expected_edges},
        )
        try:
            report = seed_network(
                members=members,
                seed=options["seed"],
                demo=demo,
                posts_per_member=options["posts_per_member"],
                as_of=options["as_of"],
                mean_degree=options["mean_degree"],
                progress=progress,
            )
        except SeedError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            progress.close()
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {report['members']:,} members, {report['companies']} companies, {report['schools']} "
                    f"schools, {report['connections']:,} connections (mean {report['mean_degree']}, median "
                    f"{report['median_degree']:g}, max {report['max_degree']:,}), {report['posts']:,} posts "
                    f"in {report['seconds']} s."
                )
            )
        if demo:
            self._print_login()

    def _print_login(self):
        from carnet.core.seed import DEMO_EMAIL, DEMO_FRIEND_EMAIL

        password = settings.CARNET_SEED_DEMO_PASSWORD
        self.stdout.write(
            f"Demo login: {DEMO_EMAIL} / {password}  (a second account: {DEMO_FRIEND_EMAIL} / {password})"
        )
