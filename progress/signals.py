"""Signals of the progress app for the layers above it.

``round_locked`` (``reporting_round``, ``user``) is sent by
:func:`progress.services.round_lock` once the round is locked, inside its
transaction: the reports app starts the round's report render on commit
(progress cannot import reports).
"""

from django.dispatch import Signal

round_locked = Signal()
