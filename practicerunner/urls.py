from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("portal/", include("portal.urls")),
    path("reports/", include("reports.urls")),
    # The staff application owns the site root and the sign-in pages.
    path("", include("staff.urls")),
]
