"""Reading an encounter's history a page at a time, whatever its length.

The history is ordered oldest first by ``(transitioned_at, effective_at, id)``; the index
``encounters_history_idx`` holds the rows of one encounter in that order, so a page costs one
index range scan: the rows it returns, never the ones before it (keyset pagination, not OFFSET).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q

from django_encounters import arguments
from django_encounters.exceptions import InvalidArgumentError
from django_encounters.models import Encounter, EncounterTransition

HISTORY_ORDER = ("transitioned_at", "effective_at", "id")
DEFAULT_BATCH_SIZE = 1000


def get_encounter_history(
    encounter: Encounter,
    *,
    include_creation: bool = False,
    after: EncounterTransition | None = None,
    limit: int | None = None,
) -> list[EncounterTransition]:
    """The encounter's moves, oldest first; empty for a new encounter. One query.

    The creation is recorded too (a row with an empty ``from_state``); ``include_creation=True``
    puts it first in the list. ``limit`` bounds the list; ``after`` (the last row of the previous
    page) continues from there, so ``get_encounter_history(e, limit=50, after=page[-1])`` reads
    the next 50 rows without reading the ones before them.
    """
    arguments.saved_instance("encounter", encounter, Encounter)
    arguments.flag("include_creation", include_creation)
    if limit is not None and (type(limit) is not int or limit < 1):
        raise InvalidArgumentError("limit", limit, "a positive int or None")
    rows = EncounterTransition.objects.filter(encounter_id=encounter.pk)
    if not include_creation:
        rows = rows.exclude(from_state="")
    if after is not None:
        rows = rows.filter(_after(encounter, after))
    rows = rows.order_by(*HISTORY_ORDER)
    return list(rows if limit is None else rows[:limit])


def iter_encounter_history(
    encounter: Encounter, *, include_creation: bool = False, batch_size: int = DEFAULT_BATCH_SIZE
) -> Iterator[EncounterTransition]:
    """Every move of the encounter, oldest first, read ``batch_size`` rows per query.

    Memory stays bounded by the batch, and each query costs the same however long the history
    already read was (see the module's docstring).
    """
    if type(batch_size) is not int or batch_size < 1:
        raise InvalidArgumentError("batch_size", batch_size, "a positive int")
    last = None
    while True:
        page = get_encounter_history(
            encounter, include_creation=include_creation, after=last, limit=batch_size
        )
        yield from page
        if len(page) < batch_size:
            return
        last = page[-1]


def _after(encounter: Encounter, row: EncounterTransition) -> Q:
    """Rows after ``row`` in the history's order (``row`` is one of the encounter's)."""
    if not isinstance(row, EncounterTransition) or row._state.adding:
        raise InvalidArgumentError("after", row, "a saved EncounterTransition or None")
    if row.encounter_id != encounter.pk:
        raise InvalidArgumentError(
            "after", row, f"a transition of encounter {encounter.pk}, not of {row.encounter_id}"
        )
    at, effective, pk = row.transitioned_at, row.effective_at, row.pk
    # The first condition alone bounds the index range; the rest breaks ties in the order.
    return Q(transitioned_at__gte=at) & (
        Q(transitioned_at__gt=at)
        | Q(effective_at__gt=effective)
        | Q(effective_at=effective, id__gt=pk)
    )
