"""Alembic's environment: migrations run on the connection `db.migrate` hands over (never from a URL of its own)."""

from alembic import context

from tongzhou_check.serve.db import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
