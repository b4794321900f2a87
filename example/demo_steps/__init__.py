"""The narrated demo, one module per package, run in this order by `manage.py demo`.

Each module has ``run(ctx)``; ``ctx.shared`` passes objects from one step to the next (the
organizations of the parties step are the organizations of the modules step, the repair job of
the encounters step holds the catalog step's basket, and so on).
"""

STEPS = [
    "basemodels",
    "singleton",
    "parties",
    "rbac",
    "modules",
    "encounters",
    "catalog",
    "worklog",
    "audit_log",
]
