"""carnet member add EMAIL --name "First Last" [--password P]: create a member from the shell."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import IntegrityError
from django.urls import reverse


def split_name(name: str) -> tuple[str, str]:
    """'Jean-Pierre de La Tour' -> ('Jean-Pierre', 'de La Tour'): the first word is the first name."""
    first, _, last = " ".join(name.split()).partition(" ")
    return first, last


class Command(BaseCommand):
    help = "Members: `member add EMAIL --name NAME [--password P]` creates a verified member with an empty profile."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add}")
        add = actions.add_parser("add", help="create a verified member with an empty profile")
        add.add_argument("email")
        add.add_argument("--name", required=True, help='first and last name, e.g. "Zoé Martin"')
        add.add_argument(
            "--password",
            help="the member's password; without it the account has none until the member resets it",
        )

    def handle(self, *args, **options):
        from carnet.accounts.models import User
        from carnet.accounts.services import member_create

        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError as exc:
            raise CommandError(f"{options['email']!r} is not a valid e-mail address.") from exc
        first, last = split_name(options["name"])
        if not first:
            raise CommandError("--name must not be empty.")
        if User.objects.filter(email__iexact=email).exists():
            raise CommandError(f"A member with the e-mail address {email} already exists.")
        password = options["password"]
        if password is not None:
            try:
                validate_password(password, User(email=email, first_name=first, last_name=last))
            except ValidationError as exc:
                raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
        try:
            user = member_create(email=email, first_name=first, last_name=last, password=password)
        except IntegrityError as exc:
            raise CommandError(f"A member with the e-mail address {email} already exists.") from exc
        profile_url = settings.SITE_URL + user.profile.get_absolute_url()
        self.stdout.write(self.style.SUCCESS(f"Created {user.display_name} <{user.email}>: {profile_url}"))
        if password is None:
            reset_url = settings.SITE_URL + reverse("account_reset_password")
            self.stdout.write(
                f"No password set: {first} signs in after choosing one at {reset_url} "
                f"(or an administrator runs `carnet changepassword {email}`)."
            )
