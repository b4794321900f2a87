"""A custom user model with the mixin, as a host project would write it."""

from django.contrib.auth.models import AbstractUser

from django_rbac.mixins import RBACUserMixin


class User(RBACUserMixin, AbstractUser):
    pass
