"""carnet profile_reminders [--sync]: remind members whose profile has been idle for 30 days."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm


class Command(BaseCommand):
    help = (
        "Queue the 'keep your profile up to date' reminders (once per 30 days per member, opt-out respected). "
        "With --sync, send them now in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--sync", action="store_true", help="Send now instead of queueing the task.")

    def handle(self, *args, sync=False, **options):
        if not sync:
            from carnet.profiles.tasks import send_profile_reminders

            result = send_profile_reminders.enqueue()
            self.stdout.write(f"Queued the profile reminders (task {result.id}).")
            return
        from carnet.profiles.activity import profiles_due_reminder, reminder_send

        due = profiles_due_reminder()
        sent = 0
        for profile in tqdm(due.iterator(chunk_size=500), total=due.count(), file=sys.stderr, unit="member"):
            sent += reminder_send(profile=profile)
        self.stdout.write(f"Sent {sent} reminder(s).")
