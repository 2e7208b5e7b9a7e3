"""Forms of the network pages. They parse input; the services decide and enforce."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from typing import NamedTuple

from django import forms
from django.contrib.auth import get_user_model
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from carnet.core.i18n import interpolate_lazy
from carnet.network.models import HowMet
from carnet.network.plans import PLANS
from carnet.network.selectors import NetworkFilters, NetworkSort, SharedOrganizations
from carnet.network.services import NOTE_MAX_LENGTH
from carnet.organizations.models import Organization, OrganizationKind


class InvitationForm(forms.Form):
    """Invite with an optional note and "how do you know each other?", offering only the
    companies and schools the two members share."""

    how_met = forms.ChoiceField(label=_("How do you know each other?"), required=False, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Add a note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX_LENGTH}),
        help_text=interpolate_lazy(_("At most %(max)s characters."), {"max": NOTE_MAX_LENGTH}),
    )

    def __init__(self, *args, shared: SharedOrganizations, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = {org.pk: org for org in [*shared.companies, *shared.schools]}
        choices = [
            (f"{HowMet.COLLEAGUE}:{org.pk}", _("We worked together at %(org)s") % {"org": org.name})
            for org in shared.companies
        ]
        choices += [
            (f"{HowMet.CLASSMATE}:{org.pk}", _("We studied together at %(org)s") % {"org": org.name})
            for org in shared.schools
        ]
        choices.append((HowMet.OTHER, _("Other")))
        self.fields["how_met"].choices = choices
        self.fields["how_met"].label = _("How do you know %(name)s?") % {"name": name}

    def clean_how_met(self):
        value = self.cleaned_data.get("how_met") or ""
        kind, _sep, org_id = value.partition(":")
        organization = self.organizations.get(int(org_id)) if org_id.isdigit() else None
        self.cleaned_data["organization"] = organization
        return kind


class NetworkFilterForm(forms.Form):
    """The filters and sort of "My network", read from the query string."""

    name = forms.CharField(label=_("Name"), required=False, max_length=100)
    company = forms.CharField(label=_("Current company"), required=False, max_length=200)
    school = forms.CharField(label=_("School"), required=False, max_length=200)
    location = forms.CharField(label=_("Location"), required=False, max_length=200)
    skill = forms.CharField(label=_("Skill"), required=False, max_length=100)
    since = forms.DateField(label=_("Connected since"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    label = forms.TypedChoiceField(label=_("Label"), required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=NetworkSort.choices)

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [("", _("Any label")), *((label.pk, label.name) for label in labels)]

    def fields_html(self) -> SafeString:
        """The fields' markup: the same as form.as_div (tests/network/test_views_filter_form.py
        compares them, errors and labels included), written here because Django's template-based
        form rendering (about 25 small templates for these eight fields) was ~30 % of the CPU of
        My network; the same fields written out in the page's template or with format_html still
        cost ~0.5 ms a page (lazy-string checks on every value), this ~0.15 ms."""
        errors = self.errors if self.is_bound else {}
        suffix = str(self.label_suffix or "")
        parts = []
        for name, field in self.fields.items():
            raw = field.widget.value_from_datadict(self.data, self.files, name) if self.is_bound else None
            label = str(field.label)
            if suffix and label and label[-1] not in gettext(":?.!"):
                label += suffix
            field_id = f"id_{name}"
            attrs: dict[str, str] = {}
            error_html = ""
            if errors.get(name):
                items = "".join(f"<li>{escape(str(error))}</li>" for error in errors[name])
                error_html = f'<ul class="errorlist" id="{field_id}_error">{items}</ul>'
                attrs = {"aria-invalid": "true", "aria-describedby": f"{field_id}_error"}
            if isinstance(field.widget, forms.Select):
                chosen = "" if raw is None else str(raw)
                options = "".join(
                    f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
                    f"{escape(str(text))}</option>"
                    for value, text in field.choices
                )
                control = f'<select name="{name}"{_attributes(attrs)} id="{field_id}">{options}</select>'
            else:
                attrs = {
                    "type": field.widget.attrs.get("type", field.widget.input_type),
                    "name": name,
                    **({"value": str(raw)} if raw not in (None, "") else {}),
                    **field.widget_attrs(field.widget),
                    **attrs,
                    "id": field_id,
                }
                control = f"<input{_attributes(attrs)}>"
            parts.append(f'<div><label for="{field_id}">{escape(label)}</label>{error_html}{control}</div>')
        return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped

    def filters(self) -> NetworkFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return NetworkFilters(
            name=data.get("name", "").strip(),
            company=data.get("company", "").strip(),
            school=data.get("school", "").strip(),
            location=data.get("location", "").strip(),
            skill=data.get("skill", "").strip(),
            since=data.get("since"),
            label_id=data.get("label"),
        )

    def sort_order(self) -> str:
        return (self.cleaned_data.get("sort") if self.is_valid() else "") or NetworkSort.RECENT


def _attributes(attrs: dict[str, str]) -> str:
    return "".join(f' {key}="{escape(str(value))}"' for key, value in attrs.items())


class _Label(NamedTuple):
    pk: int
    name: str


def unbound_fields_html(labels) -> SafeString:
    """The filter fields of My network with no filter (no query string: the page asked most),
    kept per language and label list: the same markup for every member with the same labels."""
    return _unbound_fields_html(get_language(), tuple((label.pk, label.name) for label in labels))


@lru_cache(maxsize=1024)
def _unbound_fields_html(language: str, labels: tuple[tuple[int, str], ...]) -> SafeString:
    # Rendered in `language`, the active one: the key says which translation it holds.
    return NetworkFilterForm(None, labels=[_Label(pk, name) for pk, name in labels]).fields_html()


class LabelForm(forms.Form):
    name = forms.CharField(label=_("Label name"), max_length=50)


class ConnectionLabelsForm(forms.Form):
    labels = forms.TypedMultipleChoiceField(
        label=_("Labels"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = {label.pk: label for label in labels}
        self.fields["labels"].choices = [(label.pk, label.name) for label in labels]

    def chosen(self) -> list:
        return [self.labels[pk] for pk in self.cleaned_data["labels"]]


class PlanGrantForm(forms.Form):
    """Staff: give a plan to a member (by e-mail) or to a company (by its address)."""

    email = forms.EmailField(label=_("Member's e-mail"), required=False)
    company = forms.SlugField(label=_("or company address (slug)"), required=False)
    plan = forms.ChoiceField(label=_("Plan"), choices=[(code, plan.name) for code, plan in PLANS.items()])
    days = forms.IntegerField(
        label=_("For how many days"),
        required=False,
        min_value=1,
        max_value=3660,
        help_text=_("Leave empty for no end."),
    )
    reference = forms.CharField(label=_("Note or reference"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        email, company = data.get("email"), data.get("company")
        if bool(email) == bool(company):
            raise forms.ValidationError(_("Give either a member's e-mail or a company address."))
        if email:
            data["user"] = get_user_model().objects.filter(email__iexact=email).first()
            if data["user"] is None:
                self.add_error("email", _("No member has this e-mail address."))
        if company:
            data["organization"] = Organization.objects.filter(slug=company, kind=OrganizationKind.COMPANY).first()
            if data["organization"] is None:
                self.add_error("company", _("No company has this address."))
        return data
