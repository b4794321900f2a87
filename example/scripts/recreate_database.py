"""Drop and create the demo's PostgreSQL database named by DATABASE_URL, so every run starts clean.

The audit log and transition tables refuse TRUNCATE and DELETE on PostgreSQL, so `flush` cannot
empty them; a new database is the honest way to start over.
"""

import os

import dj_database_url
import psycopg
from psycopg import sql

config = dj_database_url.parse(os.environ["DATABASE_URL"])
name = config["NAME"]
with psycopg.connect(
    host=config["HOST"] or "127.0.0.1",
    port=config["PORT"] or 5432,
    user=config["USER"] or "postgres",
    password=config["PASSWORD"] or None,
    dbname="postgres",
    autocommit=True,
) as connection:
    database = sql.Identifier(name)
    connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
    connection.execute(sql.SQL("CREATE DATABASE {}").format(database))
print(f"database {name} recreated")
