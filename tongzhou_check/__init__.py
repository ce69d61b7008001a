"""tzcheck: audit government-disclosure workbooks against the 通政办发〔2018〕23号 rule pack."""

__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it; no metadata lookup at start)
