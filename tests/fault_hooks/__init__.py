"""A test-only app for tests/test_faults.py's job workers (RENDA_EXTRA_APPS=fault_hooks):
each notification the deadline jobs send takes RENDA_TEST_NOTIFY_DELAY seconds, inside
the job's transaction, so that a worker can be killed, or another worker can run,
in the middle of a job. Production code carries no hook for it."""
