"""Importing commitments from CSV and JSON: see docs/import.md for the columns."""

from .importer import Importer, import_file
from .mapping import Mapping, MappingError
from .report import ImportResult

__all__ = ["ImportResult", "Importer", "Mapping", "MappingError", "import_file"]
