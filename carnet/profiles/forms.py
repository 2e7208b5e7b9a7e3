from django import forms

from carnet.profiles.models import Profile


class IntroForm(forms.ModelForm):
    """The top card of a profile: headline, location, industry, pronouns."""

    class Meta:
        model = Profile
        fields = ["headline", "location", "industry", "pronouns"]
