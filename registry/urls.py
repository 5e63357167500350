from registry.views import bank, employments, organisations, transfer, workers

app_name = "registry"

urlpatterns = [
    *organisations.urlpatterns,
    *workers.urlpatterns,
    *employments.urlpatterns,
    *bank.urlpatterns,
    *transfer.urlpatterns,
]
