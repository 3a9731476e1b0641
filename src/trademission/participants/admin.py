from django.contrib import admin

from trademission.participants.models import (
    AdvisorNote,
    ContactPerson,
    Participation,
    SelectionCriterion,
    Sme,
    Stakeholder,
    StakeholderToken,
)


class SmeContactInline(admin.TabularInline):
    model = ContactPerson
    fk_name = "sme"
    exclude = ["stakeholder"]
    extra = 0


class StakeholderContactInline(admin.TabularInline):
    model = ContactPerson
    fk_name = "stakeholder"
    exclude = ["sme"]
    extra = 0


class AdvisorNoteInline(admin.StackedInline):
    model = AdvisorNote
    extra = 0


@admin.register(Sme)
class SmeAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster", "country", "trl", "export_controlled"]
    list_filter = ["cluster", "country", "export_controlled"]
    search_fields = ["name", "description"]
    inlines = [SmeContactInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["sme", "mission", "status", "decided_at"]
    list_filter = ["mission", "status"]
    list_select_related = ["sme", "mission"]
    inlines = [AdvisorNoteInline]


@admin.register(SelectionCriterion)
class SelectionCriterionAdmin(admin.ModelAdmin):
    list_display = ["label", "mission", "key", "weight"]
    list_filter = ["mission"]


@admin.register(Stakeholder)
class StakeholderAdmin(admin.ModelAdmin):
    list_display = ["__str__", "mission", "type", "city", "profile_language"]
    list_filter = ["mission", "type", "city"]
    list_select_related = ["organisation", "mission"]
    search_fields = ["organisation__name", "needs", "description"]
    inlines = [StakeholderContactInline]


@admin.register(StakeholderToken)
class StakeholderTokenAdmin(admin.ModelAdmin):
    list_display = ["stakeholder", "created_at", "expires_at", "revoked"]
    list_select_related = ["stakeholder__organisation"]
    readonly_fields = ["token_hash"]
