"""``python -m django_layers check|graph ...``."""

from django_layers.replay import main

raise SystemExit(main())
