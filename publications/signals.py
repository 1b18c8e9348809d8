"""Signals other plugins listen to, so that publications never needs to know about them.

Both are sent with ``sender=Objection`` **after the transaction that changed the
objection has committed** (``transaction.on_commit``), never when it rolls back.
A receiver that raises does not undo the objection; Django logs nothing for it,
so receivers should catch and log their own errors or enqueue a task.

``objection_received(sender, objection)``
    A new objection was saved (with its evidence files).  ``objection.notice``
    is the :class:`~publications.models.PublicityNoticePage`;
    ``objection.entry`` the :class:`~publications.models.PublicityEntry` it is
    about, or None for an objection against the list as a whole.  A plugin finds
    its own record from ``objection.entry.source_key`` (e.g.
    ``"craftsman.submission:42"``), for instance to put a candidate on hold.

``objection_resolved(sender, objection, upheld, user)``
    Staff reached a conclusion: ``upheld`` is True for 属实, False for 不属实.
    Sent once per objection (a conclusion is final).  ``user`` is the staff
    member who recorded it.
"""

from django.dispatch import Signal

objection_received = Signal()
objection_resolved = Signal()
