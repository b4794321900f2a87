import pytest

from django_modules import ManifestError
from django_modules.manifest import apply_sync, plan_sync, read_manifest
from django_modules.models import Module

GOOD = """\
modules:
  - key: pharmacy
    name: Pharmacy
    description: Dispensing and stock.
    default: true
  - key: lab
    name: Laboratory
    default: false
  - key: billing
    name: Billing
"""


def test_read_good_manifest():
    declarations = read_manifest(GOOD)
    assert [(d.key, d.name, d.description, d.default, d.line) for d in declarations] == [
        ("pharmacy", "Pharmacy", "Dispensing and stock.", True, 2),
        ("lab", "Laboratory", "", False, 6),
        ("billing", "Billing", "", True, 9),
    ]


def test_every_problem_is_listed_with_its_line():
    bad = """\
modules:
  - key: pharmacy
    name: Pharmacy
    default: maybe
  - key: Not A Slug
    name: Bad key
  - name: No key
  - key: pharmacy
    name: Again
  - key: lab
    colour: blue
    name: ""
  - just a string
extra: 1
"""
    with pytest.raises(ManifestError) as caught:
        read_manifest(bad, source="modules.yaml")
    assert caught.value.problems == [
        (4, "default 'maybe' must be true or false"),
        (5, "key 'Not A Slug' is not a slug of at most 100 letters, digits, - or _"),
        (7, 'module without "key"'),
        (8, "key 'pharmacy' is declared twice (first on line 2)"),
        (11, "unknown field 'colour'; expected one of default, description, key, name"),
        (12, "name '' must be non-empty text of at most 200 characters"),
        (13, "each module must be a mapping with key, name, description, default"),
        (14, "unknown top-level field 'extra'; expected only \"modules\""),
    ]
    message = str(caught.value)
    assert message.startswith("8 problems in modules.yaml:")
    assert "modules.yaml:4: default 'maybe' must be true or false" in message


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", (1, 'the manifest is empty; expected a "modules:" list')),
        ("- key: a\n", (1, 'expected a mapping with a "modules:" list at the top')),
        ("other: 1\n", (1, "unknown top-level field 'other'; expected only \"modules\"")),
        ("modules: pharmacy\n", (1, '"modules" must be a list of modules')),
        (
            "modules:\n  - key: [a\n",
            (3, "not valid YAML: expected ',' or ']', but got '<stream end>'"),
        ),
    ],
)
def test_structural_problems(text, problem):
    with pytest.raises(ManifestError) as caught:
        read_manifest(text)
    assert problem in caught.value.problems


@pytest.mark.django_db
def test_plan_and_apply(signal_log):
    Module.objects.create(key="pharmacy", name="Old name", active=False)
    Module.objects.create(key="legacy", name="Legacy")
    declarations = read_manifest(GOOD)
    planned = [change.describe() for change in plan_sync(declarations)]
    assert planned == [
        "update pharmacy (name: 'Old name' -> 'Pharmacy', "
        "description: '' -> 'Dispensing and stock.', active: False -> True)",
        "create lab",
        "create billing",
    ]
    signal_log.clear()
    assert [c.describe() for c in apply_sync(declarations)] == planned
    assert plan_sync(declarations) == []
    assert dict(Module.objects.values_list("key", "active")) == {
        "billing": True,
        "lab": False,
        "legacy": True,
        "pharmacy": True,
    }
    assert signal_log == [
        ("module", "pharmacy", True, False),
        ("module", "lab", False, None),
        ("module", "billing", True, None),
    ]
    assert [c.describe() for c in apply_sync(declarations, prune=True)] == ["remove legacy"]
    assert not Module.objects.filter(key="legacy").exists()
