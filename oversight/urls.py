from oversight.views import operations

app_name = "oversight"

urlpatterns = [
    *operations.urlpatterns,
]
