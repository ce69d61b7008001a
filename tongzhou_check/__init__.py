"""tzcheck: audit government-disclosure workbooks against the 通政办发〔2018〕23号 rule pack."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("tzcheck")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
