"""Background jobs of core: the daily removal of uploaded files no record references, and
the daily erasure of contacts kept past their retention period."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .orphans import remove_orphans
from .personal import erase_expired


@db_periodic_task(crontab(hour="3", minute="30"))
def remove_orphaned_uploads():
    removed = remove_orphans()
    return {"removed": len(removed), "bytes": sum(o.size for o in removed)}


@db_periodic_task(crontab(hour="3", minute="45"))
def erase_expired_contacts():
    return {"erased": erase_expired()}
