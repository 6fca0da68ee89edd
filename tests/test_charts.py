"""The campaign in pictures, rendered: the funnel's chart and the history's, as a user sees them."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from helpers import SENDER
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.image import imread
from matplotlib.text import Text

from directcall_nb import Journal, Sandbox
from directcall_nb.charts import INK, funnel_chart, png
from directcall_nb.history import CampaignHistory

PHONES = ["11912340001", "11912340002", "21987650003", "123"]


def shown_texts(figure: Figure) -> list[str]:
    """Return every text the figure draws, in any artist (titles, ticks, bar labels, legend)."""
    return [t.get_text() for t in figure.findobj(Text) if t.get_visible() and t.get_text()]


def pixels(image: bytes) -> np.ndarray:
    return imread(io.BytesIO(image), format="png")


def assert_readable_on_both_themes(figure: Figure, image: bytes, *, bars: bool = True) -> None:
    """Transparent background, every text in the mid grey, bars drawn (unless all are 0)."""
    rgba = pixels(image)
    assert rgba.shape[0] > 150
    assert rgba.shape[1] > 300
    assert rgba.shape[2] == 4
    assert rgba[0, 0, 3] == 0  # the page shows through: white or dark alike
    drawn = rgba[rgba[..., 3] > 0.5][:, :3]
    assert len(drawn) > 0.002 * rgba.shape[0] * rgba.shape[1]  # not blank
    if bars:
        assert len(drawn) > 0.05 * rgba.shape[0] * rgba.shape[1]
        assert len(np.unique(drawn.round(1), axis=0)) > 4  # bars of several colours, and text
    colours = {to_hex(t.get_color()) for t in figure.findobj(Text) if t.get_text()}
    assert colours == {INK}
    assert not any(re.search(r"\d{8}", text) for text in shown_texts(figure))


@pytest.fixture
def report_in_journal(sb: Sandbox, journal: Journal) -> object:
    frame = pd.DataFrame({"celular": PHONES, "nome": ["Ana", "Bruno", "Carla", "Davi"]})
    sb.set_delivery_status("5521987650003", "nao_entregue")
    report = frame.directcall.send(
        "Oi {nome}", phone="celular", sender=SENDER, client=sb.client(), journal=journal.path,
        short_number=True, price_per_segment="0.08",
    )  # fmt: skip
    report.refresh_status(sb.client())
    return report


def test_the_funnel_chart_reads_its_stages_counts_and_shares(report_in_journal: object) -> None:
    figure = report_in_journal.plot("pt")  # type: ignore[attr-defined]
    image = figure._repr_png_()
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert_readable_on_both_themes(figure, image)
    texts = shown_texts(figure)
    assert "Campanha 1: do planejado à resposta" in texts
    for stage in ("planejadas", "enviadas", "entregues", "com falha", "responderam"):
        assert stage in texts
    assert "pediram para sair" in texts
    assert {"3 (100%)", "2 (67%)", "1 (33%)", "0 (0%)"} <= set(texts)
    english = shown_texts(report_in_journal.plot("en"))  # type: ignore[attr-defined]
    assert "opted out" in english


def test_a_funnel_with_nothing_planned_still_draws(report_in_journal: object) -> None:
    funnel = report_in_journal.funnel("en")  # type: ignore[attr-defined]
    empty = funnel.assign(count=0, share=float("nan"))
    figure = funnel_chart(empty, "nothing")
    assert_readable_on_both_themes(figure, png(figure), bars=False)
    assert shown_texts(figure).count("0") == 7


def test_the_history_shows_a_table_and_a_chart(report_in_journal: object, journal: Journal) -> None:
    history = CampaignHistory(journal.campaigns(), language="pt")
    html = history._repr_html_()
    assert "<table>" in html
    assert "data (Brasília)" in html
    assert "R$ 0,24" in html
    assert "67%" in html
    assert "<img alt='Últimas campanhas' src='data:image/png;base64," in html
    assert SENDER not in html
    figure = history.figure()
    image = png(figure)
    assert_readable_on_both_themes(figure, image)
    texts = shown_texts(figure)
    assert "Últimas campanhas" in texts
    assert {"enviadas", "entregues", "responderam", "pediram para sair"} <= set(texts)
    assert any(text.startswith("campanha 1\n") for text in texts)
    assert {"3", "2", "0"} <= set(texts)
