"""Alembic environment: runs against the engine handed over by data_access.db."""

from alembic import context
from sqlalchemy import create_engine

from data_access.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` on the command line: take the URL from the environment
    from dashboard.settings import Settings

    engine = create_engine(Settings.from_env().database_url)

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    context.run_migrations()
