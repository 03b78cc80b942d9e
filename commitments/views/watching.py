"""Following things (`/watching/`), the digest's settings, the private Atom feed and
the unsubscribe link that works without logging in. Every write goes through
`services.watching`; the digest's contents are `digests`'."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import digests
from ..choices import DigestFrequency
from ..models import DigestSubscription, Watch
from ..services import watching
from .worklist import safe_back

FEED_DAYS = 30


@require_safe
def watching_page(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    watches = (
        Watch.objects.filter(user=request.user)
        .select_related("commitment", "actor", "theme", "source")
        .order_by("created_at", "id")
    )
    settings_row = watching.subscription(request.user)
    feed_url = request.build_absolute_uri(reverse("private_feed", args=[settings_row.feed_token]))
    context = {
        "watches": watches,
        "subscription": settings_row,
        "frequencies": DigestFrequency.choices,
        # The digest's language: the one chosen, else the one this page is read in.
        "languages": settings.LANGUAGES,
        "digest_language": settings_row.language or translation.get_language(),
        "feed_url": feed_url,
        "has_email": bool(request.user.email),
    }
    return render(request, "commitments/watching/watching.html", context)


def _write(request, action, done: str):
    """Run a watching service for a logged-in user, say what happened, and go back."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("watching"))
    back = safe_back(request, request.POST.get("back") or reverse("watching"))
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(back)


@require_POST
def follow(request):
    kind, slug = request.POST.get("kind", ""), request.POST.get("slug", "").strip()
    return _write(
        request,
        lambda: watching.follow(user=request.user, kind=kind, slug=slug),
        gettext("Followed. Its changes will be in your digest and feed."),
    )


@require_POST
def unfollow(request, pk: int):
    return _write(
        request,
        lambda: watching.unfollow(user=request.user, watch_id=pk),
        gettext("No longer followed."),
    )


@require_POST
def digest_settings(request):
    frequency = request.POST.get("frequency", "")
    language = request.POST.get("language")  # absent from older forms: left as it is
    return _write(
        request,
        lambda: watching.set_frequency(user=request.user, frequency=frequency, language=language),
        gettext("Your digest settings are saved."),
    )


@require_POST
def reset_feed(request):
    return _write(
        request,
        lambda: watching.reset_feed_token(user=request.user),
        gettext("Your private feed has a new address: the old one no longer works."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token: str):
    """No login needed: the signed token names the user. GET asks, POST turns it off."""
    try:
        user = digests.user_from_unsubscribe_token(token)
    except signing.SignatureExpired:
        return _bad_token(
            request,
            gettext(
                "This unsubscribe link has expired. Log in to turn digests off on the Watching page."
            ),
        )
    except (signing.BadSignature, get_user_model().DoesNotExist):
        return _bad_token(
            request,
            gettext(
                "This unsubscribe link is not valid. Check that it was "
                "copied whole, or log in to turn digests off on the Watching page."
            ),
        )
    if request.method == "POST":
        watching.set_frequency(user=user, frequency=DigestFrequency.OFF)
        return render(request, "commitments/watching/unsubscribe.html", {"done": True})
    return render(request, "commitments/watching/unsubscribe.html", {"who": user.get_username()})


def _bad_token(request, message: str):
    return render(
        request, "commitments/watching/unsubscribe.html", {"problem": message}, status=400
    )


@require_safe
def private_feed(request, token: str):
    """The user's digest as Atom: the changes of the last `FEED_DAYS` days and the
    deadlines due within the digest's window; the secret is the URL."""
    row = DigestSubscription.objects.select_related("user").filter(feed_token=token).first()
    if row is None or not row.user.is_active:
        raise Http404(gettext("No feed at this address: it may have been reset."))
    now = timezone.now()
    digest = digests.build(
        row.user, since=now - dt.timedelta(days=FEED_DAYS), until=now, today=timezone.localdate()
    )
    feed = Atom1Feed(
        title=gettext("What changed in what you follow"),
        link=request.build_absolute_uri(reverse("watching")),
        description=gettext("Status updates, deadline changes and new commitments you follow."),
        feed_url=request.build_absolute_uri(),
    )
    for update in digest.updates:
        feed.add_item(
            title=(
                gettext("%(title)s: %(status)s (reviewed)")
                if update.review
                else gettext("%(title)s: %(status)s")
            )
            % {"title": update.commitment.title, "status": update.status_label},
            link=request.build_absolute_uri(update.commitment.get_absolute_url()),
            description=update.rationale,
            pubdate=update.recorded_at,
            unique_id=f"update-{update.pk}",
        )
    for change in digest.slips:
        feed.add_item(
            title=gettext("%(title)s: deadline %(old)s → %(new)s")
            % {
                "title": change.commitment.title,
                "old": change.old_display,
                "new": change.new_display,
            },
            link=request.build_absolute_uri(change.commitment.get_absolute_url()),
            description=f"{change.reason_label}. {change.note}".strip(),
            pubdate=change.changed_at,
            unique_id=f"deadline-{change.pk}",
        )
    for commitment in digest.new:
        feed.add_item(
            title=gettext("New: %(title)s") % {"title": commitment.title},
            link=request.build_absolute_uri(commitment.get_absolute_url()),
            description=commitment.summary,
            pubdate=commitment.created_at,
            unique_id=f"commitment-{commitment.pk}",
        )
    for commitment in digest.due:
        feed.add_item(
            title=gettext("Due %(deadline)s: %(title)s")
            % {"deadline": commitment.deadline_display, "title": commitment.title},
            link=request.build_absolute_uri(commitment.get_absolute_url()),
            description=gettext("Its deadline ends within %(days)s days.")
            % {"days": digests.DUE_WITHIN_DAYS},
            pubdate=now,
            unique_id=f"due-{commitment.pk}-{commitment.deadline:%Y%m%d}",
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
