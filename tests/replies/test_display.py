"""A frame of replies as a display shows it: masked, newest first, in words of either language."""

from __future__ import annotations

from datetime import UTC, datetime

from directcall_nb.journal import replies_frame
from directcall_nb.replies import replies_display

NOON = datetime(2026, 11, 3, 15, 0, tzinfo=UTC).isoformat()
LATER = datetime(2026, 11, 3, 15, 7, tzinfo=UTC).isoformat()


def test_replies_are_shown_in_english_masked_with_brazil_times() -> None:
    frame = replies_frame(
        [
            ("5511912345678", "551130600300", "SAIR", NOON, 4, True),
            ("00351912345678", None, "Who is this? Call +55 11 98888-7777", LATER, None, False),
        ]
    )

    shown = replies_display(frame, "en")

    assert list(shown.columns) == ["phone", "replied to", "reply", "received", "campaign",
                                   "opted out"]  # fmt: skip
    assert shown.to_dict("records") == [
        {
            "phone": "003519****5678",
            "replied to": "",
            "reply": "Who is this? Call +55 11 9****-7777",
            "received": "03/11/2026 12:07",
            "campaign": "none",
            "opted out": "no",
        },
        {
            "phone": "55 11 9****-5678",
            "replied to": "55 11 ****-0300",
            "reply": "SAIR",
            "received": "03/11/2026 12:00",
            "campaign": "4",
            "opted out": "yes",
        },
    ]
    assert frame["phone"].tolist()[0] == "5511912345678"  # the data stays whole


def test_no_replies_show_as_an_empty_table_with_its_columns() -> None:
    shown = replies_display(replies_frame([]), "pt")

    assert shown.empty
    assert list(shown.columns) == ["telefone", "respondeu a", "resposta", "recebida em", "campanha",
                                   "pediu para sair"]  # fmt: skip
