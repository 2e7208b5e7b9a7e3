from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from carnet.accounts import services
from carnet.accounts.models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    scope = forms.ChoiceField(label=gettext_lazy("Access"), choices=TokenScope.choices)


@login_required
def settings_index(request):
    return render(request, "accounts/settings.html")


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.token_create(user=request.user, **form.cleaned_data)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenForm()
    items = request.user.tokens.all()
    return render(request, "accounts/tokens.html", {"form": form, "secret": secret, "items": items})


@login_required
@require_POST
def token_revoke(request, token_id):
    if services.token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")
