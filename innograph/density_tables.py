"""The density figures of ``innograph analyze density`` as people read them: a density
marked when it covers too few members, and the matrix as a list of its cells with ties,
each with the members it covers (a grid of 15 × 14 regions does not fit 80 columns)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .figures import FIGURES, GROUP_WORDS, MATRIX_MODES, MEANINGFUL_GROUP, SMALL_GROUPS

if TYPE_CHECKING:
    from graph.analytics import Projection
    from graph.analytics.density import DensityMatrix


def flagged(density: float, members: int) -> str:
    """A density, marked ``*`` when it covers too few members to mean much."""
    return f"{density:.4f}" + ("*" if members < MEANINGFUL_GROUP else "")


def matrix_members(p: Projection, by: str, columns: str, mode: str, min_members: int
                   ) -> list[list[tuple[int, int]]]:
    """For each cell of ``density_matrix(p, by, columns, mode, min_members)``, the members
    of its row group and of its column group (``between``), or of both (``within``: the
    second number is 0)."""
    from graph.analytics import groups_by

    rows = [g.members for g in groups_by(p, by) if len(g.members) >= min_members]
    cols = [g.members for g in groups_by(p, columns) if len(g.members) >= min_members]
    if mode == "within":
        return [[(len(r & c), 0) for c in cols] for r in rows]
    return [[(len(r), len(c)) for c in cols] for r in rows]


def print_matrix(matrix: DensityMatrix, covered: list[list[tuple[int, int]]], by: str,
                 columns: str, mode: str) -> None:
    """The matrix as a list of its cells with ties (a grid of 15 × 14 regions does not fit
    80 columns), each with the members it covers."""
    from .output import print_figure

    cells = [(matrix.rows[i], matrix.columns[j], covered[i][j], matrix.ties[i][j], value)
             for i, row in enumerate(matrix.cells) for j, value in enumerate(row)]
    shown = sorted((c for c in cells if c[3]), key=lambda c: (-c[4], c[0], c[1]))
    mode_word, mode_caption, flags = MATRIX_MODES[mode]
    small = flags and any(a < MEANINGFUL_GROUP for _, _, (a, _), _, _ in shown)
    print_figure(FIGURES["density_matrix"],
                 [(row, column, f"{a} × {b}" if b else f"{a}", ties,
                   flagged(value, a) if flags else f"{value:.4f}")
                  for row, column, (a, b), ties, value in shown],
                 note=SMALL_GROUPS if small else "",
                 row_word=GROUP_WORDS.get(by, by), column_word=GROUP_WORDS.get(columns, columns),
                 mode_word=mode_word, mode_caption=mode_caption, mode=mode, by=by,
                 columns=columns, shown=len(shown), empty=len(cells) - len(shown))
