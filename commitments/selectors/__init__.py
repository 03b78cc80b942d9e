"""Read queries behind the dashboard and the summary API, one module per widget.

Each selector reads a *scope*: the commitments a `CommitmentFilterSet` selects, which
carry the register as it stood on the day drawn (`CommitmentQuerySet.on`). Each runs
one query (or a fixed few) whatever the size of the register, and returns plain
values; drawing them is `commitments.charts`' job.
"""
