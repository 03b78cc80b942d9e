"""The review queue's forms: parsing only; the rules are `services.reviews`'."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import Commitment, Evidence
from ..services import RATIONALE_MAX


def reviewers():
    """Active users who record updates (Analysts, Editors, superusers), by name."""
    perm = Permission.objects.filter(
        content_type__app_label="commitments", codename="add_statusupdate"
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True) | Q(groups__permissions__in=perm) | Q(user_permissions__in=perm)
        )
        .distinct()
        .order_by("username")
    )


class ReviewedForm(forms.Form):
    """ "Reviewed, no change": a rationale, and evidence from the commitment's own."""

    rationale = forms.CharField(
        label=_("What you checked"),
        max_length=RATIONALE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say what you checked and why nothing changes.")},
    )
    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(), required=False, label=_("Evidence (optional)")
    )

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = commitment.evidence.all()


class AssignForm(forms.Form):
    """Who reviews the selected commitments, and, if given, when."""

    assignee = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody (any analyst)"),
        label=_("Assign to"),
    )
    next_review_on = forms.DateField(
        label=_("Next review on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to keep each commitment's own date."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone may be chosen: the service says clearly when someone is not an Analyst.
        self.fields["assignee"].queryset = get_user_model().objects.filter(is_active=True)
        self.fields["assignee"].widget.choices = [("", _("Nobody (any analyst)"))] + [
            (user.pk, user.get_username()) for user in reviewers()
        ]
