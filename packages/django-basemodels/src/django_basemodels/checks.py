"""System checks of django-basemodels (ids ``basemodels.W001`` ...)."""
