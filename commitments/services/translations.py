"""A commitment's words in other languages: the one way a translation is recorded.

`set_translation` records or replaces the translation of a commitment's title, summary
and quote into one language, saying who translated it. Its rules, keyed by field:

- the language is one of `content_languages.CONTENT_LANGUAGES` and not the commitment's own
  (`Commitment.language`: the original, edited on the commitment itself);
- the commitment exists and has an original title (a translation without an original
  is refused);
- a title is given, and who translated it (`translated_by`);
- the texts are no longer than the original's fields allow.

`remove_translation` deletes one. The admin, the importer and the seed call these.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..content_languages import CONTENT_LANGUAGES, normalise
from ..models import (
    LANGUAGE_MESSAGE,
    TRANSLATED_BY_MESSAGE,
    TRANSLATION_TITLE_MESSAGE,
    Commitment,
    CommitmentText,
    original_language_message,
)

TITLE_MAX, TEXT_MAX, TRANSLATOR_MAX = 300, 5000, 200


def check_translation(
    *,
    commitment: Commitment | None,
    language: str,
    title: str,
    summary: str = "",
    quote: str = "",
    translated_by: str,
) -> dict[str, str]:
    """The rules' messages, keyed by field (empty when the translation may be recorded)."""
    errors: dict[str, str] = {}
    code = normalise(language)
    if commitment is None or commitment.pk is None or not (commitment.title or "").strip():
        errors["commitment"] = _(
            "A translation needs an original: record the commitment in its own language first."
        )
    if code is None or code not in CONTENT_LANGUAGES:
        errors["language"] = str(LANGUAGE_MESSAGE)
    elif commitment is not None and commitment.language == code:
        errors["language"] = original_language_message(commitment)
    if not (title or "").strip():
        errors["title"] = str(TRANSLATION_TITLE_MESSAGE)
    elif len(title.strip()) > TITLE_MAX:
        errors["title"] = _("A title is at most %(max)s characters.") % {"max": TITLE_MAX}
    for name, text in (("summary", summary), ("quote", quote)):
        if len((text or "").strip()) > TEXT_MAX:
            errors[name] = _("At most %(max)s characters.") % {"max": TEXT_MAX}
    if not (translated_by or "").strip():
        errors["translated_by"] = str(TRANSLATED_BY_MESSAGE)
    elif len(translated_by.strip()) > TRANSLATOR_MAX:
        errors["translated_by"] = _("At most %(max)s characters.") % {"max": TRANSLATOR_MAX}
    return errors


@transaction.atomic
def set_translation(
    *,
    commitment: Commitment | None,
    language: str,
    title: str,
    summary: str = "",
    quote: str = "",
    translated_by: str,
    by: AbstractBaseUser | None = None,
) -> CommitmentText:
    """Record (or replace) the commitment's translation into `language`. Raises
    `ValidationError` keyed by field, with nothing written, when a rule is broken."""
    if commitment is not None and commitment.pk is not None:
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    errors = check_translation(
        commitment=commitment,
        language=language,
        title=title,
        summary=summary,
        quote=quote,
        translated_by=translated_by,
    )
    if errors:
        raise ValidationError(errors)
    code = normalise(language)
    values = {
        "title": title.strip(),
        "summary": (summary or "").strip(),
        "quote": (quote or "").strip(),
        "translated_by": translated_by.strip(),
    }
    text = CommitmentText.objects.filter(commitment=commitment, language=code).first()
    if text is None:
        text = CommitmentText(commitment=commitment, language=code, recorded_by=by)
    elif all(getattr(text, name) == value for name, value in values.items()):
        return text
    for name, value in values.items():
        setattr(text, name, value)
    if by is not None:
        text.recorded_by = by
    text.full_clean(exclude=["commitment", "recorded_by"])
    text.save()
    return text


@transaction.atomic
def remove_translation(*, commitment: Commitment, language: str) -> bool:
    """Delete the commitment's translation into `language`; whether there was one."""
    deleted, _rows = CommitmentText.objects.filter(
        commitment=commitment, language=normalise(language) or language
    ).delete()
    return bool(deleted)
