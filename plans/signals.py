"""Signals of the plans app for the layers above it.

``plan_approved`` (``plan``, ``user``) is sent by
:func:`plans.services.plan_approve` once the plan is approved, inside its
transaction: the reports app starts the approved book's render on commit, so
the director's first click finds it ready (plans cannot import reports).
"""

from django.dispatch import Signal

plan_approved = Signal()
