"""What an answer depends on in the file system: the paths whose stat a later run compares."""

import os

from django_layers import watch
from django_layers.loading import load_config
from django_layers.sources import discover


def paths_of(root, pattern):
    return {os.path.relpath(path, root) for path in watch._glob_paths(str(root / pattern))}


def test_a_glob_depends_on_the_folders_it_lists_and_the_names_it_tests(tmp_path):
    for folder in ("a/src/x", "b/src", "c", ".hidden/src/y"):
        (tmp_path / "packages" / folder).mkdir(parents=True)
    # packages is listed; a and b have a src (its own times show it replaced), c has none (its
    # listing shows one added); each src is listed; hidden folders are not matched, as in glob.
    assert paths_of(tmp_path, "packages/*/src/*") == {
        "packages",
        "packages/a/src",
        "packages/b/src",
        "packages/c",
    }
    assert paths_of(tmp_path, "packages/a/src") == {"packages/a/src"}  # no wildcard: itself
    assert paths_of(tmp_path, "missing/*") == {"missing"}  # stat fails: nothing is stored


def test_a_package_depends_on_each_of_its_folders_and_the_searched_pyproject_folders(layered):
    data = layered / "src" / "basics" / "data"
    data.mkdir()
    (layered / "src" / "basics" / "__pycache__").mkdir()
    config = load_config(layered / "layers.yaml", snapshot=False)
    found = {
        os.path.relpath(path, layered) for path in watch.listed_paths(config, discover(config))
    }
    assert {"src", "src/basics", "src/basics/tests", "src/basics/data", "src/shop/core"} <= found
    assert "src/basics/__pycache__" not in found
    assert "." in found  # searched for a pyproject.toml, and none is there


def test_nothing_is_recorded_when_a_source_cannot_be_stated_or_its_content_is_unknown(layered):
    config = load_config(layered / "layers.yaml", snapshot=False)
    tree = discover(config)
    path = tree.files[0][0]
    now = 10**30  # every time is long before: nothing is recent
    recorder = watch.Watch()
    recorder.record(config, tree, [(path, OSError("gone"))], {}, now, now)
    assert recorder.guards is None
    recent = os.stat(path)
    recorder.record(config, tree, [(path, recent)], {}, now, recent.st_mtime_ns)
    assert recorder.guards is None  # modified just before it was stated, with no content key
    recorder.record(config, tree, [(path, recent)], {path: "key"}, now, recent.st_mtime_ns)
    assert recorder.racy == [(path, "key")]
    assert recorder.guards is not None
