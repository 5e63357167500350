"""Interviews: the annual private interview, its record, concerns and renewal clearance.

Not installed yet; see the README for what each app holds.
"""
