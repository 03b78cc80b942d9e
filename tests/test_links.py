"""A slug page's address is what `reverse` gives, under any script prefix."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from commitments.links import slug_url


@pytest.mark.parametrize(
    "name", ["commitment_detail", "actor_detail", "theme_detail", "source_detail"]
)
@pytest.mark.parametrize("slug", ["gcap-fighter", "a", "slug-mark", "x_1"])
def test_it_gives_what_reverse_gives(name, slug):
    assert slug_url(name, slug) == reverse(name, args=[slug])


def test_it_follows_the_script_prefix():
    try:
        set_script_prefix("/tracker/")
        assert slug_url("actor_detail", "japan") == "/tracker/actors/japan/"
    finally:
        set_script_prefix("/")
    assert slug_url("actor_detail", "japan") == "/actors/japan/"


def test_it_leaves_what_is_not_a_slug_to_reverse():
    with pytest.raises(NoReverseMatch):
        slug_url("actor_detail", "not a slug")
