"""Normalise and classify columns of phone numbers the way libphonenumber does.

:func:`normalize_phones` takes what analysts actually have, ``(11) 91234-5678``,
``+55 11 91234-5678``, ``5511912345678``, ``011 91234-5678``, ``0 15 11 91234-5678``, numbers that
arrived from Excel as floats, blanks, and answers for each row with DirectCall's format, validity,
line type and, for what is not valid, a reason a person understands.

The answers are libphonenumber's (``phonenumbers.parse(x, "BR")``, ``is_valid_number``,
``number_type``). Two readings differ on purpose from a bare ``parse`` call, both before it:

* **Excel floats.** The float ``5511912345678.0`` and the text ``"5511912345678.0"`` (digits, then
  ``.0``) are read as ``5511912345678``; libphonenumber would keep the last ``0`` as a digit.
* **0055.** A number whose first four digits are ``0055`` (with no ``+`` before them) is read as
  ``+55``: it is how Brazilian numbers are written for dialling from abroad, and DirectCall's
  own format for other countries. libphonenumber reads ``00 55`` as Brazil's international
  prefix through carrier 55, so that ``0055 11 ...`` would be a number in country 1.

Speed comes from applying libphonenumber's Brazilian metadata, read from the installed package
(:mod:`directcall_nb.phones._metadata`), to whole columns at once
(:mod:`directcall_nb.phones._rules`): a long column is answered in pieces, in a few threads, and
a number that a piece repeats often is classified once. Numbers of other countries are answered
with their countries' metadata, once for the whole column (:mod:`directcall_nb.phones._abroad`);
unusual spellings (letters inside, extensions, other scripts) are asked to the library, once per
distinct text. An extension is dropped, as the library does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from directcall_nb.columns import require_column
from directcall_nb.frames import AnyFrame, ResultFrame, read_frame
from directcall_nb.memory import lasting_pool
from directcall_nb.phones import _input as input_mod
from directcall_nb.phones import _library as library
from directcall_nb.phones import _memo as memo
from directcall_nb.phones import _metadata as metadata
from directcall_nb.phones import _text as text_mod
from directcall_nb.phones._answers import Answers, Columns, Table, add_abroad
from directcall_nb.phones._input import EMPTY_REASON
from directcall_nb.phones._library import PhoneResult
from directcall_nb.phones._threads import map_in_threads, workers
from directcall_nb.vocabulary import Language

__all__ = [
    "EMPTY_REASON",
    "PhoneAnswers",
    "PhoneResult",
    "explain_phone",
    "normalize_phone",
    "normalize_phones",
    "phone_answers",
    "validate",
]

IntArray = npt.NDArray[np.int64]


def normalize_phone(value: object, *, allow_international: bool = False) -> PhoneResult:
    """Read one phone number the way :func:`normalize_phones` reads a row.

    Parameters
    ----------
    value : object
        A string, an int, a float from Excel, a Decimal, bytes, or a missing value.
    allow_international : bool, default False
        Whether numbers of other countries are valid.

    Returns
    -------
    PhoneResult

    Examples
    --------
    >>> normalize_phone("(11) 91234-5678")
    PhoneResult(phone='5511912345678', valid=True, line_type='mobile', reason=None)
    """
    row = normalize_phones([value], allow_international=allow_international).iloc[0]
    return PhoneResult(
        phone=None if pd.isna(row["phone"]) else str(row["phone"]),
        valid=bool(row["valid"]),
        line_type=None if pd.isna(row["line_type"]) else str(row["line_type"]),
        reason=None if pd.isna(row["reason"]) else str(row["reason"]),
    )


def explain_phone(
    value: object, *, allow_international: bool = False, language: Language | None = None
) -> str | None:
    """Why one value is not a valid number, in ``language``; None when it is valid.

    The same reason as `normalize_phones` gives (in English) for that value, in Portuguese or
    English: ``explain_phone("(23) 91234-5678", language="pt")`` → ``"o DDD 23 não existe"``.

    Parameters
    ----------
    value : object
        As a cell of a phone column.
    allow_international : bool, default False
        Whether numbers of other countries are valid.
    language : {"pt", "en"}, optional
        Default: ``directcall_nb.options.language``.
    """
    from directcall_nb.phones._library import answer_value
    from directcall_nb.settings import current_language

    return answer_value(value, allow_international, language or current_language()).reason


def normalize_phones(values: Iterable[Any], *, allow_international: bool = False) -> pd.DataFrame:
    """Normalise and classify a column of phone numbers.

    Parameters
    ----------
    values : Series, list or any iterable
        The numbers as they are: text in any usual format, ints, floats from Excel, Decimals,
        bytes, blanks, None / NaN / ``pd.NA``. Numbers without a country code are Brazilian.
        Each kind of cell is read by one rule, the same in any column and for one value:

        * text (``str``) as it is; ``bytes`` (and ``bytearray``) as UTF-8 text, refused with
          a reason when they are not valid UTF-8;
        * a whole number is its digits: an ``int`` (or NumPy integer), a ``decimal.Decimal``
          without a fraction (``Decimal("5511912345678")``, and ``Decimal("5511912345678.0")``
          like the float ``5511912345678.0`` from Excel), a ``float`` (or NumPy float)
          without a fraction below 10**18;
        * a number with a fraction (``1.5``, ``Decimal("1.5")``), an infinite one, or a float
          of 10**18 or more (no longer exact) is not a phone number, with that reason;
        * None, NaN (of a float or a Decimal), ``pd.NA`` and NaT are empty;
        * booleans and anything else are not phone numbers.
    allow_international : bool, default False
        Whether numbers of other countries are valid (written ``"00"`` + country code + number).

    Returns
    -------
    pandas.DataFrame
        Indexed like ``values`` (a RangeIndex for anything but a Series), with columns

        ``phone`` (string)
            ``"55"`` + DDD + number, digits only, or ``"00"`` + country code + national number
            for another country; <NA> when not valid.
        ``valid`` (bool)
            libphonenumber's ``is_valid_number``, for Brazil or, with
            ``allow_international``, for any country.
        ``line_type`` (string)
            libphonenumber's ``number_type`` in lower case (``mobile``, ``fixed_line``,
            ``toll_free``, ...) for numbers it calls valid, also foreign ones refused; else <NA>.
        ``reason`` (string)
            <NA> when valid, else a short sentence: ``"empty"``, ``"DDD 23 does not exist"``,
            ``"8-digit mobile: the leading 9 is missing — did you mean 5511987654321?"``, ...

    Raises
    ------
    TypeError
        When ``values`` is a single value or a DataFrame rather than one column.

    Examples
    --------
    >>> frame = normalize_phones(["(11) 91234-5678", "0800 123 4567", "(11) 8123-4567"])
    >>> frame["phone"].tolist()
    ['5511912345678', '558001234567', <NA>]
    >>> frame["line_type"].tolist()
    ['mobile', 'toll_free', <NA>]
    >>> frame["reason"].iloc[2]
    '8-digit mobile: the leading 9 is missing — did you mean 5511981234567?'
    """
    series = input_mod.as_series(values)
    return phone_answers(series, allow_international=allow_international).frame(series.index)


@dataclass(frozen=True, eq=False)
class PhoneAnswers:
    """The columns of `normalize_phones` as Arrow text and a NumPy mask, without a frame.

    Attributes
    ----------
    phone : pyarrow.ChunkedArray of large_string
        As the column of that name of `normalize_phones`, null for <NA>.
    line_type : pyarrow.ChunkedArray of dictionary<int8, large_string>
        As its ``line_type`` column, one byte a row: every chunk has the same dictionary (all
        the line types' names).
    reason : pyarrow.ChunkedArray of dictionary<int32, large_string>
        As its ``reason`` column, each chunk with the reasons of its rows as dictionary.
    valid : numpy.ndarray of bool
        As its ``valid`` column.
    """

    phone: pa.ChunkedArray
    valid: npt.NDArray[np.bool_]
    line_type: pa.ChunkedArray
    reason: pa.ChunkedArray

    def frame(self, index: pd.Index) -> pd.DataFrame:
        """Return the frame of `normalize_phones`, indexed by ``index``.

        Its phones are these (not copied); its line types and reasons are written out, in
        `directcall_nb.memory.lasting_pool`.
        """

        def written(column: pa.ChunkedArray) -> pd.arrays.ArrowStringArray:
            return pd.arrays.ArrowStringArray(pc.cast(column, _TEXT, memory_pool=lasting_pool()))

        line_type, reason = map_in_threads(written, [self.line_type, self.reason])
        columns = {
            "phone": pd.arrays.ArrowStringArray(self.phone),
            "valid": self.valid,
            "line_type": line_type,
            "reason": reason,
        }
        return pd.DataFrame(columns, index=index)


def phone_answers(values: Iterable[Any], *, allow_international: bool = False) -> PhoneAnswers:
    """Answer a column of phone numbers as `normalize_phones` does, in Arrow arrays.

    What a long column costs is then only its answers: no frame, no Python string per row.
    An Arrow-backed column answered lately is not read again while its answers are in use (a
    validation result kept, an estimator): see :mod:`directcall_nb.phones._memo`.

    Parameters
    ----------
    values : Series, list or any iterable
        As for `normalize_phones`.
    allow_international : bool, default False
        Whether numbers of other countries are valid.

    Returns
    -------
    PhoneAnswers
    """
    series = input_mod.as_series(values)
    known = memo.recall(series, allow_international)
    if known is not None:
        return PhoneAnswers(*known)
    pieces = _answered_pieces(series, allow_international)
    add_abroad([(piece.answers, piece.rows) for piece in pieces])
    _ask_library(pieces, allow_international)
    answered = map_in_threads(lambda piece: piece.columns(), pieces)
    del pieces
    answers = PhoneAnswers(
        phone=pa.chunked_array([a.phone for a in answered], _TEXT),
        valid=np.concatenate([a.valid for a in answered]),
        line_type=pa.chunked_array([a.line_type for a in answered], _LINE_TYPE),
        reason=pa.chunked_array([a.reason for a in answered], _REASON),
    )
    remembered = memo.Remembered(answers.phone, answers.valid, answers.line_type, answers.reason)
    memo.remember(series, allow_international, remembered)
    return answers


# A column is answered in pieces of at most this many rows, in threads that compute on arrays
# (numpy and pyarrow let go of the GIL meanwhile); a piece's arrays stay small (each thread's
# allocator goes on holding about what its largest piece needed). Pieces of 16,384
# rows held 1 to 15 bytes a row less at the peak of validate + estimate, but answered 1.5 times
# slower.
_PIECE_ROWS = 1 << 16
# ... and of at least this many when cut so that each thread has one.
_MIN_PIECE_ROWS = 1 << 15


def validate(frame: AnyFrame, *, phone: object, allow_international: bool = False) -> ResultFrame:
    """Validate and normalise a column of phone numbers.

    Parameters
    ----------
    frame : DataFrame or polars.DataFrame
        The customer list.
    phone : object
        The label of the column that holds the phone numbers.
    allow_international : bool, default False
        Accept valid numbers of other countries (written ``00`` + country code + number).

    Returns
    -------
    DataFrame or polars.DataFrame
        Of the kind of ``frame`` (a Polars frame for Polars input, its rows in order), indexed
        like a pandas ``frame``, with columns ``phone``, ``valid``, ``line_type`` and
        ``reason``; see `normalize_phones`.
    """
    table, kind = read_frame(frame)
    column = require_column(table, phone, what="phone column")
    return kind.present(normalize_phones(column, allow_international=allow_international))


def _pieces(series: pd.Series) -> list[pd.Series]:
    """``series`` cut in pieces of about the same size (one empty piece when it is empty)."""
    rows = len(series)
    count = max(1, -(-rows // _PIECE_ROWS), min(workers(), rows // _MIN_PIECE_ROWS))
    size = max(1, -(-rows // count))
    return [series.iloc[start : start + size] for start in range(0, max(rows, 1), size)]


#: A column of Python objects is read this many pieces at a time (about a million rows), before
#: they are answered: fewer rounds of reading, then answering, were quicker.
_PIECES_READ_AT_ONCE = 16


def _answered_pieces(series: pd.Series, allow_international: bool) -> list[_Piece]:
    """Answer the pieces of ``series`` in threads: what the cells and the column rules decide.

    Python objects are read in the calling thread, a few pieces at a time, while no other
    thread works: reading objects holds the GIL, which would hold back the threads computing on
    arrays. Any other column is read piece by piece, in the threads.
    """
    pieces = _pieces(series)

    def answer(piece: pd.Series | input_mod.Column) -> _Piece:
        return _Piece.answer(piece, allow_international)

    if not input_mod.holds_objects(series):
        return map_in_threads(answer, pieces)
    answered: list[_Piece] = []
    for start in range(0, len(pieces), _PIECES_READ_AT_ONCE):
        read = [
            input_mod.read_column(piece) for piece in pieces[start : start + _PIECES_READ_AT_ONCE]
        ]
        answered += map_in_threads(answer, read)
    return answered


_TEXT = pa.large_string()
_LINE_TYPE = pa.dictionary(pa.int8(), _TEXT)
_REASON = pa.dictionary(pa.int32(), _TEXT)


@dataclass
class _Piece:
    """A piece of the column: its answers so far, and each row's place among them (-1: not yet).

    Of the piece's text only the rows the piece could not decide are kept (``waiting``, their
    places); the rest is let go at once.
    """

    waiting_text: pa.StringArray
    waiting: IntArray
    answers: Answers
    rows: IntArray

    @classmethod
    def answer(cls, piece: pd.Series | input_mod.Column, allow_international: bool) -> _Piece:
        """Answer what the cells alone and the column rules decide; the rest stays -1."""
        column = piece if isinstance(piece, input_mod.Column) else input_mod.read_column(piece)
        answers = Answers(allow_international)
        rows = answers.add_known(column)
        rules = metadata.brazilian_rules()
        if rules is not None:
            answers.add_plain(rules, rows, text_mod.read_text(column.text))
        waiting = np.flatnonzero(rows < 0)
        return cls(column.text.take(pa.array(waiting)), waiting, answers, rows)

    def undecided(self) -> tuple[IntArray, pa.StringArray]:
        """Return the rows still undecided, and their text."""
        still = self.rows[self.waiting] < 0
        return self.waiting[still], self.waiting_text.filter(pa.array(still))

    def columns(self) -> Columns:
        """Return every row's answer, then let the piece's tables go (the rows are answered)."""
        answered = self.answers.columns(self.rows)
        self.answers = Answers(self.answers.allow_international)
        self.rows = np.zeros(0, dtype=np.int64)  # not a view, which would keep the rows
        return answered


def _ask_library(pieces: list[_Piece], allow_international: bool) -> None:
    """Answer the rows still undecided by asking libphonenumber.

    The library is asked once per distinct text of the whole column, whichever pieces hold it.
    """
    undecided = [piece.undecided() for piece in pieces]
    texts = [text for _, text in undecided]
    if sum(len(t) for t in texts) == 0:
        return
    encoded = pc.dictionary_encode(pa.concat_arrays(texts), null_encoding="encode")
    distinct = encoded.dictionary.to_pylist()
    table = Table.of_results([library.ask(text, allow_international) for text in distinct])
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    start = 0
    for piece, (rows, _) in zip(pieces, undecided, strict=True):
        if len(rows):
            at = piece.answers.add(table)
            piece.rows[rows] = at + codes[start : start + len(rows)]
        start += len(rows)
