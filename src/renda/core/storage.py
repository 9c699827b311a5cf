"""Uploaded files on a disk that can fill up.

`MediaStorage` (settings.STORAGES["default"]) is Django's FileSystemStorage with two
promises when a write fails:

- no partial file is left: a file it began to write is removed again;
- a full disk (ENOSPC, or a quota: EDQUOT) is `StorageFull`, a ValidationError with a
  Chinese message. The forms that already show a service's ValidationError show it and
  keep what the user typed; the API answers 507 with it (api/api.py); anything else
  answers the 507 page (core/views/errors.py).

`atomic_with_files()` is transaction.atomic that also removes the files written inside
it when it is left by an exception: the rows that referenced them were rolled back with
it, so those files are referenced by nothing (the orphan job would take them a day
later; a second attachment that did not fit should not leave the first one behind).
"""

from __future__ import annotations

import errno
import os
import threading
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import transaction

DISK_FULL_MESSAGE = "服务器存储空间不足，文件未保存，请联系管理员。"
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


class StorageFull(ValidationError):
    """The disk (or the account's quota) is full: nothing of the upload was kept."""

    def __init__(self, message: str = DISK_FULL_MESSAGE):
        super().__init__(message, code="storage_full")


def is_disk_full(exc: BaseException) -> bool:
    return isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS


_open = threading.local()  # the names written inside each open atomic_with_files(), innermost last


def _journals() -> list[list]:
    if not hasattr(_open, "journals"):
        _open.journals = []
    return _open.journals


class MediaStorage(FileSystemStorage):
    def _save(self, name, content):
        path = self.path(name)
        fresh = not os.path.lexists(path)  # names are random (core.uploads.stored_name): ours if it appears
        try:
            name = super()._save(name, content)
        except OSError as exc:
            if fresh:
                try:
                    os.remove(path)
                except FileNotFoundError:
                    pass
            if is_disk_full(exc):
                raise StorageFull() from exc
            raise
        for journal in _journals():
            journal.append((self, name))
        return name


@contextmanager
def atomic_with_files(using=None):
    """transaction.atomic(); on an exception, the files saved inside are removed too."""
    journal: list[tuple[FileSystemStorage, str]] = []
    journals = _journals()
    journals.append(journal)
    try:
        with transaction.atomic(using=using):
            yield
    except BaseException:
        for storage, name in journal:
            try:
                storage.delete(name)
            except OSError:  # the orphan job will take it
                pass
        raise
    finally:
        if journals and journals[-1] is journal:  # with-blocks of a thread nest
            journals.pop()
