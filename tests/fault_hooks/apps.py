import os
import time

from django.apps import AppConfig


class FaultHooksConfig(AppConfig):
    name = "fault_hooks"
    label = "fault_hooks"

    def ready(self):
        from renda.workflow import tasks

        delay = float(os.environ.get("RENDA_TEST_NOTIFY_DELAY", "0"))
        send = tasks.notify

        def slow_notify(*args, **kwargs):
            time.sleep(delay)
            return send(*args, **kwargs)

        tasks.notify = slow_notify
        # each job that ran to its end is written down (Huey keeps no result of a periodic task)
        from django.conf import settings
        from huey.contrib.djhuey import HUEY
        from huey.signals import SIGNAL_COMPLETE

        @HUEY.signal(SIGNAL_COMPLETE)
        def completed(signal, task, *args):
            with open(settings.VAR_DIR / "jobs-completed", "a") as log:
                log.write(f"{task.name}\n")
