from django.contrib import admin

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


class ItineraryStopInline(admin.TabularInline):
    model = ItineraryStop
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
