from django_parties.checks import check_extra_relationship_types


def test_valid_setting_passes(settings):
    settings.PARTIES_EXTRA_RELATIONSHIP_TYPES = {"vet": "Veterinarian"}
    assert check_extra_relationship_types() == []


def test_not_a_dict(settings):
    settings.PARTIES_EXTRA_RELATIONSHIP_TYPES = ["vet"]
    (error,) = check_extra_relationship_types()
    assert error.id == "parties.E001"
    assert "list" in error.msg
    assert error.hint


def test_bad_values(settings):
    settings.PARTIES_EXTRA_RELATIONSHIP_TYPES = {"": "Empty", "x" * 51: "Long"}
    (error,) = check_extra_relationship_types()
    assert error.id == "parties.E001"
