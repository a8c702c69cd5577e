"""Alembic environment: runs against the engine handed over by data_access.db."""

from alembic import context
from sqlalchemy import create_engine

from data_access.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` on the command line: take the URL from the environment
    from data_access.db import database_url_from_env

    engine = create_engine(database_url_from_env())

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite rebuilds a table to alter it (copy, drop, rename): with foreign keys enforced,
        # dropping a referenced table fails. Off for the migration (it cannot change inside a
        # transaction), then every reference is checked before they are on again.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()  # end SQLAlchemy's autobegun transaction (the pragma applies)
    try:
        with connection.begin():
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                render_as_batch=sqlite,
                compare_type=True,
            )
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left broken references: {broken[:5]}")
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
