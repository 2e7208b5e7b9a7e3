from django.utils import translation

from carnet.core.i18n import interpolate_lazy
from carnet.network.forms import InvitationForm
from carnet.network.forms_relations import ContactsUploadForm
from carnet.profiles.forms import ImageForm


def test_interpolated_help_texts_follow_the_active_language():
    # Formatted at import time, they used to stay in English on French pages.
    fields = [
        InvitationForm.base_fields["note"],
        ContactsUploadForm.base_fields["file"],
        ImageForm.base_fields["image"],
    ]
    english = [str(field.help_text) for field in fields]
    with translation.override("fr"):
        french = [str(field.help_text) for field in fields]
    assert english[0] == "At most 300 characters."
    assert french[0] == "300\u00a0caractères au maximum." or french[0] == "300 caractères au maximum."
    assert all(e != f for e, f in zip(english, french, strict=True))


def test_interpolate_lazy_formats_when_rendered():
    text = interpolate_lazy("%(n)s items", {"n": 3})
    assert str(text) == "3 items"
