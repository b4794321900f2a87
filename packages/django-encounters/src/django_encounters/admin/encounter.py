"""Encounter admin: the subject as a link, the allowed moves as buttons, the history read-only.

A move button posts to ``<id>/move/``, which calls ``transition()`` with the signed-in user as
``transitioned_by``; what the service refuses (an edge that is no longer allowed, a validator's
block) comes back as an error message, a validator's warnings as warning messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from django_basemodels import admin as basemodels_admin
from django_basemodels.admin import ReadOnlyAdminMixin
from django_encounters.exceptions import EncounterError
from django_encounters.models import Encounter, EncounterTransition
from django_encounters.services import get_allowed_transitions, transition

if TYPE_CHECKING:  # the admin classes are generic for type checkers only
    EncounterAdminBase = admin.ModelAdmin[Encounter]
    TransitionAdminBase = admin.ModelAdmin[EncounterTransition]
    TransitionInlineBase = admin.TabularInline[EncounterTransition, Encounter]
    TransitionFormSetBase = BaseInlineFormSet[EncounterTransition, Encounter, Any]
else:
    EncounterAdminBase = TransitionAdminBase = admin.ModelAdmin
    TransitionInlineBase = admin.TabularInline
    TransitionFormSetBase = BaseInlineFormSet


class LatestTransitionsFormSet(TransitionFormSetBase):
    """The inline's rows: the latest ``rows_shown`` transitions, newest first.

    An encounter may have thousands of moves; the page shows a bounded number of them (one query
    of at most ``rows_shown + 1`` rows, served by ``encounters_history_idx``) and ``more`` tells
    whether older ones exist, for the link to the full, paginated list.
    """

    rows_shown = 20

    def get_queryset(self) -> Any:
        if not hasattr(self, "_queryset"):
            rows = list(super().get_queryset()[: self.rows_shown + 1])
            self.more = len(rows) > self.rows_shown
            self._queryset = rows[: self.rows_shown]
        return self._queryset


class EncounterTransitionInline(ReadOnlyAdminMixin, TransitionInlineBase):
    model = EncounterTransition
    formset = LatestTransitionsFormSet
    fields = (
        "from_state",
        "to_state",
        "effective_at",
        "transitioned_at",
        "transitioned_by",
        "reason",
    )
    readonly_fields = fields
    ordering = ("-transitioned_at", "-effective_at", "-id")  # the history's order, reversed
    extra = 0
    can_delete = False
    verbose_name_plural = "latest transitions"

    def get_queryset(self, request: HttpRequest) -> QuerySet[EncounterTransition]:
        # The users who made the moves come with the rows, not one query per row.
        return super().get_queryset(request).select_related("transitioned_by")


@admin.register(Encounter)
class EncounterAdmin(EncounterAdminBase):
    list_display = ("__str__", "definition", "state", "subject_link", "created_at")
    list_filter = ("definition", "state")
    list_select_related = ("definition", "subject_content_type")
    search_fields = ("subject_id", "notes")
    readonly_fields = ("state", "state_since", "ended_at", "subject_link")
    # A select of every user would grow with the user table; an id field costs one query each.
    raw_id_fields = ("created_by", "assigned_to")
    inlines = [EncounterTransitionInline]
    # On an existing encounter the subject is shown as a link instead of its two raw columns.
    change_fields = (
        "definition",
        "subject_link",
        "state",
        "state_since",
        "scheduled_at",
        "started_at",
        "ended_at",
        "created_by",
        "assigned_to",
        "notes",
        "metadata",
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Encounter]:
        # One query for the subjects of a whole page of encounters, per subject model.
        return super().get_queryset(request).prefetch_related("subject")

    def get_fields(self, request: HttpRequest, obj: Encounter | None = None) -> Any:
        if obj is not None:
            return self.change_fields
        return [field for field in super().get_fields(request, obj) if field != "subject_link"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Encounter | None = None
    ) -> tuple[str, ...]:
        # The definition is chosen once; after that only transition() changes anything about it.
        if obj is not None:
            return (*self.readonly_fields, "definition")
        return self.readonly_fields

    @admin.display(description="subject")
    def subject_link(self, obj: Encounter) -> SafeString | str:
        subject = obj.subject
        if subject is None:
            return f"{obj.subject_content_type} {obj.subject_id} (no longer exists)"
        url = self._change_url(subject)
        return format_html('<a href="{}">{}</a>', url, subject) if url else str(subject)

    def _change_url(self, subject: Model) -> str | None:
        """The subject's change page in this admin site, if it has one."""
        opts = subject._meta
        if type(subject) not in self.admin_site._registry:
            return None
        try:
            return reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=[quote(subject.pk)],
                current_app=self.admin_site.name,
            )
        except NoReverseMatch:  # registered with its change view removed
            return None

    # -- moves ---------------------------------------------------------------------------------

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta
        move = path(
            "<path:object_id>/move/",
            self.admin_site.admin_view(self.move_view),
            name=f"{opts.app_label}_{opts.model_name}_move",
        )
        return [move, *super().get_urls()]

    def render_change_form(
        self,
        request: HttpRequest,
        context: dict[str, Any],
        add: bool = False,
        change: bool = False,
        form_url: str = "",
        obj: Encounter | None = None,
    ) -> HttpResponse:
        if obj is not None:
            context["older_transitions_url"] = self._older_transitions_url(context, obj)
        if obj is not None and self.has_change_permission(request, obj):
            context["encounter_moves"] = get_allowed_transitions(obj)
            context["encounter_move_url"] = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_move",
                args=[quote(obj.pk)],
                current_app=self.admin_site.name,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _older_transitions_url(self, context: dict[str, Any], obj: Encounter) -> str | None:
        """The full list of the encounter's transitions, when the inline shows only the latest."""
        shown = [
            inline.formset
            for inline in context.get("inline_admin_formsets", [])
            if isinstance(inline.formset, LatestTransitionsFormSet)
        ]
        if not shown or not getattr(shown[0], "more", False):
            return None
        opts = EncounterTransition._meta
        listing = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_changelist",
            current_app=self.admin_site.name,
        )
        return f"{listing}?{urlencode({'encounter': str(obj.pk)})}"

    def move_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Move the encounter to ``POST["to_state"]`` through ``transition()``."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        encounter = self.get_object(request, unquote(object_id))
        if encounter is None:  # deleted since the page was shown
            self.message_user(
                request, f"Encounter {unquote(object_id)} no longer exists.", messages.WARNING
            )
            return HttpResponseRedirect(
                reverse(
                    f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                    current_app=self.admin_site.name,
                )
            )
        if not self.has_change_permission(request, encounter):
            raise PermissionDenied
        to_state = request.POST.get("to_state", "")
        from_state = encounter.state
        try:
            record = transition(
                encounter,
                to_state,
                transitioned_by=cast(Any, request.user),
                reason=request.POST.get("move_reason", ""),
            )
        except EncounterError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            for warning in record.warnings:
                self.message_user(request, f"Warning: {warning}", messages.WARNING)
            done = f"Moved from '{from_state}' to '{to_state}'."
            self.log_change(request, encounter, done)
            self.message_user(request, done, messages.SUCCESS)
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=[quote(encounter.pk)],
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(change_url)

    def get_deleted_objects(
        self, objs: Iterable[Encounter], request: HttpRequest
    ) -> tuple[list[str], dict[str, int], set[str], list[str]]:
        """Deleting here is a soft delete: the history stays, so nothing else is affected.

        (Django's collector would report the PROTECTed transitions and refuse.)
        """
        objs = list(objs)
        perms_needed = set() if self.has_delete_permission(request) else {"encounter"}
        return [str(obj) for obj in objs], {"encounters": len(objs)}, perms_needed, []


class BoundedCountPaginator(basemodels_admin.BoundedCountPaginator):
    """django-basemodels' paginator, bounded at 10,000 transitions: past them the list says
    "more than 10,000"; the encounter filter (``?encounter=<pk>``, the encounter page's link)
    reaches the rest. The count is unordered (the default): any limit + 1 rows tell whether
    there are more, and the scan stops there.
    """

    count_limit = 10_000


@admin.register(EncounterTransition)
class EncounterTransitionAdmin(ReadOnlyAdminMixin, TransitionAdminBase):
    """Append-only: visible, never added, changed or deleted here."""

    list_display = ("encounter", "from_state", "to_state", "effective_at", "transitioned_by")
    list_select_related = ("encounter__definition", "transitioned_by")
    # Newest first, the key breaking ties (what Django would add itself): the order of
    # encounters_transitioned_idx, so a page is a range of that index, not a sort of the table.
    ordering = ("-transitioned_at", "-id")
    # One count, of at most count_limit + 1 rows ("more than 10,000" past it), and no second,
    # unfiltered count ("12 of 3,000,000") that would read the whole table on every page.
    paginator = BoundedCountPaginator
    show_full_result_count = False
