from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from carnet.api.api import api

handler404 = "carnet.core.views.page_not_found"
handler500 = "carnet.core.views.server_error"

urlpatterns = [
    path("", include("carnet.core.urls")),
    path("", include("carnet.profiles.urls")),
    path("", include("carnet.notifications.urls")),
    path("", include("carnet.network.urls")),
    path("", include("carnet.organizations.urls")),
    path("", include("carnet.accounts.urls")),
    path("", include("carnet.search.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.CARNET_BENCH:
    urlpatterns += [path("bench/", include("carnet.core.bench"))]
