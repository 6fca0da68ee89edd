"""Which replies opt out: the first words are a keyword, case, accents and punctuation ignored."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import directcall_nb
from directcall_nb.errors import InvalidOption
from directcall_nb.replies import opt_out_keyword
from directcall_nb.vocabulary import OPT_OUT_KEYWORDS


@pytest.fixture(autouse=True)
def default_keywords() -> Iterator[None]:
    yield
    directcall_nb.options.opt_out_keywords = None  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("reply", "keyword"),
    [
        ("SAIR", "SAIR"),
        ("Pare.", "PARE"),
        ("  sair!!! ", "SAIR"),
        ("Sair da lista, por favor", "SAIR"),
        ("não quero mais", "NÃO QUERO"),
        ("NAO QUERO", "NÃO QUERO"),
        ("Não quero receber isso", "NÃO QUERO"),
        ("stop", "STOP"),
        ("Descadastrar", "DESCADASTRAR"),
        ("CANCELAR.", "CANCELAR"),
        ("Remover meu número", "REMOVER"),
    ],
)
def test_an_opt_out_is_found_however_it_is_written(reply: str, keyword: str) -> None:
    assert opt_out_keyword(reply, OPT_OUT_KEYWORDS) == keyword


@pytest.mark.parametrize(
    "reply",
    [
        "Obrigado, vou pagar",
        "Parei de usar o cartão",
        "Por favor, não quero sair",
        "Quero pagar",
        "",
        "???",
        "Ok 👍",
    ],
)
def test_an_ordinary_answer_is_no_opt_out(reply: str) -> None:
    assert opt_out_keyword(reply, OPT_OUT_KEYWORDS) is None


def test_the_session_keywords_are_set_checked_and_reset() -> None:
    assert directcall_nb.options.opt_out_keywords == OPT_OUT_KEYWORDS  # type: ignore[attr-defined]
    directcall_nb.options.opt_out_keywords = ["Chega", "  tchau "]  # type: ignore[attr-defined]
    assert directcall_nb.options.opt_out_keywords == ("Chega", "tchau")  # type: ignore[attr-defined]
    directcall_nb.options.opt_out_keywords = None  # type: ignore[attr-defined]
    assert directcall_nb.options.opt_out_keywords == OPT_OUT_KEYWORDS  # type: ignore[attr-defined]


@pytest.mark.parametrize("value", ["SAIR", [], ["SAIR", "..."], ["SAIR", 3], 7])
def test_keywords_that_cannot_be_used_are_refused_naming_the_option(value: object) -> None:
    with pytest.raises(InvalidOption) as caught:
        directcall_nb.options.opt_out_keywords = value  # type: ignore[attr-defined]
    assert caught.value.option == "opt_out_keywords"
    assert "opt_out_keywords=('SAIR', 'PARE', 'NÃO QUERO')" in str(caught.value)
    assert directcall_nb.options.opt_out_keywords == OPT_OUT_KEYWORDS  # type: ignore[attr-defined]
