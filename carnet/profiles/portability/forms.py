from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carnet.profiles.portability import jsonresume, linkedin, uploads
from carnet.profiles.portability.report import ImportRefused


class ResumeImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("JSON Resume file"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A resume.json file (JSON Resume schema 1.x), at most %(limit)s.") % {
            "limit": filesizeformat(jsonresume.max_bytes())
        }
        self.fields["file"].widget.attrs["accept"] = ".json,application/json"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.cleaned_data["data"] = uploads.read_upload(upload, jsonresume.max_bytes())
        except ImportRefused as refused:
            raise ValidationError(refused.message, code=refused.code) from refused
        return upload


class LinkedInImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("LinkedIn data archive (.zip)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The zip LinkedIn sends you from Settings › Data privacy › Get a copy of your data, at most %(limit)s."
        ) % {"limit": filesizeformat(linkedin.max_upload_bytes())}
        self.fields["file"].widget.attrs["accept"] = ".zip,application/zip"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = linkedin.max_upload_bytes()
        try:
            if upload.size > limit:
                raise uploads.too_large(limit, upload.size)
            upload.seek(0)
            linkedin.check(upload)
        except ImportRefused as refused:
            raise ValidationError(refused.message, code=refused.code) from refused
        return upload
