from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views

admin.site.site_header = "Hestia"
admin.site.site_title = "Hestia"

urlpatterns = [
    path("", include("accounts.urls")),
    path("", include("registry.urls")),
    path("interviews/", include("interviews.urls")),
    path("notifications/", include("notifications.urls")),
    path("oversight/", include("oversight.urls")),
    path("", include("oversight.urls_public")),
    path("rights/", include("notifications.urls_rights")),
    path("", include("interviews.urls_public")),
    path("", include("interviews.urls_api")),
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    path("admin/login/", account_views.admin_login_redirect),
    path("admin/", admin.site.urls),
]

handler403 = "accounts.views.permission_denied"
handler404 = "accounts.views.page_not_found"
handler500 = "accounts.views.server_error"
