from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from carnet.accounts import selectors, services
from carnet.accounts.models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. “CV export script”."),
    )
    scope = forms.ChoiceField(label=gettext_lazy("Access"), choices=TokenScope.choices, initial=TokenScope.READ)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name


@login_required
def settings_index(request):
    context = {
        "mfa_enabled": selectors.mfa_enabled(user=request.user),
        "active_tokens": selectors.token_active_count(user=request.user),
    }
    return render(request, "accounts/settings.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request):
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.token_create(user=request.user, **form.cleaned_data)
        except services.TokenLimitReached as exc:
            form.add_error(None, str(exc))
        else:
            form = TokenForm()
    items = selectors.token_list(user=request.user)
    return render(request, "accounts/tokens.html", {"form": form, "secret": secret, "items": items})


@login_required
@require_POST
def token_revoke(request, token_id):
    if services.token_revoke(user=request.user, token_id=token_id):
        messages.success(request, _("The token was revoked."))
    else:
        messages.error(request, _("No such active token."))
    return redirect("accounts:tokens")
