import itertools

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from trademission.missions.models import (
    ItineraryStop,
    Membership,
    Mission,
    MissionMember,
    Organisation,
    ProgrammeItem,
    Project,
    ProjectPartner,
    Venue,
)


class ProjectPartnerInline(admin.TabularInline):
    model = ProjectPartner
    extra = 0


class ItineraryStopFormSet(BaseInlineFormSet):
    """Stops entered together must not overlap each other either."""

    def clean(self) -> None:
        super().clean()
        spans = sorted(
            (form.cleaned_data["start"], form.cleaned_data["end"], form.cleaned_data["city"])
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("start")
            and form.cleaned_data.get("end")
        )
        for (_start, end, city), (start, _end, other) in itertools.pairwise(spans):
            if start <= end:
                raise ValidationError(
                    _("The stops in %(a)s and %(b)s overlap.") % {"a": city, "b": other}
                )


class ItineraryStopInline(admin.TabularInline):
    model = ItineraryStop
    formset = ItineraryStopFormSet
    extra = 0


class VenueInline(admin.TabularInline):
    model = Venue
    extra = 0


class MissionMemberInline(admin.TabularInline):
    model = MissionMember
    extra = 0
    raw_id_fields = ["user", "participation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "short_name", "city"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "is_admin"]
    list_select_related = ["user", "organisation"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "funder", "programme", "start", "end"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ProjectPartnerInline]


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "country", "start", "end", "status"]
    list_filter = ["status", "country"]
    list_select_related = ["project"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ItineraryStopInline, VenueInline, MissionMemberInline]


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(admin.ModelAdmin):
    list_display = ["title", "mission", "kind", "start", "end", "venue", "for_all"]
    list_filter = ["mission", "kind"]
    list_select_related = ["mission", "venue"]
    filter_horizontal = ["attendees"]
