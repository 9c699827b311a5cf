from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id with minimal cost: the same code path as production, for tests only."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1
