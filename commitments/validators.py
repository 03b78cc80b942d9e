import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

WEB_SCHEMES = ("http://", "https://")


@deconstructible
class HttpUrlValidator(URLValidator):
    """A web link as the database stores it: `http://` or `https://` in lower case (the
    constraint compares them exactly), and none of the characters a link must escape
    (quotes, angle brackets, spaces, control characters)."""

    unsafe_chars = frozenset('\t\r\n "<>\\^`{|}\x7f') | frozenset(map(chr, range(32)))

    def __call__(self, value):
        super().__call__(value)
        if not value.startswith(WEB_SCHEMES):
            raise ValidationError(self.message, code=self.code, params={"value": value})


http_url_validator = HttpUrlValidator(
    schemes=["http", "https"],
    message=_("Enter a web address that starts with http:// or https://."),
)


def is_http_url(value: str) -> bool:
    return urlsplit(value.strip()).scheme.lower() in ("http", "https")


# Characters no text of the register may hold: the C0 controls but tab, line feed and
# carriage return, and U+FFFE/U+FFFF, which XML 1.0 (the Atom feed) cannot carry and
# iCalendar forbids; lone surrogates, which no UTF-8 text can encode; and NUL, which
# PostgreSQL cannot store.
UNSHOWABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def control_character_problem(value) -> str | None:
    """Why `value` (a text, or a list or mapping of them, as a JSON file gives) cannot be
    stored, as a phrase ("contains a control character (U+000B)…"), or None."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return next(filter(None, map(control_character_problem, value)), None)
    if not isinstance(value, str):
        return None
    match = UNSHOWABLE.search(value)
    if match is None:
        return None
    code = ord(match.group())
    if 0xD800 <= code <= 0xDFFF:
        return gettext(
            "contains a lone surrogate (%(code)s) at position %(position)s, "
            "which is not a character and cannot be stored: remove it"
        ) % {"code": f"U+{code:04X}", "position": match.start() + 1}
    name = "NUL" if code == 0 else f"U+{code:04X}"
    return gettext(
        "contains a control character (%(code)s) at position %(position)s, "
        "which cannot be stored or shown in a feed: remove it"
    ) % {"code": name, "position": match.start() + 1}


def no_control_characters(value) -> None:
    """The one check of every text entering the register (models, services, API, import)."""
    problem = control_character_problem(value)
    if problem:
        raise ValidationError(
            gettext("This text %(problem)s.") % {"problem": problem}, code="control_character"
        )


def without_control_characters(value: str) -> str:
    """`value` without the characters `no_control_characters` refuses: for what was
    stored before the check, on its way into a feed or calendar."""
    return UNSHOWABLE.sub("", value)


def web_link(value: str) -> str:
    """A link as typed, with its scheme in lower case (`HTTPS://` names the same page)."""
    text = value.strip()
    scheme, sep, rest = text.partition("://")
    if sep and scheme.lower() in ("http", "https"):
        return scheme.lower() + sep + rest
    return text
