"""The party picker in the admin: the actor named exactly what was typed comes first, so
Enter picks it; aliases match too."""

import pytest
from django.urls import reverse


@pytest.fixture
def actors(make):
    return {
        "group": make.actor("Italy–Japan Business Group", kind="business_group"),
        "japan": make.actor("Japan", aliases="Nippon\r\nTokyo government"),
        "chamber": make.actor("Japanese Chamber of Commerce", kind="business_group"),
        "uk": make.actor("United Kingdom", short_name="UK"),
        "ukef": make.actor("UK Export Finance", kind="agency"),
    }


def _picked(client, term: str) -> list[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": "commitments", "model_name": "party", "field_name": "actor"},
    )
    assert response.status_code == 200
    return [row["text"] for row in response.json()["results"]]


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.mark.parametrize("typed", ["Japan", "japan", " Japan "])
def test_it_puts_the_exact_name_first(admin_client, actors, typed):
    assert _picked(admin_client, typed) == [
        "Japan",
        "Japanese Chamber of Commerce",
        "Italy–Japan Business Group",
    ]


def test_it_puts_an_exact_short_name_first(admin_client, actors):
    assert _picked(admin_client, "UK") == ["United Kingdom", "UK Export Finance"]


def test_it_matches_aliases_and_puts_a_whole_alias_before_a_part(admin_client, actors, make):
    make.actor("Nippon Steel", kind="business_group")
    assert _picked(admin_client, "Nippon") == ["Japan", "Nippon Steel"]
    assert _picked(admin_client, "Tokyo") == ["Japan"]


def test_it_ranks_nothing_without_a_term(admin_client, actors):
    assert _picked(admin_client, "") == sorted(a.name for a in actors.values())


def test_it_answers_a_nul_character_without_an_error(admin_client, actors):
    assert _picked(admin_client, "Jap\x00an") == [
        "Japan",
        "Japanese Chamber of Commerce",
        "Italy–Japan Business Group",
    ]


def test_it_shows_aliases_in_the_actor_form(admin_client, actors):
    page = admin_client.get(reverse("admin:commitments_actor_change", args=[actors["japan"].pk]))
    assert 'name="aliases"' in page.content.decode()


def test_the_picker_needs_a_staff_login(client, actors, reader):
    client.force_login(reader)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "Japan", "app_label": "commitments", "model_name": "party", "field_name": "actor"},
    )
    assert response.status_code == 302
