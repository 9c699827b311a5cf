"""`python -m renda.config.pgcheck URL`: exit 0 when a PostgreSQL server answers at URL
(creating the database if the server is there but the database is not), 1 otherwise."""

import sys
from urllib.parse import urlsplit, urlunsplit


def main(url: str) -> int:
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=3).close()
        return 0
    except psycopg.OperationalError:
        pass
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return 0
    except psycopg.Error:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
