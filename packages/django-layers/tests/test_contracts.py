"""The contracts every package of the repository keeps (primitives_testkit.contracts).

django-layers has no Django system checks; its errors are not yet gathered under one base error.
"""

from primitives_testkit.contracts import ExportsContract


class TestLayersContracts(ExportsContract):
    package = "django_layers"
