"""An inline's cells are named by their column in the reader's language, whichever
language the admin drew the inline in first."""

import datetime as dt

from commitments.models import Milestone


def test_it_names_an_inlines_cells_in_each_readers_language(admin_client, make):
    commitment = make.commitment("Deliver the fighter")
    Milestone.objects.create(
        commitment=commitment, title="Design", due_on=dt.date(2030, 12, 31), due_precision="year"
    )
    url = f"/admin/commitments/commitment/{commitment.pk}/change/"
    english = admin_client.get(url).content.decode()
    assert 'aria-label="Due"' in english
    admin_client.cookies["django_language"] = "it"
    italian = admin_client.get(url).content.decode()
    assert 'aria-label="Due"' not in italian
    assert 'aria-label="Scadenza"' in italian
