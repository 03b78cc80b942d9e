"""A statement's pages for Editors: add a source with its text, and review the
commitments found in it: accept each (editable first), link it to one already tracked,
reject it, or mark a sentence the extractor missed. Every write goes through
`services.sourcing`; the page works without JavaScript."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from ..access import require_perm
from ..extraction import Candidate, describe, extract, language
from ..extraction.highlight import anchor as _anchor
from ..extraction.highlight import pieces as _pieces
from ..forms.sources import AcceptForm, LinkForm, MarkForm, SourceForm, SourceTextForm
from ..models import CandidateDecision, Source
from ..quotes import locate
from ..selectors.names import actor_refs, theme_refs
from ..selectors.similar import similar_commitments
from ..services.sourcing import NewCommitment, accept_candidate, link_candidate, reject_candidate

REVIEW_PERM = "commitments.add_commitment"
SOURCE_PERM = "commitments.add_source"
TEXT_PERM = "commitments.change_source"
# Candidates shown in the queue at a time; the text highlights them all.
QUEUE_PAGE = 50


@require_http_methods(["GET", "HEAD", "POST"])
def source_add(request):
    if denied := require_perm(request, SOURCE_PERM):
        return denied
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid() and (source := form.source()):
        source.save()
        messages.success(
            request, gettext("“%(title)s” is stored with its text.") % {"title": source.title}
        )
        return redirect("source_extract", slug=source.slug)
    return render(request, "commitments/extraction/source_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
def source_text(request, slug):
    if denied := require_perm(request, TEXT_PERM):
        return denied
    source = get_object_or_404(Source, slug=slug)
    decided = source.has_decided_sentences()
    form = SourceTextForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and not decided and form.is_valid():
        source.full_text = form.cleaned_data["full_text"]
        source.language = form.cleaned_data["language"]
        source.save(update_fields=["full_text", "language"])
        messages.success(
            request, gettext("The text of “%(title)s” is stored.") % {"title": source.title}
        )
        return redirect("source_extract", slug=source.slug)
    return render(
        request,
        "commitments/extraction/source_text.html",
        {"form": form, "source": source, "decided": decided},
        status=409 if decided and request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def source_extract(request, slug):
    if denied := require_perm(request, REVIEW_PERM):
        return denied
    source = get_object_or_404(Source, slug=slug)
    if request.method == "POST":
        return _decide(request, source)
    return _review(request, source)


# -- the review page -------------------------------------------------------------------------------
def _span(value: str) -> tuple[int, int] | None:
    start, sep, end = (value or "").partition("-")
    if not (sep and start.isdigit() and end.isdigit()):
        return None
    return int(start), int(end)


def _review(request, source, *, failed=None, failed_span=None, status=200):
    """The page; `failed` is a form the services refused, shown at its candidate."""
    marking = "words" in request.GET
    context = {"source": source, "mark_form": MarkForm(request.GET if marking else None)}
    if not source.full_text:
        return render(request, "commitments/extraction/review.html", context, status=status)
    actors, themes = actor_refs(), theme_refs()
    result = extract(
        source.full_text,
        said_on=source.date,
        actors=actors,
        themes=themes,
        language_code=source.language,
    )
    decisions = list(
        CandidateDecision.objects.filter(source=source)
        .select_related("commitment")
        .only("start", "end", "quote", "decision", "commitment__slug", "commitment__title")
    )
    decided = {(d.start, d.end) for d in decisions}
    queue = [c for c in result.candidates if (c.start, c.end) not in decided]
    context["proposed"] = {(c.start, c.end) for c in queue}
    marked = _marked(request, source, actors, themes, decided, context)
    if marked is not None:
        queue.insert(0, marked)
    editing = failed_span if isinstance(failed, AcceptForm) else _span(request.GET.get("edit"))
    linking = failed_span if isinstance(failed, LinkForm) else _span(request.GET.get("link"))
    page, pages = _queue_page(request, queue, editing or linking)
    shown = queue[(page - 1) * QUEUE_PAGE : page * QUEUE_PAGE]
    search = request.GET.get("q", "").strip()[:200]
    items = [_item(source, c, editing, linking, failed, failed_span, search) for c in shown]
    pieces = _pieces(
        source.full_text,
        [(c.start, c.end, "marked" if c is marked else "open") for c in queue]
        + [(d.start, d.end, d.decision) for d in decisions],
    )
    on_page = {(c.start, c.end): 1 + n // QUEUE_PAGE for n, c in enumerate(queue)}
    for piece in pieces:
        if piece.state in {"open", "marked"}:
            where = on_page[tuple(int(x) for x in piece.anchor.split("-"))]
            piece.href = (
                f"#q-{piece.anchor}" if where == page else f"?page={where}#q-{piece.anchor}"
            )
        elif piece.state:
            piece.href = f"#q-{piece.anchor}"
    context.update(
        {
            "result": result,
            "language_name": language.name(result.language),
            "pieces": pieces,
            "items": items,
            "queue_count": len(queue),
            "page": page,
            "pages": pages,
            "first_shown": (page - 1) * QUEUE_PAGE + 1,
            "last_shown": (page - 1) * QUEUE_PAGE + len(shown),
            "decisions": decisions,
            "failed": failed,
        }
    )
    return render(request, "commitments/extraction/review.html", context, status=status)


def _queue_page(request, queue, wanted) -> tuple[int, int]:
    """The queue's page to show: the one holding the candidate being edited or linked,
    else `?page=` (a page out of range or not a number shows the nearest)."""
    pages = max(1, -(-len(queue) // QUEUE_PAGE))
    if wanted is not None:
        for n, candidate in enumerate(queue):
            if (candidate.start, candidate.end) == wanted:
                return 1 + n // QUEUE_PAGE, pages
    raw = request.GET.get("page", "1")
    page = int(raw) if raw.isdigit() else 1
    return min(max(page, 1), pages), pages


def _marked(request, source, actors, themes, decided, context) -> Candidate | None:
    """The sentence an editor marked (`?words=`), read like a candidate."""
    form = context["mark_form"]
    if not form.is_bound or not form.is_valid():
        return None
    words = form.cleaned_data["words"].strip()
    place = locate(source.full_text, words)
    if place is None:
        form.add_error("words", gettext("These words are not in the text: copy them exactly."))
        return None
    if place in decided:
        form.add_error(
            "words", gettext("This sentence is already decided: see the decisions below.")
        )
        return None
    if place in context.setdefault("proposed", set()):
        form.add_error("words", gettext("This sentence is already proposed: see it in the queue."))
        return None
    candidate = describe(
        source.full_text, *place, said_on=source.date, actors=actors, themes=themes
    )
    candidate.reason = gettext("Marked by an editor.") + " " + candidate.reason
    return candidate


@dataclass
class Item:
    candidate: Candidate
    anchor: str
    accept: AcceptForm | None = None  # the editable form, when open
    link: LinkForm | None = None
    proposals: list | None = None
    search: str = ""  # other words to find the commitment by, when the closest are not it

    @property
    def party_ids(self):
        return [actor.key for actor in self.candidate.parties]

    @property
    def theme_ids(self):
        return [theme.key for theme in self.candidate.themes]

    @property
    def deadline_words(self) -> str:
        deadline = self.candidate.deadline
        return deadline.phrase if deadline else ""


def _item(source, candidate, editing, linking, failed, failed_span, search="") -> Item:
    span = (candidate.start, candidate.end)
    item = Item(candidate, _anchor(*span))
    if span == failed_span and isinstance(failed, AcceptForm):
        item.accept = failed
    elif span == editing:
        item.accept = AcceptForm(
            initial={
                "start": candidate.start,
                "end": candidate.end,
                "title": candidate.title,
                "quote": candidate.quote,
                "kind": candidate.kind,
                "deadline": item.deadline_words,
                "parties": item.party_ids,
                "themes": item.theme_ids,
            },
            said_on=source.date,
            auto_id=f"id_{item.anchor}_%s",
        )
    if span == linking:
        item.link = failed if isinstance(failed, LinkForm) else None
        item.search = search
        item.proposals = similar_commitments(search or candidate.quote)
    return item


# -- decisions --------------------------------------------------------------------------------------
def _decide(request, source):
    action = request.POST.get("action")
    if action == "reject":
        return _reject(request, source)
    if action == "link":
        return _link(request, source)
    if action == "accept":
        return _accept(request, source)
    messages.error(request, gettext("Choose Accept, Link or Reject."))
    return redirect("source_extract", slug=source.slug)


def _back(source, anchor: str = "queue"):
    return redirect(reverse("source_extract", args=[source.slug]) + f"#{anchor}")


def _accept(request, source):
    form = AcceptForm(request.POST, said_on=source.date)
    span = _span(f"{request.POST.get('start')}-{request.POST.get('end')}")
    if form.is_valid():
        data = form.cleaned_data
        deadline, precision = data["deadline"]
        new = NewCommitment(
            title=data["title"],
            quote=data["quote"],
            kind=data["kind"],
            deadline=deadline,
            deadline_precision=precision,
            parties=list(data["parties"]),
            themes=list(data["themes"]),
        )
        try:
            commitment = accept_candidate(
                source=source, start=data["start"], end=data["end"], new=new, by=request.user
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, gettext("Accepted: “%(title)s”.") % {"title": commitment.title}
            )
            return _back(source)
    return _review(request, source, failed=form, failed_span=span, status=400)


def _link(request, source):
    form = LinkForm(request.POST, said_on=source.date)
    span = _span(f"{request.POST.get('start')}-{request.POST.get('end')}")
    if form.is_valid():
        data = form.cleaned_data
        deadline, precision = data["deadline"] if data["change_deadline"] else (None, "")
        try:
            commitment = link_candidate(
                source=source,
                start=data["start"],
                end=data["end"],
                commitment=data["commitment"],
                by=request.user,
                deadline=deadline,
                deadline_precision=precision,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, gettext("Linked to “%(title)s”.") % {"title": commitment.title}
            )
            return _back(source)
    return _review(request, source, failed=form, failed_span=span, status=400)


def _reject(request, source):
    span = _span(f"{request.POST.get('start')}-{request.POST.get('end')}")
    if span is None:
        messages.error(request, gettext("The form was damaged: reload the page and try again."))
        return _back(source)
    try:
        reject_candidate(source=source, start=span[0], end=span[1], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, gettext("Rejected: it will not be proposed again."))
    return _back(source)


def _add_errors(form, error: ValidationError) -> None:
    for name, problems in error.message_dict.items():
        form.add_error(name if name in form.fields else None, problems)
