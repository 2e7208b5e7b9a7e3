"""allauth glue: where sign-in lands, how account e-mails leave, who throttles failed logins."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        return reverse("core:home")

    def send_mail(self, template_prefix, email, context):
        # Rendered now (in the visitor's language), sent by the task queue so that a slow
        # SMTP server never blocks a page; queued on commit so that a rolled-back sign-up
        # sends nothing.
        from carnet.notifications.tasks import send_rendered_email

        msg = self.render_mail(template_prefix, email, context)
        html = next((content for content, mime in getattr(msg, "alternatives", []) if mime == "text/html"), None)
        kwargs = {"subject": msg.subject, "body": msg.body, "to": list(msg.to), "html": html}
        transaction.on_commit(lambda: send_rendered_email.enqueue(**kwargs))

    def pre_authenticate(self, request, **credentials):
        # django-axes is the one failed-login throttle, for this form and the admin's alike,
        # with one lockout page. allauth's own counter would answer the 6th attempt with a
        # form error before axes is asked, so it is not consumed here.
        return None
