"""Exceptions shared by several stages (kept here so that no stage imports another for them)."""
from __future__ import annotations


class ReadError(Exception):
    """Bad input; the message is one line naming the problem and the path."""


class StoreError(RuntimeError):
    """The store cannot be opened or written (read-only file, locked, bad URL); one line."""


class BudgetExceeded(Exception):
    """A document took longer than its time budget."""
