"""carnet relations_cleanup: mark expired introduction requests and erase the non-members'
addresses of contact imports older than 24 hours. Safe to run as often as you like."""

from django.core.management.base import BaseCommand

from carnet.network.contacts.importing import contacts_scrub
from carnet.network.introductions import introductions_expire


class Command(BaseCommand):
    help = "Expire introduction requests and erase old contact imports' addresses of non-members."

    def handle(self, *args, **options):
        expired = introductions_expire()
        scrubbed = contacts_scrub()
        self.stdout.write(f"{expired} introduction requests expired, {scrubbed} contact imports erased.")
