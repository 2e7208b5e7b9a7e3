"""Forms of the documents, activity and public-address pages. They parse input only: the
rules (content checks, limits, reserved addresses) live in the services they feed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carnet.core.visibility import Audience
from carnet.profiles.models import BrowsingMode, DocumentKind


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices, initial=DocumentKind.CV)
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_('For example "CV – data engineering" or "Letter to Acme".')
    )
    file = forms.FileField(
        label=_("PDF file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=_("PDF only. A cover letter can be written below instead."),
    )
    text = forms.CharField(
        label=_("Written cover letter"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    audience = forms.ChoiceField(label=_("Who can see it"), choices=Audience.choices, initial=Audience.CONNECTIONS)
    is_default = forms.BooleanField(label=_("Make it my default CV"), required=False)


class DocumentEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    audience = forms.ChoiceField(label=_("Who can see it"), choices=Audience.choices)
    text = forms.CharField(
        label=_("Written cover letter"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )


class ActivitySettingsForm(forms.Form):
    browsing_mode = forms.ChoiceField(
        label=_("When I view profiles, show me as"), choices=BrowsingMode.choices, widget=forms.RadioSelect
    )
    update_reminders = forms.BooleanField(
        label=_("Remind me when my profile has not been updated for 30 days"), required=False
    )


class SlugForm(forms.Form):
    slug = forms.CharField(
        label=_("Public address"),
        max_length=100,
        help_text=_("3 to 100 lowercase letters, digits and hyphens. Your old address will redirect to the new one."),
    )
