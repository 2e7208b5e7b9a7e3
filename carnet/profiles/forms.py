"""Forms of the profile editor. The API validates through the same forms, so a rule or a
limit written here holds for both; the models' `clean()` hold the date rules."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from carnet.core import visibility
from carnet.core.i18n import interpolate_lazy
from carnet.organizations.models import OrganizationKind
from carnet.profiles import selectors
from carnet.profiles.images import MAX_IMAGE_BYTES, image_clean
from carnet.profiles.models import (
    Certification,
    Education,
    Language,
    Position,
    Profile,
    Project,
    Publication,
    Volunteering,
)
from carnet.profiles.registry import MAX_WEBSITES

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*$")
_MONTH_SLASH_RE = re.compile(r"^\s*(\d{1,2})/(\d{4})\s*$")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "YYYY-MM", **(attrs or {})}, format="%Y-%m")


class MonthField(forms.Field):
    """A month ('2019-03', or '03/2019' where the browser has no month picker), stored as
    the first day of the month."""

    widget = MonthInput
    default_error_messages = {"invalid": _("Enter a month as YYYY-MM, for example 2019-03.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        text = str(value)
        match = _MONTH_RE.match(text)
        if match:
            year, month = int(match[1]), int(match[2])
        else:
            match = _MONTH_SLASH_RE.match(text)
            if not match:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            month, year = int(match[1]), int(match[2])
        try:
            return datetime.date(year, month, 1)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class IntroForm(forms.ModelForm):
    """The top card of a profile: name, pronouns, headline, location, industry, open to work."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    class Meta:
        model = Profile
        fields = ["pronouns", "headline", "location", "industry", "open_to_work"]
        help_texts = {
            "headline": _("What you do, in a line: shown under your name everywhere."),
            "open_to_work": _("Tell recruiters and members you are looking for a job."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance and self.instance.pk and not self.is_bound:
            self.initial.setdefault("first_name", self.instance.user.first_name)
            self.initial.setdefault("last_name", self.instance.user.last_name)
        self.order_fields(["first_name", "last_name", "pronouns", "headline", "location", "industry"])
        self.fields["first_name"].widget.attrs["autofocus"] = True


class AboutForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["about"]
        labels = {"about": _("About you")}
        widgets = {"about": forms.Textarea(attrs={"rows": 8, "autofocus": True})}
        help_texts = {"about": _("Your story in a few paragraphs (at most 2,600 characters).")}


phone_validator = RegexValidator(
    r"^\+?[0-9 ().\-/]{6,30}(?:\s*(?:ext\.?|x)\s*[0-9]{1,6})?$",
    _("Enter a phone number: digits, spaces and + ( ) - . / only, for example +33 6 12 34 56 78."),
)


class ContactForm(forms.Form):
    """Contact info: an e-mail address, a phone number and up to MAX_WEBSITES websites."""

    max_websites = MAX_WEBSITES

    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False, max_length=254)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40, validators=[phone_validator])

    def __init__(self, *args, profile: Profile | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        websites = list(profile.websites or []) if profile else []
        if profile is not None and not self.is_bound:
            self.initial.update(contact_email=profile.contact_email, phone=profile.phone)
        for index in range(MAX_WEBSITES):
            site = websites[index] if index < len(websites) and isinstance(websites[index], dict) else {}
            self.fields[f"website_{index}_url"] = forms.URLField(
                label=_("Website %(n)s address") % {"n": index + 1},
                required=False,
                max_length=500,
                assume_scheme="https",
                initial=site.get("url", ""),
            )
            self.fields[f"website_{index}_label"] = forms.CharField(
                label=_("Website %(n)s label") % {"n": index + 1},
                required=False,
                max_length=60,
                initial=site.get("label", ""),
                help_text=_("For example: Portfolio, Blog, Company") if index == 0 else "",
            )
        self.fields["contact_email"].widget.attrs["autofocus"] = True

    def clean(self):
        cleaned = super().clean()
        websites = []
        for index in range(MAX_WEBSITES):
            url = cleaned.get(f"website_{index}_url")
            label = (cleaned.get(f"website_{index}_label") or "").strip()
            if url:
                # A link to javascript: or data: on a profile would run in visitors' browsers.
                if not url.lower().startswith(("http://", "https://")):
                    self.add_error(f"website_{index}_url", _("Enter a web address starting with http:// or https://."))
                    continue
                websites.append({"url": url, "label": label})
            elif label:
                self.add_error(f"website_{index}_url", _("Give the address of this website, or clear its label."))
        cleaned["websites"] = websites
        return cleaned

    def website_rows(self):
        return [(self[f"website_{i}_label"], self[f"website_{i}_url"]) for i in range(MAX_WEBSITES)]


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("Image"),
        help_text=interpolate_lazy(
            _("JPEG, PNG, GIF or WebP, at most %(size)s MB."), {"size": MAX_IMAGE_BYTES // (1024 * 1024)}
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )

    def __init__(self, *args, kind: str = "photo", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["image"].label = _("Photo") if kind == "photo" else _("Banner")

    def clean_image(self):
        # The re-encoded file replaces the upload: what is stored is what we wrote.
        return image_clean(self.cleaned_data["image"], kind=self.kind)


class OrganizationPickMixin:
    """A company or school typed by name: linked to its page when one has exactly that
    name (the datalist suggests page names), else kept as free text. An explicit page
    address (`organization`, used by the API) wins over the name."""

    organization_kind = OrganizationKind.COMPANY
    name_field = "company_name"

    def _add_organization_field(self):
        self.fields["organization"] = forms.SlugField(required=False, widget=forms.HiddenInput, max_length=120)
        url = reverse("profiles:organization_suggestions", kwargs={"kind": self.organization_kind})
        datalist = f"{self.prefix or 'f'}-{self.name_field}-suggestions"
        self.fields[self.name_field].widget.attrs.update(
            {
                "list": datalist,
                "autocomplete": "off",
                "hx-get": url,
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{datalist}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        self.datalist_id = datalist
        has_page = self.instance and self.instance.organization_id
        if has_page and not self.is_bound and not self.initial.get(self.name_field):
            self.initial[self.name_field] = self.instance.organization.name

    def clean_organization(self):
        slug = self.cleaned_data.get("organization")
        if not slug:
            return None
        organization = selectors.organization_get_by_slug(slug=slug, kind=self.organization_kind)
        if organization is None:
            raise ValidationError(_("There is no page with the address “%(slug)s”.") % {"slug": slug})
        return organization

    def _post_clean(self):
        organization = self.cleaned_data.get("organization")
        name = (self.cleaned_data.get(self.name_field) or "").strip()
        if organization is None and name:
            organization = selectors.organization_by_name(name=name, kind=self.organization_kind)
        self.instance.organization = organization
        if organization is not None and not name:
            self.cleaned_data[self.name_field] = organization.name
        super()._post_clean()


class PositionForm(OrganizationPickMixin, forms.ModelForm):
    start_date = MonthField(label=_("Start month"))
    end_date = MonthField(label=_("End month"), required=False, help_text=_("Leave empty for a current position."))

    class Meta:
        model = Position
        fields = [
            "title",
            "company_name",
            "employment_type",
            "location",
            "start_date",
            "is_current",
            "end_date",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company_name"].required = False
        self.fields["title"].widget.attrs["autofocus"] = True
        self._add_organization_field()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("is_current") and not cleaned.get("end_date") and "end_date" not in self.errors:
            self.add_error("end_date", _("Give an end month, or tick “I currently work here”."))
        return cleaned


class EducationForm(OrganizationPickMixin, forms.ModelForm):
    organization_kind = OrganizationKind.SCHOOL
    name_field = "school_name"

    class Meta:
        model = Education
        fields = ["school_name", "degree", "field_of_study", "start_year", "end_year", "activities"]
        widgets = {"activities": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_name"].required = False
        self.fields["school_name"].widget.attrs["autofocus"] = True
        self._add_organization_field()


class LanguageForm(forms.ModelForm):
    class Meta:
        model = Language
        fields = ["name", "proficiency"]

    def __init__(self, *args, profile: Profile | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = profile
        self.fields["name"].widget.attrs["autofocus"] = True

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        profile = self.profile or (self.instance.profile if self.instance.profile_id else None)
        if profile is not None:
            others = profile.languages.exclude(pk=self.instance.pk).values_list("name", flat=True)
            if name.casefold() in {other.casefold() for other in others}:
                raise ValidationError(_("This language is already on your profile."))
        return name


def _url_field(label):
    # http(s) only: the model's URLField would also take ftp://, which no browser follows.
    return forms.URLField(
        label=label,
        required=False,
        max_length=200,
        assume_scheme="https",
        validators=[RegexValidator(r"^https?://", _("Enter a web address starting with http:// or https://."))],
    )


class CertificationForm(forms.ModelForm):
    url = _url_field(_("Credential URL"))
    issued = MonthField(label=_("Issue month"), required=False)
    expires = MonthField(label=_("Expiration month"), required=False, help_text=_("Leave empty if it does not expire."))

    class Meta:
        model = Certification
        fields = ["name", "authority", "issued", "expires", "credential_id", "url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True


class VolunteeringForm(forms.ModelForm):
    start_date = MonthField(label=_("Start month"), required=False)
    end_date = MonthField(label=_("End month"), required=False)

    class Meta:
        model = Volunteering
        fields = ["organization_name", "role", "cause", "start_date", "end_date", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization_name"].widget.attrs["autofocus"] = True


class ProjectForm(forms.ModelForm):
    url = _url_field(_("URL"))
    start_date = MonthField(label=_("Start month"), required=False)
    end_date = MonthField(label=_("End month"), required=False)

    class Meta:
        model = Project
        fields = ["name", "url", "start_date", "end_date", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True


class PublicationForm(forms.ModelForm):
    url = _url_field(_("URL"))

    class Meta:
        model = Publication
        fields = ["title", "publisher", "date", "url", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "date": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["autofocus"] = True


SECTION_FORMS: dict[str, type[forms.ModelForm]] = {
    "positions": PositionForm,
    "education": EducationForm,
    "languages": LanguageForm,
    "certifications": CertificationForm,
    "volunteering": VolunteeringForm,
    "projects": ProjectForm,
    "publications": PublicationForm,
}


def section_form(section: str, *, profile: Profile, data=None, instance=None, prefixed: bool = True):
    """The form of a section; the API passes `prefixed=False` to send plain field names."""
    form_class = SECTION_FORMS[section]
    kwargs = {"profile": profile} if form_class is LanguageForm else {}
    return form_class(data, instance=instance, prefix=section if prefixed else None, **kwargs)


def section_form_data(form: forms.ModelForm) -> dict:
    """The model field values a valid section form gives, for the services."""
    data = {name: form.cleaned_data[name] for name in form._meta.fields if name in form.cleaned_data}
    if isinstance(form, OrganizationPickMixin):
        data["organization"] = form.instance.organization
    return data


class SkillAddForm(forms.Form):
    name = forms.CharField(label=_("Skill"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="skills", **kwargs)
        self.fields["name"].widget.attrs.update(
            {
                "list": "skills-name-suggestions",
                "autofocus": True,
                "hx-get": reverse("profiles:skill_suggestions"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#skills-name-suggestions",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )

    def clean_name(self):
        from carnet.profiles.services import skill_name_clean

        return skill_name_clean(self.cleaned_data["name"])


class VisibilityForm(forms.Form):
    """One audience per profile field, limited to the audiences the policy allows."""

    def __init__(self, *args, profile: Profile, **kwargs):
        super().__init__(*args, **kwargs)
        for name in visibility.PROFILE_FIELD_DEFAULTS:
            self.fields[name] = forms.ChoiceField(
                label=visibility.PROFILE_FIELD_LABELS[name],
                choices=visibility.field_audience_choices(name),
                initial=visibility.field_audience(profile.visibility, name),
            )

    def groups(self):
        return [(title, [self[name] for name in names]) for title, names in visibility.PROFILE_FIELD_GROUPS]
