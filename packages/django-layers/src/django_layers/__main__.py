"""``python -m django_layers check|graph ...``."""

from django_layers.cli import main

raise SystemExit(main())
