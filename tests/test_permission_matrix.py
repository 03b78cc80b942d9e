"""Who may do what on every URL.

Every pattern in the URLconf has a rule here: for each method, the outcome for an
anonymous visitor, a reader (logged in, no group), an analyst, an editor and an admin
(superuser). A pattern without a rule fails `test_it_has_a_rule_for_every_url_pattern`,
so a new view cannot ship without someone deciding who may use it.

The policy: reading is public (TRACKER_PUBLIC), analysts record status updates,
evidence and milestones, editors also edit the register and import, nothing edits or
deletes history, and only staff reach the admin. Writes are sent empty: a form shown
again with its errors (200, or 400 from the API) means "allowed", and no request here
may change the data, whatever it answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from commitments import digests, services
from commitments.choices import Precision, Status
from commitments.models import (
    Actor,
    Commitment,
    Evidence,
    Milestone,
    Party,
    Source,
    StatusUpdate,
    Theme,
)
from commitments.services import watching
from tests.conftest import Builder, _user


# -- outcomes -----------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Outcome:
    """What a response should be: a status code and, for redirects, where to."""

    name: str
    status: int
    to: str | None = None  # "login", "admin_login", "admin_index", a path; None: elsewhere

    def __repr__(self) -> str:
        return self.name

    def seen_in(self, response, path: str) -> bool:
        if response.status_code != self.status:
            return False
        if self.status != 302:
            return True
        location = response["Location"]
        if self.to == "login":
            return location == f"{reverse('login')}?next={path}"
        if self.to == "admin_login":
            return location == f"{reverse('admin:login')}?next={path}"
        if self.to == "admin_index":
            return location == reverse("admin:index")
        if self.to is not None:
            return location == self.to
        return not location.startswith((reverse("login"), reverse("admin:login")))


OK = Outcome("OK", 200)
LOGIN = Outcome("LOGIN", 302, "login")  # to the tracker's login page, and back here after
ADMIN_LOGIN = Outcome("ADMIN_LOGIN", 302, "admin_login")
HOME = Outcome("HOME", 302, "/")
ADMIN_HOME = Outcome("ADMIN_HOME", 302, "admin_index")
REDIRECT = Outcome("REDIRECT", 302)  # somewhere other than a login page
INVALID = Outcome("INVALID", 400)  # the API's field errors: the write was allowed
UNAUTHENTICATED = Outcome("UNAUTHENTICATED", 401)
DENIED = Outcome("DENIED", 403)
NOT_FOUND = Outcome("NOT_FOUND", 404)
NOT_ALLOWED = Outcome("NOT_ALLOWED", 405)

ROLES = ("anonymous", "reader", "analyst", "editor", "admin")
PAGE_METHODS = ("GET", "HEAD", "POST")
API_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")


def everyone(outcome: Outcome) -> tuple[Outcome, ...]:
    return (outcome,) * len(ROLES)


def same_for(methods, row) -> dict[str, tuple[Outcome, ...]]:
    return dict.fromkeys(methods, row)


# -- the rules ----------------------------------------------------------------------------
# Each row is (anonymous, reader, analyst, editor, admin).
# Reading pages and downloads answer GET and HEAD; anything else is refused.
READ_PAGE = {"GET": everyone(OK), "HEAD": everyone(OK), "POST": everyone(NOT_ALLOWED)}
ANALYST_FORM = same_for(PAGE_METHODS, (LOGIN, DENIED, OK, OK, OK))
API_READ = {
    "GET": everyone(OK),
    "HEAD": everyone(OK),
    **same_for(
        ("POST", "PUT", "PATCH", "DELETE"),
        (UNAUTHENTICATED, DENIED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    ),
}
# Watching: a logged-in user's own; an anonymous POST goes to the login page, then to
# /watching/ (a POST address cannot be opened after logging in).
WATCH_LOGIN = Outcome("WATCH_LOGIN", 302, "/accounts/login/?next=/watching/")
WATCH_WRITE = {
    "GET": everyone(NOT_ALLOWED),
    "HEAD": everyone(NOT_ALLOWED),
    "POST": (WATCH_LOGIN, REDIRECT, REDIRECT, REDIRECT, REDIRECT),
}
ADMIN_ONLY = same_for(PAGE_METHODS, (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK))

RULES: dict[str, dict[str, tuple[Outcome, ...]]] = {
    # -- operations and accounts
    "healthz": READ_PAGE,
    "login": {
        "GET": (OK, HOME, HOME, HOME, HOME),
        "HEAD": (OK, HOME, HOME, HOME, HOME),
        "POST": (OK, HOME, HOME, HOME, HOME),
    },
    "logout": {
        "GET": everyone(NOT_ALLOWED),
        "HEAD": everyone(NOT_ALLOWED),
        "POST": everyone(HOME),
    },
    "password_change": same_for(PAGE_METHODS, (LOGIN, OK, OK, OK, OK)),
    # The header's language switcher: anyone may choose, and is sent back to the page.
    "set_language": {
        "GET": everyone(NOT_ALLOWED),
        "HEAD": everyone(NOT_ALLOWED),
        "POST": everyone(REDIRECT),
    },
    "password_change_done": {
        "GET": (LOGIN, OK, OK, OK, OK),
        "HEAD": (LOGIN, OK, OK, OK, OK),
        "POST": (LOGIN, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED),
    },
    # -- reading: public, and nothing but GET and HEAD
    "dashboard": READ_PAGE,
    "methodology": READ_PAGE,
    "commitment_list": READ_PAGE,
    "commitment_detail": READ_PAGE,
    "actor_index": READ_PAGE,
    "scorecard": READ_PAGE,
    "actor_detail": READ_PAGE,
    "theme_index": READ_PAGE,
    "theme_detail": READ_PAGE,
    "source_index": READ_PAGE,
    "source_detail": READ_PAGE,
    "activity": READ_PAGE,
    "updates_feed": READ_PAGE,
    "commitment_export_csv": READ_PAGE,
    "commitment_export_json": READ_PAGE,
    "commitment_export_xlsx": READ_PAGE,
    "deadlines_ics": READ_PAGE,
    "commitment_calendar": READ_PAGE,
    "commitment_feed": READ_PAGE,
    # -- recording what happened: analysts and up
    "commitment_update": ANALYST_FORM,
    "update_correct": ANALYST_FORM,
    "milestone_add": ANALYST_FORM,
    "parties_assess": ANALYST_FORM,
    "milestone_complete": ANALYST_FORM,
    # The same update for the commitments ticked in a list (none are in this URL: the page
    # says so, and a POST saves nothing).
    "update_several": ANALYST_FORM,
    # The review queue: analysts and up; marking one reviewed is a POST (an empty
    # rationale saves nothing and goes back with the message).
    "review_queue": {
        "GET": (LOGIN, DENIED, OK, OK, OK),
        "HEAD": (LOGIN, DENIED, OK, OK, OK),
        "POST": everyone(NOT_ALLOWED),
    },
    "review_done": {
        "GET": everyone(NOT_ALLOWED),
        "HEAD": everyone(NOT_ALLOWED),
        "POST": (LOGIN, DENIED, REDIRECT, REDIRECT, REDIRECT),
    },
    # -- watching: any logged-in user; the unsubscribe link and the private feed carry
    # their own secret and need no login
    "watching": {
        "GET": (LOGIN, OK, OK, OK, OK),
        "HEAD": (LOGIN, OK, OK, OK, OK),
        "POST": everyone(NOT_ALLOWED),
    },
    "watch_follow": WATCH_WRITE,
    "watch_unfollow": WATCH_WRITE,
    "digest_settings": WATCH_WRITE,
    "private_feed_reset": WATCH_WRITE,
    "private_feed": READ_PAGE,
    "digest_unsubscribe": same_for(PAGE_METHODS, everyone(OK)),
    # -- the register: editors and up
    # Assigning reviews for the commitments ticked in a list (none in this URL: 400).
    "review_assign": same_for(PAGE_METHODS, (LOGIN, DENIED, DENIED, INVALID, INVALID)),
    "import_commitments": {
        "GET": (LOGIN, DENIED, DENIED, OK, OK),
        "HEAD": (LOGIN, DENIED, DENIED, OK, OK),
        "POST": (LOGIN, DENIED, DENIED, OK, OK),
    },
    # A statement's text and the review of its commitments (an empty POST asks for no
    # decision: the review page says so and shows itself again).
    "source_add": same_for(PAGE_METHODS, (LOGIN, DENIED, DENIED, OK, OK)),
    "source_text": same_for(PAGE_METHODS, (LOGIN, DENIED, DENIED, OK, OK)),
    "source_extract": {
        "GET": (LOGIN, DENIED, DENIED, OK, OK),
        "HEAD": (LOGIN, DENIED, DENIED, OK, OK),
        "POST": (LOGIN, DENIED, DENIED, REDIRECT, REDIRECT),
    },
    "import_guide": {
        "GET": (LOGIN, DENIED, DENIED, OK, OK),
        "HEAD": (LOGIN, DENIED, DENIED, OK, OK),
        "POST": (LOGIN, DENIED, DENIED, NOT_ALLOWED, NOT_ALLOWED),
    },
    # -- the API: reads are public, the one write needs an analyst, nothing else writes
    "api_root": API_READ,
    "api_commitments": API_READ,
    "api_commitment": API_READ,
    "api_commitment_updates": {
        **API_READ,
        "POST": (UNAUTHENTICATED, DENIED, INVALID, INVALID, INVALID),
    },
    "api_party_assessments": {
        **API_READ,
        "POST": (UNAUTHENTICATED, DENIED, INVALID, INVALID, INVALID),
    },
    # Moving a deadline: Editors only.
    "api_commitment_deadline_changes": {
        **API_READ,
        "POST": (UNAUTHENTICATED, DENIED, DENIED, INVALID, INVALID),
        **same_for(
            ("PUT", "PATCH", "DELETE"),
            (UNAUTHENTICATED, DENIED, DENIED, NOT_ALLOWED, NOT_ALLOWED),
        ),
    },
    "api_updates": API_READ,
    "api_update": API_READ,
    "api_actors": API_READ,
    "api_actor": API_READ,
    "api_themes": API_READ,
    "api_theme": API_READ,
    "api_sources": API_READ,
    "api_source": API_READ,
    "api_summary": API_READ,
    "api_scorecard": API_READ,
    "api_schema": API_READ,
    "api_docs": API_READ,
    # -- the admin, sampled: staff only, and history stays read-only even for admins
    "admin:login": {
        "GET": (OK, OK, OK, OK, ADMIN_HOME),
        "HEAD": everyone(OK),  # only a GET sends a logged-in admin on to the index
        "POST": everyone(OK),
    },
    "admin:logout": {
        "GET": (ADMIN_HOME, ADMIN_HOME, ADMIN_HOME, ADMIN_HOME, NOT_ALLOWED),
        "HEAD": (ADMIN_HOME, ADMIN_HOME, ADMIN_HOME, ADMIN_HOME, NOT_ALLOWED),
        "POST": (ADMIN_HOME, ADMIN_HOME, ADMIN_HOME, ADMIN_HOME, HOME),
    },
    "admin:index": ADMIN_ONLY,
    "admin:commitments_commitment_changelist": ADMIN_ONLY,
    "admin:commitments_commitment_add": ADMIN_ONLY,
    "admin:commitments_commitment_change": ADMIN_ONLY,
    # A commitment with recorded updates is never deleted: that would delete its history.
    "admin:commitments_commitment_delete": same_for(
        PAGE_METHODS, (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, DENIED)
    ),
    "admin:commitments_statusupdate_changelist": ADMIN_ONLY,
    "admin:commitments_statusupdate_change": {
        "GET": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK),
        "HEAD": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK),
        "POST": (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, DENIED),
    },
    "admin:commitments_statusupdate_delete": same_for(
        PAGE_METHODS, (ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, DENIED)
    ),
    "admin:admin_logentry_changelist": ADMIN_ONLY,
}

# The rest of the admin follows from the name of each page. Models whose rows nobody
# adds, changes or deletes in the admin, not even a superuser:
ADMIN_READ_ONLY = {
    "commitments_statusupdate",
    "commitments_deadlinechange",
    "admin_logentry",
}
# The login records: nobody adds them, and every field is read-only, so saving one
# changes nothing and goes back to the list.
# Links between commitments: added through the lineage service, never changed or deleted.
ADMIN_ADD_ONLY = {"commitments_commitmentlink"}
ADMIN_LOGIN_RECORDS = {"axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
ADMIN_MODEL_PAGE = re.compile(
    r"^admin:(?P<model>[a-z]+_[a-z]+)_(?P<page>changelist|add|change|delete|history)$"
)


def admin_rule(key: str) -> dict[str, tuple[Outcome, ...]] | None:
    """Non-staff users are sent to the admin login; what a superuser sees depends on the
    page. None for a page this rule does not know, so that it needs a rule of its own."""
    site_pages = {
        "admin:password_change": {"GET": OK, "HEAD": OK, "POST": OK},
        "admin:password_change_done": {"GET": OK, "HEAD": OK, "POST": NOT_ALLOWED},
        "admin:jsi18n": {"GET": OK, "HEAD": OK, "POST": NOT_ALLOWED},
        "admin:autocomplete": {"GET": DENIED, "HEAD": DENIED, "POST": NOT_ALLOWED},
        "admin:app_list": {"GET": OK, "HEAD": OK, "POST": OK},
        "admin:view_on_site": {"GET": REDIRECT, "HEAD": REDIRECT, "POST": REDIRECT},
        "admin:auth_user_password_change": {"GET": OK, "HEAD": OK, "POST": OK},
        # The unnamed patterns: an object's bare URL and the catch-all.
        "admin/(?P<url>.*)$": {"GET": NOT_FOUND, "HEAD": NOT_FOUND, "POST": NOT_FOUND},
    }
    superuser = site_pages.get(key)
    if superuser is None and re.fullmatch(r"admin/[a-z]+/[a-z]+/<path:object_id>/", key):
        superuser = {"GET": REDIRECT, "HEAD": REDIRECT, "POST": REDIRECT}
    if superuser is None and (match := ADMIN_MODEL_PAGE.match(key)):
        model, page = match["model"], match["page"]
        superuser = dict.fromkeys(PAGE_METHODS, OK)
        if page == "add" and model in ADMIN_READ_ONLY | ADMIN_LOGIN_RECORDS:
            superuser = dict.fromkeys(PAGE_METHODS, DENIED)
        if page == "delete" and model in ADMIN_READ_ONLY | ADMIN_ADD_ONLY:
            superuser = dict.fromkeys(PAGE_METHODS, DENIED)
        if page == "change" and model in ADMIN_READ_ONLY | ADMIN_ADD_ONLY:
            superuser["POST"] = DENIED
        if page == "change" and model in ADMIN_LOGIN_RECORDS:
            superuser["POST"] = REDIRECT
    if superuser is None:
        return None
    return {method: (ADMIN_LOGIN,) * 4 + (outcome,) for method, outcome in superuser.items()}


NAMESPACE_RULES = {"admin": admin_rule}


# -- the URLconf --------------------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class Pattern:
    key: str  # the qualified name, or the route for an unnamed pattern
    route: str
    namespace: str
    name: str | None

    def __str__(self) -> str:
        return self.key


def walk(resolver=None, prefix: str = "", namespaces: tuple[str, ...] = ()):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else None
            yield Pattern(name or route, route, ":".join(namespaces), name)


PATTERNS = {pattern.key: pattern for pattern in walk()}


def rule_for(pattern: Pattern) -> dict[str, tuple[Outcome, ...]] | None:
    if pattern.key in RULES:
        return RULES[pattern.key]
    namespace_rule = NAMESPACE_RULES.get(pattern.namespace.split(":")[0])
    return namespace_rule(pattern.key) if namespace_rule else None


def methods_for(pattern: Pattern) -> tuple[str, ...]:
    return API_METHODS if pattern.route.startswith("api/") else PAGE_METHODS


def test_it_has_a_rule_for_every_url_pattern():
    keys = [pattern.key for pattern in walk()]
    missing = [key for key in keys if rule_for(PATTERNS[key]) is None]
    stale = sorted(set(RULES) - set(keys))
    incomplete = [
        key
        for key in keys
        if (rule := rule_for(PATTERNS[key]))
        and (
            set(rule) != set(methods_for(PATTERNS[key]))
            or any(len(row) != len(ROLES) for row in rule.values())
        )
    ]

    assert len(keys) == len(set(keys)), "Two patterns share a name"
    assert not missing, f"URL patterns without a rule (add one to RULES): {missing}"
    assert not stale, f"Rules for URL patterns that no longer exist: {stale}"
    assert not incomplete, f"Rules without an outcome for every method and role: {incomplete}"


# -- the data the URLs point at -------------------------------------------------------------
def build_world() -> dict:
    """One of everything a URL can name, and a user for each role."""
    make = Builder()
    today = timezone.localdate()
    recorder = _user("recorder")
    actor, theme, source = make.actor(), make.theme(), make.source()
    commitment = make.commitment(
        parties=[actor], themes=[theme], source=source, deadline=today + dt.timedelta(days=400)
    )
    milestone = services.add_milestone(
        commitment=commitment,
        title="First step",
        due_on=today + dt.timedelta(days=30),
        due_precision=Precision.DAY,
    )
    evidence = make.evidence(commitment)
    update = services.record_status_update(
        commitment=commitment, status=Status.NOT_RATED, review=True, rationale="Seen.", by=recorder
    )
    deadline_change = services.change_deadline(
        commitment=commitment,
        deadline=today + dt.timedelta(days=500),
        precision=Precision.DAY,
        reason="funding",
        by=recorder,
    )
    later = make.commitment("Later one")
    commitment_link = services.link_commitments(
        commitment=later, kind="reaffirmed_by", other=commitment, source=source, by=recorder
    )
    watch = watching.follow(user=recorder, kind="commitment", slug=commitment.slug)
    Token.objects.create(user=recorder)
    log_entry = LogEntry.objects.create(
        user=recorder,
        content_type=ContentType.objects.get_for_model(Commitment),
        object_id=str(commitment.pk),
        object_repr=str(commitment),
        action_flag=ADDITION,
    )
    seen = {"user_agent": "test", "ip_address": "127.0.0.1", "username": "recorder"}
    return {
        "users": {
            "reader": _user("reader"),
            "analyst": _user("ana", groups=["Analysts"]),
            "editor": _user("eddie", groups=["Editors"]),
            "admin": _user("root", superuser=True),
        },
        "commitments_actor": actor,
        "commitments_theme": theme,
        "commitments_source": source,
        "commitments_commitment": commitment,
        "commitments_milestone": milestone,
        "commitments_evidence": evidence,
        "commitments_statusupdate": update,
        "commitments_deadlinechange": deadline_change,
        "commitments_commitmentlink": commitment_link,
        "commitments_watch": watch,
        "digest_subscription": watching.subscription(recorder),
        "commitments_party": Party.objects.get(commitment=commitment),
        "auth_user": recorder,
        "auth_group": Group.objects.get(name="Analysts"),
        "authtoken_tokenproxy": recorder,  # the token admin looks tokens up by user
        "admin_logentry": log_entry,
        "axes_accessattempt": AccessAttempt.objects.create(
            **seen, get_data="", post_data="", failures_since_start=1
        ),
        "axes_accesslog": AccessLog.objects.create(**seen),
        "axes_accessfailurelog": AccessFailureLog.objects.create(**seen),
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back at the end; each test
    runs in a savepoint inside it, so what one request writes, the next does not see."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        world["sessions"] = {}
        for role, user in world["users"].items():
            client = Client()
            client.force_login(user)
            world["sessions"][role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield world
        transaction.set_rollback(True)


SLUG_OWNERS = {
    "commitments": "commitments_commitment",
    "actors": "commitments_actor",
    "themes": "commitments_theme",
    "sources": "commitments_source",
    "review": "commitments_commitment",
}
PK_OWNERS = {
    "updates": "commitments_statusupdate",
    "milestones": "commitments_milestone",
    "watching": "commitments_watch",
}


def url_for(pattern: Pattern, world) -> str:
    """The pattern's URL, its arguments taken from `world`: each one is named by the path
    segment before it (commitments/<slug>, updates/<pk>, admin/app/model/<object_id>)."""
    if pattern.key == "admin/(?P<url>.*)$":
        return reverse("admin:index") + "no-such-page/"
    kwargs = {}
    for before, kind, kwarg in re.findall(r"([^/<>]*)/<(?:(\w+):)?(\w+)>", pattern.route):
        if kwarg == "slug":
            kwargs[kwarg] = world[SLUG_OWNERS[before]].slug
        elif kwarg == "pk":
            kwargs[kwarg] = world[PK_OWNERS[before]].pk
        elif kwarg == "actor":
            kwargs[kwarg] = world["commitments_party"].actor.slug
        elif kwarg == "object_id" and pattern.key == "admin:view_on_site":
            kwargs[kwarg] = world["commitments_commitment"].pk
        elif kwarg == "object_id":
            app, model = pattern.route.split("/")[1:3]
            kwargs[kwarg] = world[f"{app}_{model}"].pk
        elif kwarg == "content_type_id":
            kwargs[kwarg] = ContentType.objects.get_for_model(Commitment).pk
        elif kwarg == "token" and pattern.name == "private_feed":
            kwargs[kwarg] = world["digest_subscription"].feed_token
        elif kwarg == "token":
            kwargs[kwarg] = digests.unsubscribe_token(world["auth_user"])
        elif kwarg == "id":
            kwargs[kwarg] = world["auth_user"].pk
        else:
            raise AssertionError(f"No object for the URL argument {kind}:{kwarg} of {pattern}")
    if pattern.key == "admin:app_list":
        kwargs["app_label"] = "commitments"
    if pattern.name:
        return reverse(pattern.name, kwargs=kwargs)
    path = "/" + pattern.route
    for kwarg, value in kwargs.items():
        path = re.sub(rf"<(\w+:)?{kwarg}>", str(value), path)
    return path


WATCHED = (Actor, Theme, Source, Commitment, Party, Evidence, StatusUpdate, Milestone, Token)


def fingerprint() -> tuple:
    """Enough of the data to tell whether a request changed it, in one query."""
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in (*WATCHED, get_user_model())]
    counts = [f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables]
    milestones = quote(Milestone._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT status, progress, title, updated_at, {', '.join(counts)}, "
            f"(SELECT COUNT(*) FROM {milestones} WHERE completed_on IS NOT NULL) "
            f"FROM {quote(Commitment._meta.db_table)}"
        )
        return tuple(cursor.fetchall())


def client_for(world, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][role]
    return client


def send(client: Client, method: str, path: str):
    if method in ("GET", "HEAD"):
        return client.generic(method, path)
    if path.startswith("/api/"):
        return client.generic(method, path, "{}", content_type="application/json")
    return client.generic(method, path, "", content_type="application/x-www-form-urlencoded")


def mismatch(client: Client, method: str, path: str, expected: Outcome) -> str | None:
    """None when the response is the expected one and the data did not change."""
    before = fingerprint()
    response = send(client, method, path)
    if not expected.seen_in(response, path):
        seen = f"{response.status_code} {response.get('Location', '')}".strip()
        return f"{method} {path}: {seen}, not {expected}"
    if fingerprint() != before:
        return f"{method} {path} changed the data"
    return None


# -- the matrix -----------------------------------------------------------------------------
CASES = [
    pytest.param(key, role, method, id=f"{key}-{role}-{method}")
    for key, pattern in PATTERNS.items()
    if key in RULES
    for method in methods_for(pattern)
    for role in ROLES
]


@pytest.mark.parametrize(("key", "role", "method"), CASES)
def test_it_gives_each_role_the_expected_outcome(db, world, key, role, method):
    expected = RULES[key][method][ROLES.index(role)]
    path = url_for(PATTERNS[key], world)

    problem = mismatch(client_for(world, role), method, path, expected)

    assert problem is None, f"As {role}, {problem}"


@pytest.mark.parametrize("role", ROLES)
def test_it_applies_the_admin_rule_to_every_other_admin_page(db, world, role):
    client = client_for(world, role)
    problems = [
        mismatch(client, method, url_for(pattern, world), row[ROLES.index(role)])
        for key, pattern in PATTERNS.items()
        if pattern.namespace == "admin" and key not in RULES
        for method, row in admin_rule(key).items()
    ]

    assert not any(problems), f"As {role}:\n" + "\n".join(filter(None, problems))


# -- the matrix when the tracker is private ---------------------------------------------------
# An anonymous visitor is sent to the login page from every page but these: the login
# page itself, the health check, the API (its own 401, so that clients see a status
# rather than a login form) and the admin (its own login).
PRIVATE_ANONYMOUS: dict[str, dict[str, Outcome]] = {
    "login": dict.fromkeys(PAGE_METHODS, OK),
    # Choosing a language is open, so the login page itself can be read in one.
    "set_language": {"GET": NOT_ALLOWED, "HEAD": NOT_ALLOWED, "POST": REDIRECT},
    "healthz": {method: row[0] for method, row in READ_PAGE.items()},
    "private_feed": {method: row[0] for method, row in READ_PAGE.items()},
    "digest_unsubscribe": dict.fromkeys(PAGE_METHODS, OK),
    "private_feed_reset": {**dict.fromkeys(PAGE_METHODS, NOT_ALLOWED), "POST": WATCH_LOGIN},
    **{key: dict.fromkeys(API_METHODS, UNAUTHENTICATED) for key in RULES if key.startswith("api_")},
    **{
        key: {method: row[0] for method, row in RULES[key].items()}
        for key in RULES
        if key.startswith("admin:")
    },
}


def private_anonymous(key: str, method: str) -> Outcome:
    return PRIVATE_ANONYMOUS.get(key, {}).get(method, LOGIN)


PRIVATE_CASES = [
    pytest.param(key, method, id=f"{key}-anonymous-{method}")
    for key, pattern in PATTERNS.items()
    if key in RULES
    for method in methods_for(pattern)
]


@pytest.fixture
def private(settings):
    settings.TRACKER_PUBLIC = False


@pytest.mark.parametrize(("key", "method"), PRIVATE_CASES)
def test_it_sends_anonymous_visitors_to_login_when_the_tracker_is_private(
    db, world, private, key, method
):
    path = url_for(PATTERNS[key], world)

    problem = mismatch(Client(), method, path, private_anonymous(key, method))

    assert problem is None, problem


@pytest.mark.parametrize("key", [key for key in PATTERNS if key in RULES])
def test_it_lets_a_logged_in_reader_read_when_the_tracker_is_private(db, world, private, key):
    expected = RULES[key]["GET"][ROLES.index("reader")]
    path = url_for(PATTERNS[key], world)

    problem = mismatch(client_for(world, "reader"), "GET", path, expected)

    assert problem is None, problem


def test_it_keeps_static_files_open_when_the_tracker_is_private(db, private, settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True

    response = Client().get(f"{settings.STATIC_URL}css/tracker.css")

    assert response.status_code == 200
