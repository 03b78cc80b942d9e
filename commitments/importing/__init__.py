"""Importing commitments from CSV and JSON: see docs/import.md for the columns."""

from .importer import Importer, ImportResult, import_file
from .mapping import Mapping, MappingError

__all__ = ["ImportResult", "Importer", "Mapping", "MappingError", "import_file"]
