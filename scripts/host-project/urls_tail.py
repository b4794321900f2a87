# Added by scripts/check-host: one page of the shop app, which writes an audit entry.
import shop.views

urlpatterns += [path("seen/", shop.views.seen)]  # noqa: F821
