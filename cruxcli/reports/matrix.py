"""The credence matrix `cruxcli show` reports (computed in core.analysis for now)."""

from cruxcli.core.analysis import Matrix, MatrixRow, matrix

__all__ = ["Matrix", "MatrixRow", "matrix"]
