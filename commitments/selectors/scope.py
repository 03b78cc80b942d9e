"""Helpers for selectors: the scope's related rows, and a past day's scope read once."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from ..models import Commitment

# A slice no register reaches: see `as_derived_table`.
WHOLE_REGISTER = 2**62


def in_scope(scope: QuerySet, path: str = "commitment") -> Q:
    """A condition on a related table (updates, milestones) for rows of the scope's
    commitments; none when the scope is the whole register, to spare a join over it."""
    if not scope.query.where:
        return Q()
    return Q(**{f"{path}__in": scope.values("pk")})


def is_register_on(scope: QuerySet, day: dt.date) -> bool:
    """Whether the scope is the whole register on a past day: no filter but the day's own."""
    return bool(scope.query.where) and scope.query.where == Commitment.objects.on(day).query.where


def in_scope_on(scope: QuerySet, day: dt.date, path: str = "commitment") -> Q:
    """`in_scope` for a scope drawn for `day`. The whole register on a past day (no
    filter but the day's own) is the commitments announced by then: read as such, the
    set leaves out the day's status periods, which only its rows' statuses need."""
    if is_register_on(scope, day):
        return Q(**{f"{path}__in": Commitment.objects.announced_by(day).values("pk")})
    return in_scope(scope, path)


def rescoped(scope: QuerySet, day: dt.date) -> QuerySet:
    """The scope's commitments afresh, so grouping by a relation is not narrowed by a
    join the filters already made. The whole register on a past day (no filter but
    the day's own) is that day's register itself, without reading it twice."""
    register = Commitment.objects.on(day)
    if scope.query.where == register.query.where:
        return register
    return Commitment.objects.filter(in_scope(scope, "pk")).on(day)


def as_derived_table(scope: QuerySet, day: dt.date) -> QuerySet:
    """The scope sliced so that it stays a derived table that works each row's
    annotations out once: a past day's status and any day's late milestones are
    subqueries per commitment, which the database would otherwise copy into every
    count that reads them and run once for each."""
    return scope[:WHOLE_REGISTER]
