"""The per-file cache: reused while a file is unchanged, dropped when it changes, never torn."""

import hashlib
import json
import os
import time

from django_layers.cache import FileCache, content_key, write_atomic
from django_layers.engine import run_check
from django_layers.loading import load_config


def check(root):
    return run_check(load_config(root / "layers.yaml", snapshot=False))


def forget_whole_result(root):
    """These tests are about the per-file cache: the last run's whole result would answer first
    (see test_results.py)."""
    (root / ".django-layers-cache" / "result.json").unlink()


def test_unchanged_tree_is_answered_from_the_cache(layered):
    first = check(layered)
    assert (first.files, first.from_cache) == (20, 0)
    again = check(layered)
    assert (again.files, again.from_cache) == (20, 20)
    assert [v.as_dict() for v in again.violations] == [v.as_dict() for v in first.violations]


def test_a_changed_file_is_read_again(layered, age):
    check(layered)
    plain = layered / "src" / "basics" / "plain.py"
    plain.write_text(plain.read_text().replace("import alpha\n", "import os.path\n"))
    age(plain, seconds=600)  # a different mtime, old enough to be cached again
    result = check(layered)
    assert result.from_cache == 19
    assert ("src/basics/plain.py", 3) not in {(v.path, v.line) for v in result.violations}
    assert check(layered).from_cache == 20


def test_same_size_edit_is_seen_through_the_modification_time(layered):
    helpers = layered / "src" / "basics" / "helpers.py"
    check(layered)
    text = helpers.read_text()
    helpers.write_text(text.replace("import beta.api", "import os.abc "))  # same length
    past = time.time() - 300
    os.utime(helpers, (past, past))
    result = check(layered)
    assert result.from_cache == 19
    assert ("src/basics/helpers.py", 5) not in {(v.path, v.line) for v in result.violations}


def test_files_modified_just_now_are_not_trusted_to_the_cache(layered):
    check(layered)
    plain = layered / "src" / "basics" / "plain.py"
    plain.write_text("import alpha\n")
    assert "alpha" in {v.imported for v in check(layered).violations}
    stat = os.stat(plain)
    plain.write_text("import sys\n\n")  # the same size, and (as within the clock's resolution)
    os.utime(plain, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the same modification time
    result = check(layered)
    assert result.from_cache == 19  # the fresh file is read every time until it ages
    assert "src/basics/plain.py" not in {v.path for v in result.violations}


def test_a_fresh_checkout_finds_unchanged_files_by_content(layered, age):
    first = check(layered)
    age(layered, seconds=60)  # every modification time changes, as in a new clone
    again = check(layered)
    assert (again.files, again.from_cache, again.fast + again.tree) == (20, 20, 0)
    assert [v.as_dict() for v in again.violations] == [v.as_dict() for v in first.violations]


def test_a_file_copied_elsewhere_is_found_by_content(layered):
    check(layered)
    source = layered / "src" / "basics" / "plain.py"
    (layered / "src" / "basics" / "copy.py").write_text(source.read_text())
    result = check(layered)
    assert (result.files, result.from_cache) == (21, 21)
    assert {v.importer for v in result.violations} >= {"basics.copy", "basics.plain"}


def test_cache_written_by_another_version_or_python_is_ignored(layered):
    check(layered)
    cache_file = layered / ".django-layers-cache" / "files.json"
    data = json.loads(cache_file.read_text())
    data["stamp"][1] = "0.0.0-other"
    cache_file.write_text(json.dumps(data))
    forget_whole_result(layered)
    assert check(layered).from_cache == 0


def test_a_corrupt_cache_is_ignored_and_replaced(layered):
    check(layered)
    cache_file = layered / ".django-layers-cache" / "files.json"
    cache_file.write_text('{"stamp": [1, ')
    forget_whole_result(layered)
    assert check(layered).from_cache == 0
    assert check(layered).from_cache == 20


def test_no_cache_reads_and_writes_nothing(layered):
    config = load_config(layered / "layers.yaml", snapshot=False)
    run_check(config, use_cache=False)
    assert not (layered / ".django-layers-cache").exists()


def test_cache_folder_ignores_itself_for_git(layered):
    check(layered)
    assert (layered / ".django-layers-cache" / ".gitignore").read_text().endswith("*\n")


def test_overlapping_runs_leave_a_complete_cache(layered, tmp_path):
    # Two runs that loaded the cache before either saved: each save replaces the file whole.
    first, second = FileCache(tmp_path / "c"), FileCache(tmp_path / "c")
    first.put("/a.py", 1, 1, "a", [[], []])
    second.put("/b.py", 2, 2, "b", [[], []])
    first.save()
    second.save()
    reader = FileCache(tmp_path / "c")
    assert reader.get("/b.py", 2, 2) == [[], []]
    assert reader.get("/a.py", 1, 1) is None  # lost, not corrupted: it is read again next time
    assert [p.name for p in (tmp_path / "c").iterdir() if p.name.endswith(".tmp")] == []


def test_atomic_write_replaces_in_one_step(tmp_path):
    target = tmp_path / "out" / "data.json"
    write_atomic(target, "one")
    write_atomic(target, "two")
    assert target.read_text() == "two"
    assert sorted(p.name for p in target.parent.iterdir()) == [".gitignore", "data.json"]


def test_content_keys_are_blake2b_digests_as_hashlib_makes_them():
    # Keys stay those of earlier versions, so that a kept cache goes on answering.
    data = b"import os\n" * 1000
    assert content_key(data, False) == hashlib.blake2b(data, digest_size=16).hexdigest()
    assert content_key(data, True) == content_key(data, False) + "+apps"
