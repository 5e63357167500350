from oversight.views import operations, reports, retention

app_name = "oversight"

urlpatterns = [
    *operations.urlpatterns,
    *retention.urlpatterns,
    *reports.urlpatterns,
]
