import pytest
from django.db import IntegrityError, connection, transaction

from django_modules import (
    DuplicateModuleKeyError,
    DuplicateOverrideError,
    UnsupportedBulkOperationError,
    is_module_enabled,
)
from django_modules.models import Module, OrgModuleState

pytestmark = pytest.mark.django_db


def test_str(org, pharmacy):
    state = OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    assert str(pharmacy) == "pharmacy"
    assert str(state) == "pharmacy for Acme Clinic: off"


def test_one_live_override_per_org_and_module(org, pharmacy):
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    with pytest.raises(DuplicateOverrideError) as caught:
        OrgModuleState.objects.create(org=org, module=pharmacy, enabled=True)
    assert "Acme Clinic" in str(caught.value)
    assert "pharmacy" in str(caught.value)
    assert (caught.value.org, caught.value.module) == (org, pharmacy)
    assert OrgModuleState.all_objects.count() == 1
    assert is_module_enabled(org, "pharmacy") is False


def test_the_database_enforces_one_live_override(org, pharmacy):
    """Bypassing Python entirely, the partial unique index still refuses the second row."""
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    table = OrgModuleState._meta.db_table
    sql = (
        f"INSERT INTO {table} (id, created_at, updated_at, enabled, org_id, module_id) "
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    import uuid

    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [uuid.uuid4().hex, now, now, True, org.pk.hex, pharmacy.pk.hex])


def test_deleted_override_can_be_recreated(org, pharmacy):
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False).delete()
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=True)
    assert OrgModuleState.all_objects.count() == 2
    assert is_module_enabled(org, "pharmacy") is True


def test_restoring_over_a_live_override_is_refused(org, pharmacy):
    old = OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    old.delete()
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=True)
    with pytest.raises(DuplicateOverrideError):
        old.restore()
    with pytest.raises(DuplicateOverrideError):
        OrgModuleState.deleted_objects.all().restore()
    assert is_module_enabled(org, "pharmacy") is True


def test_unique_live_module_key(pharmacy):
    with pytest.raises(DuplicateModuleKeyError, match="'pharmacy'"):
        Module.objects.create(key="pharmacy", name="Again")
    pharmacy.delete()
    assert Module.objects.create(key="pharmacy", name="Again").name == "Again"
    with pytest.raises(DuplicateModuleKeyError):
        pharmacy.restore()
    assert Module.objects.get().name == "Again"


def test_moving_an_override_onto_a_taken_pair_is_refused(org, pharmacy, lab):
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    other = OrgModuleState.objects.create(org=org, module=lab, enabled=True)
    other.module = pharmacy
    with pytest.raises(DuplicateOverrideError):
        other.save()
    with pytest.raises(DuplicateOverrideError):
        OrgModuleState.objects.filter(pk=other.pk).update(module=pharmacy)
    with pytest.raises(DuplicateOverrideError):
        OrgModuleState.objects.bulk_update([other], ["module"])
    assert OrgModuleState.objects.get(pk=other.pk).module == lab


def test_bulk_create_refuses_duplicates_in_batch_and_against_the_database(org, pharmacy, lab):
    with pytest.raises(DuplicateOverrideError):
        OrgModuleState.objects.bulk_create(
            [
                OrgModuleState(org=org, module=pharmacy, enabled=True),
                OrgModuleState(org=org, module=pharmacy, enabled=False),
            ]
        )
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    with pytest.raises(DuplicateOverrideError):
        OrgModuleState.objects.bulk_create(
            [
                OrgModuleState(org=org, module=lab, enabled=True),
                OrgModuleState(org=org, module=pharmacy, enabled=True),
            ]
        )
    assert OrgModuleState.all_objects.count() == 1  # nothing half-written
    with pytest.raises(DuplicateModuleKeyError):
        Module.objects.bulk_create([Module(key="x", name="X"), Module(key="x", name="X2")])


@pytest.mark.parametrize("option", ["ignore_conflicts", "update_conflicts"])
def test_bulk_create_with_conflict_options_is_refused(org, pharmacy, option):
    with pytest.raises(UnsupportedBulkOperationError, match=option.split("_")[0]):
        OrgModuleState.objects.bulk_create(
            [OrgModuleState(org=org, module=pharmacy, enabled=True)], **{option: True}
        )
    assert OrgModuleState.all_objects.count() == 0


def test_bulk_update_and_queryset_update_toggle(org, other_org, pharmacy):
    states = OrgModuleState.objects.bulk_create(
        [
            OrgModuleState(org=org, module=pharmacy, enabled=True),
            OrgModuleState(org=other_org, module=pharmacy, enabled=True),
        ]
    )
    for state in states:
        state.enabled = False
    assert OrgModuleState.objects.bulk_update(states, ["enabled"]) == 2
    assert not is_module_enabled(org, "pharmacy")
    assert OrgModuleState.objects.update(enabled=True) == 2
    assert is_module_enabled(other_org, "pharmacy")


def test_update_of_unwatched_fields_is_plain(org, pharmacy, django_assert_num_queries):
    with django_assert_num_queries(1):
        Module.objects.filter(pk=pharmacy.pk).update(name="Dispensary")
    assert Module.objects.get().name == "Dispensary"


def test_hard_delete_of_an_organization_cascades(org, pharmacy):
    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    org.hard_delete()
    assert OrgModuleState.all_objects.count() == 0


def test_managers(org, pharmacy):
    state = OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    state.delete()
    assert list(OrgModuleState.objects.all()) == []
    assert list(OrgModuleState.deleted_objects.all()) == [state]
    assert list(OrgModuleState.all_objects.all()) == [state]
    assert list(pharmacy.org_states.all()) == []
    assert list(org.module_states.all()) == []


def test_where_the_database_does_not_enforce_it_python_refuses_before_writing(
    org, pharmacy, monkeypatch
):
    """A database that enforces no conditional uniqueness (neither partial unique indexes nor
    MariaDB's generated column): the duplicate is caught before any INSERT."""
    from django.test.utils import CaptureQueriesContext

    OrgModuleState.objects.create(org=org, module=pharmacy, enabled=False)
    for module in ("django_modules.models", "django_modules.query"):
        monkeypatch.setattr(f"{module}.conditional_uniqueness_enforced", lambda connection: False)
    with CaptureQueriesContext(connection) as queries:
        with pytest.raises(DuplicateOverrideError):
            OrgModuleState.objects.create(org=org, module=pharmacy, enabled=True)
        with pytest.raises(DuplicateOverrideError):
            OrgModuleState.objects.bulk_create(
                [OrgModuleState(org=org, module=pharmacy, enabled=True)]
            )
        with pytest.raises(DuplicateModuleKeyError):
            Module.objects.create(key="pharmacy", name="Again")
    assert not [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]


def test_looking_for_a_duplicate_override_costs_one_query_for_a_whole_batch(
    org, other_org, pharmacy, lab, django_assert_num_queries
):
    taken = OrgModuleState.objects.create(org=other_org, module=lab, enabled=True)
    identities = [(org.pk, pharmacy.pk), (org.pk, lab.pk), (other_org.pk, pharmacy.pk)]
    with django_assert_num_queries(1):
        assert OrgModuleState.live_duplicate("default", identities) is None
    with django_assert_num_queries(1):
        found = OrgModuleState.live_duplicate("default", [*identities, (other_org.pk, lab.pk)])
    assert (found.org, found.module) == (other_org, lab)
    # Ids given as strings are matched too.
    found = OrgModuleState.live_duplicate("default", [(str(other_org.pk), str(lab.pk))])
    assert (found.org, found.module) == (other_org, lab)
    # The row being written is not its own duplicate.
    assert (
        OrgModuleState.live_duplicate("default", [(other_org.pk, lab.pk)], exclude=[taken.pk])
        is None
    )
    # A soft-deleted override is no duplicate.
    taken.delete()
    assert OrgModuleState.live_duplicate("default", [(other_org.pk, lab.pk)]) is None
