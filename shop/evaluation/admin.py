"""Admin of the evaluation: the office edits rounds, sheets, document lists and councils;
applications, documents, scorecards, decisions and the history are read-only here
(they move only through the rules modules) and nothing of them is deleted."""

from django.contrib import admin

from shop.evaluation.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    Council,
    CouncilMember,
    Criterion,
    CriterionOption,
    Decision,
    DocumentKind,
    EvaluationRound,
    RequiredDocument,
    Scorecard,
    ScoreEntry,
    ScoringSheet,
    SheetPart,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "kind", "rating_level", "status", "applications_until"]
    list_filter = ["status", "kind", "year"]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class SheetPartInline(admin.TabularInline):
    model = SheetPart
    extra = 0


@admin.register(ScoringSheet)
class ScoringSheetAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "is_active"]
    inlines = [SheetPartInline]


class CriterionOptionInline(admin.TabularInline):
    model = CriterionOption
    extra = 0


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "part"]
    list_filter = ["part__sheet", "part__code"]
    inlines = [CriterionOptionInline]


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "has_validity", "order"]


@admin.register(RequiredDocument)
class RequiredDocumentAdmin(admin.ModelAdmin):
    list_display = ["group", "kind", "mandatory"]
    list_filter = ["group"]


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Council)
class CouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "round"]
    inlines = [CouncilMemberInline]


class DocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ["kind", "valid_until", "uploaded_by", "uploaded_at", "superseded_by"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ["at", "kind", "actor", "from_state", "to_state", "reason"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["__str__", "vendor", "round", "state", "score", "stars", "submitted_at"]
    list_filter = ["state", "round"]
    search_fields = ["product__title", "proposed_name", "vendor__legal_name"]
    inlines = [DocumentInline, EventInline]


class ScoreEntryInline(ReadOnlyInline):
    model = ScoreEntry
    fields = ["criterion", "option", "points", "comment"]
    readonly_fields = fields


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["application", "member", "total", "submitted_at"]
    list_filter = ["application__round"]
    inlines = [ScoreEntryInline]


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["application", "at", "kind", "actor", "from_state", "to_state"]
    list_filter = ["kind", "to_state"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["number", "date", "body", "round", "rating_level"]
