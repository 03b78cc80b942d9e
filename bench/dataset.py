"""A deterministic synthetic register for the benchmark.

N commitments with about 5 status updates, 3 evidence items and 2 milestones each, over
60 actors, 12 themes and 300 sources, with realistic spreads of statuses, deadlines from
2020 to 2040 and every precision. The same N always gives the same rows.

Every row of a batch is worked out in Python first, as plain values with its primary key
(`Keys`), so each table is written once: with PostgreSQL's `COPY ... FROM STDIN` (psycopg
3), or with `bulk_create` on SQLite. Nothing is updated after it is written. On PostgreSQL
the build loads as a restore does: secondary indexes and foreign keys are added after the
rows, and a second thread writes one batch while the next is worked out.
"""

from __future__ import annotations

import datetime as dt
import queue
import random
import threading
from collections.abc import Callable
from contextlib import contextmanager
from enum import Enum

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
# Every commitment is translated into Italian and Japanese (`_translations`); Japanese
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
# Worked out once: a choices class works its values out on each access.
EVIDENCE_KINDS = EvidenceKind.values
RELIABILITIES = Reliability.values

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
    # The translations draw from theirs, in the order `add_translations` gives them.
    text_rng = random.Random(SEED + 2)
    keys = Keys()
    with _checked_and_indexed_after(WRITTEN, progress), _batch_writer() as write:
        while created < n:
            size = min(BATCH, n - created)
            write(
                _build_batch(
                    (rng, party_rng, text_rng), keys, created, size, actors, themes, sources
                )
            )
            created += size
            if created % 20000 == 0 or created == n:
                progress(f"  {created:,} / {n:,} commitments")
    keys.reset_sequences()
    with _sort_memory():
        progress(f"  {periods.rebuild():,} status periods")
    if connection.vendor == "postgresql":
        # As a restored database is: every row written once, so nothing to compact; the
        # visibility map set and statistics fresh. (VACUUM cannot run in a transaction,
        # as in the test of this module.)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")


# The tables each batch writes.
WRITTEN = (
    Commitment,
    Party,
    Commitment.themes.through,
    Evidence,
    Evidence.commitments.through,
    Milestone,
    StatusUpdate,
    StatusUpdate.evidence.through,
    PartyAssessment,
    PartyAssessment.evidence.through,
    CommitmentText,
)


@contextmanager
def _checked_and_indexed_after(models, progress: Callable[[str], None]):
    """On PostgreSQL, load as a restore does: drop the tables' foreign keys and secondary
    indexes (those no other constraint stands on), and add them again once the rows are
    in. Each index is then one sorted build instead of an insertion per row, and each
    foreign key one check of the whole table (adding it fails on any row that breaks it)
    instead of a lookup per row at every commit. Primary keys and unique constraints stay,
    checked as each row is written."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                 FROM pg_index i
                WHERE i.indrelid = ANY(%s::regclass[])
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)""",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            """SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid)
                 FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])""",
            [tables],
        )
        keys = cursor.fetchall()
        if connection.in_atomic_block:
            # A table with checks still pending in the transaction cannot be altered: run
            # them now (Django's foreign keys are deferred to the commit).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    _create_indexes([definition for _, definition in indexes])
    with connection.cursor() as cursor:
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        if connection.in_atomic_block:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    progress(f"  {len(indexes)} indexes built, {len(keys)} foreign keys checked")


@contextmanager
def _sort_memory():
    """More memory for the session's sorts while the periods are rebuilt from millions of
    updates (the server's default of 4 MB sorts them on disk)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET work_mem = '256MB'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET work_mem")


# Memory for each index build (the trigram indexes on two million translations build
# several times faster with it than with the server's default of 64 MB).
INDEX_MEMORY = "512MB"


def _create_indexes(definitions: list[str]) -> None:
    """Create the indexes, two at a time on their own connections when outside a
    transaction (each build is one process's work; the machine has at least two)."""
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            for definition in definitions:
                cursor.execute(definition)
        return
    waiting: queue.Queue = queue.Queue()
    for definition in definitions:
        waiting.put(definition)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SET maintenance_work_mem = '{INDEX_MEMORY}'")
                while not failures:
                    try:
                        definition = waiting.get_nowait()
                    except queue.Empty:
                        return
                    cursor.execute(definition)
        except BaseException as exc:  # given to the building thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, name=f"bench-index-{i}") for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


def _write_batch(tables: list[list[dict]]) -> None:
    with transaction.atomic():
        for model, rows in zip(WRITTEN, tables, strict=True):
            _write(model, rows)


@contextmanager
def _batch_writer():
    """A function that writes a batch's tables in one transaction. On PostgreSQL, outside a
    transaction, it hands them to a thread with its own connection, so the database takes
    in one batch (filling its search documents) while the next is
    worked out; at most two batches wait. The rows and their order are the same."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield _write_batch
        return
    batches: queue.Queue = queue.Queue(maxsize=2)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            while (tables := batches.get()) is not None:
                if not failures:
                    try:
                        _write_batch(tables)
                    except BaseException as exc:  # given to the building thread
                        failures.append(exc)
        finally:
            connection.close()

    def write(tables: list[list[dict]]) -> None:
        if failures:
            raise failures[0]
        batches.put(tables)

    thread = threading.Thread(target=work, name="bench-writer")
    thread.start()
    try:
        yield write
    finally:
        batches.put(None)
        thread.join()
    if failures:
        raise failures[0]


def add_translations(progress: Callable[[str], None] = print) -> int:
    """Give every commitment an Italian and a Japanese title and summary, unless the
    register already has translations (a benchmark database built before them gets them
    on its next run). The same register always gets the same words."""
    if CommitmentText.objects.exists():
        return 0
    rng = random.Random(SEED + 2)
    ids = list(Commitment.objects.order_by("pk").values_list("pk", flat=True))
    with _checked_and_indexed_after([CommitmentText], progress):
        for start in range(0, len(ids), BATCH):
            rows = []
            for n, pk in enumerate(ids[start : start + BATCH], start):
                rows.extend(_translations(rng, pk, n))
            with transaction.atomic():
                _write(CommitmentText, rows)
    added = len(ids) * 2
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE commitments_commitmenttext")
    progress(f"  {added:,} translations")
    return added


def _translations(rng: random.Random, pk: int, n: int) -> list[dict]:
    """The Italian and Japanese title and summary of the `n`th commitment (from 0)."""
    it_words, ja_words = rng.sample(IT_WORDS, 4), rng.sample(JA_WORDS, 3)
    return [
        {
            "commitment_id": pk,
            "language": "it",
            "title": f"Rafforzare {' '.join(it_words)}, programma {n}",
            "summary": f"Impegno sintetico {n} su {' e '.join(it_words[:2])}.",
            "translated_by": TRANSLATED_BY,
            "created_at": NOW,
        },
        {
            "commitment_id": pk,
            "language": "ja",
            "title": f"{''.join(ja_words)}に関する協力計画{n}",
            "summary": f"{'・'.join(ja_words[:2])}に関する合成コミットメント{n}。",
            "translated_by": TRANSLATED_BY,
            "created_at": NOW,
        },
    ]


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


def _write(model: type[Model], rows: list[dict]) -> None:
    """Insert rows, each a dict of column values by attribute name (the rest take the
    field's default): one `COPY` on PostgreSQL, `bulk_create` elsewhere. The rows are
    plain values, not model instances: at a million commitments, building and preparing
    ten million instances would be most of the build's time."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH * 3)
        return
    # The search document is the database's to fill (a trigger), as on any insert.
    fields = [
        f
        for f in model._meta.concrete_fields
        if not isinstance(f, SearchVectorField) and (f.attname in rows[0] or not f.primary_key)
    ]
    # Every field the rows leave out takes the value a new instance would be saved with
    # (its default, or now for an automatic timestamp), worked out once.
    blank = model()
    defaults = [f.get_db_prep_save(f.pre_save(blank, True), connection) for f in fields]
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    sql = (
        f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        "FROM STDIN"
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(
                [
                    _plain(row[name]) if name in row else default
                    for name, default in zip(names, defaults, strict=True)
                ]
            )


def _plain(value):
    # A choice (a str enum) goes to the database as its value.
    return value.value if isinstance(value, Enum) else value


NINE = dt.time(9)


def _build_batch(rngs, keys, offset, size, actors, themes, sources) -> list[list[dict]]:
    """A batch's rows, table by table in the order of WRITTEN."""
    rng, party_rng, text_rng = rngs
    # As `timezone.make_aware` would, once for the batch.
    zone = timezone.get_current_timezone()
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
            {
                "id": keys.take(Commitment),
                "title": _title(rng, i),
                "slug": _slug(i),
                "summary": f"Synthetic commitment {i} about {' and '.join(rng.sample(WORDS, 3))}.",
                "quote": f"The parties will {' '.join(rng.sample(WORDS, 6))}.",
                "source_id": rng.choice(sources).pk,
                "kind": _pick(rng, KIND_WEIGHTS),
                "announced_on": announced,
                "announced_precision": Precision.DAY,
                "deadline": deadline,
                "deadline_precision": precision if has_deadline else "",
                "status": Status.NOT_RATED,
                "progress": None,
                "last_update_at": None,
                "created_at": dt.datetime.combine(announced, NINE, tzinfo=zone),
            }
        )
        plans.append((final_status, n_updates, announced))

    party_rows, theme_rows, evidence_rows, milestone_rows = [], [], [], []
    evidence_links = []
    first_evidence: dict[int, int] = {}
    for commitment in commitments:
        pk, slug, announced = commitment["id"], commitment["slug"], commitment["announced_on"]
        for k, actor in enumerate(rng.sample(actors, rng.randint(1, 3))):
            party_rows.append(
                {
                    "id": keys.take(Party),
                    "commitment_id": pk,
                    "actor_id": actor.pk,
                    "role": PartyRole.LEAD if k == 0 else PartyRole.PARTNER,
                    "commitment": commitment,
                }
            )
        for theme in rng.sample(themes, rng.randint(1, 2)):
            theme_rows.append({"commitment_id": pk, "theme_id": theme.pk})
        for e in range(3):
            evidence = keys.take(Evidence)
            evidence_rows.append(
                {
                    "id": evidence,
                    "title": f"Report {e + 1} on {slug}",
                    "url": f"https://example.org/{slug}/{e}",
                    "kind": rng.choice(EVIDENCE_KINDS),
                    "reliability": rng.choice(RELIABILITIES),
                    "published_on": announced + dt.timedelta(days=30 * (e + 1)),
                }
            )
            first_evidence.setdefault(pk, evidence)
            evidence_links.append({"evidence_id": evidence, "commitment_id": pk})
        for m in range(2):
            due = announced + dt.timedelta(days=rng.randint(90, 2000))
            milestone_rows.append(
                {
                    "id": keys.take(Milestone),
                    "commitment_id": pk,
                    "title": f"Milestone {m + 1}",
                    "due_on": dates.period_end(due, Precision.MONTH),
                    "due_precision": Precision.MONTH,
                    "completed_on": due if due < NOW.date() and rng.random() < 0.5 else None,
                    "order": m,
                }
            )
        # What `services.milestones.sync_next_due` keeps: the earliest open milestone's due date.
        commitment["next_milestone_due"] = min(
            (
                m["due_on"]
                for m in milestone_rows[-2:]
                if m["completed_on"] is None and m["due_on"] is not None
            ),
            default=None,
        )

    updates, update_evidence = [], []
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
            update = {
                "id": keys.take(StatusUpdate),
                "commitment_id": commitment["id"],
                "status": status,
                "previous_status": previous,
                "progress": progress if status != Status.NOT_RATED else None,
                "effective_on": day,
                "effective_precision": Precision.DAY,
                "recorded_at": dt.datetime.combine(day, dt.time(10, step), tzinfo=zone),
                "rationale": f"Step {step + 1}: {status} according to the latest reports.",
            }
            updates.append(update)
            if status != Status.NOT_RATED:
                update_evidence.append(
                    {
                        "statusupdate_id": update["id"],
                        "evidence_id": first_evidence[commitment["id"]],
                    }
                )
            previous = status
        commitment["status"] = path[-1]
        commitment["progress"] = updates[-1]["progress"]
        commitment["last_update_at"] = updates[-1]["recorded_at"]

    assessments, assessment_evidence = _assess_parties(party_rng, keys, party_rows, first_evidence)
    for party in party_rows:
        del party["commitment"]
    texts = [
        row
        for n, commitment in enumerate(commitments, offset)
        for row in _translations(text_rng, commitment["id"], n)
    ]
    # In the order of WRITTEN.
    return [
        commitments,
        party_rows,
        theme_rows,
        evidence_rows,
        evidence_links,
        milestone_rows,
        updates,
        update_evidence,
        assessments,
        assessment_evidence,
        texts,
    ]


def _slug(i: int) -> str:
    return f"c-{i:07d}"


SCORED_STATUS = {1: Status.ACHIEVED, 0: Status.PARTIALLY_ACHIEVED, -1: Status.BROKEN}


def _assess_parties(rng: random.Random, keys, parties, first_evidence):
    """Each party of a rated commitment of the batch, two times in three, its own
    scored assessment (one history entry, evidenced by the commitment's first item), as
    the service would leave it. Returns the assessments and their evidence links."""
    rated = sorted(
        (party for party in parties if party["commitment"]["status"] != Status.NOT_RATED),
        key=lambda party: (party["commitment"]["slug"], party["actor_id"]),
    )
    entries, links = [], []
    for party in rated:
        if rng.random() >= 2 / 3:
            continue
        score = rng.choice((-1, 0, 1))
        day = party["commitment"]["last_update_at"]
        status = SCORED_STATUS[score]
        party.update(status=status, score=score, last_assessed_at=day)
        entry = {
            "id": keys.take(PartyAssessment),
            "party_id": party["id"],
            "status": status,
            "previous_status": Status.NOT_RATED,
            "score": score,
            "effective_on": day.date(),
            "effective_precision": Precision.DAY,
            "recorded_at": day,
            "rationale": f"Scored {score:+d} in the compliance report.",
        }
        entries.append(entry)
        links.append(
            {
                "partyassessment_id": entry["id"],
                "evidence_id": first_evidence[party["commitment_id"]],
            }
        )
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
