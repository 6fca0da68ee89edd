"""Estimates for one frame: what stays while the message changes, and the entry point.

`Estimator` keeps what does not change while an analyst edits a message (the normalised
phones, the facts of each column a template uses), so that estimating a new text over a million
rows is a handful of array sums; `estimate` is the one-call door (``directcall_nb.estimate``).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from typing import Unpack

import numpy as np

from directcall_nb.columns import require_column
from directcall_nb.errors import MessageTooLong
from directcall_nb.estimation._estimate import Estimate
from directcall_nb.estimation._opt_outs import JournalSource, OptOuts, find_opt_outs
from directcall_nb.estimation._phone_facts import PhoneFacts
from directcall_nb.estimation._selection import RepeatCheck
from directcall_nb.frames import AnyFrame, read_frame
from directcall_nb.memory import release_freed
from directcall_nb.options import Options, OptionValues
from directcall_nb.text import ColumnFacts, Template, column_facts, measure
from directcall_nb.vocabulary import MAX_TEXT_CHARACTERS

__all__ = ["Estimator", "estimate"]


class Estimator:
    """Estimates for one frame and one phone column, reusable across message texts.

    Parameters
    ----------
    frame : DataFrame or polars.DataFrame
        The customer list; a Polars frame is read through Arrow (`directcall_nb.frames`), and
        the estimates' ``rows`` are Polars frames.
    phone : object
        The label of the column that holds the phone numbers.
    journal : Journal, path, bool or None, default None
        Whose suppression list leaves rows out (``opted_out``): as ``journal=`` of
        `directcall_nb.send`; None is the default journal. A file that does not exist holds no
        list; False consults none.

    Notes
    -----
    The phones are normalised once (once more if ``allow_international`` changes), or not at
    all when `directcall_nb.validate` just answered the same Arrow-backed column and its result
    is still kept (the answers are shared: see `directcall_nb.phones.phone_answers`); and each
    column a template uses is measured once (its length, encoding and distinct values); after
    that, `estimate` on a new text costs only array arithmetic. An `Estimator` reflects the
    frame as it was when each fact was first computed: make a new one after changing the frame.
    The suppression list is read once too, at the first estimate: `reread_suppressions` reads
    it again (the compose form does before each send).
    """

    def __init__(self, frame: AnyFrame, *, phone: object, journal: JournalSource = None) -> None:
        self.frame, self.frame_kind = read_frame(frame)
        self.phone_column = phone
        self.phone_input = require_column(self.frame, phone, what="phone column")
        self.journal = journal
        self._facts: dict[Hashable, ColumnFacts] = {}
        self._phones: dict[bool, PhoneFacts] = {}
        self._opt_outs: dict[bool, OptOuts] = {}

    def phones(self, *, allow_international: bool = False) -> PhoneFacts:
        """Return the normalised phones (see `directcall_nb.normalize_phones`), on first use."""
        if allow_international not in self._phones:
            self._phones[allow_international] = PhoneFacts(
                self.phone_input, allow_international=allow_international
            )
        return self._phones[allow_international]

    def opt_outs(self, *, allow_international: bool = False) -> OptOuts:
        """Return the rows on the suppression list and their entries, read on first use."""
        if allow_international not in self._opt_outs:
            phones = self.phones(allow_international=allow_international)
            self._opt_outs[allow_international] = find_opt_outs(phones, self.journal)
        return self._opt_outs[allow_international]

    def reread_suppressions(self) -> None:
        """Read the suppression list again at the next estimate (numbers added or taken off)."""
        self._opt_outs.clear()

    def facts(self, column: Hashable) -> ColumnFacts:
        """Return the measured facts of one column, computed on first use."""
        if column not in self._facts:
            release_freed()  # what an earlier step (a validation) left with the allocators
            self._facts[column] = column_facts(require_column(self.frame, column))
            release_freed()
        return self._facts[column]

    def estimate(
        self, text: str, options: Options | None = None, *, repeats: RepeatCheck | None = None
    ) -> Estimate:
        """Estimate a message for every row.

        Parameters
        ----------
        text : str
            The message template, e.g. ``"Olá {nome}, sua fatura vence amanhã"``.
        options : Options, optional
            Channel, sender, billing policy, price, dedupe, fill and the rest (already checked).
            With an ``audio`` (voice), the text may be empty: each recipient is one call.
        repeats : RepeatCheck, optional
            Also ``duplicate``: the rows it finds repeating a row outside this frame (a row of
            an earlier partition of the same Dask frame), with ``dedupe``.

        Raises
        ------
        TemplateError, UnknownPlaceholder
            The template cannot be read, holds a character DirectCall cannot carry, or names a
            column the frame lacks.
        MessageTooLong
            The template's own text, without any column value, is over 700 characters.
        JournalError
            The journal's file exists but its suppression list cannot be read.
        """
        options = options or Options()
        template = Template.parse(text)
        template.check_columns(self.frame.columns)
        literal_chars = sum(len(piece) for piece in template.literals)
        if literal_chars > MAX_TEXT_CHARACTERS:
            raise MessageTooLong(
                f"the message has {literal_chars} characters before any column is filled in; "
                f"DirectCall accepts at most {MAX_TEXT_CHARACTERS}",
                characters=literal_chars,
            )
        labels = template.resolve(self.frame.columns)
        facts = {name: self.facts(label) for name, label in labels.items()}
        measured = measure(
            template,
            facts,
            len(self.frame),
            policy=options.policy,
            channel=options.channel,
            sender=options.sender,
            show_sender=options.show_sender,
            fill=options.fill,
        )
        if options.audio is not None:  # the recording is the message: each row is one call
            measured = replace(
                measured,
                empty=np.zeros_like(measured.empty),
                segments=np.ones_like(measured.segments),
            )
        return Estimate(self, template, options, measured, facts, repeats)


def estimate(
    frame: AnyFrame,
    text: str,
    *,
    phone: object,
    journal: JournalSource = None,
    options: Options | None = None,
    **values: Unpack[OptionValues],
) -> Estimate:
    """Estimate what sending ``text`` to every row of ``frame`` would do and cost.

    Parameters
    ----------
    frame : DataFrame or polars.DataFrame
        The customer list (for a Polars frame, the estimate's ``rows`` is a Polars frame).
    text : str
        The message template; ``{column}`` is replaced by the row's value, ``{{``/``}}`` are
        literal braces.
    phone : object
        The column that holds the phone numbers.
    journal : Journal, path, bool or None, default None
        Whose suppression list leaves rows out, as in `directcall_nb.send`: the rows whose
        number is on it are ``opted_out`` (unless ``suppressions=False``). A file that does not
        exist holds no list; False consults none.
    options : Options, optional
        The options, built beforehand; keyword options below are applied on top of them.
    **values
        Any option of `directcall_nb.Options`, by name: ``channel`` ("sms" needs a mobile, a
        "voice" call reaches mobiles and landlines), ``sender``, ``show_sender``, ``policy``
        ("directcall": 140 characters per SMS; "gsm": the carriers' GSM 03.38 parts),
        ``price_per_segment`` (reais; without it ``cost`` is None), ``dedupe``, ``fill``,
        ``allow_international``, ...

    Returns
    -------
    Estimate

    Raises
    ------
    InvalidOption
        An unknown option or a value that cannot be used, named with the fix.
    ColumnNotFound, TemplateError, MessageTooLong
        The phone column or a placeholder's column is missing, or the template is unusable.
    JournalError
        The journal's file exists but its suppression list cannot be read.
    """
    checked = Options.from_values(values, options)
    return Estimator(frame, phone=phone, journal=journal).estimate(text, checked)
