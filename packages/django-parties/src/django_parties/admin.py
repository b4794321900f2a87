"""Admin for every party model, with contact points and relationships inline.

Django's admin and form classes are generic only in django-stubs, not at run time (they cannot
be subscripted), so the classes below derive from them unparameterized (``type-arg`` ignored).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin

from django_parties.models import (
    Address,
    Email,
    Group,
    Organization,
    PartyRelationship,
    Person,
    Phone,
)
from django_parties.models.relationships import relationship_type_choices

_PARTY_SIDES = tuple(
    f"{side}_{kind}" for side in ("from", "to") for kind in ("person", "organization", "group")
)


class RelationshipForm(forms.ModelForm):  # type: ignore[type-arg]
    """Offers the built-in and the host's relationship kinds as a choice."""

    relationship_type = forms.ChoiceField(choices=relationship_type_choices)

    class Meta:
        model = PartyRelationship
        fields = (
            *_PARTY_SIDES,
            "relationship_type",
            "title",
            "valid_from",
            "valid_to",
            "notes",
        )


class _ContactInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0


class EmailInline(_ContactInline):
    model = Email
    fields = ("email", "label", "is_primary")


class PhoneInline(_ContactInline):
    model = Phone
    fields = ("number", "extension", "label", "is_primary")


class AddressInline(_ContactInline):
    model = Address
    fields = ("line1", "line2", "postal_code", "city", "region", "country", "label", "is_primary")


class _RelationshipInline(admin.TabularInline):  # type: ignore[type-arg]
    model = PartyRelationship
    form = RelationshipForm
    extra = 0
    fields = ("relationship_type", "title", "valid_from", "valid_to")


def _outgoing(kind: str) -> type[_RelationshipInline]:
    """An inline of the relationships where a ``kind`` party is the "from" side."""
    targets = ("to_person", "to_organization", "to_group")
    return type(
        f"{kind.title()}RelationshipInline",
        (_RelationshipInline,),
        {
            "fk_name": f"from_{kind}",
            "fields": (*targets, *_RelationshipInline.fields),
            "autocomplete_fields": targets,
            "verbose_name_plural": "relationships (this party is the first side)",
        },
    )


_CONTACT_INLINES = [EmailInline, PhoneInline, AddressInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("__str__", "first_name", "last_name", "date_of_birth", "user")
    list_select_related = ("user",)
    search_fields = ("display_name", "first_name", "last_name", "emails__email")
    raw_id_fields = ("user",)
    inlines = [*_CONTACT_INLINES, _outgoing("person")]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "legal_name", "org_type", "tax_id")
    list_filter = ("org_type",)
    search_fields = ("name", "legal_name", "tax_id", "emails__email")
    inlines = [*_CONTACT_INLINES, _outgoing("organization")]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "group_type")
    search_fields = ("name", "emails__email")
    inlines = [*_CONTACT_INLINES, _outgoing("group")]


@admin.register(PartyRelationship)
class PartyRelationshipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = RelationshipForm
    list_display = ("__str__", "relationship_type", "valid_from", "valid_to")
    list_filter = ("relationship_type",)
    list_select_related = _PARTY_SIDES
    autocomplete_fields = _PARTY_SIDES
    search_fields = (
        "from_person__display_name",
        "from_organization__name",
        "from_group__name",
        "to_person__display_name",
        "to_organization__name",
        "to_group__name",
    )
    date_hierarchy = "valid_from"


class _ContactAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_select_related = ("person", "organization", "group")
    autocomplete_fields = ("person", "organization", "group")
    list_filter = ("is_primary",)


@admin.register(Email)
class EmailAdmin(_ContactAdmin):
    list_display = ("email", "party", "label", "is_primary")
    search_fields = ("email",)


@admin.register(Phone)
class PhoneAdmin(_ContactAdmin):
    list_display = ("number", "party", "label", "is_primary")
    search_fields = ("number",)


@admin.register(Address)
class AddressAdmin(_ContactAdmin):
    list_display = ("__str__", "party", "label", "is_primary")
    search_fields = ("line1", "city", "postal_code")
