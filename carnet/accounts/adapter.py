from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        return reverse("core:home")

    def send_mail(self, template_prefix, email, context):
        # E-mails go through the task queue so a slow SMTP server never blocks a page.
        from carnet.notifications.tasks import send_rendered_email

        msg = self.render_mail(template_prefix, email, context)
        send_rendered_email.enqueue(
            subject=msg.subject,
            body=msg.body,
            to=list(msg.to),
            html=next((c for c, m in getattr(msg, "alternatives", []) if m == "text/html"), None),
        )
