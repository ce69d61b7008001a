"""`tzcheck serve`: the district's submission desk. Clerks upload workbooks in a browser, the office sees every
agency; a web app (FastAPI, Jinja2 pages, a JSON API) over the same engine the command line runs, with a real
database (SQLAlchemy, Alembic migrations) and content-addressed files under a data directory.

Nothing here is imported by `tzcheck audit`: the command line loads this package only for `tzcheck serve`.
"""
