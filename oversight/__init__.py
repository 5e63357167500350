"""Oversight (recommendation 37): the supervisors' dashboard, mission compliance, statistics for
reporting, data retention and subject access, and the administrators' operations view.

It sits above the other apps: it reads registry, interviews and notifications, and none of them
imports it.
"""
