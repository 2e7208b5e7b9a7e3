"""Forms of the introduction, recommendation and contact pages. They parse input; the
services decide and enforce (limits included)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from carnet.core.i18n import interpolate_lazy
from carnet.network import introductions, recommendations
from carnet.network.contacts.parsing import MAX_FILE_BYTES
from carnet.network.models import RecommendationRelationship


class IntroductionRequestForm(forms.Form):
    intermediary = forms.ChoiceField(label=_("Who can introduce you?"), widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Your message"),
        max_length=introductions.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": introductions.MESSAGE_MAX}),
        help_text=_("Say why you would like to meet. Your mutual connection forwards it with a note of their own."),
    )

    def __init__(self, *args, intermediaries, names: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.users = {str(user.pk): user for user in intermediaries}
        self.fields["intermediary"].choices = [(str(user.pk), names[user.pk]) for user in intermediaries]

    def clean_intermediary(self):
        return self.users[self.cleaned_data["intermediary"]]


class IntroductionForwardForm(forms.Form):
    note = forms.CharField(
        label=_("Your note for them (optional)"),
        required=False,
        max_length=introductions.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": introductions.MESSAGE_MAX}),
    )


class RecommendationRequestForm(forms.Form):
    relationship = forms.ChoiceField(label=_("How do you know each other?"), choices=RecommendationRelationship.choices)
    context = forms.CharField(
        label=_("Position or context"),
        required=False,
        max_length=recommendations.CONTEXT_MAX,
        help_text=_("For example: “Data engineer at Acme, 2019–2021”."),
    )
    message = forms.CharField(
        label=_("Your message"),
        required=False,
        max_length=recommendations.MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": recommendations.MESSAGE_MAX}),
    )


class RecommendationWriteForm(forms.Form):
    relationship = forms.ChoiceField(label=_("How do you know each other?"), choices=RecommendationRelationship.choices)
    context = forms.CharField(
        label=_("Position or context"),
        required=False,
        max_length=recommendations.CONTEXT_MAX,
        help_text=_("For example: “Data engineer at Acme, 2019–2021”."),
    )
    text = forms.CharField(
        label=_("Recommendation"),
        max_length=recommendations.TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "maxlength": recommendations.TEXT_MAX}),
        help_text=_("It is shown on their profile only once they accept it. You can edit it until then."),
    )


class ContactsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Address book file"),
        help_text=interpolate_lazy(
            _("vCard (.vcf), CSV, or LinkedIn’s Connections.csv (or its data archive), at most %(mb)s MB."),
            {"mb": MAX_FILE_BYTES // 1_048_576},
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".vcf,.vcard,.csv,.txt,.zip,text/vcard,text/csv"}),
    )
