"""Covariate input for :func:`inodli.stats.cox.cox_ph`: the design matrix and its checks.

A DataFrame column that is not numeric (or is a pandas Categorical) is coded as R codes a
factor: one indicator per level after the first (treatment contrasts), named
``<column><level>``; a bool column becomes ``<column>TRUE``. Arrays are numeric only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from inodli.errors import InputError
from inodli.stats import _cox_engine as engine
from inodli.stats._collation import sort_labels
from inodli.stats._validation import check_same_length

FloatArray = npt.NDArray[np.float64]


def design_matrix(X: Any, n: int) -> tuple[tuple[str, ...], FloatArray]:
    """Term names and the float covariate matrix (factor columns become indicators)."""
    if isinstance(X, pd.Series):
        X = X.to_frame(name=X.name if X.name is not None else "x")
    if isinstance(X, pd.DataFrame):
        check_same_length({"time": n, "X": len(X)})
        names: list[str] = []
        columns: list[FloatArray] = []
        for label in X.columns:
            column_names, values = _frame_column(str(label), X[label])
            names += column_names
            columns += values
        if not columns:
            raise InputError("X", "at least one covariate column", "no columns")
        return tuple(names), np.column_stack(columns)
    array = np.asarray(X)
    if array.ndim == 1:
        array = array[:, None]
        names = ["x"]
    elif array.ndim == 2:
        names = [f"x{j + 1}" for j in range(array.shape[1])]
    else:
        raise InputError("X", "a 1-D or 2-D array or a DataFrame", f"shape {array.shape}")
    check_same_length({"time": n, "X": array.shape[0]})
    if array.shape[1] == 0:
        raise InputError("X", "at least one covariate column", "no columns")
    try:
        matrix = array.astype(np.float64)
    except (TypeError, ValueError):
        raise InputError(
            "X", "numbers (use a DataFrame for categorical columns)", "non-numeric values"
        ) from None
    _check_finite(matrix, names)
    return tuple(names), matrix


def _frame_column(label: str, column: pd.Series) -> tuple[list[str], list[FloatArray]]:
    if column.isna().any():
        row = int(np.flatnonzero(column.isna().to_numpy())[0])
        raise InputError(
            "X",
            "covariates without missing values",
            f"missing in column {label!r}",
            f"First at row {row}.",
        )
    if pd.api.types.is_bool_dtype(column):
        return [f"{label}TRUE"], [column.to_numpy(dtype=np.float64)]
    if pd.api.types.is_numeric_dtype(column) and not isinstance(column.dtype, pd.CategoricalDtype):
        values = column.to_numpy(dtype=np.float64)
        _check_finite(values[:, None], [label])
        return [label], [values]
    if isinstance(column.dtype, pd.CategoricalDtype):
        levels = [level for level in column.cat.categories if (column == level).any()]
    else:
        levels = sort_labels(column.unique().tolist())  # R's factor-level order
    if len(levels) < 2:
        raise InputError(
            "X", "columns that vary", f"column {label!r} has one level ({levels[0]!r})"
        )
    raw = column.to_numpy()
    return (
        [f"{label}{level}" for level in levels[1:]],
        [(raw == level).astype(np.float64) for level in levels[1:]],
    )


def _check_finite(values: FloatArray, names: list[str]) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = (int(i) for i in np.argwhere(bad)[0])
        raise InputError(
            "X",
            "finite numbers (no NaN or infinity)",
            float(values[row, col]),
            f"First at row {row}, column {names[col]!r}.",
        )


def check_constant_columns(terms: tuple[str, ...], x: FloatArray) -> None:
    for j, name in enumerate(terms):
        if np.all(x[:, j] == x[0, j]):
            raise InputError("X", "columns that vary", f"column {name!r} is constant ({x[0, j]:g})")


def check_collinearity(terms: tuple[str, ...], centred: FloatArray) -> None:
    """Reject a column that is a linear combination of earlier ones (``centred``: (p, n)).

    The pivot tolerance is coxph's ``toler.chol`` (eps^0.75), so that data coxph still fits
    (nearly, not exactly, collinear columns) are fitted here too and the columns it reports
    as NA are refused.
    """
    cross = centred @ centred.T
    norms = np.sqrt(np.diag(cross))
    ldl = engine.ldl_decompose(cross / np.outer(norms, norms))
    dead = engine.singular_columns(ldl)
    if dead.size:
        j = int(dead[0])
        earlier = [terms[i] for i in range(j) if i not in set(dead.tolist())]
        raise InputError(
            "X",
            "linearly independent columns",
            f"column {terms[j]!r} is a linear combination of {', '.join(map(repr, earlier))}",
        )
