"""Scale check for django-audit-log, django-encounters and django-worklog on PostgreSQL (not
part of make test).

    bench/run --scale [--scale-huge | --sizes 100000,1000000]
    (or, in an environment with the packages: python bench/scale.py [--sizes ...])

For each size it loads that many audit entries, transitions and work sessions into a scratch
database (``scale_primitives<suffix>``, created and dropped here) with ``INSERT ... SELECT
generate_series`` (the packages' triggers off for the load), runs ``VACUUM ANALYZE``, then
runs each operation five times and prints the statements it sends, the shared buffers its
SELECTs touch (``EXPLAIN (ANALYZE, BUFFERS)`` of each, summed) and its median time. The last
column compares the buffers of the largest size with the smallest: "flat" when they stay within
a factor of 1.5, else "grows". Writes (``transition()``) are measured by their statements and
time only; their lock SELECT is EXPLAINed.

One encounter always has 10,000 transitions (the admin page's worst case); the rest are spread
over other encounters, 100 each. Sessions are spread over 1,000 users and 5,000 contexts, one an
hour going back; the user table holds a tenth of the size in users (the admin's user filter must
not list them). Audit entries are one a second going back, ten per target (targets of one model):
the table grows by more targets, so the exact-id search finds the same ten entries at every size
and measures the table's growth, not the size of its answer (a search costs in proportion to
the entries it finds, up to the admin's count limit). One entry in a thousand is critical.
The sessions are loaded with the triggers off, so the all-time totals (``ContextTotal``) are
filled afterwards with migration 0006's own ``FILL`` statement.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from importlib import import_module

import django
from django.conf import settings

URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
HOT = 10_000  # transitions of the one long-lived encounter
ENTRIES_PER_TARGET = 10  # audit entries per target: the exact-id search finds ten at every size


def configure() -> None:
    import dj_database_url

    database = dj_database_url.parse(URL)
    database["NAME"] = f"scale_primitives{os.environ.get('PRIMITIVES_TEST_DB_SUFFIX', '')}"
    settings.configure(
        DEBUG=True,
        SECRET_KEY="scale",
        USE_TZ=True,
        ALLOWED_HOSTS=["*"],
        DATABASES={"default": database},
        INSTALLED_APPS=[
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.messages",
            "django.contrib.sessions",
            "django_basemodels",
            "django_audit_log",
            "django_encounters",
            "django_worklog",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        ROOT_URLCONF=__name__,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
    )
    django.setup()


urlpatterns: list = []


def recreate_database() -> None:
    import psycopg

    name = settings.DATABASES["default"]["NAME"]
    with psycopg.connect(URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{settings.DATABASES["default"]["NAME"]}"')


def load(size: int) -> dict:
    """Fresh schema, then ``size`` transitions and ``size`` sessions; returns the fixtures."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connection, transaction

    from django_encounters import Encounter, EncounterDefinition, create_encounter

    connection.close()
    recreate_database()
    call_command("migrate", verbosity=0)
    definition = EncounterDefinition.objects.create(
        name="Ping",
        code="PING",
        states=["a", "b"],
        initial_state="a",
        transitions={"a": ["b"], "b": ["a"]},
    )
    subject = Group.objects.create(name="subject")
    hot = create_encounter(definition, subject)
    others = (size - HOT) // 100
    Encounter.objects.bulk_create(
        [Encounter(definition=definition, subject=subject) for _ in range(max(others, 0))]
    )
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"user{i}") for i in range(1000)]
    )
    group_type = ContentType.objects.get_for_model(Group)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "INSERT INTO django_encounters_encountertransition (id, encounter_id, from_state, "
            "to_state, transitioned_at, effective_at, reason, metadata) "
            "SELECT gen_random_uuid(), e.id, 'a', 'b', now() - n * interval '1 minute', "
            "now() - n * interval '1 minute', '', '{}' FROM django_encounters_encounter e, "
            "generate_series(1, CASE WHEN e.id = %s THEN %s ELSE 100 END) n",
            [hot.pk, HOT - 1],
        )
        cursor.execute(
            "INSERT INTO django_worklog_worksession (id, created_at, updated_at, user_id, "
            "context_content_type_id, context_id, started_at, stopped_at, duration_seconds, "
            "stop_reason, metadata) SELECT gen_random_uuid(), now(), now(), %s + n %% 1000, %s, "
            "(n %% 5000)::text, now() - n * interval '1 hour', "
            "now() - n * interval '1 hour' + interval '30 minutes', 1800, 'user', '{}' "
            "FROM generate_series(1, %s) n",
            [users[0].pk, group_type.pk, size],
        )
        # More users without sessions, up to a tenth of the size (the user filter's case).
        cursor.execute(
            "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined) SELECT '', false, 'extra' || n, '', '', "
            "'', false, true, now() FROM generate_series(1, %s) n",
            [max(size // 10 - len(users), 0)],
        )
        cursor.execute(import_module("django_worklog.migrations.0006_context_totals").FILL)
        cursor.execute(
            "INSERT INTO django_audit_log_auditlog (id, created_at, action, actor_display, "
            "target_content_type_id, target_id, target_repr, changes, metadata, user_agent, "
            "request_id, sensitivity, is_system, stamp) SELECT gen_random_uuid(), "
            "now() - n * interval '1 second', (ARRAY['create', 'update', 'delete'])[n %% 3 + 1], "
            "'', %s, (n %% %s)::text, 'group', '{}', '{}', '', md5(n::text), "
            "CASE WHEN n %% 1000 = 0 THEN 'critical' ELSE 'normal' END, false, '' "
            "FROM generate_series(1, %s) n",
            [group_type.pk, size // ENTRIES_PER_TARGET, size],
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    admin = get_user_model().objects.create_superuser("admin", "a@example.com", "x")
    return {"hot": hot, "admin": admin, "user": users[0]}


def measure(action) -> tuple[int, int, float]:
    """Statements, shared buffers of its SELECTs, median seconds over five runs."""
    from django.db import connection, reset_queries, transaction
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # the log holds 9,000 queries; a full one would capture nothing
    with CaptureQueriesContext(connection) as captured:
        action()
    buffers = 0
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.startswith(("SELECT", "DECLARE")):
            continue
        sql = sql.split(" CURSOR FOR ", 1)[-1]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            top = plan[0]["Plan"]
            buffers += top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    times = []
    for _ in range(5):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return len(captured.captured_queries), buffers, statistics.median(times)


def operations(fixtures: dict) -> dict:
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from django.test import Client
    from django.utils import timezone
    from django.utils.http import urlencode

    from django_audit_log.models import AuditLog
    from django_encounters import get_encounter_history, get_state_at, transition
    from django_worklog.reports import total_seconds_per_context
    from django_worklog.services import get_active_session

    hot = fixtures["hot"]
    client = Client()
    client.force_login(fixtures["admin"])
    deep = get_encounter_history(hot, limit=5000)[-1]
    week_ago = timezone.now() - timedelta(days=7)
    month = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)

    group_type = ContentType.objects.get_for_model(Group)
    hour_ago = timezone.now() - timedelta(hours=1)

    def model_in_window():
        # One model in the last hour (3,600 entries at every size), as docs/packages/audit-log.md
        # shows the question.
        window = (hour_ago, timezone.now())
        return list(
            AuditLog.objects.filter(target_content_type=group_type, created_at__range=window)
        )

    def move():
        transition(hot, "b" if hot.state == "a" else "a")

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])

        return get

    audit = "/admin/django_audit_log/auditlog/"
    return {
        "audit-log: admin changelist": page(audit),
        "audit-log: admin, sensitivity=critical": page(audit + "?sensitivity__exact=critical"),
        "audit-log: admin search, exact target id": page(audit + "?q=4242"),
        "audit-log: one model in a 1-hour window": model_in_window,
        "encounters: transition()": move,
        "encounters: get_state_at()": lambda: get_state_at(hot, timezone.now()),
        "encounters: history page deep in 10^4 rows": lambda: get_encounter_history(
            hot, limit=50, after=deep
        ),
        "encounters: admin page, 10^4 transitions": page(
            f"/admin/django_encounters/encounter/{hot.pk}/change/"
        ),
        "worklog: total_seconds_per_context(), last 7 days": lambda: total_seconds_per_context(
            start=week_ago
        ),
        "worklog: total_seconds_per_context(), all time": total_seconds_per_context,
        "worklog: get_active_session()": lambda: get_active_session(fixtures["user"]),
        "worklog: admin list": page("/admin/django_worklog/worksession/"),
        "worklog: admin list, this month": page(
            "/admin/django_worklog/worksession/?" + urlencode({"started_at__gte": month})
        ),
        "worklog: admin list, one user (user filter)": page(
            "/admin/django_worklog/worksession/?"
            + urlencode({"user__id__exact": fixtures["user"].pk})
        ),
        "encounters: transition admin list": page("/admin/django_encounters/encountertransition/"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="rows per table, smallest first")
    sizes = [int(size) for size in parser.parse_args(argv).sizes.split(",")]
    configure()
    from django.contrib import admin
    from django.urls import path

    urlpatterns.append(path("admin/", admin.site.urls))
    results: dict[str, list[tuple[int, int, float]]] = {}
    try:
        for size in sizes:
            print(f"loading {size:,} transitions and {size:,} sessions ...", file=sys.stderr)
            fixtures = load(size)
            for name, action in operations(fixtures).items():
                results.setdefault(name, []).append(measure(action))
    finally:
        drop_database()
    header = " | ".join(f"{size:,}: statements, buffers, median" for size in sizes)
    print(f"| operation | {header} | buffers |")
    print("|---|" + "---|" * len(sizes) + "---|")
    for name, rows in results.items():
        cells = " | ".join(f"{q}, {b:,}, {t * 1000:.1f} ms" for q, b, t in rows)
        first, last = max(rows[0][1], 1), rows[-1][1]
        verdict = "flat" if last <= 1.5 * first else f"grows {last / first:.1f}x"
        print(f"| {name} | {cells} | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
