from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible

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
    schemes=["http", "https"], message="Enter a web address that starts with http:// or https://."
)


def is_http_url(value: str) -> bool:
    return urlsplit(value.strip()).scheme.lower() in ("http", "https")


def web_link(value: str) -> str:
    """A link as typed, with its scheme in lower case (`HTTPS://` names the same page)."""
    text = value.strip()
    scheme, sep, rest = text.partition("://")
    if sep and scheme.lower() in ("http", "https"):
        return scheme.lower() + sep + rest
    return text
