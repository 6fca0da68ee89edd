"""The sandbox's voice fields over HTTP: ``num_tentativas`` and an ``audio`` without ``texto``."""

from __future__ import annotations

import httpx
import pytest
from helpers import SENDER, access_token

from directcall_nb import Sandbox
from directcall_nb.errors import InputError

PHONE = "5511912340001"


def send(http: httpx.Client, sb: Sandbox, **fields: str) -> dict[str, object]:
    data = {"access_token": access_token(http, sb), "origem": SENDER, "destino": PHONE,
            "tipo": "voz", **fields}  # fmt: skip
    answer: dict[str, object] = http.post("/sms/send", data=data).json()
    return answer


@pytest.mark.parametrize("wrong", ["0", "6", "três", "2.5", "-1"])
def test_num_tentativas_outside_1_to_5_is_refused(
    sb: Sandbox, http: httpx.Client, wrong: str
) -> None:
    answer = send(http, sb, texto="Oi", num_tentativas=wrong)
    assert answer["codigo"] == "001"
    assert "num_tentativas" in str(answer["msg"])
    assert sb.messages().empty


def test_num_tentativas_is_kept_with_the_send(sb: Sandbox, http: httpx.Client) -> None:
    assert send(http, sb, texto="Oi", num_tentativas="1")["codigo"] == "000"
    assert send(http, sb, texto="Oi")["codigo"] == "000"
    assert sb.messages()["attempts"].tolist() == [1, 3]


def test_an_audio_without_texto_is_a_call(sb: Sandbox, http: httpx.Client) -> None:
    data = {"access_token": access_token(http, sb), "origem": SENDER, "destino": PHONE,
            "tipo": "voz"}  # fmt: skip
    files = {"audio": ("aviso.mp3", b"ID3 gravado", "audio/mpeg")}
    answer = http.post("/sms/send", data=data, files=files).json()
    assert answer["codigo"] == "000"
    [message] = sb.messages().to_dict("records")
    assert (message["audio"], message["text"], message["segments"]) == (True, "", 1)


def test_the_client_refuses_num_tentativas_before_sending(sb: Sandbox) -> None:
    client = sb.client()
    with pytest.raises(InputError, match="1 to 5"):
        client.send(PHONE, "Oi", sender=SENDER, channel="voice", num_tentativas=9)
    with pytest.raises(InputError, match="voice calls only"):
        client.send(PHONE, "Oi", sender=SENDER, num_tentativas=2)
    assert sb.requests().empty
