"""Alembic environment: runs on the connection the app hands over, or on the configured URL."""

from alembic import context
from sqlalchemy import engine_from_config, pool

from lehrer_licenses.store.models import Base
from lehrer_licenses.store.search_index import outside_the_models
from lehrer_licenses.store.types import ScaledDecimal

config = context.config
target_metadata = Base.metadata


def render_item(type_, obj, autogen_context):
    # Migrations describe the stored column (an integer), so they never depend on this module.
    if type_ == "type" and isinstance(obj, ScaledDecimal):
        return "sa.BigInteger()"
    return False


def run_on(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER constraints
        compare_type=True,
        render_item=render_item,
        include_name=outside_the_models(connection),
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {},
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
        url=config.get_main_option("sqlalchemy.url"),
    )
    with engine.connect() as conn:
        run_on(conn)
        conn.commit()
