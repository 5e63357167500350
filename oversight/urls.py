from oversight.views import dashboard, operations, reports, retention

app_name = "oversight"

urlpatterns = [
    *dashboard.urlpatterns,
    *operations.urlpatterns,
    *retention.urlpatterns,
    *reports.urlpatterns,
]
