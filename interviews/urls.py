from interviews.views import (
    availability,
    booking,
    calendars,
    clearance,
    concerns,
    records,
    scheduling,
)

app_name = "interviews"

urlpatterns = [
    *availability.urlpatterns,
    *calendars.urlpatterns,
    *booking.urlpatterns,
    *scheduling.urlpatterns,
    *records.urlpatterns,
    *concerns.urlpatterns,
    *clearance.urlpatterns,
]
