import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder

from django_audit_log.models import AuditLog
from tests.testapp.models import Chapter, Document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _warm_content_types():
    for model in (Document, Chapter):
        ContentType.objects.get_for_model(model, for_concrete_model=False)


def entries(action=None):
    queryset = AuditLog.objects.order_by("created_at", "id")
    return list(queryset.filter(action=action) if action else queryset)


def test_soft_delete_is_logged_as_a_delete_of_deleted_at(django_assert_num_queries):
    document = Document.objects.create(title="t")
    document.delete()
    (entry,) = entries("delete")
    assert entry.target_id == str(document.pk)
    assert entry.target_repr == str(document)
    assert entry.metadata == {"via": "soft_delete"}
    assert entry.changes["deleted_at"]["old"] is None
    assert entry.changes["deleted_at"]["new"] is not None


def test_queryset_soft_delete_logs_each_row_in_one_insert(django_assert_num_queries):
    Document.objects.bulk_create([Document(title=str(i)) for i in range(5)])
    # django-basemodels' UPDATEs (documents, and chapters it cascades to) and its one INSERT of
    # the operation's records, one SELECT of the deleted documents (no chapter was written, so
    # none for chapters), one INSERT of audit entries.
    with django_assert_num_queries(5) as captured:
        Document.objects.filter(title__in=["1", "2", "3"]).delete()
    table = AuditLog._meta.db_table
    inserts = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("INSERT")]
    assert sum(table in sql.split("(")[0] for sql in inserts) == 1
    assert sorted(e.target_repr for e in entries("delete")) == sorted(
        str(d) for d in Document.all_objects.filter(title__in=["1", "2", "3"])
    )


def test_restore_is_logged():
    document = Document.objects.create(title="t")
    document.delete()
    Document.all_objects.get(pk=document.pk).restore()
    (entry,) = entries("restore")
    assert entry.target_id == str(document.pk)
    assert entry.changes["deleted_at"]["new"] is None
    assert Document.objects.filter(pk=document.pk).exists()


def test_restore_entries_are_labelled_by_str_of_the_object_like_every_action():
    document = Document.objects.create(title="Annual report")
    document.delete()
    Document.all_objects.filter(pk=document.pk).restore()
    labels = {entry.action: entry.target_repr for entry in entries()}
    assert labels == {
        "create": "Annual report",
        "delete": "Annual report",
        "restore": "Annual report",
    }
    found = AuditLog.objects.filter(target_repr__icontains="annual")
    assert sorted(found.values_list("action", flat=True)) == ["create", "delete", "restore"]


def test_cascaded_soft_delete_logs_every_tracked_row_and_restore_reports_the_cascade():
    document = Document.objects.create(title="d")
    Chapter.objects.bulk_create([Chapter(document=document, heading=f"h{i}") for i in range(3)])
    document.delete()
    deleted = entries("delete")
    assert sorted(e.target_repr for e in deleted) == ["d", "h0", "h1", "h2"]
    assert all(e.metadata == {"via": "soft_delete"} for e in deleted)
    Document.all_objects.get(pk=document.pk).restore()
    restored = entries("restore")
    own = [e for e in restored if e.target_id == str(document.pk)]
    cascade = [e for e in restored if e.metadata.get("via") == "restore cascade"]
    assert len(own) == 1
    assert len(cascade) == 1
    assert cascade[0].metadata == {"via": "restore cascade", "rows": 3, "cause": "testapp.Document"}
    assert Chapter.objects.count() == 3


def test_soft_delete_entry_records_the_stored_deleted_at():
    document = Document.objects.create(title="t")
    document.delete()
    stored = Document.all_objects.get(pk=document.pk).deleted_at
    (entry,) = entries("delete")
    assert entry.changes == {
        "deleted_at": {"old": None, "new": DjangoJSONEncoder().default(stored)}
    }
    assert entry.target_content_type == ContentType.objects.get_for_model(Document)
    assert entry.sensitivity == Document.audit_sensitivity


def test_restore_cascade_entry_names_the_restored_model():
    document = Document.objects.create(title="d")
    Chapter.objects.bulk_create([Chapter(document=document, heading=f"h{i}") for i in range(2)])
    document.delete()
    Document.all_objects.get(pk=document.pk).restore()
    (cascade,) = [e for e in entries("restore") if e.metadata.get("via") == "restore cascade"]
    assert cascade.target_content_type == ContentType.objects.get_for_model(Chapter)
    assert (cascade.target_id, cascade.target_repr) == ("", "")
    assert cascade.sensitivity == Chapter.audit_sensitivity
