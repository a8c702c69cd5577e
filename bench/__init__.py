def at_newest_schema(url: str) -> None:
    """Bring a cached benchmark database to the newest schema (a bench reads it as it is, as
    the server and the writing commands never would)."""
    from data_access.db import make_engine, migrate

    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
