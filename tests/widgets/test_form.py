"""The compose form, driven headless as a user would: set values, click buttons, read the screen.

Figures are checked against an `Estimator` built independently in the test; sends go to a real
`Sandbox` over loopback sockets, and what it received is compared with what the form previewed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import ipywidgets as widgets
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import directcall_nb  # noqa: F401  (registers df.directcall)
from directcall_nb import Estimate, Estimator, Options, count_segments
from directcall_nb.i18n import TABLE
from directcall_nb.sandbox import Sandbox
from directcall_nb.widgets import ComposeForm
from directcall_nb.widgets._preview import split_parts

BRAZIL = ZoneInfo("America/Sao_Paulo")
SENDER = "551130600300"
TEXT = "Olá {nome}, sua fatura de R$ {valor} vence amanhã."


@pytest.fixture
def customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "cliente_id": [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010],
            "nome": [
                "Ana Souza",
                "Bruno Lima",
                "Carla Dias",
                None,
                "Ana Souza",
                "Eduardo Reis",
                "Fábio Alves",
                "Gisele Rocha",
                "Hélio Castro",
                "Iara Nunes",
            ],
            "celular": [
                "(11) 91234-5678",
                "+55 21 98765-4321",
                "(11) 3456-7890",  # a landline: no SMS
                "(21) 99876-5432",  # no name
                "11912345678",  # Ana again, same text: a duplicate
                "(23) 91234-5678",  # DDD 23 does not exist
                "",
                "(31) 99709-3471",
                "(51) 95495-0597",
                "(41) 99988-7766",
            ],
            "valor": [
                "688,57",
                "383,99",
                "281,53",
                "755,68",
                "688,57",
                "12,00",
                "99,90",
                "150,00",
                "42,10",
                "310,00",
            ],
            "observação": ["cliente antigo"] * 10,
        },
        index=pd.RangeIndex(100, 110, name="linha"),
    )


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as sb:
        yield sb


def oracle(frame: pd.DataFrame, text: str, **options: Any) -> Estimate:
    """Return the estimate the form should show, computed here without the form."""
    return Estimator(frame, phone="celular").estimate(text, Options(**options))


def sent_rows(estimate: Estimate) -> pd.DataFrame:
    rows = estimate.table
    return rows[rows["status"] == "ok"]


def preview_cards(form: ComposeForm) -> list[tuple[str, str]]:
    """(masked phone, full text) of each previewed recipient, read back from the HTML."""
    out = []
    for card in form.preview.value.split("<div class='dc-recipient'")[1:]:
        phone = re.search(r"<div class='dc-recipient-phone'[^>]*>(.*?)</div>", card)
        assert phone is not None
        parts = re.findall(r"<div class='dc-part'[^>]*>(.*?)</div>", card, flags=re.S)
        text = "".join(html.unescape(re.sub(r"<[^>]+>", "", p)) for p in parts)
        out.append((html.unescape(phone.group(1)), text))
    return out


def visible_text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def brl(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"R$ {int(whole):,}".replace(",", ".") + f",{cents}"


def ready_form(frame: pd.DataFrame, tmp_path: Path, **kwargs: Any) -> ComposeForm:
    """Return a form ready to send, its delivery window off unless ``window=`` is given."""
    kwargs.setdefault("window", False)  # sends at any hour; the window is tested on its own
    form: ComposeForm = frame.directcall.compose(
        sender=SENDER, journal=tmp_path / "journal.sqlite3", **kwargs
    )
    form.price.value = "0,10"
    form.text.value = TEXT
    return form


def shown_text(form: ComposeForm) -> str:
    """Everything the form shows as text: labels, values, descriptions, hints, options."""
    seen = []
    for widget in visible(form):
        for name in ("value", "description", "placeholder", "placeholders_label", "options"):
            value = getattr(widget, name, None)
            if isinstance(value, str):
                seen.append(visible_text(value))
            elif name == "options" and isinstance(value, tuple | list):
                seen += [str(v[0] if isinstance(v, tuple) else v) for v in value]
    return " ".join(" ".join(seen).split())


def visible(widget: widgets.DOMWidget) -> Iterator[widgets.DOMWidget]:
    """Return the widget and its descendants that are displayed (not under a hidden box)."""
    if widget.layout.display == "none":
        return
    yield widget
    for child in getattr(widget, "children", ()):
        yield from visible(child)


def walk(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    yield widget
    for name in widget.trait_names():
        value = getattr(widget, name)
        for child in value if isinstance(value, list | tuple) else [value]:
            if isinstance(child, widgets.Widget) and child is not widget:
                yield from walk(child)


# -- reading the frame -------------------------------------------------------------------------


def test_the_phone_column_is_preselected_by_name(customers: pd.DataFrame) -> None:
    form = customers.directcall.compose()
    assert form.phone.value == "celular"
    assert isinstance(form, widgets.VBox)
    bundle = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_the_phone_column_is_preselected_by_content() -> None:
    frame = pd.DataFrame(
        {
            "nome": ["Ana", "Bruno", "Carla", "Davi"],
            "contato_principal": ["11912345678", "(21) 98765-4321", "31 99709 3471", "x"],
        }
    )
    assert frame.directcall.compose().phone.value == "contato_principal"


def test_without_a_phone_column_the_form_asks_for_one() -> None:
    frame = pd.DataFrame({"nome": ["Ana", "Bruno"], "cidade": ["Recife", "Natal"]})
    form = frame.directcall.compose()
    form.text.value = "Olá {nome}"
    assert form.phone.value is None
    assert form.estimate is None
    assert "Escolha a coluna que tem os telefones" in visible_text(form.figures.value)
    assert form.send_button.disabled
    form.phone.value = "cidade"
    assert form.estimate is not None
    assert form.estimate.recipients == 0


def test_an_unknown_phone_column_is_refused_naming_the_columns(customers: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match=r"telefone.*celular"):
        customers.directcall.compose(phone="telefone")


# -- live figures ----------------------------------------------------------------------------


def test_figures_follow_the_text_and_match_an_independent_estimate(
    customers: pd.DataFrame, tmp_path: Path
) -> None:
    form = ready_form(customers, tmp_path)
    expected = oracle(customers, TEXT, sender=SENDER, price_per_segment=Decimal("0.10"))
    est = form.estimate
    assert est is not None
    assert (est.recipients, est.invalid, est.duplicates, est.segments, est.cost) == (
        expected.recipients,
        expected.invalid,
        expected.duplicates,
        expected.segments,
        expected.cost,
    )
    shown = visible_text(form.figures.value)
    ok = sent_rows(expected)
    low, high = ok["characters"].min(), ok["characters"].max()
    assert f"Caracteres {low} a {high}" in " ".join(shown.split())
    assert f"Destinatários {expected.recipients}" in " ".join(shown.split())
    assert f"Duplicados {expected.duplicates}" in " ".join(shown.split())
    assert brl(Decimal("0.10") * expected.segments) in shown

    longer = TEXT + (
        " Evite juros e multa: pague pelo aplicativo, no internet banking ou em qualquer "
        "agência até às 18h de amanhã."
    )
    form.text.value = longer
    expected = oracle(customers, longer, sender=SENDER, price_per_segment=Decimal("0.10"))
    assert form.estimate is not None
    assert form.estimate.segments == expected.segments == 2 * expected.recipients
    assert brl(Decimal("0.10") * expected.segments) in visible_text(form.figures.value)


def test_every_input_changes_the_estimate(customers: pd.DataFrame, tmp_path: Path) -> None:
    form = ready_form(customers, tmp_path)
    form.channel.value = "voice"
    voice = oracle(customers, TEXT, channel="voice", sender=SENDER, price_per_segment="0.10")
    assert form.estimate is not None
    assert form.estimate.recipients == voice.recipients
    form.channel.value = "sms"
    form.policy.value = "gsm"
    assert form.estimate is not None
    assert form.estimate.options.policy == "gsm"
    form.show_sender.value = True
    shown = oracle(
        customers, TEXT, sender=SENDER, show_sender=True, policy="gsm", price_per_segment="0.1"
    )
    assert form.estimate is not None
    assert form.estimate.segments == shown.segments
    first = preview_cards(form)[0][1]
    assert first.startswith(SENDER)
    form.price.value = ""
    assert form.estimate is not None
    assert form.estimate.cost is None
    assert "informe o preço" in visible_text(form.figures.value)


def test_template_errors_are_shown_in_words(customers: pd.DataFrame, tmp_path: Path) -> None:
    form = ready_form(customers, tmp_path)
    form.text.value = "Olá {nome, sua fatura vence amanhã"
    assert form.estimate is None
    shown = visible_text(form.figures.value)
    assert "A chave '{' na posição 5 não foi fechada" in shown
    assert "Traceback" not in shown
    assert form.preview.value == ""
    assert form.send_button.disabled
    assert form.simulate_button.disabled

    form.text.value = "Olá {nomes}"
    shown = visible_text(form.figures.value)
    assert "{nomes}" in shown
    assert "cliente_id, nome, celular" in shown

    form.text.value = "Total: 100% }"
    assert "A chave '}' na posição 13 não fecha nenhum campo" in visible_text(form.figures.value)

    form.text.value = TEXT
    assert form.estimate is not None
    assert not form.send_button.disabled


def test_bad_price_and_sender_are_explained_beside_them_and_go_away_once_fixed(
    customers: pd.DataFrame, tmp_path: Path
) -> None:
    form = ready_form(customers, tmp_path)
    assert form.problems == {}
    assert not form.send_button.disabled
    form.price.value = "dez centavos"
    assert "O preço 'dez centavos' não é um valor em reais" in form.problems["price"]
    assert form.problems["price"] in shown_text(form)
    assert form.send_button.disabled
    assert form.simulate_button.disabled
    assert form.estimate is not None
    assert form.estimate.cost is None  # figures stay live
    form.price.value = "R$ 0,10"
    assert form.problems == {}
    assert not form.send_button.disabled
    assert "não é um valor" not in shown_text(form)
    assert form.estimate is not None
    assert form.estimate.options.price_per_segment == Decimal("0.1")
    form.sender.value = "(11) 3060-0300"
    assert form.problems["sender"] == (
        "Remetente: escreva o número como 551130600300 (só dígitos)."
    )
    assert form.send_button.disabled
    form.sender.value = ""
    assert form.problems["sender"].startswith("Informe o remetente")
    form.sender.value = "abc"
    assert "Remetente inválido: 'abc' não é um número de telefone" in form.problems["sender"]
    form.sender.value = SENDER
    assert form.problems == {}
    assert not form.send_button.disabled


# -- preview ---------------------------------------------------------------------------------


def test_preview_shows_the_first_recipients_as_they_receive_it_masked(
    customers: pd.DataFrame, tmp_path: Path
) -> None:
    form = ready_form(customers, tmp_path)
    ok = sent_rows(oracle(customers, TEXT, sender=SENDER))
    cards = preview_cards(form)
    assert [text for _, text in cards] == list(ok["text"][:3])
    for (phone, _), full in zip(cards, ok["phone"][:3], strict=True):
        assert full not in form.preview.value
        assert phone.replace(" ", "").replace("-", "")[-4:] == full[-4:]
        assert phone.startswith(f"55 {full[2:4]} ")
        assert "*" in phone


def test_the_bubble_shows_where_each_part_splits(customers: pd.DataFrame, tmp_path: Path) -> None:
    form = ready_form(customers, tmp_path)
    form.text.value = "{nome}: " + "a" * 150
    assert "parte 1/2" in form.preview.value
    assert "parte 2/2" in form.preview.value
    parts = re.findall(r"data-part='1/2'[^>]*>(.*?)</div>", form.preview.value)
    assert len(html.unescape(parts[0])) == 140


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("abcdefghij {}[]€^~|\\áãçé🎉👍🏽\u0301\n")),
        min_size=1,
        max_size=400,
    ),
    st.sampled_from(["gsm", "directcall"]),
    st.booleans(),
)
def test_split_parts_agrees_with_the_segment_count(text: str, policy: str, shown: bool) -> None:
    parts = split_parts(text, policy=policy, sender=SENDER, show_sender=shown)  # type: ignore[arg-type]
    count = count_segments(text, policy=policy, sender=SENDER, show_sender=shown)  # type: ignore[arg-type]
    assert len(parts) == count.segments
    assert "".join(parts) == (SENDER if shown else "") + text


def test_invalid_rows_are_listed_with_reasons_and_masked(
    customers: pd.DataFrame, tmp_path: Path
) -> None:
    form = ready_form(customers, tmp_path)
    rows = oracle(customers, TEXT, sender=SENDER).rows
    invalid = rows[rows["status"] == "invalid"]
    table = form.preview.value.split("<details class='dc-invalid'", 1)[1]
    labels = [int(x) for x in re.findall(r"<tr><td[^>]*>(\d+)</td>", table)]
    assert labels == list(invalid.index[:5])
    shown = visible_text(table)
    assert "telefone fixo: SMS precisa de celular" in shown
    assert "a coluna nome está vazia" in shown
    assert "DDD 23" in shown
    assert "91234-5678" not in shown
    assert "3456-7890" not in shown


# -- editing the text ------------------------------------------------------------------------


def test_placeholder_buttons_insert_their_column_at_the_caret(customers: pd.DataFrame) -> None:
    form = customers.directcall.compose()
    assert form.text.placeholders == [
        "{cliente_id}",
        "{nome}",
        "{celular}",
        "{valor}",
        "{observação}",
    ]
    form.text.value = "Olá , tudo bem?"
    form.text.selection_start = form.text.selection_end = 4
    form.text.insert("{nome}")
    assert form.text.value == "Olá {nome}, tudo bem?"
    assert form.estimate is not None
    assert form.estimate.text == "Olá {nome}, tudo bem?"


def test_the_replacement_is_offered_only_when_it_makes_the_campaign_cheaper(
    customers: pd.DataFrame, tmp_path: Path
) -> None:
    form = ready_form(customers, tmp_path)
    accented = "Olá {cliente_id}, não perca – " + "a" * 60 + " {observação}"
    form.text.value = accented
    assert "UCS-2 por causa de: á, ã, –" in visible_text(form.figures.value)
    assert form.offer is None  # DirectCall's rule: 140 characters whatever the encoding
    assert form.replace_box.layout.display == "none"

    form.policy.value = "gsm"
    before = oracle(customers, accented, sender=SENDER, policy="gsm", price_per_segment="0.10")
    assert form.offer is not None
    assert form.replace_box.layout.display == "flex"
    offer_text = visible_text(form.replace_label.value)
    assert "á→a, ã→a, –→-" in offer_text
    replaced = "Ola {cliente_id}, nao perca - " + "a" * 60 + " {observação}"
    after = oracle(customers, replaced, sender=SENDER, policy="gsm", price_per_segment="0.10")
    assert after.segments < before.segments
    assert f"{before.segments} segmentos, {brl(before.cost)} → {after.segments} segmentos" in (
        offer_text
    )
    form.replace_button.click()
    assert form.text.value == replaced
    assert form.estimate is not None
    assert form.estimate.segments == after.segments
    assert "UCS-2" not in visible_text(form.figures.value)
    assert form.replace_box.layout.display == "none"

    form.text.value = accented + " 🎉"  # the emoji keeps it UCS-2: replacing saves nothing
    assert form.offer is None
    assert form.replace_box.layout.display == "none"
    form.text.value = "Olá {nome}"  # short: one segment either way
    assert form.offer is None
    form.text.value = accented
    form.channel.value = "voice"  # read aloud: never
    assert form.offer is None
    assert form.replace_box.layout.display == "none"


def test_english_labels(customers: pd.DataFrame) -> None:
    form = customers.directcall.compose(language="en")
    shown = shown_text(form)
    for label in ("Phone column", "Channel", "Sender", "Message", "Billing", "Schedule"):
        assert label in shown
    assert "Coluna do telefone" not in shown
    assert [form.simulate_button.description, form.send_button.description] == [
        "Simulate",
        "Send",
    ]
    form.text.value = "Hi {nome"
    assert "The '{' at position 4 is never closed" in visible_text(form.figures.value)
    form.text.value = "Hi {nome}"
    assert "Recipients" in visible_text(form.figures.value)
    pt = customers.directcall.compose()
    assert pt.send_button.description == "Enviar"
    assert "Coluna do telefone" in shown_text(pt)
    with pytest.raises(ValueError, match="language"):
        customers.directcall.compose(language="fr")


def test_every_text_has_both_languages_with_the_same_fields() -> None:
    import string

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, (pt, en) in TABLE.items():
        assert pt, key
        assert en, key
        assert fields(pt) == fields(en), key
        assert pt.count("|") == en.count("|") <= 1, key


# -- simulate and send -----------------------------------------------------------------------


def test_simulate_shows_the_requests_and_sends_nothing(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    form = ready_form(customers, tmp_path, client=sandbox.client())
    form.simulate_button.click()
    shown = visible_text(form.output.value)
    assert "Simulação: nada foi enviado" in shown
    assert form.simulation is not None
    assert form.simulation.dry_run
    expected = oracle(customers, TEXT, sender=SENDER)
    assert form.simulation.counts["dry_run"] == expected.recipients
    assert len(sandbox.messages()) == 0


def test_without_a_sender_the_form_says_so_and_will_not_simulate(
    customers: pd.DataFrame,
) -> None:
    form = customers.directcall.compose()
    form.text.value = TEXT
    assert form.problems["sender"].startswith("Informe o remetente")
    assert form.simulate_button.disabled
    assert form.send_button.disabled
    form.simulate_button.click()  # clicked from code anyway
    assert "Corrija os campos marcados" in visible_text(form.output.value)
    assert form.simulation is None


def test_a_schedule_is_stated_in_the_confirmation_and_sent(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    form = ready_form(customers, tmp_path, client=sandbox.client())
    day = (datetime.now(BRAZIL) + timedelta(days=2)).date()
    form.schedule_date.value = f"{day:%d/%m/%Y}"
    form.schedule_time.value = "25:10"
    assert form.problems["schedule"] == "A hora '25:10' não é válida: use HH:MM, por exemplo 14:30."
    assert form.send_button.disabled
    form.send_button.click()
    assert "Corrija os campos marcados" in visible_text(form.output.value)
    form.schedule_time.value = "14:30"
    assert "schedule" not in form.problems
    form.send_button.click()
    assert html.unescape(form.confirm_text.value).endswith(f"agendado para {day:%d/%m/%Y} 14:30?")
    form.confirm_button.click()
    assert form.wait(timeout=60)
    delivered = sandbox.messages()
    expected = oracle(customers, TEXT, sender=SENDER)
    assert len(delivered) == expected.recipients
    assert set(delivered["status"]) == {"agendado"}
    assert set(delivered["scheduled_for"].dt.strftime("%d/%m/%Y %H:%M")) == {
        f"{day:%d/%m/%Y} 14:30"
    }
    assert form.report is not None
    assert form.report.counts["scheduled"] == expected.recipients


def test_a_schedule_in_the_past_is_refused_in_words(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    form = ready_form(customers, tmp_path, client=sandbox.client())
    form.schedule_date.value = "02/01/2020"
    form.schedule_time.value = "09:00"
    assert form.problems["schedule"].startswith("O agendamento 02/01/2020 09:00 já passou")
    assert form.send_button.disabled
    form.send_button.click()
    assert form.confirm_box.layout.display == "none"
    assert len(sandbox.messages()) == 0
    soon = datetime.now(BRAZIL) + timedelta(seconds=20)
    form.schedule_date.value, form.schedule_time.value = f"{soon:%d/%m/%Y}", f"{soon:%H:%M}"
    assert (
        "menos de 1 minuto" in form.problems["schedule"]
        or "já passou" in (form.problems["schedule"])
    )
    form.schedule_date.value = "31/02/2030"
    assert form.problems["schedule"].startswith("A data '31/02/2030' não é válida")
    form.schedule_date.value = form.schedule_time.value = ""
    assert form.problems == {}
    assert not form.send_button.disabled


def test_send_confirms_then_delivers_exactly_the_previewed_texts(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    form = ready_form(customers, tmp_path, client=sandbox.client())
    expected = oracle(customers, TEXT, sender=SENDER, price_per_segment=Decimal("0.10"))
    previewed = preview_cards(form)
    form.send_button.click()
    assert form.confirm_text.value == html.escape(
        f"Confirmar envio de {expected.recipients} SMS ({expected.segments} segmentos), "
        f"{brl(Decimal('0.10') * expected.segments)} (R$ 0,10 por segmento)?"
    )
    assert len(sandbox.messages()) == 0  # nothing leaves before the confirmation

    form.confirm_button.click()
    assert form.wait(timeout=60)
    delivered = sandbox.messages()
    ok = sent_rows(expected)
    assert sorted(zip(delivered["phone"], delivered["text"], strict=True)) == sorted(
        zip(ok["phone"], ok["text"], strict=True)
    )
    assert {text for _, text in previewed} <= set(delivered["text"])
    assert form.report is not None
    assert form.report.counts["sent"] == expected.recipients
    shown = visible_text(form.output.value)
    assert f"Envio concluído: {expected.recipients} enviadas" in shown
    assert not form.send_button.disabled


def test_a_double_click_on_confirm_sends_once(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    form = ready_form(
        customers,
        tmp_path,
        client=sandbox.client(),
    )
    form.send_button.click()
    form.confirm_button.click()
    form.confirm_button.click()
    form.send_button.click()  # while sending: refused
    form.confirm_button.click()
    assert form.wait(timeout=60)
    expected = oracle(customers, TEXT, sender=SENDER)
    assert len(sandbox.messages()) == expected.recipients
    sends = sandbox.requests()
    assert (sends["endpoint"] == "/sms/send").sum() == len(set(sent_rows(expected)["text"]))


def test_buttons_are_disabled_while_a_send_runs(customers: pd.DataFrame, tmp_path: Path) -> None:
    with Sandbox(latency=0.2) as sb:
        form = ready_form(customers, tmp_path, client=sb.client())
        form.send_button.click()
        form.confirm_button.click()
        assert form.send_button.disabled
        assert form.confirm_button.disabled
        assert not form.stop_button.disabled
        assert form.progress_box.layout.display == "flex"
        assert form.wait(timeout=60)
        assert not form.send_button.disabled
        assert form.stop_button.disabled
        assert "enviadas" in form.progress_box.children[0].children[1].value


def test_the_stop_button_stops_a_slow_campaign(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "nome": [f"Cliente {n}" for n in range(200)],
            "celular": [f"1199{n:07d}" for n in range(200)],
        }
    )
    with Sandbox(latency=0.2) as sb:
        form = frame.directcall.compose(
            sender=SENDER, client=sb.client(), journal=tmp_path / "j.sqlite3", window=False
        )
        form.text.value = "Olá {nome}, temos uma oferta para você."
        assert form.estimate is not None
        assert form.estimate.recipients == 200
        form.send_button.click()
        form.confirm_button.click()
        form.stop_button.click()
        assert form.wait(timeout=120)
        report = form.report
        assert report is not None
        assert report.stopped
        assert report.counts.get("not_sent", 0) > 0
        assert len(sb.messages()) == report.counts.get("sent", 0) < 200
        assert "Envio interrompido" in visible_text(form.output.value)


def test_insufficient_balance_is_said_in_plain_words(
    customers: pd.DataFrame, tmp_path: Path
) -> None:
    with Sandbox(balance=1) as sb:
        form = ready_form(customers, tmp_path, client=sb.client())
        form.send_button.click()
        form.confirm_button.click()
        assert form.wait(timeout=60)
        shown = visible_text(form.output.value)
        assert "Saldo insuficiente" in shown
        assert "Traceback" not in shown


def test_without_any_account_the_form_says_how_to_get_one(
    customers: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from directcall_nb.sending import use_client

    use_client(None)
    monkeypatch.delenv("DIRECTCALL_CLIENT_ID", raising=False)
    monkeypatch.delenv("DIRECTCALL_CLIENT_SECRET", raising=False)
    form = ready_form(customers, tmp_path)
    form.send_button.click()
    form.confirm_button.click()
    assert form.wait(timeout=60)
    assert "%directcall login" in visible_text(form.output.value)
    assert form.report is None


def test_editing_withdraws_a_pending_confirmation(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    form = ready_form(customers, tmp_path, client=sandbox.client())
    form.send_button.click()
    assert form.confirm_box.layout.display == "flex"
    form.text.value = TEXT + " Responda SAIR para não receber mais."
    assert form.confirm_box.layout.display == "none"
    form.confirm_button.click()
    assert form.wait(timeout=60)
    assert len(sandbox.messages()) == 0

    form.send_button.click()
    form.cancel_button.click()
    form.confirm_button.click()
    assert form.wait(timeout=60)
    assert len(sandbox.messages()) == 0
    assert "Envio cancelado: nada foi enviado" in visible_text(form.output.value)


def test_the_default_journal_honours_the_environment(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv("DIRECTCALL_NB_JOURNAL", str(path))
    form = customers.directcall.compose(sender=SENDER, client=sandbox.client(), window=False)
    form.text.value = TEXT
    form.send_button.click()
    form.confirm_button.click()
    assert form.wait(timeout=60)
    assert form.report is not None
    assert form.report.journal == path
    assert path.exists()

    again = customers.directcall.compose(sender=SENDER, client=sandbox.client(), window=False)
    again.text.value = TEXT
    again.send_button.click()
    again.confirm_button.click()
    assert again.wait(timeout=60)
    expected = oracle(customers, TEXT, sender=SENDER)
    assert again.report is not None
    assert again.report.counts["already_sent"] == expected.recipients
    assert len(sandbox.messages()) == expected.recipients


def test_no_widget_trait_holds_the_secret_or_the_token(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    client = sandbox.client()
    form = ready_form(customers, tmp_path, client=client)
    form.send_button.click()
    form.confirm_button.click()
    assert form.wait(timeout=60)
    token = client._tokens._token
    assert token is not None
    secrets = [sandbox.client_secret, token.value.reveal()]
    seen = 0
    for widget in walk(form):
        seen += 1
        values = [repr(getattr(widget, name)) for name in widget.trait_names()]
        values.append(repr(widget.get_state()))
        for value in values:
            for secret in secrets:
                assert secret not in value
    assert seen > 30


# -- voice, languages, masking, progress ---------------------------------------------------------


def test_under_voice_only_what_applies_to_a_call_is_shown(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    form = ready_form(customers, tmp_path, client=sandbox.client())
    form.text.value = "Olá {nome}, não esqueça: sua fatura de R$ {valor} vence amanhã 🎉"
    sms_only = ("Codificação", "UCS-2", "Cobrança", "Preço por segmento", "Mostrar o remetente",
                "Número curto", "Segmentos")  # fmt: skip
    shown = shown_text(form)
    assert all(word in shown for word in sms_only)
    form.channel.value = "voice"
    shown = shown_text(form)
    for word in sms_only:
        assert word not in shown, word
    assert "Preço por ligação (R$)" in shown
    assert "Texto lido na ligação" in shown
    assert "Ligações" in visible_text(form.figures.value)
    assert "ligação de voz: este texto é lido em voz alta" in visible_text(form.preview.value)
    assert "parte 1/" not in form.preview.value
    expected = oracle(customers, form.text.value, channel="voice", sender=SENDER)
    form.send_button.click()
    question = html.unescape(form.confirm_text.value)
    cost = brl(Decimal("0.10") * expected.recipients)
    assert question == (
        f"Confirmar {expected.recipients} ligações de voz, {cost} (R$ 0,10 por ligação)?"
    )
    form.confirm_button.click()
    assert form.wait(timeout=60)
    assert set(sandbox.messages()["channel"]) == {"voice"}
    assert len(sandbox.messages()) == expected.recipients


ENGLISH = re.compile(
    r"\b(the|is|not|and|of|to|column|phone|message|sent|invalid|should|pass|rows?|"
    r"recipients?|empty|number|does|exist|missing|leading)\b|[a-z_]+=|\.rows|\(\)"
)


def test_the_portuguese_form_shows_no_english_and_no_whole_number(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    extra = pd.DataFrame(
        {
            "cliente_id": [2001, 2002, 2003],
            "nome": ["Jó", "Kim", "Lia"],
            "celular": ["(11) 8765-4321", "+1 202 555 0199", "abc"],
            "valor": ["1,00"] * 3,
            "observação": ["x"] * 3,
        },
        index=pd.RangeIndex(110, 113, name="linha"),
    )
    frame = pd.concat([extra, customers])
    form = ready_form(frame, tmp_path, client=sandbox.client())
    whole = [p for p in oracle(frame, TEXT, sender=SENDER).rows["phone"].dropna()]
    whole += ["11987654321", "5511987654321", "87654321", "12025550199"]

    def check(stage: str) -> None:
        shown = shown_text(form)
        found = ENGLISH.findall(shown.replace("destino_csv", ""))
        assert not found, (stage, found, shown)
        digits = re.sub(r"[^\d\s]", "", shown)
        for number in whole:
            assert number not in digits.replace(" ", ""), (stage, number)

    check("typed")
    form.simulate_button.click()
    check("simulated")
    form.send_button.click()
    check("asked")
    form.confirm_button.click()
    assert form.wait(timeout=60)
    assert form.report is not None
    assert form.report.counts["sent"] > 0
    check("sent")
    assert "(vazio)" in shown_text(form)


def test_progress_says_what_really_happened(
    customers: pd.DataFrame, tmp_path: Path, sandbox: Sandbox
) -> None:
    form = ready_form(customers, tmp_path, client=sandbox.client())
    form.send_button.click()
    form.confirm_button.click()
    assert form.wait(timeout=60)
    line = visible_text(form.progress_box.children[0].children[1].value)
    expected = oracle(customers, TEXT, sender=SENDER)
    assert line.startswith(f"enviadas {expected.recipients} · restantes 0 · cobrado R$ ")
    form.send_button.click()  # a new action: the old progress goes away
    assert form.progress_box.layout.display == "none"
    form.confirm_button.click()
    assert form.wait(timeout=60)
    line = visible_text(form.progress_box.children[0].children[1].value)
    assert line == f"já enviadas antes {expected.recipients} · restantes 0"
    assert "cobrado" not in line
    assert "enviadas 7" not in line.replace("antes", "")
    assert f"{expected.recipients} já enviadas antes" in visible_text(form.output.value)
    form.send_button.click()
    form.cancel_button.click()
    assert form.progress_box.layout.display == "none"
