"""The models of django-catalog."""

from django_catalog.models.basket import Basket, BasketItem
from django_catalog.models.catalog import CatalogItem
from django_catalog.models.settings import CatalogSettings
from django_catalog.models.work import DispenseLog, WorkItem

__all__ = ["Basket", "BasketItem", "CatalogItem", "CatalogSettings", "DispenseLog", "WorkItem"]
