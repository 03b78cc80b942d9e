"""Dates and numbers as each language writes them, before Django's own formats
(`FORMAT_MODULE_PATH`): the pages name these formats, never a pattern of their own."""
