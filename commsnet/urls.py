from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

# The admin's sign-in goes through allauth, so it shares its rate limits and 2FA.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "CommsNet administration"

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("members.urls")),
    path("", include("communities.urls")),
    path("", include("feeds.urls")),  # before forums: see feeds/urls.py
    # Before forums: pin and lock live in moderation at /threads/<id>/pin/ and the like,
    # which forums' /threads/<id>/<slug>/ would otherwise take.
    path("", include("moderation.urls")),
    path("", include("forums.urls")),
    path("", include("search.urls")),
    path("", include("notifications.urls")),
    path("", include("records.urls")),
    path("admin/", admin.site.urls),
]

# Profile photos in development (static() does nothing unless DEBUG); production serves
# them from the proxy or object storage. Post attachments have their own checked view.
urlpatterns += static(settings.MEDIA_URL + "avatars/", document_root=settings.MEDIA_ROOT / "avatars")
