from django.contrib import admin

from trademission.meetings.models import Match, Meeting, MeetingRequest, Outcome


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["participation", "stakeholder", "score", "source", "decision", "priority"]
    list_filter = ["mission", "source", "decision"]
    list_select_related = ["participation__sme", "stakeholder__organisation"]


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["stakeholder", "mission", "status", "sent_at", "answered_at"]
    list_filter = ["mission", "status"]
    list_select_related = ["stakeholder__organisation", "mission"]
    filter_horizontal = ["participations"]


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "mission", "start", "end", "mode", "status", "pinned"]
    list_filter = ["mission", "status", "mode", "pinned"]
    list_select_related = ["host__organisation", "venue", "mission"]
    filter_horizontal = ["participations"]
    inlines = [OutcomeInline]
