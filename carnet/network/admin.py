"""Django admin for the network app: site admins grant plans to members and companies here
(or on /staff/plans/, or with `carnet plan grant`)."""

from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carnet.network import services
from carnet.network.models import PlanGrant
from carnet.network.plans import PLANS


class PlanGrantForm(forms.ModelForm):
    plan = forms.ChoiceField(label=_("plan"), choices=[(code, plan.name) for code, plan in PLANS.items()])

    class Meta:
        model = PlanGrant
        fields = ["plan", "user", "organization", "starts", "ends", "source", "reference"]

    def clean(self):
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("organization")):
            raise forms.ValidationError(_("A plan goes either to a member or to a company."))
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The end of a grant must come after its start."))
        return data


class RunningFilter(admin.SimpleListFilter):
    title = _("running")
    parameter_name = "running"

    def lookups(self, request, model_admin):
        return [("yes", _("Running now")), ("no", _("Ended or not started"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        running = Q(starts__lte=now) & (Q(ends__isnull=True) | Q(ends__gt=now))
        if self.value() == "yes":
            return queryset.filter(running)
        if self.value() == "no":
            return queryset.exclude(running)
        return queryset


@admin.register(PlanGrant)
class PlanGrantAdmin(admin.ModelAdmin):
    form = PlanGrantForm
    list_display = ["__str__", "plan", "user", "organization", "starts", "ends", "source", "reference", "granted_by"]
    list_filter = ["plan", "source", RunningFilter]
    search_fields = ["user__email", "organization__name", "reference"]
    raw_id_fields = ["user", "organization"]
    readonly_fields = ["granted_by", "created"]
    date_hierarchy = "starts"

    def get_changeform_initial_data(self, request):
        return {"starts": timezone.now(), "source": "admin", **super().get_changeform_initial_data(request)}

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # New grants go through the service, like the staff page and the CLI (notification, signal).
        grant = services.plan_grant(
            plan=obj.plan,
            user=obj.user,
            organization=obj.organization,
            starts=obj.starts,
            ends=obj.ends,
            source=obj.source or "admin",
            reference=obj.reference,
            granted_by=request.user,
        )
        obj.pk = grant.pk
        obj.granted_by = grant.granted_by
        obj.created = grant.created
        obj._state.adding = False
        obj._state.db = grant._state.db
