"""`carnet plan grant EMAIL --plan premium --days 30` (or `--company SLUG`), `carnet plan end
EMAIL`, `carnet plan show EMAIL`: site admins manage plans from the shell."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carnet.network import services
from carnet.network.models import PlanGrant
from carnet.network.plans import PLANS, plan_for
from carnet.network.quotas import quota_usage
from carnet.organizations.models import Organization, OrganizationKind


class Command(BaseCommand):
    help = "Grant, end or show members' plans (Free, Premium)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        grant = sub.add_parser("grant", help="Give a plan to a member (by e-mail) or a company (--company SLUG).")
        grant.add_argument("email", nargs="?", help="the member's e-mail address")
        grant.add_argument("--company", help="a company's address (slug): every member currently there")
        grant.add_argument("--plan", default="premium", choices=sorted(PLANS))
        grant.add_argument("--days", type=int, help="length of the grant in days (default: no end)")
        grant.add_argument("--reference", default="", help="a note or an outside reference")
        end = sub.add_parser("end", help="End a member's (or a company's) running grants now.")
        end.add_argument("email", nargs="?")
        end.add_argument("--company")
        show = sub.add_parser("show", help="Show a member's plan and usage.")
        show.add_argument("email")

    def handle(self, *args, action, **options):
        return getattr(self, f"handle_{action}")(**options)

    def _holder(self, email, company):
        if bool(email) == bool(company):
            raise CommandError("Give either a member's e-mail or --company SLUG.")
        if email:
            user = get_user_model().objects.filter(email__iexact=email).first()
            if user is None:
                raise CommandError(f"No member has the e-mail address {email}.")
            return user, None
        organization = Organization.objects.filter(slug=company, kind=OrganizationKind.COMPANY).first()
        if organization is None:
            raise CommandError(f"No company has the address {company}.")
        return None, organization

    def handle_grant(self, *, email, company, plan, days, reference, **options):
        user, organization = self._holder(email, company)
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        ends = timezone.now() + datetime.timedelta(days=days) if days else None
        try:
            grant = services.plan_grant(plan=plan, user=user, organization=organization, ends=ends, reference=reference)
        except services.NetworkError as exc:
            raise CommandError(str(exc)) from exc
        until = f" until {timezone.localtime(grant.ends):%Y-%m-%d %H:%M %Z}" if grant.ends else " with no end"
        self.stdout.write(self.style.SUCCESS(f"Granted {plan} to {email or organization.name}{until}."))

    def handle_end(self, *, email, company, **options):
        user, organization = self._holder(email, company)
        running = PlanGrant.objects.filter(user=user) if user else PlanGrant.objects.filter(organization=organization)
        ended = sum(services.plan_grant_end(grant=grant) for grant in running)
        self.stdout.write(self.style.SUCCESS(f"Ended {ended} running grant(s)."))

    def handle_show(self, *, email, **options):
        user, _org = self._holder(email, None)
        self.stdout.write(f"{user.email}: {plan_for(user).code}")
        for status in quota_usage(user):
            used = "-" if status.used is None else status.used
            resets = f", resets {timezone.localtime(status.resets_at):%Y-%m-%d %H:%M %Z}" if status.resets_at else ""
            self.stdout.write(f"  {status.name}: {used} / {status.limit}{resets}")
