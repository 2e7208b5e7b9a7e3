"""The people search form, read from the query string. It parses; the selector searches."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from carnet.search.engines import PeopleQuery

DEGREE_CHOICES = [
    ("1", pgettext_lazy("degree of connection", "1st")),
    ("2", pgettext_lazy("degree of connection", "2nd")),
    ("3", _("3rd+ and out of network")),
]
# The query-string keys of the degree filter, also accepted by the API ("1", "2", "3").
DEGREE_KEYS = {key for key, _label in DEGREE_CHOICES}


class PeopleSearchForm(forms.Form):
    q = forms.CharField(label=_("Search people"), required=False, max_length=200)
    degree = forms.MultipleChoiceField(
        label=_("Connections"), required=False, choices=DEGREE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    company = forms.CharField(label=_("Company"), required=False, max_length=200)
    school = forms.CharField(label=_("School"), required=False, max_length=200)
    location = forms.CharField(label=_("Location"), required=False, max_length=200)

    def people_query(self) -> PeopleQuery:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return PeopleQuery(
            text=data.get("q", ""),
            company=data.get("company", ""),
            school=data.get("school", ""),
            location=data.get("location", ""),
            degrees=frozenset(int(d) for d in data.get("degree", [])),
        )
