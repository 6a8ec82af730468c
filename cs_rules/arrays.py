"""Vector helpers the engine, the rules and the reports share: Arrow text, positions, joins.

These are the pieces that make a 40,000-person month cheap: ids matched by one
Arrow hash pass, text built a column at a time, integer join keys instead of
string merges.  They know nothing about rules or inputs, so any layer may use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

DAY_NS = 86_400 * 10**9


def ns(values: Any) -> np.ndarray:
    """Datetimes as int64 nanoseconds; NaT is the smallest int64, below every real day."""
    import numpy as np

    return np.asarray(values, dtype="datetime64[ns]").view("int64")


def arrow_text(values: Any) -> Any:
    """Any text column (Arrow, object, categorical, all missing) as one pyarrow ``large_string`` array."""
    import pyarrow as pa

    arr = pa.array(values, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):  # an Arrow-backed column concatenated from several files
        arr = arr.combine_chunks()
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    return arr if arr.type == pa.large_string() else arr.cast(pa.large_string())


def str_array(text: Any, na: Any = None) -> pd.arrays.ArrowStringArray:
    """Arrow text as a pandas ``str`` column without a copy (missing shown as NaN by default)."""
    import numpy as np
    import pandas as pd

    return pd.arrays.ArrowStringArray(text, dtype=pd.StringDtype("pyarrow", na_value=np.nan if na is None else na))


def positions(ids: Any, known: Any) -> np.ndarray:
    """Position of each id in ``known`` (−1: missing or unknown); ``known`` holds unique ids.

    One Arrow hash pass over the shorter side: hashing the ~900k sign-in ids
    against the roster is several times faster than factorize plus an object-index
    lookup; for a few ids (leave, violations) the roster is looked up in them.
    """
    import numpy as np
    import pandas as pd
    import pyarrow.compute as pc

    if not len(ids):
        return np.zeros(0, dtype="int64")
    table = arrow_text(known)
    if 4 * len(ids) >= len(table):
        pos = pc.fill_null(pc.index_in(arrow_text(ids), value_set=table), -1)
        return np.asarray(pos.to_numpy(zero_copy_only=False), dtype="int64")
    codes, uniq = pd.factorize(ids)
    hit = pc.fill_null(pc.index_in(table, value_set=arrow_text(uniq)), -1).to_numpy(zero_copy_only=False)
    back = np.full(len(uniq) + 1, -1, dtype="int64")  # the extra −1 is for missing ids (code −1)
    found = np.flatnonzero(hit >= 0)
    back[hit[found]] = found
    return back[codes]  # type: ignore[no-any-return]


def run_codes(values: Any, keep: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Codes (−1: missing) and distinct values of a text column such as ``_file``.

    Rows of one file come one after another, so comparing neighbours and reading
    one value per run is much cheaper than hashing every row; any order is still
    right, only slower.  Values are read only from runs with a ``keep`` row, so
    the distinct values are those of the kept rows, in order of first appearance
    (as ``pd.factorize`` of the kept rows would give them).
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        return _category_runs(pd.Categorical(values), keep)
    arr = arrow_text(values)
    n = len(arr)
    if not n:
        return np.zeros(0, dtype=np.int8), pd.Index([], dtype=object)
    change = pc.fill_null(pc.not_equal(arr[1:], arr[:-1]), True).to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(np.concatenate([[True], change]))
    used = np.logical_or.reduceat(keep, starts)
    fac, uniq = pd.factorize(np.array(arr.take(pa.array(starts[used])).to_pylist(), dtype=object))
    files = pd.Index(uniq, dtype=object)
    run_code = np.full(len(starts), -1, dtype=codes_dtype(files))
    run_code[used] = fac
    return np.repeat(run_code, np.diff(np.append(starts, n))), files


def _category_runs(cat: pd.Categorical, keep: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """:func:`run_codes` of a categorical (every row's ``_file`` is one): runs found on its small
    integer codes, never decoding 9 million rows into text (~300 MB at 400,000 people)."""
    import numpy as np
    import pandas as pd

    codes = np.asarray(cat.codes)
    n = len(codes)
    if not n:
        return np.zeros(0, dtype=np.int8), pd.Index([], dtype=object)
    starts = np.flatnonzero(np.concatenate([[True], codes[1:] != codes[:-1]]))
    run_cat = codes[starts]
    used = np.logical_or.reduceat(keep, starts) & (run_cat >= 0)  # a missing name is no file
    fac, uniq = pd.factorize(run_cat[used])  # first appearance among the kept runs, as before
    files = pd.Index(np.asarray(cat.categories, dtype=object)[uniq], dtype=object)
    run_code = np.full(len(starts), -1, dtype=codes_dtype(files))
    run_code[used] = fac
    return np.repeat(run_code, np.diff(np.append(starts, n))), files


def codes_dtype(categories: pd.Index) -> Any:
    """The small int type pandas keeps categorical codes in: building them in it saves a cast."""
    import numpy as np

    n = len(categories)
    return np.int8 if n < 127 else np.int16 if n < 32_767 else np.int32


def categorical(codes: np.ndarray, categories: pd.Index) -> pd.Categorical:
    import pandas as pd

    return pd.Categorical.from_codes(codes, categories=categories, validate=False)


def gather(values: Any, pos: np.ndarray, fill: Any) -> np.ndarray:
    """``values[pos]``, with ``fill`` where pos is −1 (one take: −1 picks the appended fill)."""
    import numpy as np

    values = np.asarray(values)
    dtype = np.result_type(values, fill)  # e.g. int8 codes with −1 stay int8
    return np.concatenate([values.astype(dtype, copy=False), np.array([fill], dtype=dtype)])[pos]  # type: ignore[no-any-return]


def grid_key(emp_pos: np.ndarray, when: Any, day0: int, first: int, last: int) -> np.ndarray:
    """Dense join key ``employee × 32 + day of month`` of dated rows (−1: outside the month)."""
    import numpy as np

    t = ns(when)
    ok = (emp_pos >= 0) & (t >= first) & (t <= last)
    return np.where(ok, emp_pos * 32 + (t - day0) // DAY_NS, -1)  # type: ignore[no-any-return]


def first_rows(keys: np.ndarray, g_key: np.ndarray, n_keys: int) -> np.ndarray:
    """For each grid row, the first row of ``keys`` with its key (−1: none), via a dense table."""
    import numpy as np

    table = np.full(n_keys, -1, dtype="int32")
    pos = np.flatnonzero(keys >= 0).astype("int32")
    table[keys[pos[::-1]]] = pos[::-1]  # written last to first: the first row wins
    return table[g_key]  # type: ignore[no-any-return]


def matches(keys: np.ndarray, g_key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(grid rows, rows of ``keys``) for the few keys found in the grid; the first row of a key wins.

    The grid is ordered by employee, then day, so ``g_key`` is increasing and a
    binary search finds each key: cheaper than a table when keys are few (leave,
    off-post entries), and the columns are then written at those rows only.
    """
    import numpy as np

    src = np.flatnonzero(keys >= 0)
    if not len(g_key) or not len(src):
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64")
    at = np.minimum(np.searchsorted(g_key, keys[src]), len(g_key) - 1)
    hit = g_key[at] == keys[src]
    rows, first = np.unique(at[hit], return_index=True)
    return rows, src[hit][first]


def large(values: Any) -> Any:
    """Arrow text as ``large_string`` (the type pandas keeps), so pieces can be joined and concatenated."""
    import pyarrow as pa

    return values if values.type == pa.large_string() else values.cast(pa.large_string())


def int_text(values: Any) -> Any:
    """Whole numbers (row numbers, minutes, counters) as Arrow text; null where missing."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    x = np.asarray(values, dtype=float)
    missing = np.isnan(x)
    return pc.cast(pa.array(np.where(missing, 0, x).astype("int64"), mask=missing), pa.large_string())


def cat_text(col: pd.Series, rows: np.ndarray) -> Any:
    """Text of a categorical grid column (file names) at ``rows``; null where missing."""
    import pyarrow as pa

    c = col.array
    codes = c.codes[rows]
    return arrow_text(c.categories).take(pa.array(codes, mask=codes < 0))


def source_text(file: Any, row: Any) -> Any:
    """"file:row" of each line's source, "" where either is missing (Arrow text)."""
    import pyarrow.compute as pc

    return pc.fill_null(join_text(large(file), ":", int_text(row)), "")


def pick_text(choices: list[str], which: np.ndarray) -> Any:
    """Arrow text ``choices[which[i]]`` for each line."""
    import pyarrow as pa

    return pa.array(choices, type=pa.large_string()).take(pa.array(which))


def join_text(*parts: Any) -> Any:
    """Concatenate Arrow text arrays and ``str`` pieces line by line (null if any piece is)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    return pc.binary_join_element_wise(*(pa.scalar(p, text) if isinstance(p, str) else p for p in parts),
                                       pa.scalar("", text))


def cumcount(keys: np.ndarray) -> np.ndarray:
    """0-based occurrence number of each key, in order (``groupby(...).cumcount()``)."""
    import numpy as np

    o = np.argsort(keys, kind="stable")
    k = keys[o]
    i = np.arange(len(k))
    head = np.concatenate([[True], k[1:] != k[:-1]]) if len(k) else np.zeros(0, dtype=bool)
    out = np.empty(len(k), dtype="int64")
    out[o] = i - np.maximum.accumulate(np.where(head, i, 0))
    return out


def fen_text(col: Any, *, as_array: bool = False) -> Any:
    """int fen → "1234.50" for a whole column, exactly (no float).

    A list of str by default. ``as_array=True`` gives a pandas ``str`` array (Arrow
    backed) instead, which a DataFrame and the CSV writer take as is — 40,000 rows
    times eight money columns is where the old per-cell round trip cost most.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    a = np.asarray(col, dtype="int64")
    q, r = np.divmod(np.abs(a), 100)
    cents = pa.array([f".{i:02d}" for i in range(100)], type=pa.large_string())
    none = pa.scalar("", pa.large_string())
    text = pc.binary_join_element_wise(pc.cast(pa.array(q), pa.large_string()), cents.take(pa.array(r)), none)
    neg = a < 0
    if neg.any():
        minus = pa.scalar("-", pa.large_string())
        text = pc.if_else(pa.array(neg), pc.binary_join_element_wise(minus, text, none), text)
    if as_array:
        return str_array(text)
    out: list[str] = text.to_pylist()
    return out


def text_column(choices: list[str], which: Any) -> pd.arrays.ArrowStringArray:
    """Text column ``choices[which[i]]``, Arrow-backed: no Python string per row."""
    return str_array(pick_text(choices, which))


def json_cells(col: pd.Series) -> Any:
    """Each cell as ``json.dumps(cell, ensure_ascii=False)`` writes it, as Arrow text; None for a
    column of another kind (the caller then encodes it value by value).

    Numbers are cast by Arrow, which prints the same shortest round-trip digits as Python's ``repr``
    but not its layout: a whole float is printed from its integer with ".0" appended, and the few
    values Python writes otherwise (exponent form below 1e-4, NaN, -0.0 …) from ``json.dumps`` itself.
    Text is escaped by Arrow the way the json module does; a cell with a control character (never
    in practice) is encoded by the json module.
    """
    import json

    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.large_string()
    kind = col.dtype.kind
    if kind in "iu":
        return pc.cast(pa.array(col.to_numpy(dtype="int64")), text)
    if kind == "f":
        x = col.to_numpy(dtype="float64")
        ax = np.abs(x)
        whole = np.isfinite(x) & (np.floor(x) == x) & (ax < 1e16) & ~((x == 0) & np.signbit(x))
        plain = np.isfinite(x) & ~whole & (ax >= 1e-4) & (ax < 1e16)
        out = pc.if_else(pa.array(whole),
                         join_text(pc.cast(pa.array(np.where(whole, x, 0).astype("int64")), text), ".0"),
                         pc.cast(pa.array(x), text))
        exponent = np.asarray(pc.match_substring(out, "e").to_numpy(zero_copy_only=False))
        odd = ~whole & (~plain | exponent)  # Arrow's text is Python's only for plain decimals
        if odd.any():
            out = pc.replace_with_mask(out, pa.array(odd), pa.array([json.dumps(float(v)) for v in x[odd]], text))
        return out
    if isinstance(col.dtype, pd.StringDtype):
        a = arrow_text(col)
        if a.null_count:  # NaN or NA: written as the json module writes that object
            return None
    elif kind == "O" and not isinstance(col.dtype, pd.CategoricalDtype) \
            and all(v is None or type(v) is str for v in col.tolist()):
        a = arrow_text(col)
    else:
        return None
    escaped = pc.replace_substring(pc.replace_substring(a, "\\", "\\\\"), '"', '\\"')
    out = pc.fill_null(join_text('"', escaped, '"'), "null")
    ctrl = np.asarray(pc.fill_null(pc.match_substring_regex(a, "[\\x00-\\x1f]"), False).to_numpy(zero_copy_only=False))
    if ctrl.any():
        vals = [json.dumps(v, ensure_ascii=False) for v in a.filter(pa.array(ctrl)).to_pylist()]
        out = pc.replace_with_mask(out, pa.array(ctrl), pa.array(vals, text))
    return out


def utf8_view(arr: Any) -> memoryview:
    """The UTF-8 of an Arrow (large_)string array without nulls, its cells end to end, without
    copying: the slice of its data buffer between its first and last offsets."""
    import numpy as np
    import pyarrow as pa

    data = arr.buffers()[2]
    if data is None or not len(arr):
        return memoryview(b"")
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=width)[arr.offset:arr.offset + len(arr) + 1]
    return memoryview(data)[int(offsets[0]):int(offsets[-1])]
