from urllib.parse import urlsplit

from django.core.validators import URLValidator

http_url_validator = URLValidator(
    schemes=["http", "https"], message="Enter a web address that starts with http:// or https://."
)


def is_http_url(value: str) -> bool:
    return urlsplit(value.strip()).scheme.lower() in ("http", "https")
