"""Names close to the register's: what the import preview offers before adding another."""

import pytest

from commitments.importing.similar import SHOWN, Register

REGISTER = Register(
    [
        "Defence and security",
        "Space",
        "Italian Space Agency",
        "Città di Roma",
        "Security agreements",
        "Energy and digital transition",
    ]
)


@pytest.mark.parametrize(
    ("name", "close"),
    [
        ("CITTÀ DI ROMA", []),  # the same name in another case is not new at all
        ("citta di roma", ["Città di Roma"]),
        ("Defence", ["Defence and security"]),
        ("Defences", ["Defence and security"]),
        ("Spaces", ["Space", "Italian Space Agency"]),
        ("Security agreement", ["Security agreements"]),
        ("Digital transitions", ["Energy and digital transition"]),
        ("Defence and space", ["Space"]),  # "Space" is all in it; the defence name is not
        ("Energy security", []),
        ("The and of", []),  # only words that say nothing
    ],
)
def test_it_finds_names_that_differ_by_case_accents_plurals_or_extra_words(name, close):
    assert REGISTER.close_to(name) == close


def test_it_lists_the_nearest_first_and_at_most_a_few():
    register = Register([f"Space {n}" for n in range(10)] + ["Spaces"])

    found = register.close_to("Space")

    assert found[0] == "Spaces"
    assert len(found) == SHOWN
