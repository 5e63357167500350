"""Interviews: the annual private interview, its record, concerns and renewal clearance."""
