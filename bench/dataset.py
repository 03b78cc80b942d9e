"""A deterministic synthetic register for the benchmark.

N commitments with about 5 status updates, 3 evidence items and 2 milestones each, over
60 actors, 12 themes and 300 sources, with realistic spreads of statuses, deadlines from
2020 to 2040 and every precision. The same N always gives the same rows.

Every row of a batch is worked out in Python first, primary keys included (`Keys`), so each
table is written once: with PostgreSQL's `COPY ... FROM STDIN` (psycopg 3), or with
`bulk_create` on SQLite. Nothing is updated after it is written.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.contrib.postgres.search import SearchVectorField
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max, Model
from django.utils import timezone

from commitments import dates
from commitments.choices import (
    ActorKind,
    EvidenceKind,
    Kind,
    PartyRole,
    Precision,
    Reliability,
    SourceKind,
    Status,
)
from commitments.models import (
    Actor,
    Commitment,
    CommitmentText,
    Evidence,
    Milestone,
    Party,
    PartyAssessment,
    Source,
    StatusUpdate,
    Theme,
)
from commitments.services import periods

SEED = 20261125
BATCH = 2000
START = dt.date(2019, 1, 1)
NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)

WORDS = (
    "defence maritime supply chain semiconductor energy grid hydrogen space satellite "
    "exercise dialogue agreement research university culture anniversary trade export "
    "investment infrastructure port railway climate health vaccine digital cyber data "
    "fisheries agriculture tourism education scholarship startup robotics quantum"
).split()
VERBS = (
    "Deliver Launch Sign Hold Expand Establish Fund Build Reform Conclude Strengthen Open".split()
)
# Every commitment is translated into Italian and Japanese (`add_translations`); Japanese
# titles run their words together, as Japanese does, so a search finds a word inside one.
IT_WORDS = (
    "difesa marittima approvvigionamento semiconduttori energia rete idrogeno spazio "
    "satelliti esercitazioni dialogo accordo ricerca università cultura anniversario "
    "commercio esportazioni investimenti infrastrutture porti ferrovie clima salute vaccini "
    "digitale cibernetica dati pesca agricoltura turismo istruzione borse startup robotica "
    "quantistica"
).split()
JA_WORDS = (
    "防衛 海洋 サプライチェーン 半導体 エネルギー 送電網 水素 宇宙 衛星 共同訓練 対話 協定 "
    "研究 大学 文化 周年事業 貿易 輸出 投資 インフラ 港湾 鉄道 気候 保健 ワクチン デジタル "
    "サイバー データ 漁業 農業 観光 教育 奨学金 スタートアップ ロボット 次期戦闘機"
).split()
TRANSLATED_BY = "Benchmark translators"

# Final-status spread: most open, a realistic share closed.
STATUS_WEIGHTS = [
    (Status.NOT_RATED, 25),
    (Status.NOT_STARTED, 10),
    (Status.IN_PROGRESS, 30),
    (Status.STALLED, 8),
    (Status.PARTIALLY_ACHIEVED, 7),
    (Status.ACHIEVED, 15),
    (Status.BROKEN, 5),
]
PRECISION_WEIGHTS = [
    (Precision.YEAR, 45),
    (Precision.QUARTER, 15),
    (Precision.MONTH, 20),
    (Precision.DAY, 20),
]
KIND_WEIGHTS = [
    (Kind.DELIVERABLE, 60),
    (Kind.RECURRING, 20),
    (Kind.STANDING, 15),
    (Kind.FRAMEWORK, 5),
]


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _title(rng: random.Random, i: int) -> str:
    return f"{rng.choice(VERBS)} {' '.join(rng.sample(WORDS, 4))} programme {i}"


def build(n: int, progress: Callable[[str], None] = print) -> None:
    """Fill an empty, migrated database with the synthetic register."""
    rng = random.Random(SEED)
    with transaction.atomic():
        actors = Actor.objects.bulk_create(
            [
                Actor(
                    name=f"Country {i:02d}",
                    short_name=f"C{i:02d}",
                    slug=f"country-{i:02d}",
                    kind=ActorKind.GOVERNMENT if i < 45 else ActorKind.AGENCY,
                    country_code="",
                )
                for i in range(60)
            ]
        )
        themes = Theme.objects.bulk_create(
            [
                Theme(
                    name=f"Theme {i:02d} {WORDS[i]}",
                    slug=f"theme-{i:02d}",
                    colour=f"#{(i * 2654435761) % 0xFFFFFF:06x}",
                )
                for i in range(12)
            ]
        )
        sources = Source.objects.bulk_create(
            [
                Source(
                    title=f"Joint statement {i:03d}",
                    slug=f"source-{i:03d}",
                    kind=SourceKind.JOINT_STATEMENT,
                    date=START + dt.timedelta(days=rng.randrange(0, 2500)),
                )
                for i in range(300)
            ]
        )
    progress(
        f"  reference data: {len(actors)} actors, {len(themes)} themes, {len(sources)} sources"
    )

    created = 0
    # The parties' own assessments draw from their own stream, so adding them left the
    # rest of the register as it was.
    party_rng = random.Random(SEED + 1)
    keys = Keys()
    while created < n:
        size = min(BATCH, n - created)
        with transaction.atomic():
            _build_batch(rng, party_rng, keys, created, size, actors, themes, sources)
        created += size
        if created % 20000 == 0 or created == n:
            progress(f"  {created:,} / {n:,} commitments")
    keys.reset_sequences()
    progress(f"  {periods.rebuild():,} status periods")
    if connection.vendor == "postgresql":
        # Compact, as a restored database is: without the free space the build's updates
        # leave, whose amount depends on how the build happens to write, not on the app.
        # Visibility map set and statistics fresh. (VACUUM cannot run in a transaction,
        # as in the test of this module.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM FULL ANALYZE")


def add_translations(progress: Callable[[str], None] = print) -> int:
    """Give every commitment an Italian and a Japanese title and summary, unless the
    register already has translations (a benchmark database built before them gets them
    on its next run). The same register always gets the same words."""
    if CommitmentText.objects.exists():
        return 0
    rng = random.Random(SEED + 2)
    rows: list[CommitmentText] = []
    added = 0
    ids = Commitment.objects.order_by("pk").values_list("pk", flat=True)
    for n, pk in enumerate(ids.iterator(chunk_size=BATCH)):
        it_words, ja_words = rng.sample(IT_WORDS, 4), rng.sample(JA_WORDS, 3)
        rows.append(
            CommitmentText(
                commitment_id=pk,
                language="it",
                title=f"Rafforzare {' '.join(it_words)}, programma {n}",
                summary=f"Impegno sintetico {n} su {' e '.join(it_words[:2])}.",
                translated_by=TRANSLATED_BY,
                created_at=NOW,
            )
        )
        rows.append(
            CommitmentText(
                commitment_id=pk,
                language="ja",
                title=f"{''.join(ja_words)}に関する協力計画{n}",
                summary=f"{'・'.join(ja_words[:2])}に関する合成コミットメント{n}。",
                translated_by=TRANSLATED_BY,
                created_at=NOW,
            )
        )
        if len(rows) >= BATCH * 2:
            CommitmentText.objects.bulk_create(rows)
            added += len(rows)
            rows = []
    CommitmentText.objects.bulk_create(rows)
    added += len(rows)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE commitments_commitmenttext")
    progress(f"  {added:,} translations")
    return added


class Keys:
    """The next primary key of each table, given out before its rows are written, so a
    batch's rows and their links are all known when each table is written once."""

    def __init__(self):
        self._next: dict[type[Model], int] = {}

    def take(self, model: type[Model]) -> int:
        if model not in self._next:
            self._next[model] = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        key = self._next[model]
        self._next[model] += 1
        return key

    def reset_sequences(self) -> None:
        """Point each table's sequence after the keys given out (SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._next))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def _write(model: type[Model], rows: list[Model], *, with_pk: bool = True) -> None:
    """Insert rows as they are: one `COPY` on PostgreSQL, `bulk_create` elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=BATCH * 3)
        return
    # The search document is the database's to fill (a trigger), as on any insert.
    fields = [
        f
        for f in model._meta.concrete_fields
        if not isinstance(f, SearchVectorField) and (with_pk or not f.primary_key)
    ]
    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        "FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([f.get_db_prep_save(f.pre_save(row, True), connection) for f in fields])


def _build_batch(rng, party_rng, keys, offset, size, actors, themes, sources) -> None:
    commitments = []
    plans = []
    for j in range(size):
        i = offset + j
        announced = START + dt.timedelta(days=rng.randrange(0, 2700))
        precision = _pick(rng, PRECISION_WEIGHTS)
        has_deadline = rng.random() < 0.85
        deadline = None
        if has_deadline:
            deadline = dates.period_end(
                dt.date(rng.randint(2020, 2040), rng.randint(1, 12), rng.randint(1, 28)), precision
            )
            if deadline < announced:
                deadline = dates.period_end(announced + dt.timedelta(days=365), precision)
        final_status = _pick(rng, STATUS_WEIGHTS)
        n_updates = (
            0 if final_status == Status.NOT_RATED and rng.random() < 0.6 else rng.randint(3, 7)
        )
        commitments.append(
            Commitment(
                pk=keys.take(Commitment),
                title=_title(rng, i),
                slug=_slug(i),
                summary=f"Synthetic commitment {i} about {' and '.join(rng.sample(WORDS, 3))}.",
                quote=f"The parties will {' '.join(rng.sample(WORDS, 6))}.",
                source=rng.choice(sources),
                kind=_pick(rng, KIND_WEIGHTS),
                announced_on=announced,
                announced_precision=Precision.DAY,
                deadline=deadline,
                deadline_precision=precision if has_deadline else "",
                status=Status.NOT_RATED,
                created_at=timezone.make_aware(dt.datetime.combine(announced, dt.time(9))),
            )
        )
        plans.append((final_status, n_updates, announced))

    party_rows, theme_rows, evidence_rows, milestone_rows = [], [], [], []
    evidence_links = []
    evidence_by_commitment: dict[int, list[Evidence]] = {}
    ThemeLink = Commitment.themes.through
    EvidenceLink = Evidence.commitments.through
    for commitment in commitments:
        for k, actor in enumerate(rng.sample(actors, rng.randint(1, 3))):
            party_rows.append(
                Party(
                    pk=keys.take(Party),
                    commitment=commitment,
                    actor=actor,
                    role=PartyRole.LEAD if k == 0 else PartyRole.PARTNER,
                )
            )
        for theme in rng.sample(themes, rng.randint(1, 2)):
            theme_rows.append(ThemeLink(commitment_id=commitment.pk, theme_id=theme.pk))
        for e in range(3):
            evidence = Evidence(
                pk=keys.take(Evidence),
                title=f"Report {e + 1} on {commitment.slug}",
                url=f"https://example.org/{commitment.slug}/{e}",
                kind=rng.choice(EvidenceKind.values),
                reliability=rng.choice(Reliability.values),
                published_on=commitment.announced_on + dt.timedelta(days=30 * (e + 1)),
            )
            evidence_rows.append(evidence)
            evidence_by_commitment.setdefault(commitment.pk, []).append(evidence)
            evidence_links.append(
                EvidenceLink(evidence_id=evidence.pk, commitment_id=commitment.pk)
            )
        for m in range(2):
            due = commitment.announced_on + dt.timedelta(days=rng.randint(90, 2000))
            milestone_rows.append(
                Milestone(
                    pk=keys.take(Milestone),
                    commitment=commitment,
                    title=f"Milestone {m + 1}",
                    due_on=dates.period_end(due, Precision.MONTH),
                    due_precision=Precision.MONTH,
                    completed_on=due if due < NOW.date() and rng.random() < 0.5 else None,
                    order=m,
                )
            )
        # What `services.milestones.sync_next_due` keeps: the earliest open milestone's due date.
        commitment.next_milestone_due = min(
            (
                m.due_on
                for m in milestone_rows[-2:]
                if m.completed_on is None and m.due_on is not None
            ),
            default=None,
        )

    updates, update_evidence = [], []
    Link = StatusUpdate.evidence.through
    for commitment, (final_status, n_updates, announced) in zip(commitments, plans, strict=True):
        if not n_updates:
            continue
        path = _status_path(rng, final_status, n_updates)
        day = announced
        previous = Status.NOT_RATED
        progress = 0
        for step, status in enumerate(path):
            day = min(day + dt.timedelta(days=rng.randint(20, 200)), NOW.date())
            progress = 100 if status == Status.ACHIEVED else min(95, progress + rng.randint(5, 25))
            update = StatusUpdate(
                pk=keys.take(StatusUpdate),
                commitment=commitment,
                status=status,
                previous_status=previous,
                progress=progress if status != Status.NOT_RATED else None,
                effective_on=day,
                effective_precision=Precision.DAY,
                recorded_at=timezone.make_aware(dt.datetime.combine(day, dt.time(10, step))),
                rationale=f"Step {step + 1}: {status} according to the latest reports.",
            )
            updates.append(update)
            if status != Status.NOT_RATED:
                evidence = evidence_by_commitment[commitment.pk][0]
                update_evidence.append(Link(statusupdate_id=update.pk, evidence_id=evidence.pk))
            previous = status
        commitment.status = path[-1]
        commitment.progress = updates[-1].progress
        commitment.last_update_at = updates[-1].recorded_at

    assessments, assessment_evidence = _assess_parties(
        party_rng, keys, party_rows, evidence_by_commitment
    )
    _write(Commitment, commitments)
    _write(Party, party_rows)
    _write(ThemeLink, theme_rows, with_pk=False)
    _write(Evidence, evidence_rows)
    _write(EvidenceLink, evidence_links, with_pk=False)
    _write(Milestone, milestone_rows)
    _write(StatusUpdate, updates)
    _write(Link, update_evidence, with_pk=False)
    _write(PartyAssessment, assessments)
    _write(PartyAssessment.evidence.through, assessment_evidence, with_pk=False)


def _slug(i: int) -> str:
    return f"c-{i:07d}"


SCORED_STATUS = {1: Status.ACHIEVED, 0: Status.PARTIALLY_ACHIEVED, -1: Status.BROKEN}


def _assess_parties(rng: random.Random, keys, parties, evidence_by_commitment):
    """Each party of a rated commitment of the batch, two times in three, its own
    scored assessment (one history entry, evidenced by the commitment's first item), as
    the service would leave it. Returns the assessments and their evidence links."""
    rated = sorted(
        (party for party in parties if party.commitment.status != Status.NOT_RATED),
        key=lambda party: (party.commitment.slug, party.actor_id),
    )
    Link = PartyAssessment.evidence.through
    entries, links = [], []
    for party in rated:
        if rng.random() >= 2 / 3:
            continue
        score = rng.choice((-1, 0, 1))
        day = party.commitment.last_update_at
        party.status, party.score, party.last_assessed_at = SCORED_STATUS[score], score, day
        entry = PartyAssessment(
            pk=keys.take(PartyAssessment),
            party=party,
            status=party.status,
            previous_status=Status.NOT_RATED,
            score=score,
            effective_on=day.date(),
            effective_precision=Precision.DAY,
            recorded_at=day,
            rationale=f"Scored {score:+d} in the compliance report.",
        )
        entries.append(entry)
        first = evidence_by_commitment[party.commitment.pk][0]
        links.append(Link(partyassessment_id=entry.pk, evidence_id=first.pk))
    return entries, links


def _status_path(rng: random.Random, final: str, n: int) -> list[str]:
    """A plausible sequence of n statuses ending in `final`."""
    middle = [
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        Status.IN_PROGRESS,
        Status.STALLED,
        Status.IN_PROGRESS,
    ]
    path = [rng.choice(middle) for _ in range(n - 1)]
    return [*path, final]
