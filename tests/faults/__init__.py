"""Fault tests (issue 7, point 3): notices through a real Redis, real Celery workers and a real
HTTP gateway while Redis stops, a worker is killed or the gateway fails. Every message is
counted: none lost, none delivered twice, each one sent or failed with a reason.

Fifty officers booking one slot at once is in tests/interviews/test_parallel_booking.py
(test_fifty_officers_booking_one_slot_at_once_exactly_one_wins)."""
