"""The Italian and Japanese catalogues are complete: no fuzzy or untranslated entry, and
every string marked in the code is in them (makemessages run on a copy of the project
finds nothing new). Both read the .po files with GNU gettext's tools, which compiling
the catalogues needs anyway."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("it", "ja")
# The same options as `make catalogues` (Makefile) and the README's Languages section.
MAKEMESSAGES = [
    "makemessages",
    "--no-obsolete",
    "--no-location",
    "-e",
    "html,txt,py",
    *("-l", "it", "-l", "ja"),
    *("-i", ".venv", "-i", "node_modules", "-i", "bench", "-i", "tests", "-i", "docs"),
    *("-i", "examples", "-i", "staticfiles"),
]
COPY_IGNORED = shutil.ignore_patterns(
    ".venv",
    ".git",
    "node_modules",
    "staticfiles",
    "__pycache__",
    "*.sqlite3*",
    "tests",
    "bench",
    "docs",
    "examples",
    "backups",
    "test-results",
    "*.mo",
)


def gettext_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install GNU gettext (apt-get install gettext)")
    return path


def catalogue(language: str, root: Path = ROOT) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def entries(po_text: str) -> list[str]:
    """Each entry's msgctxt and msgid, as written in a `--no-wrap` catalogue."""
    keys = []
    context = None
    for line in po_text.splitlines():
        if line.startswith("msgctxt "):
            context = line[8:]
        elif line.startswith("msgid ") and line != 'msgid ""':
            keys.append(f"[{context}] {line[6:]}" if context else line[6:])
            context = None
        elif line.startswith("msgid "):
            context = None
    return keys


def read(tool: str, *args: str) -> str:
    return subprocess.run(
        [gettext_tool(tool), "--no-wrap", *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_no_untranslated_entry(language):
    po = str(catalogue(language))
    untranslated = entries(read("msgattrib", "--untranslated", "--no-obsolete", po))
    assert untranslated == [], f"untranslated in {language}: {untranslated}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_has_no_fuzzy_entry(language):
    po = str(catalogue(language))
    fuzzy = entries(read("msgattrib", "--only-fuzzy", "--no-obsolete", po))
    assert fuzzy == [], f"fuzzy in {language}: {fuzzy}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_compiles_with_matching_placeholders(language, tmp_path):
    result = subprocess.run(
        [
            gettext_tool("msgfmt"),
            "--check",
            "-o",
            str(tmp_path / "django.mo"),
            str(catalogue(language)),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_it_has_every_marked_string_in_the_catalogues(tmp_path):
    gettext_tool("xgettext")
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=COPY_IGNORED, symlinks=False)
    result = subprocess.run(
        [sys.executable, "manage.py", *MAKEMESSAGES],
        cwd=copy,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    for language in LANGUAGES:
        committed = set(entries(read("msgcat", str(catalogue(language)))))
        current = set(entries(read("msgcat", str(catalogue(language, copy)))))
        missing = sorted(current - committed)
        assert missing == [], (
            f"marked in the code but missing from locale/{language}: {missing} "
            "(rebuild the catalogues: see the README's Languages section)"
        )


def test_it_names_the_plural_forms_of_each_language():
    headers = {language: catalogue(language).read_text(encoding="utf-8") for language in LANGUAGES}
    assert re.search(r'"Plural-Forms: nplurals=2; plural=\(n != 1\);\\n"', headers["it"])
    assert re.search(r'"Plural-Forms: nplurals=1; plural=0;\\n"', headers["ja"])
