"""Notifications: multilingual SMS and e-mail notices to workers, and rights information.

Not installed yet; see the README for what each app holds.
"""
