"""The seed: what it promises about the article it is read from, and that loading it again
(over itself or over an earlier version's data) converges without duplicating anything."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from commitments import services
from commitments.backup import restore_backup
from commitments.models import Actor, Commitment, Evidence, Party, Source, StatusUpdate, Theme
from commitments.seed import COMMITMENTS, load_seed

FIXTURES = Path(__file__).parent / "fixtures" / "seed"
ARTICLE_NAME = "000_b9a8cabb5712a896.txt"
ARTICLE = FIXTURES / f"article-{ARTICLE_NAME}"
SHARED_ARTICLE = Path(settings.BASE_DIR).parent / "shared" / "seeds" / ARTICLE_NAME
PREVIOUS_SEED = FIXTURES / "previous-seed.backup.json"

MODELS = [Actor, Theme, Source, Commitment, Party, Evidence, StatusUpdate]

# What the article supports, and the seed rates: status and the period it is dated to.
YEAR_2026 = (dt.date(2026, 1, 1), "year", "2026")
RATED = {
    "action-plan-2024-2027": ("in_progress", "In progress", YEAR_2026),
    "foip-rule-of-law": ("achieved", "In force / upheld", YEAR_2026),
    "foip-global-mediterranean-links": ("achieved", "In force / upheld", YEAR_2026),
    "politico-military-dialogue": ("in_progress", "In progress", YEAR_2026),
    "acsa-agreement": (
        "achieved",
        "In force / upheld",
        (dt.date(2025, 9, 1), "month", "Sep 2025"),
    ),
    "gcap-next-generation-fighter": ("in_progress", "In progress", YEAR_2026),
    "asi-jaxa-space-cooperation": ("in_progress", "In progress", YEAR_2026),
    "oppose-unilateral-change-status-quo-unclos": ("achieved", "In force / upheld", YEAR_2026),
}
DEFENCE_TRACKS = {
    "politico-military-dialogue",
    "acsa-agreement",
    "joint-training-and-exercises",
    "gcap-next-generation-fighter",
    "new-defence-technologies",
}


def article_text() -> str:
    """The article with its list bullets joined by a space, as the seed's quotes join them."""
    return ARTICLE.read_text(encoding="utf-8").replace("\n- ", " ")


def snapshot():
    """Counts, and every field the seed writes, by natural keys."""
    return {
        "counts": {model.__name__: model.objects.count() for model in MODELS},
        "state": state(),
        "history": sorted(StatusUpdate.objects.values_list("pk", "commitment__slug", "status")),
    }


def state():
    """What a reader sees of the seeded register, independent of ids and of history
    entries that are no longer in force."""
    data = {}
    for c in Commitment.objects.order_by("slug"):
        current = services.latest_update(c)
        data[c.slug] = {
            "fields": (
                c.title,
                c.kind,
                c.summary,
                c.quote,
                c.quote_location,
                c.notes,
                c.source.slug,
                (c.announced_on, c.announced_precision),
                (c.deadline, c.deadline_precision),
                c.parent.slug if c.parent else None,
                c.status,
                c.progress,
            ),
            "parties": sorted(c.parties.values_list("actor__slug", "role")),
            "themes": sorted(c.themes.values_list("slug", flat=True)),
            "current": current
            and (
                current.status,
                current.progress,
                current.effective_on,
                current.effective_precision,
                sorted(current.evidence.values_list("title", "kind", "reliability")),
            ),
        }
    data["source"] = list(Source.objects.values("slug", "title", "kind", "date", "publisher"))
    data["actors"] = sorted(Actor.objects.values_list("slug", "name", "kind"))
    data["themes"] = sorted(Theme.objects.values_list("slug", "name"))
    return data


def restore_previous_seed():
    with PREVIOUS_SEED.open(encoding="utf-8") as stream:
        restore_backup(stream)


def wipe():
    StatusUpdate.objects.filter(corrects__isnull=False).delete()
    for model in [StatusUpdate, Evidence, Party, Commitment, Source, Actor, Theme]:
        model.objects.all().delete()


# -- what it records ------------------------------------------------------------------------
def test_it_loads_every_commitment_with_quote_source_parties_themes_and_notes(seeded):
    commitments = Commitment.objects.all()
    assert commitments.count() == len(COMMITMENTS) >= 12
    for c in commitments:
        assert c.quote and c.quote_location and c.source_id, c.slug
        assert c.themes.exists() and c.parties.exists(), c.slug
        assert c.notes.startswith("What the article says:"), c.slug
        assert "What was recorded:" in c.notes, c.slug


def test_it_quotes_the_article_verbatim(seeded):
    text = article_text()
    for slug, quote in Commitment.objects.values_list("slug", "quote"):
        assert quote in text, slug


def test_it_keeps_its_copy_of_the_article_equal_to_the_shared_one():
    if not SHARED_ARTICLE.exists():
        pytest.skip(f"{SHARED_ARTICLE} is not here to compare with")
    assert ARTICLE.read_bytes() == SHARED_ARTICLE.read_bytes()


def test_it_rates_only_what_the_article_supports(seeded):
    rated = {
        c.slug: (c.status, c.status_label) for c in Commitment.objects.exclude(status="not_rated")
    }
    assert rated == {slug: (status, label) for slug, (status, label, _) in RATED.items()}
    assert not StatusUpdate.objects.exclude(commitment__slug__in=RATED).exists()


def test_it_dates_each_rating_to_the_period_the_article_supports(seeded):
    for slug, (_, _, (day, precision, shown)) in RATED.items():
        update = Commitment.objects.get(slug=slug).updates.get()
        assert (update.effective_on, update.effective_precision) == (day, precision), slug
        assert update.effective_display == shown


def test_it_dates_nothing_more_precisely_than_the_article(seeded):
    assert not StatusUpdate.objects.filter(effective_precision="day").exists()
    for c in Commitment.objects.all():
        assert c.deadline_precision in ("", "year"), c.slug
        assert (c.announced_on, c.announced_precision) in (
            (None, ""),
            (dt.date(2026, 1, 1), "year"),
        )


@pytest.mark.parametrize("day", [dt.date(2026, 1, 1), dt.date(2030, 6, 30)])
def test_it_loads_on_any_day_from_the_visits_year_on(db, day):
    with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC), tick=False):
        load_seed()
    assert StatusUpdate.objects.count() == len(RATED)


def test_it_backs_every_rating_with_the_article_as_one_analysis_item(seeded):
    article = Evidence.objects.get()
    assert article.title == Source.objects.get().title
    assert (article.kind, article.reliability) == ("analysis", "secondary")
    for slug in RATED:
        commitment = Commitment.objects.get(slug=slug)
        latest = services.latest_update(commitment)
        assert (commitment.status, commitment.progress) == (latest.status, latest.progress)
        assert list(latest.evidence.all()) == [article]
        assert list(commitment.evidence.all()) == [article]
        assert latest.recorded_by is None and latest.rationale


def test_it_leaves_the_sources_publisher_and_date_unknown(seeded):
    source = Source.objects.get()
    assert (source.kind, source.date, source.publisher) == ("analysis", None, "")
    assert Evidence.objects.get().published_on is None


def test_it_makes_the_uk_a_full_partner_of_gcap(seeded):
    gcap = Commitment.objects.get(slug="gcap-next-generation-fighter")
    assert sorted(gcap.parties.values_list("actor__slug", "role")) == [
        ("italy", "lead"),
        ("japan", "lead"),
        ("united-kingdom", "lead"),
    ]
    assert (gcap.deadline, gcap.deadline_display) == (dt.date(2035, 12, 31), "by 2035")


def test_it_places_the_defence_tracks_gcap_included_under_the_action_plan(seeded):
    plan = Commitment.objects.get(slug="action-plan-2024-2027")
    assert (plan.kind, plan.deadline_display) == ("framework", "by 2027")
    children = set(plan.children.values_list("slug", flat=True))
    assert children == DEFENCE_TRACKS | {"foip-rule-of-law", "foip-global-mediterranean-links"}


def test_it_records_the_digital_and_energy_line_as_italys_priority(seeded):
    line = Commitment.objects.get(slug="digital-and-energy-transition-cooperation")
    assert list(line.parties.values_list("actor__slug", "role")) == [("italy", "lead")]
    assert line.title.startswith("Italy's priority")
    assert "Meloni" in line.notes and line.status == "not_rated"


def test_it_captures_the_taiwan_related_stability_statement(seeded):
    taiwan = Commitment.objects.get(slug="taiwan-related-stability-maritime-security")
    assert "Taiwan-related stability and maritime security" in taiwan.quote
    assert list(taiwan.parties.values_list("actor__slug", flat=True)) == ["italy"]


def test_it_records_shared_concerns_as_concerns_not_cooperation(seeded):
    for slug in (
        "economic-security-shared-concerns",
        "ai-robotics-semiconductors-biomanufacturing",
    ):
        concern = Commitment.objects.get(slug=slug)
        assert concern.kind == "standing" and concern.status == "not_rated"
        assert "concerns" in concern.title
        assert not any(word in concern.title.lower() for word in ("cooperat", "address"))


def test_it_shows_how_each_commitment_was_recorded_on_its_page(client, seeded):
    gcap = Commitment.objects.get(slug="gcap-next-generation-fighter")
    html = client.get(reverse("commitment_detail", args=[gcap.slug])).content.decode()
    assert "How this was recorded</h2>" in html
    assert "full partner" in html


# -- loading again ----------------------------------------------------------------------------
def test_it_changes_nothing_when_loaded_twice(seeded):
    before = snapshot()
    assert load_seed() == {"actors": 0, "themes": 0, "commitments": 0, "updates": 0}
    assert snapshot() == before


def test_it_converges_over_the_previous_seeds_data(db):
    load_seed()
    fresh = state()
    wipe()
    restore_previous_seed()
    old_gcap = StatusUpdate.objects.get(commitment__slug="gcap-next-generation-fighter")
    old_acsa = StatusUpdate.objects.get(commitment__slug="acsa-agreement")
    assert (old_gcap.effective_on, old_gcap.effective_precision) == (dt.date(2026, 11, 25), "day")

    load_seed()

    assert state() == fresh
    # History is kept: the old GCAP entry is corrected, not deleted; ACSA's, already right,
    # is not recorded twice; the article stays one evidence item.
    old_gcap.refresh_from_db()
    assert old_gcap.is_corrected
    assert "earlier version of the seed" in old_gcap.corrected_by.rationale
    assert list(StatusUpdate.objects.filter(commitment__slug="acsa-agreement")) == [old_acsa]
    assert StatusUpdate.objects.count() == len(RATED) + 1
    assert Evidence.objects.count() == 1
    before = snapshot()
    load_seed()
    assert snapshot() == before


@time_machine.travel(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC), tick=False)
def test_it_adds_its_rating_behind_an_analysts_later_one(db, request):
    restore_previous_seed()
    analyst = request.getfixturevalue("analyst")  # after the restore, which wants no users
    dialogue = Commitment.objects.get(slug="politico-military-dialogue")
    evidence = services.record_evidence(
        item=services.NewEvidence(title="Dialogue held", url="https://example.org/d"), by=analyst
    )
    services.record_status_update(
        commitment=dialogue,
        status="achieved",
        rationale="Third round held.",
        evidence=[evidence],
        effective_on=dt.date(2026, 11, 20),
        by=analyst,
    )

    load_seed()

    dialogue.refresh_from_db()
    assert dialogue.status == "achieved"
    statuses = list(dialogue.updates.newest_first().values_list("status", "effective_on"))
    assert statuses == [("achieved", dt.date(2026, 11, 20)), ("in_progress", dt.date(2026, 1, 1))]


def test_it_keeps_an_analysts_correction_of_an_old_seed_entry_current(db, request):
    restore_previous_seed()
    analyst = request.getfixturevalue("analyst")  # after the restore, which wants no users
    old_gcap = StatusUpdate.objects.get(commitment__slug="gcap-next-generation-fighter")
    services.record_status_update(
        commitment=old_gcap.commitment,
        status="stalled",
        rationale="Not progressing.",
        evidence=list(old_gcap.evidence.all()),
        effective_on=old_gcap.effective_on,
        corrects=old_gcap,
        by=analyst,
    )

    load_seed()

    gcap = Commitment.objects.get(slug="gcap-next-generation-fighter")
    assert gcap.status == "stalled"
    assert gcap.updates.count() == 3
    assert gcap.updates.filter(status="in_progress", effective_precision="year").exists()


# -- the command ------------------------------------------------------------------------------
def test_it_loads_from_the_command_line(db):
    call_command("load_seed")
    assert Commitment.objects.count() == len(COMMITMENTS)


def test_it_refuses_demo_users_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_seed", "--demo-users")


def test_it_creates_demo_users_only_when_asked(db, settings, django_user_model):
    settings.DEBUG = True
    call_command("load_seed")
    assert not django_user_model.objects.exists()
    settings.TRACKER_DEMO_PASSWORD = "s3cret-demo"
    call_command("load_seed", "--demo-users")
    admin = django_user_model.objects.get(username="admin")
    analyst = django_user_model.objects.get(username="analyst")
    assert admin.is_superuser and admin.check_password("s3cret-demo")
    assert list(analyst.groups.values_list("name", flat=True)) == ["Analysts"]
    assert analyst.has_perm("commitments.add_statusupdate")


def test_it_gives_every_seed_commitment_an_italian_and_a_japanese_title(seeded):
    from commitments.models import CommitmentText
    from commitments.seed import COMMITMENTS

    texts = CommitmentText.objects.select_related("commitment")
    languages = {(t.commitment.slug, t.language) for t in texts}
    assert languages == {(row["slug"], code) for row in COMMITMENTS for code in ("it", "ja")}
    assert {t.translated_by for t in texts} == {"Tracker editors"}
    assert set(Commitment.objects.values_list("language", flat=True)) == {"en"}
    for text in texts:  # a summary wherever the original has one, and only there
        assert bool(text.summary) == bool(text.commitment.summary), text.commitment.slug
    gcap = texts.get(commitment__slug="gcap-next-generation-fighter", language="ja")
    assert "グローバル戦闘航空プログラム（GCAP）" in gcap.title
    assert "次期戦闘機" in gcap.title
    foip = texts.get(commitment__slug="foip-rule-of-law", language="ja")
    assert "自由で開かれたインド太平洋" in foip.title
    assert (
        "Indo-Pacifico libero e aperto"
        in texts.get(commitment__slug="foip-rule-of-law", language="it").title
    )


def test_it_loads_the_translations_again_without_changing_them(seeded):
    from commitments.models import CommitmentText

    before = list(CommitmentText.objects.values_list("pk", "title", "updated_at"))
    load_seed()
    assert list(CommitmentText.objects.values_list("pk", "title", "updated_at")) == before
