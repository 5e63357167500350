from registry.views import bank, employments, organisations, oversight, transfer, workers

app_name = "registry"

urlpatterns = [
    *organisations.urlpatterns,
    *workers.urlpatterns,
    *employments.urlpatterns,
    *bank.urlpatterns,
    *transfer.urlpatterns,
    *oversight.urlpatterns,
]
