"""Background jobs of core: the daily removal of uploaded files no record references."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .orphans import remove_orphans


@db_periodic_task(crontab(hour="3", minute="30"))
def remove_orphaned_uploads():
    removed = remove_orphans()
    return {"removed": len(removed), "bytes": sum(o.size for o in removed)}
