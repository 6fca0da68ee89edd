"""Voice calls through the sandbox: a recorded audio without text, and the calls per number."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers import SENDER

from directcall_nb import Journal, Sandbox
from directcall_nb.errors import InvalidOption
from directcall_nb.i18n import explain

#: A mobile, a landline (a call reaches it) and a number that is not one.
PHONES = ["11912340001", "1133334444", "123"]


def clientes() -> pd.DataFrame:
    return pd.DataFrame({"celular": PHONES})


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    path = tmp_path / "aviso.mp3"
    path.write_bytes(b"ID3" + bytes(range(256)) * 8)
    return path


def test_an_audio_without_text_is_one_call_per_recipient(recording: Path) -> None:
    estimate = clientes().directcall.estimate(
        "", phone="celular", channel="voice", audio=recording, price_per_segment="0.25"
    )
    assert (estimate.recipients, estimate.invalid, estimate.segments) == (2, 1, 2)
    assert str(estimate.cost) == "0.50"
    assert estimate.rows["segments"].tolist() == [1, 1, 0]


def test_the_sandbox_receives_the_audio_and_no_text(
    sb: Sandbox, journal: Journal, recording: Path
) -> None:
    report = clientes().directcall.send(
        "", phone="celular", sender=SENDER, client=sb.client(), journal=journal.path,
        channel="voice", audio=recording,
    )  # fmt: skip
    assert report.counts == {"sent": 2, "invalid": 1}
    messages = sb.messages()
    assert messages["phone"].tolist() == ["5511912340001", "551133334444"]
    assert messages["audio"].tolist() == [True, True]
    assert messages["text"].tolist() == ["", ""]
    assert messages["attempts"].tolist() == [3, 3]  # DirectCall's default: the field left out
    [send] = sb.requests().query("endpoint == '/sms/send'")["texto"].tolist()
    assert pd.isna(send) or send == ""


def test_two_recordings_are_two_messages_and_one_is_sent_once(
    sb: Sandbox, journal: Journal, recording: Path, tmp_path: Path
) -> None:
    other = tmp_path / "outro.mp3"
    other.write_bytes(b"ID3" + b"outra mensagem" * 40)
    frame = clientes()
    options = {"phone": "celular", "sender": SENDER, "client": sb.client(),
               "journal": journal.path, "channel": "voice"}  # fmt: skip
    first = frame.directcall.send("", audio=recording, **options)
    again = frame.directcall.send("", audio=recording, **options)
    different = frame.directcall.send("", audio=other, **options)
    assert first.counts["sent"] == 2
    assert again.counts["already_sent"] == 2
    assert different.counts["sent"] == 2
    assert len(sb.messages()) == 4


def test_num_tentativas_is_sent_with_the_voice_request(sb: Sandbox, journal: Journal) -> None:
    report = clientes().directcall.send(
        "Sua fatura vence amanhã", phone="celular", sender=SENDER, client=sb.client(),
        journal=journal.path, channel="voice", num_tentativas=5,
    )  # fmt: skip
    assert report.counts["sent"] == 2
    assert sb.messages()["attempts"].tolist() == [5, 5]


@pytest.mark.parametrize("wrong", [0, 6, -1, 2.5, "3", True])
def test_num_tentativas_out_of_range_is_refused_before_anything_is_sent(
    sb: Sandbox, journal: Journal, wrong: object
) -> None:
    with pytest.raises(InvalidOption) as caught:
        clientes().directcall.send(
            "Oi", phone="celular", sender=SENDER, client=sb.client(), journal=journal.path,
            channel="voice", num_tentativas=wrong,
        )  # fmt: skip
    assert caught.value.option == "num_tentativas"
    assert "1 to 5" in str(caught.value)
    assert "de 1 a 5" in explain(caught.value, "pt")
    assert sb.requests().empty
    assert journal.campaigns().empty


@pytest.mark.parametrize(
    ("options", "option", "words"),
    [
        ({"audio": "nenhum.mp3", "channel": "voice"}, "audio", "não existe"),
        ({"audio": b"", "channel": "voice"}, "audio", "está vazio"),
        ({"audio": b"ID3" + b"0" * (4 * 1024 * 1024), "channel": "voice"}, "audio", "4 MB"),
        ({"audio": b"ID3 ok"}, "audio", "ligação de voz"),
        ({"num_tentativas": 2}, "num_tentativas", "ligações de voz"),
    ],
)
def test_a_wrong_audio_or_an_sms_with_voice_options_is_refused_first(
    sb: Sandbox, journal: Journal, options: dict[str, object], option: str, words: str
) -> None:
    with pytest.raises(InvalidOption) as caught:
        clientes().directcall.send(
            "Oi",
            phone="celular",
            sender=SENDER,
            client=sb.client(),
            journal=journal.path,
            **options,
        )
    assert caught.value.option == option
    assert words in explain(caught.value, "pt")
    assert "b'" not in str(caught.value)  # an audio's bytes are never quoted
    assert sb.requests().empty
    assert journal.campaigns().empty


def test_the_options_repr_names_the_audio_without_its_bytes(recording: Path) -> None:
    from directcall_nb import Options

    shown = repr(Options(channel="voice", audio=recording))
    assert "Audio('aviso.mp3', 2,051 bytes, sha256=" in shown
    assert "\\x00" not in shown
