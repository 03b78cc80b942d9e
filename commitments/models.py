"""The commitment register.

Every rule that a bad value could break is stated twice: as a database constraint
and as a friendly message in `clean()`. Status changes never happen here: they go
through `commitments.services.record_status_update`, which writes history.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import dates, deadlines, quotes
from .choices import (
    ActorKind,
    Compliance,
    DeadlineChangeReason,
    Decision,
    DigestFrequency,
    EvidenceKind,
    Kind,
    LinkKind,
    PartyRole,
    Precision,
    Reliability,
    SourceKind,
    Status,
    status_label,
)
from .content_languages import CONTENT_LANGUAGES, LANGUAGE_NAMES, in_a_sentence, language_name
from .links import slug_url
from .querysets import CommitmentQuerySet, PartyAssessmentQuerySet, StatusUpdateQuerySet
from .validators import http_url_validator, is_http_url, no_control_characters

LANGUAGE_MESSAGE = _("Choose English (en), Italian (it) or Japanese (ja).")
TRANSLATION_TITLE_MESSAGE = _("A translation needs its title.")
TRANSLATED_BY_MESSAGE = _("Say who made this translation.")
TRANSLATION_TWICE_MESSAGE = _("This commitment already has a translation into this language.")


def original_language_message(commitment) -> str:
    return gettext(
        "%(language)s is this commitment's original language: edit its own title, "
        "summary and quote instead."
    ) % {"language": language_name(commitment.language)}


HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb, e.g. #1d4ed8."))
COUNTRY_CODE = RegexValidator(r"^[A-Z]{2}$", _("Enter a two-letter ISO country code, e.g. IT."))

PROGRESS_VALIDATORS = [
    MinValueValidator(0, _("Progress cannot be below 0%%.")),
    MaxValueValidator(100, _("Progress cannot be above 100%%.")),
]


def unique_slug(model: type[models.Model], text: str, max_length: int = 80) -> str:
    base = slugify(text)[:max_length].strip("-") or "item"
    slug, n = base, 2
    while model._default_manager.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        n += 1
    return slug


def _precision_pair_constraint(date_field: str, precision_field: str, name: str):
    """A date and its precision are set together, or neither is."""
    return models.CheckConstraint(
        condition=(
            Q(**{f"{date_field}__isnull": True, precision_field: ""})
            | Q(**{f"{date_field}__isnull": False, f"{precision_field}__in": Precision.values})
        ),
        name=name,
        violation_error_message=format_lazy(
            _("{field} and its precision must be given together."), field=date_field
        ),
    )


class CheckedText(models.Model):
    """Every text field refuses the characters no text may hold
    (`validators.no_control_characters`), its message on the field, wherever the row is
    cleaned: the services, the admin's forms, the importer."""

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None):
        exclude = set(exclude or ())
        try:
            super().clean_fields(exclude=exclude)
            errors = {}
        except ValidationError as error:
            errors = error.update_error_dict({})
        for field in self._meta.concrete_fields:
            if field.name in exclude or field.name in errors:
                continue
            if isinstance(field, (models.CharField, models.TextField)):
                try:
                    no_control_characters(getattr(self, field.attname))
                except ValidationError as error:
                    errors[field.name] = error.messages
        if errors:
            raise ValidationError(errors)


def _clean_precision_pair(instance, date_field: str, precision_field: str, *, end: bool):
    """Friendly twin of `_precision_pair_constraint`; also snaps the date to its period."""
    day = getattr(instance, date_field)
    precision = getattr(instance, precision_field)
    if day is None and precision:
        raise ValidationError(
            {date_field: gettext("Give a date for this precision, or clear both.")}
        )
    if day is not None and not precision:
        raise ValidationError({precision_field: gettext("Say how precise this date is.")})
    if day is not None:
        snap = dates.period_end if end else dates.period_start
        setattr(instance, date_field, snap(day, precision))


class Actor(CheckedText):
    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    short_name = models.CharField(max_length=60, blank=True, verbose_name=_("short name"))
    kind = models.CharField(max_length=20, choices=ActorKind.choices, verbose_name=_("kind"))
    country_code = models.CharField(
        _("ISO country code"), max_length=2, blank=True, validators=[COUNTRY_CODE]
    )
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    aliases = models.TextField(
        blank=True,
        max_length=2000,
        help_text=_(
            "Other names readers and statements use, one per line: e.g. Rome, Italian, ASI."
        ),
        verbose_name=_("aliases"),
    )

    class Meta:
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ActorKind.values), name="actor_kind_valid"),
            models.CheckConstraint(
                condition=Q(country_code="") | Q(country_code__regex=r"^[A-Z]{2}$"),
                name="actor_country_code_iso",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="actor_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def alias_list(self) -> list[str]:
        """The aliases as a list, blank lines and surrounding spaces dropped."""
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def all_names(self) -> list[str]:
        """Every name this actor goes by: full name, short name, then aliases."""
        names = [self.name, self.short_name, *self.alias_list]
        return list(dict.fromkeys(n for n in names if n))

    def get_absolute_url(self) -> str:
        return slug_url("actor_detail", self.slug)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Actor, self.short_name or self.name)
        super().save(*args, **kwargs)


class Theme(CheckedText):
    name = models.CharField(max_length=120, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    colour = models.CharField(
        max_length=7, default="#1d4ed8", validators=[HEX_COLOUR], verbose_name=_("colour")
    )
    description = models.TextField(blank=True, max_length=2000, verbose_name=_("description"))

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="theme_colour_hex"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="theme_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("theme_detail", self.slug)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Theme, self.name)
        super().save(*args, **kwargs)


TEXT_IN_USE = _(
    "Sentences of this text are accepted, linked or rejected, and their quotes point into it, "
    "so its text cannot be changed."
)


class Source(CheckedText):
    title = models.CharField(max_length=300, verbose_name=_("title"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    kind = models.CharField(max_length=20, choices=SourceKind.choices, verbose_name=_("kind"))
    date = models.DateField(
        null=True, blank=True, help_text=_("Leave empty when unknown."), verbose_name=_("date")
    )
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    url = models.URLField(_("URL"), max_length=500, blank=True, validators=[http_url_validator])
    language = models.CharField(
        max_length=10, default="en", help_text=_("e.g. en, it, ja"), verbose_name=_("language")
    )
    full_text = models.TextField(blank=True, verbose_name=_("full text"))

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="source_url_http",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("source_detail", self.slug)

    def clean(self):
        super().clean()
        if self.pk is None or not self.has_decided_sentences():
            return
        stored = Source.objects.filter(pk=self.pk).values_list("full_text", flat=True).first()
        if stored is not None and stored != self.full_text:
            raise ValidationError({"full_text": TEXT_IN_USE})

    def has_decided_sentences(self) -> bool:
        """Whether quotes or decisions point into the stored text (so it stays as it is)."""
        return self.quotes.exists() or self.decisions.exists()

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Source, self.title)
        super().save(*args, **kwargs)


class CommitmentManager(models.Manager.from_queryset(CommitmentQuerySet)):
    def get_queryset(self):
        # Only PostgreSQL's full-text search reads the search document, in SQL; rows
        # never carry it to Python.
        return super().get_queryset().defer("search_document")


class Commitment(CheckedText):
    title = models.CharField(max_length=300, verbose_name=_("title"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    summary = models.TextField(blank=True, max_length=5000, verbose_name=_("summary"))
    quote = models.TextField(
        _("source's exact words"), blank=True, max_length=5000, help_text=_("Quoted verbatim.")
    )
    language = models.CharField(
        _("original language"),
        max_length=10,
        choices=list(LANGUAGE_NAMES.items()),
        default="en",
        help_text=_(
            "The language of the title, summary and quote: the original's (its source's). "
            "Translations are kept beside it."
        ),
    )
    quote_location = models.CharField(
        _("where in the source"),
        max_length=200,
        blank=True,
        help_text=_('e.g. "Defence cooperation, 3rd bullet" or "p. 4".'),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
        verbose_name=_("source"),
    )
    themes = models.ManyToManyField(
        Theme, related_name="commitments", blank=True, verbose_name=_("themes")
    )
    actors = models.ManyToManyField(
        Actor, through="Party", related_name="commitments", blank=True, verbose_name=_("actors")
    )
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.DELIVERABLE, verbose_name=_("kind")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"kind": Kind.FRAMEWORK},
        help_text=_("The framework this commitment belongs to."),
        verbose_name=_("parent"),
    )
    announced_on = models.DateField(null=True, blank=True, verbose_name=_("announced on"))
    announced_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        blank=True,
        default="",
        verbose_name=_("announced precision"),
    )
    deadline = models.DateField(
        null=True,
        blank=True,
        help_text=_("Stored as the last day of its period: 'by 2035' is 31 Dec 2035, year."),
        verbose_name=_("deadline"),
    )
    deadline_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        blank=True,
        default="",
        verbose_name=_("deadline precision"),
    )
    # Current status and progress mirror the latest update by effective date. Only
    # `services.record_status_update` writes them.
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.NOT_RATED, verbose_name=_("status")
    )
    progress = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PROGRESS_VALIDATORS, verbose_name=_("progress")
    )
    last_update_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the latest update was recorded."),
        verbose_name=_("last update at"),
    )
    # The due date of its earliest milestone not completed yet, so today's health reads a
    # late milestone from a column. Only the milestone services write it.
    next_milestone_due = models.DateField(
        null=True, blank=True, editable=False, verbose_name=_("next milestone due")
    )
    # When an analyst should look at it next, and who (an Analyst; anyone's when empty).
    # Set by the review policy whenever an update is recorded (`services.reviews`), and
    # changed only through that module's services.
    next_review_on = models.DateField(
        null=True, blank=True, editable=False, verbose_name=_("next review on")
    )
    # The day a later commitment superseded it (`services.lineage`): closed from then on,
    # whatever its status (see health.py).
    superseded_on = models.DateField(
        null=True, blank=True, editable=False, verbose_name=_("superseded on")
    )
    review_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="review_queue",
        verbose_name=_("review assignee"),
    )
    external_id = models.CharField(
        max_length=120,
        blank=True,
        help_text=_("Identifier in an imported dataset."),
        verbose_name=_("external id"),
    )
    # The dataset series it was imported from (a mapping's `series`), within which rows
    # without an id find it by title, and the date of the newest data its fields come from:
    # a row of older data adds to its history only.
    series = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    data_as_of = models.DateField(null=True, blank=True, editable=False)
    weight = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_(
            "Its weight in its framework's rolled-up progress; all count equally when none is set."
        ),
        verbose_name=_("weight"),
    )
    notes = models.TextField(
        _("analyst's notes"),
        blank=True,
        max_length=5000,
        help_text=_("How the source was read: what was recorded, what was left out, and why."),
    )
    created_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("created at")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))
    # On PostgreSQL a trigger keeps it equal to the weighted title, summary and quote
    # (migration 0004) for full-text search; SQLite leaves it empty and searches by LIKE.
    search_document = SearchVectorField(null=True, editable=False)

    objects = CommitmentManager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["title"]
        permissions = [("import_commitments", _("Can import commitments in bulk"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="commitment_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="commitment_kind_valid"),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=100),
                name="commitment_progress_0_100",
                violation_error_message=_("Progress must be between 0 and 100."),
            ),
            _precision_pair_constraint(
                "deadline", "deadline_precision", "commitment_deadline_precision"
            ),
            _precision_pair_constraint(
                "announced_on", "announced_precision", "commitment_announced_precision"
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="commitment_not_own_parent"),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=1),
                name="commitment_weight_positive",
                violation_error_message=_("A weight is a whole number from 1."),
            ),
            models.CheckConstraint(condition=~Q(title=""), name="commitment_title_not_empty"),
            models.CheckConstraint(
                condition=Q(language__in=CONTENT_LANGUAGES),
                name="commitment_language_known",
                violation_error_message=LANGUAGE_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="commitment_external_id_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="commitment_status_idx"),
            models.Index(fields=["deadline"], name="commitment_deadline_idx"),
            # Kind first: it also serves a filter on kind alone, and with a deadline range
            # it counts the matches without reading the table.
            models.Index(fields=["kind", "deadline"], name="commitment_kind_deadline_idx"),
            models.Index(fields=["last_update_at"], name="commitment_last_update_idx"),
            # The dashboard cache's version reads MAX(updated_at) (see commitments.caching).
            models.Index(fields=["updated_at"], name="commitment_updated_idx"),
            # The digests' new commitments: those added since the last digest.
            models.Index(fields=["created_at"], name="commitment_created_idx"),
            # The list in title order (`sort=title`, and a search found only in other
            # languages, whose rank is the same for all): the first page is read in order
            # from the index, stopping at its 50th match, instead of sorting every match.
            models.Index(fields=["title", "id"], name="commitment_title_idx"),
            # The review queue: the reviews due by a day, of open commitments only (a
            # closed one is never reviewed: its next review is empty). On PostgreSQL it
            # carries every column the queue's filter, order and counts read, so they
            # never visit the table (`selectors.reviews`).
            models.Index(
                fields=["next_review_on"],
                include=["review_assignee", "deadline", "title", "id"],
                condition=models.Q(next_review_on__isnull=False),
                name="commitment_review_due_idx",
            ),
            # The few superseded commitments, found without reading the table: the
            # trend's closings ask which periods began once theirs was superseded.
            models.Index(
                fields=["superseded_on"],
                condition=models.Q(superseded_on__isnull=False),
                name="commitment_superseded_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("commitment_detail", self.slug)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Commitment, self.title)
        if self.deadline and self.deadline_precision:
            self.deadline = dates.period_end(self.deadline, self.deadline_precision)
        if self.announced_on and self.announced_precision:
            self.announced_on = dates.period_start(self.announced_on, self.announced_precision)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        _clean_precision_pair(self, "deadline", "deadline_precision", end=True)
        _clean_precision_pair(self, "announced_on", "announced_precision", end=False)
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                raise ValidationError({"parent": gettext("A commitment cannot be its own parent.")})
            if self.parent and self.parent.kind != Kind.FRAMEWORK:
                raise ValidationError({"parent": gettext("The parent must be a framework.")})
        if self.deadline and self.announced_on and self.deadline < self.announced_on:
            raise ValidationError({"deadline": gettext("The deadline is before the announcement.")})
        if self.weight is not None and self.weight < 1:
            raise ValidationError({"weight": gettext("A weight is a whole number from 1.")})
        if (
            self.quote
            and self.source_id
            and self.source.full_text
            and not quotes.found_in(self.quote, self.source.full_text)
        ):
            raise ValidationError(
                {
                    "quote": gettext(
                        "These words are not in the source's stored text: quote it exactly."
                    )
                }
            )

    # Display helpers -------------------------------------------------------------------
    @property
    def status_label(self) -> str:
        return status_label(self.status, self.kind)

    @property
    def deadline_display(self) -> str:
        return dates.format_deadline(self.deadline, self.deadline_precision)

    @property
    def announced_display(self) -> str:
        if not self.announced_on:
            return ""
        return dates.format_period(self.announced_on, self.announced_precision)

    def distance_to_deadline(self, today: dt.date | None = None) -> str:
        return dates.describe_distance(self.deadline, today or timezone.localdate())

    # Its words in the reader's language, where the queryset asked for them
    # (`CommitmentQuerySet.in_language`); the original's otherwise.
    @property
    def is_translated(self) -> bool:
        return bool(getattr(self, "text_title", None))

    @property
    def shown_title(self) -> str:
        return self.text_title if self.is_translated else self.title

    @property
    def shown_summary(self) -> str:
        return (self.text_summary or self.summary) if self.is_translated else self.summary

    @property
    def shown_language(self) -> str:
        return self.text_language if self.is_translated else self.language

    @property
    def lacks_translation(self) -> bool:
        """A reader's language was asked for, it is not the original's, and no
        translation into it is recorded: the page says it shows the original."""
        wanted = getattr(self, "text_language", None)
        return bool(wanted) and wanted != self.language and not self.is_translated

    @property
    def original_language_name(self) -> str:
        """The original's language, as written inside a sentence."""
        return in_a_sentence(self.language)

    @property
    def text_language_name(self) -> str:
        """The reader's language asked for, as written inside a sentence."""
        return in_a_sentence(getattr(self, "text_language", "") or self.language)


def _language_check(field: str) -> Q:
    return Q(**{f"{field}__in": CONTENT_LANGUAGES})


class CommitmentText(CheckedText):
    """A commitment's title, summary and quote translated into another language, and who
    translated them. The original stays on the commitment (its `language`), so every
    translation has an original and there is exactly one. Only
    `services.translations.set_translation` writes them."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=list(LANGUAGE_NAMES.items()))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True, max_length=5000)
    quote = models.TextField(
        _("the quote, translated"),
        blank=True,
        max_length=5000,
        help_text=_(
            "A translation of the source's words; the original quote is always shown beside it."
        ),
    )
    translated_by = models.CharField(
        _("translated by"),
        max_length=200,
        help_text=_("Who translated it: a person, or e.g. “Tracker editors”."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commitment_id", "language"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "language"],
                name="commitment_text_one_per_language",
                violation_error_message=TRANSLATION_TWICE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=_language_check("language"),
                name="commitment_text_language_known",
                violation_error_message=LANGUAGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(title=""),
                name="commitment_text_title_not_empty",
                violation_error_message=TRANSLATION_TITLE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=~Q(translated_by=""),
                name="commitment_text_translated_by_given",
                violation_error_message=TRANSLATED_BY_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"

    def clean(self):
        super().clean()
        if self.language not in CONTENT_LANGUAGES:
            raise ValidationError({"language": LANGUAGE_MESSAGE})
        if not (self.title or "").strip():
            raise ValidationError({"title": TRANSLATION_TITLE_MESSAGE})
        if not (self.translated_by or "").strip():
            raise ValidationError({"translated_by": TRANSLATED_BY_MESSAGE})
        if self.commitment_id is not None and self.commitment.language == self.language:
            raise ValidationError({"language": original_language_message(self.commitment)})


SCORE_MESSAGE = _("A compliance score is -1, 0 or +1.")
SCORED_RATED_MESSAGE = _("A scored party needs a status other than Not yet rated.")


def _clean_score(instance) -> None:
    """Friendly twin of the score constraints of parties and their assessments."""
    if instance.score is None:
        return
    if instance.score not in Compliance.values:
        raise ValidationError({"score": SCORE_MESSAGE})
    if instance.status == Status.NOT_RATED:
        raise ValidationError({"score": SCORED_RATED_MESSAGE})


class Party(CheckedText):
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="parties", verbose_name=_("commitment")
    )
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, related_name="parties", verbose_name=_("actor")
    )
    role = models.CharField(
        max_length=20, choices=PartyRole.choices, default=PartyRole.PARTNER, verbose_name=_("role")
    )
    # The party's own status and compliance score mirror its latest assessment by
    # effective date. Only `services.assessments.record_party_assessment` writes them.
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.NOT_RATED,
        editable=False,
        verbose_name=_("status"),
    )
    score = models.SmallIntegerField(
        choices=Compliance.choices, null=True, blank=True, editable=False, verbose_name=_("score")
    )
    last_assessed_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("last assessed at")
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["commitment", "role", "actor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "actor"], name="party_once_per_commitment"
            ),
            models.CheckConstraint(condition=Q(role__in=PartyRole.values), name="party_role_valid"),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="party_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__in=Compliance.values),
                name="party_score_valid",
                violation_error_message=SCORE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | ~Q(status=Status.NOT_RATED),
                name="party_scored_is_rated",
                violation_error_message=SCORED_RATED_MESSAGE,
            ),
        ]
        indexes = [
            # The scorecards count each actor's parties per status and score.
            models.Index(fields=["actor", "status", "score"], name="party_scorecard_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        _clean_score(self)

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.commitment.kind)


# What an evidence item says; once history cites it, none of it changes.
CITED_EVIDENCE_FIELDS = [
    "title",
    "url",
    "publisher",
    "published_on",
    "excerpt",
    "kind",
    "reliability",
]
CITED_EVIDENCE_MESSAGE = _(
    "This evidence is cited by a recorded update or a completed milestone, so it is part "
    "of the history and cannot be changed or deleted. To correct it, record a correcting "
    "update with new evidence."
)


class CitedEvidenceIsPermanent(Exception):
    """An attempt to change or delete evidence that recorded history cites."""


class Evidence(CheckedText):
    """A document that shows something: recorded once (one item per link and title) and
    used by as many updates and milestones, of as many commitments, as it backs."""

    commitments = models.ManyToManyField(
        Commitment, related_name="evidence", blank=True, verbose_name=_("commitments")
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    url = models.URLField(
        _("URL"),
        max_length=500,
        blank=True,
        validators=[http_url_validator],
        help_text=_("http or https only."),
    )
    publisher = models.CharField(max_length=200, blank=True, verbose_name=_("publisher"))
    published_on = models.DateField(null=True, blank=True, verbose_name=_("published on"))
    excerpt = models.TextField(blank=True, max_length=5000, verbose_name=_("excerpt"))
    kind = models.CharField(max_length=30, choices=EvidenceKind.choices, verbose_name=_("kind"))
    reliability = models.CharField(
        max_length=20, choices=Reliability.choices, verbose_name=_("reliability")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("added at")
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["-published_on", "-added_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url="") | Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="evidence_url_http",
                violation_error_message=_("Evidence links must start with http:// or https://."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EvidenceKind.values), name="evidence_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(reliability__in=Reliability.values), name="evidence_reliability_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="evidence_title_not_empty"),
            models.UniqueConstraint(
                fields=["url", "title"],
                condition=~Q(url=""),
                name="evidence_once_per_link_and_title",
                violation_error_message=_(
                    "This link is already recorded as evidence with this title."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.url and not is_http_url(self.url):
            raise ValidationError(
                {"url": gettext("Evidence links must start with http:// or https://.")}
            )
        if self.rewrites_cited_record():
            raise ValidationError(CITED_EVIDENCE_MESSAGE)

    def is_cited(self) -> bool:
        """Whether a recorded update or a completed milestone cites this item."""
        if self.pk is None:
            return False
        return (
            self.status_updates.exists()
            or self.milestones.filter(completed_on__isnull=False).exists()
        )

    def changed_fields(self) -> list[str]:
        """The recorded fields whose values here differ from the stored row's."""
        if self._state.adding or self.pk is None:
            return []
        stored = Evidence.objects.filter(pk=self.pk).values(*CITED_EVIDENCE_FIELDS).first()
        if stored is None:
            return []
        return [name for name, value in stored.items() if getattr(self, name) != value]

    def rewrites_cited_record(self) -> bool:
        return bool(self.changed_fields()) and self.is_cited()

    def save(self, *args, **kwargs):
        if self.rewrites_cited_record():
            raise CitedEvidenceIsPermanent(CITED_EVIDENCE_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_cited():
            raise CitedEvidenceIsPermanent(CITED_EVIDENCE_MESSAGE)
        return super().delete(*args, **kwargs)


COMPLETION_MESSAGE = _(
    "This milestone's completion is recorded history: its date, who recorded it and its "
    "commitment are not changed or cleared. If it was wrong, say so in a correcting "
    "status update with evidence."
)


class CompletionIsPermanent(Exception):
    """An attempt to clear or rewrite a milestone's recorded completion."""


class Milestone(CheckedText):
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=_("commitment"),
    )
    title = models.CharField(max_length=300, verbose_name=_("title"))
    due_on = models.DateField(null=True, blank=True, verbose_name=_("due on"))
    due_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        blank=True,
        default="",
        verbose_name=_("due precision"),
    )
    completed_on = models.DateField(null=True, blank=True, verbose_name=_("completed on"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("completed by"),
    )
    evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="milestones", verbose_name=_("evidence")
    )
    order = models.PositiveSmallIntegerField(default=0, verbose_name=_("order"))

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["commitment", "order", "due_on", "id"]
        constraints = [
            _precision_pair_constraint("due_on", "due_precision", "milestone_due_precision"),
            models.CheckConstraint(condition=~Q(title=""), name="milestone_title_not_empty"),
        ]
        indexes = [
            # The dashboard's "next milestones": the first few due from a day on.
            models.Index(fields=["due_on", "order", "id"], name="milestone_due_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.due_on and self.due_precision:
            self.due_on = dates.period_end(self.due_on, self.due_precision)
        if self.rewrites_completion():
            raise CompletionIsPermanent(COMPLETION_MESSAGE)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        _clean_precision_pair(self, "due_on", "due_precision", end=True)
        if self.rewrites_completion():
            raise ValidationError(COMPLETION_MESSAGE)

    def delete(self, *args, **kwargs):
        if Milestone.objects.filter(pk=self.pk, completed_on__isnull=False).exists():
            raise CompletionIsPermanent(COMPLETION_MESSAGE)
        return super().delete(*args, **kwargs)

    def rewrites_completion(self) -> bool:
        """Whether this would change a recorded completion: its date, who recorded it,
        or the commitment whose timeline shows it."""
        if self._state.adding or self.pk is None:
            return False
        stored = (
            Milestone.objects.filter(pk=self.pk, completed_on__isnull=False)
            .values("completed_on", "completed_by_id", "commitment_id")
            .first()
        )
        return stored is not None and stored != {
            "completed_on": self.completed_on,
            "completed_by_id": self.completed_by_id,
            "commitment_id": self.commitment_id,
        }

    @property
    def due_display(self) -> str:
        return dates.format_deadline(self.due_on, self.due_precision)

    @property
    def is_completed(self) -> bool:
        return self.completed_on is not None


CLAIMED_AFTER_RECORDED = _(
    "The time the imported file gives for an entry cannot be later than when it was imported."
)


class HistoryIsAppendOnly(Exception):
    """An attempt to change or delete an entry of a commitment's history."""


class StatusUpdate(CheckedText):
    """One entry of a commitment's append-only history.

    Entries are written only by `services.record_status_update`, which also keeps the
    commitment's current status; once written, an entry is never changed or deleted here
    (a mistake is put right by a correcting entry). Restoring a backup loads rows as they
    were, without `save()`."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="updates", verbose_name=_("commitment")
    )
    status = models.CharField(max_length=20, choices=Status.choices, verbose_name=_("status"))
    previous_status = models.CharField(
        max_length=20,
        choices=Status.choices,
        help_text=_("The status this update moved from, as of its effective date."),
        verbose_name=_("previous status"),
    )
    progress = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=PROGRESS_VALIDATORS, verbose_name=_("progress")
    )
    effective_on = models.DateField(
        help_text=_("The date this became true."), verbose_name=_("effective on")
    )
    effective_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
        verbose_name=_("effective precision"),
    )
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="status_updates",
        verbose_name=_("recorded by"),
    )
    rationale = models.TextField(max_length=5000, verbose_name=_("rationale"))
    review = models.BooleanField(
        default=False,
        help_text=_("Recorded as a review: the analyst checked and found nothing changed."),
        verbose_name=_("review"),
    )
    evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="status_updates", verbose_name=_("evidence")
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        help_text=_("The earlier update this one corrects."),
        verbose_name=_("corrects"),
    )
    # An imported entry is recorded by the importing user at the time of the import; who
    # and when the file says recorded it is kept here, as the file's claim.
    claimed_by = models.CharField(
        _("recorded by, as the imported file says"),
        max_length=150,
        blank=True,
        editable=False,
    )
    claimed_at = models.DateTimeField(
        _("recorded at, as the imported file says"), null=True, blank=True, editable=False
    )
    # The dataset's own words for the rating an imported entry records ("Amber/Green"), and
    # the column they came from ("IPA", "SRO"): kept even where our status is the same.
    source_rating = models.CharField(max_length=300, blank=True, editable=False)
    source_rating_column = models.CharField(max_length=100, blank=True, editable=False)

    objects = StatusUpdateQuerySet.as_manager()

    class Meta:
        verbose_name = _("status update")
        verbose_name_plural = _("status updates")
        ordering = ["-effective_on", "-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="update_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(previous_status__in=Status.values), name="update_previous_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__gte=0, progress__lte=100),
                name="update_progress_0_100",
                violation_error_message=_("Progress must be between 0 and 100."),
            ),
            models.CheckConstraint(
                condition=Q(effective_precision__in=Precision.values),
                name="update_effective_precision_valid",
            ),
            models.CheckConstraint(condition=~Q(rationale=""), name="update_rationale_not_empty"),
            models.CheckConstraint(
                condition=~Q(corrects=F("pk")), name="update_not_self_correction"
            ),
            models.CheckConstraint(
                condition=Q(claimed_at__isnull=True) | Q(claimed_at__lte=F("recorded_at")),
                name="update_claimed_before_recorded",
                violation_error_message=CLAIMED_AFTER_RECORDED,
            ),
        ]
        indexes = [
            models.Index(
                fields=["commitment", "effective_on", "recorded_at"], name="update_history_idx"
            ),
            # With the commitment, a past day's "updated within the stale window" is
            # answered from the index alone (`CommitmentQuerySet.on`).
            models.Index(
                fields=["recorded_at"], include=["commitment"], name="update_recorded_idx"
            ),
            # A past day's latest updates: the newest in effect by then.
            models.Index(fields=["effective_on", "recorded_at"], name="update_effective_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.get_status_display()} ({self.effective_on})"

    def clean(self):
        super().clean()
        if self.claimed_at and self.recorded_at and self.claimed_at > self.recorded_at:
            raise ValidationError({"claimed_at": CLAIMED_AFTER_RECORDED})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsAppendOnly(
                gettext("A recorded status update is never changed: record a correction instead.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly(gettext("A recorded status update is never deleted."))

    @property
    def effective_display(self) -> str:
        return dates.format_period(self.effective_on, self.effective_precision)

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.commitment.kind)

    @property
    def previous_status_label(self) -> str:
        return status_label(self.previous_status, self.commitment.kind)

    @property
    def is_corrected(self) -> bool:
        return hasattr(self, "corrected_by")


class StatusPeriod(models.Model):
    """A stretch of days during which one status and progress held for a commitment,
    read from its history: from `valid_from` (an update's effective date) up to, not
    including, `valid_to` (the next one's; none while it holds). Derived, never edited:
    `services.periods` keeps it in step with the history in the same transaction as
    each update, and `rebuild_status_periods` rebuilds it. A past day's register reads
    it instead of the history (`CommitmentQuerySet.on`)."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="status_periods"
    )
    status = models.CharField(max_length=20, choices=Status.choices)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            # One period per commitment and first day: "on day D" is the one
            # (commitment, valid_from <= D < valid_to) row, found by this index.
            models.UniqueConstraint(
                fields=["commitment", "valid_from"], name="status_period_unique_start"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="status_period_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="status_period_status_valid"
            ),
        ]
        indexes = [
            # The whole register on a day: the periods begun by then and not yet ended.
            models.Index(fields=["valid_from", "valid_to"], name="status_period_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment_id}: {self.status} from {self.valid_from} to {self.valid_to}"


class RecordedMonth(models.Model):
    """How many updates were recorded in a month (its first day, in the tracker's time
    zone), corrections included: the dashboard trend's "updates recorded" for the whole
    register, without counting the history on every view. Derived, never edited:
    `services.recorded_months` adds each update in the same transaction as its history
    row, and `rebuild_status_periods` rebuilds it with the periods."""

    month = models.DateField(unique=True)
    updates = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}: {self.updates}"


class PartyAssessment(CheckedText):
    """One entry of a party's append-only history: its own status on a commitment and,
    optionally, its compliance score.

    Entries are written only by `services.assessments.record_party_assessment`, which
    applies the rules of the commitment's status updates and keeps the party's current
    status and score; once written, an entry is never changed or deleted (a mistake is
    put right by a correcting entry)."""

    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("party")
    )
    status = models.CharField(max_length=20, choices=Status.choices, verbose_name=_("status"))
    previous_status = models.CharField(
        max_length=20,
        choices=Status.choices,
        help_text=_("The party's status this assessment moved from, as of its effective date."),
        verbose_name=_("previous status"),
    )
    score = models.SmallIntegerField(
        choices=Compliance.choices, null=True, blank=True, verbose_name=_("score")
    )
    effective_on = models.DateField(
        help_text=_("The date this became true."), verbose_name=_("effective on")
    )
    effective_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        default=Precision.DAY,
        verbose_name=_("effective precision"),
    )
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="party_assessments",
        verbose_name=_("recorded by"),
    )
    rationale = models.TextField(max_length=5000, verbose_name=_("rationale"))
    review = models.BooleanField(
        default=False,
        help_text=_("Recorded as a review: the analyst checked and found nothing changed."),
        verbose_name=_("review"),
    )
    evidence = models.ManyToManyField(
        Evidence, blank=True, related_name="party_assessments", verbose_name=_("evidence")
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        help_text=_("The earlier assessment this one corrects."),
        verbose_name=_("corrects"),
    )

    objects = PartyAssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("party assessment")
        verbose_name_plural = _("party assessments")
        ordering = ["-effective_on", "-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(previous_status__in=Status.values),
                name="assessment_previous_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__in=Compliance.values),
                name="assessment_score_valid",
                violation_error_message=SCORE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | ~Q(status=Status.NOT_RATED),
                name="assessment_scored_is_rated",
                violation_error_message=SCORED_RATED_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(effective_precision__in=Precision.values),
                name="assessment_effective_precision_valid",
            ),
            models.CheckConstraint(
                condition=~Q(rationale=""), name="assessment_rationale_not_empty"
            ),
            models.CheckConstraint(
                condition=~Q(corrects=F("pk")), name="assessment_not_self_correction"
            ),
        ]
        indexes = [
            models.Index(
                fields=["party", "effective_on", "recorded_at"], name="assessment_history_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party}: {self.get_status_display()} ({self.effective_on})"

    def clean(self):
        super().clean()
        _clean_score(self)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsAppendOnly(
                gettext("A recorded assessment is never changed: record a correction instead.")
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly(gettext("A recorded assessment is never deleted."))

    @property
    def effective_display(self) -> str:
        return dates.format_period(self.effective_on, self.effective_precision)

    @property
    def status_label(self) -> str:
        return status_label(self.status, self.party.commitment.kind)

    @property
    def previous_status_label(self) -> str:
        return status_label(self.previous_status, self.party.commitment.kind)

    @property
    def is_corrected(self) -> bool:
        return hasattr(self, "corrected_by")


class DeadlineChange(CheckedText):
    """One move of a commitment's deadline: the old and new deadline with their
    precisions, who, when, why (a reason key and a note) and, when known, the source
    that announced it. Written only by `services.change_deadline`, which also sets the
    commitment's deadline; never changed or deleted."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="deadline_changes",
        verbose_name=_("commitment"),
    )
    old_deadline = models.DateField(null=True, blank=True, verbose_name=_("old deadline"))
    old_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        blank=True,
        default="",
        verbose_name=_("old precision"),
    )
    new_deadline = models.DateField(null=True, blank=True, verbose_name=_("new deadline"))
    new_precision = models.CharField(
        max_length=10,
        choices=Precision.choices,
        blank=True,
        default="",
        verbose_name=_("new precision"),
    )
    # Empty only for a commitment's first deadline, set after it was created: nothing moved.
    reason = models.CharField(
        max_length=20, choices=DeadlineChangeReason.choices, blank=True, verbose_name=_("reason")
    )
    note = models.TextField(blank=True, max_length=2000, verbose_name=_("note"))
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadline_changes",
        help_text=_("The source that announced the new deadline, when there is one."),
        verbose_name=_("source"),
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadline_changes",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(default=timezone.now, verbose_name=_("changed at"))

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["commitment", "changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reason__in=DeadlineChangeReason.values)
                | Q(reason="", old_deadline__isnull=True),
                name="deadline_change_reason_valid",
                violation_error_message=_("Choose a reason from the list."),
            ),
            _precision_pair_constraint(
                "old_deadline", "old_precision", "deadline_change_old_precision"
            ),
            _precision_pair_constraint(
                "new_deadline", "new_precision", "deadline_change_new_precision"
            ),
            models.CheckConstraint(
                condition=~Q(old_deadline=F("new_deadline"), old_precision=F("new_precision")),
                name="deadline_change_changes_something",
                violation_error_message=_("The new deadline is the same as the old one."),
            ),
            models.CheckConstraint(
                condition=~Q(old_deadline__isnull=True, new_deadline__isnull=True),
                name="deadline_change_not_none_to_none",
                violation_error_message=_("The new deadline is the same as the old one."),
            ),
        ]
        indexes = [
            models.Index(fields=["commitment", "changed_at"], name="deadline_change_history_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commitment}: {self.old_display} → {self.new_display}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsAppendOnly(gettext("A recorded deadline change is never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise HistoryIsAppendOnly(gettext("A recorded deadline change is never deleted."))

    def clean(self):
        super().clean()
        _clean_precision_pair(self, "old_deadline", "old_precision", end=True)
        _clean_precision_pair(self, "new_deadline", "new_precision", end=True)
        if (self.old_deadline, self.old_precision) == (self.new_deadline, self.new_precision):
            raise ValidationError(
                {"deadline": gettext("The new deadline is the same as the old one.")}
            )
        if self.reason and self.reason not in DeadlineChangeReason.values:
            raise ValidationError({"reason": gettext("Choose a reason from the list.")})
        if not self.reason and self.old_deadline is not None:
            raise ValidationError(
                {"reason": gettext("Say why the deadline changes: choose a reason.")}
            )

    @property
    def reason_label(self) -> str:
        if not self.reason:
            return gettext("First deadline set")
        return DeadlineChangeReason(self.reason).label

    @property
    def old_display(self) -> str:
        return dates.format_deadline(self.old_deadline, self.old_precision)

    @property
    def new_display(self) -> str:
        return dates.format_deadline(self.new_deadline, self.new_precision)

    @property
    def slipped(self) -> bool:
        return deadlines.is_slip(self)


class CommitmentLink(CheckedText):
    """A commitment reaffirmed, amended, superseded by or merged into a later one, as a
    source says. Written only by `services.link_commitments`; never changed."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("commitment")
    )
    kind = models.CharField(max_length=20, choices=LinkKind.choices, verbose_name=_("kind"))
    other = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("other")
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="commitment_links", verbose_name=_("source")
    )
    effective_on = models.DateField(
        help_text=_("When the later commitment took over."), verbose_name=_("effective on")
    )
    note = models.TextField(blank=True, max_length=2000, verbose_name=_("note"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitment_links",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("commitment link")
        verbose_name_plural = _("commitment links")
        ordering = ["effective_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=LinkKind.values),
                name="commitment_link_kind_valid",
                violation_error_message=_("Choose how the two commitments relate."),
            ),
            models.CheckConstraint(
                condition=~Q(commitment=F("other")),
                name="commitment_link_not_to_itself",
                violation_error_message=_("A commitment cannot be linked to itself."),
            ),
            models.UniqueConstraint(
                fields=["commitment", "other", "kind"],
                name="commitment_link_once",
                violation_error_message=_("These two commitments are already linked this way."),
            ),
            models.UniqueConstraint(
                fields=["commitment"],
                condition=Q(kind__in=[LinkKind.SUPERSEDED_BY, LinkKind.MERGED_INTO]),
                name="commitment_link_one_successor",
                violation_error_message=_("This commitment is already superseded or merged."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.get_kind_display().lower()} — {self.other}"

    def clean(self):
        super().clean()
        if self.commitment_id and self.commitment_id == self.other_id:
            raise ValidationError({"other": gettext("A commitment cannot be linked to itself.")})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise HistoryIsAppendOnly(
                gettext("A recorded link between commitments is never changed.")
            )
        super().save(*args, **kwargs)


WATCH_TARGETS = ("commitment", "actor", "theme", "source")


class Watch(models.Model):
    """A user following one commitment, actor, theme or source (exactly one). Written
    only by `services.watching`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="watches",
        verbose_name=_("user"),
    )
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commitment"),
    )
    actor = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    theme = models.ForeignKey(
        Theme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("theme"),
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("source"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watches")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        commitment__isnull=False,
                        actor__isnull=True,
                        theme__isnull=True,
                        source__isnull=True,
                    )
                    | Q(
                        commitment__isnull=True,
                        actor__isnull=False,
                        theme__isnull=True,
                        source__isnull=True,
                    )
                    | Q(
                        commitment__isnull=True,
                        actor__isnull=True,
                        theme__isnull=False,
                        source__isnull=True,
                    )
                    | Q(
                        commitment__isnull=True,
                        actor__isnull=True,
                        theme__isnull=True,
                        source__isnull=False,
                    )
                ),
                name="watch_exactly_one_target",
                violation_error_message=_("Follow one commitment, actor, theme or source."),
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", name],
                    condition=Q(**{f"{name}__isnull": False}),
                    name=f"watch_{name}_once",
                    violation_error_message=_("You already follow this."),
                )
                for name in WATCH_TARGETS
            ],
        ]

    def __str__(self) -> str:
        return gettext("%(user)s follows %(target)s") % {"user": self.user, "target": self.target}

    def clean(self):
        super().clean()
        if sum(getattr(self, f"{name}_id") is not None for name in WATCH_TARGETS) != 1:
            raise ValidationError(gettext("Follow one commitment, actor, theme or source."))

    @property
    def kind(self) -> str:
        return next(name for name in WATCH_TARGETS if getattr(self, f"{name}_id") is not None)

    @property
    def target(self):
        return getattr(self, self.kind)


# A digest's language: one of the interface's, or "" for the site's.
DIGEST_LANGUAGES = ("", *dict(settings.LANGUAGES))


class DigestSubscription(models.Model):
    """A user's digest: how often, the secret of their private feed, and when it last
    went out. Written only by `services.watching` and the digest task."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="digest",
        verbose_name=_("user"),
    )
    frequency = models.CharField(
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.DAILY,
        verbose_name=_("frequency"),
    )
    feed_token = models.CharField(max_length=64, unique=True, verbose_name=_("feed token"))
    # The language the digest is written in: one of the interface's, or empty for the
    # site's (`digests.language_for`).
    language = models.CharField(
        max_length=8, blank=True, choices=settings.LANGUAGES, verbose_name=_("language")
    )

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=DigestFrequency.values),
                name="digest_frequency_valid",
                violation_error_message=_("Choose daily, weekly or off."),
            ),
            models.CheckConstraint(condition=~Q(feed_token=""), name="digest_feed_token_set"),
            models.CheckConstraint(
                condition=Q(language__in=DIGEST_LANGUAGES),
                name="digest_language_valid",
                violation_error_message=_("Choose one of the interface's languages."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_frequency_display()}"


class DigestSent(models.Model):
    """One digest sent to one user for one day: at most one a day, whatever runs twice."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    day = models.DateField(verbose_name=_("day"))
    since = models.DateTimeField(
        help_text=_("What changed from this moment was in it."), verbose_name=_("since")
    )
    items = models.PositiveIntegerField(default=0, verbose_name=_("items"))
    sent_at = models.DateTimeField(default=timezone.now, verbose_name=_("sent at"))

    class Meta:
        verbose_name = _("digest sent")
        verbose_name_plural = _("digests sent")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.day}"


class RegisterVersion(models.Model):
    """A counter raised after every committed change to the register, so cached
    dashboard numbers are recomputed at once (see `commitments.caching`)."""

    number = models.PositiveBigIntegerField(default=0, verbose_name=_("number"))
    changed_at = models.DateTimeField(default=timezone.now, verbose_name=_("changed at"))

    class Meta:
        verbose_name_plural = _("register versions")
        verbose_name = _("register version")

    def __str__(self) -> str:
        return gettext("Register version %(number)s") % {"number": self.number}


class SourceQuote(models.Model):
    """Where a commitment's words stand in a stored source's text: `quote` is exactly
    `source.full_text[start:end]`. A commitment accepted from a statement has one; a
    later statement that reaffirms or amends it adds another."""

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="source_quotes",
        verbose_name=_("commitment"),
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, related_name="quotes", verbose_name=_("source")
    )
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    quote = models.TextField(max_length=5000, verbose_name=_("quote"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(default=timezone.now, verbose_name=_("recorded at"))

    class Meta:
        verbose_name = _("source quote")
        verbose_name_plural = _("source quotes")
        ordering = ["source", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="source_quote_span_not_empty",
                violation_error_message=_("A quote ends after it starts."),
            ),
            models.UniqueConstraint(
                fields=["commitment", "source", "start", "end"], name="source_quote_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.start}–{self.end}"

    def clean(self):
        super().clean()
        if self.end is not None and self.start is not None and self.end <= self.start:
            raise ValidationError({"end": gettext("A quote ends after it starts.")})
        if self.source_id and self.start is not None and self.end is not None:
            problem = quotes.span_problem(self.source.full_text, self.start, self.end, self.quote)
            if problem:
                raise ValidationError({"quote": problem})


class CandidateDecision(models.Model):
    """An editor's decision on a sentence of a stored source: accepted as a new
    commitment, linked to one already tracked, or rejected (and not proposed again)."""

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("source")
    )
    start = models.PositiveIntegerField(verbose_name=_("start"))
    end = models.PositiveIntegerField(verbose_name=_("end"))
    quote = models.TextField(max_length=5000, verbose_name=_("quote"))
    decision = models.CharField(max_length=10, choices=Decision.choices, verbose_name=_("decision"))
    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("commitment"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(default=timezone.now, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("candidate decision")
        verbose_name_plural = _("candidate decisions")
        ordering = ["source", "start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values), name="candidate_decision_valid"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")),
                name="candidate_span_not_empty",
                violation_error_message=_("A sentence ends after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(decision=Decision.REJECTED, commitment__isnull=True)
                | (~Q(decision=Decision.REJECTED) & Q(commitment__isnull=False)),
                name="candidate_commitment_unless_rejected",
                violation_error_message=_(
                    "An accepted or linked sentence names its commitment; a rejected one none."
                ),
            ),
            models.UniqueConstraint(
                fields=["source", "start", "end"], name="candidate_decided_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}: {self.start}–{self.end} {self.decision}"

    def clean(self):
        super().clean()
        if self.end is not None and self.start is not None and self.end <= self.start:
            raise ValidationError({"end": gettext("A sentence ends after it starts.")})
        if (self.decision == Decision.REJECTED) != (self.commitment_id is None):
            raise ValidationError(
                {
                    "commitment": gettext(
                        "An accepted or linked sentence names its commitment; a rejected one none."
                    )
                }
            )


@receiver(m2m_changed, sender=StatusUpdate.evidence.through)
def _keep_an_updates_evidence(sender, instance, action, reverse, pk_set, **kwargs):
    """The evidence a recorded update cites is part of it: none is taken away later
    (adding is how the status service records it)."""
    if action == "pre_remove" and not pk_set:
        return
    if (
        action == "pre_clear"
        and not sender.objects.filter(
            **{"evidence" if reverse else "statusupdate": instance}
        ).exists()
    ):
        return
    if action in ("pre_remove", "pre_clear"):
        if reverse:
            raise CitedEvidenceIsPermanent(CITED_EVIDENCE_MESSAGE)
        raise HistoryIsAppendOnly(
            gettext("The evidence a recorded update cites is never taken away.")
        )


@receiver(m2m_changed, sender=Milestone.evidence.through)
def _keep_a_completions_evidence(sender, instance, action, reverse, pk_set, **kwargs):
    """The evidence of a recorded completion is part of it."""
    if action not in ("pre_remove", "pre_clear"):
        return
    completed = Milestone.objects.filter(completed_on__isnull=False)
    if reverse:
        touched = completed.filter(evidence=instance)
        if pk_set is not None:
            touched = touched.filter(pk__in=pk_set)
    else:
        touched = completed.filter(pk=instance.pk)
    if touched.exists():
        raise CompletionIsPermanent(COMPLETION_MESSAGE)


class SeriesTitle(models.Model):
    """A title (normalised) a commitment of a dataset series has been imported under, so a
    row without an id finds the commitment again after the project was renamed."""

    series = models.CharField(max_length=80)
    key = models.CharField(max_length=300)
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="series_titles"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "key"], name="series_title_unique"),
            models.CheckConstraint(condition=~Q(key=""), name="series_title_key_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.series}: {self.key}"
