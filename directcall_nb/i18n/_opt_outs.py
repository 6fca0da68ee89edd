"""The words of opt-outs: why a row that opted out is not sent, its status, the import's summary."""

from __future__ import annotations

__all__ = ["OPT_OUTS"]

#: The texts of opt-outs and of the suppression list, by key: (Portuguese, English).
OPT_OUTS: dict[str, tuple[str, str]] = {
    # -- why a row that opted out is not sent, by the source of its entry -----------------------
    "reason_opted_out_reply": ("respondeu '{text}' em {date}", "replied '{text}' on {date}"),
    "reason_opted_out_import": (
        "na lista de supressão desde {date} ({reason})",
        "on the suppression list since {date} ({reason})",
    ),
    "reason_opted_out_manual": (
        "incluído à mão na lista de supressão em {date} ({reason})",
        "put on the suppression list by hand on {date} ({reason})",
    ),
    # -- the row status -------------------------------------------------------------------------
    "status_opted_out": (
        "{n} excluída (opt-out)|{n} excluídas (opt-out)",
        "{n} opted out|{n} opted out",
    ),
    "heading_opted_out": ("excluídas (opt-out)", "opted out"),
    "state_opted_out": ("excluída: pediu para sair", "opted out: not sent"),
    "opted_out": ("Excluídos (opt-out)", "Opted out"),
    "opted_out_title": (
        "{n} linha excluída por opt-out|Primeiras linhas excluídas por opt-out ({shown} de {n})",
        "{n} row opted out|First rows opted out ({shown} of {n})",
    ),
    "more_opted_out": (
        "… e mais {n} excluída|… e mais {n} excluídas",
        "… and {n} more in .rows|… and {n} more in .rows",
    ),
    # -- when the list was not used -------------------------------------------------------------
    "note_suppressions_unread": (
        "Sem diário, a lista de supressão não foi consultada: quem pediu para sair pode receber "
        "esta mensagem.",
        "No journal (journal=False), so the suppression list was not consulted: customers who "
        "opted out may receive this message.",
    ),
    "note_suppressions_ignored": (
        "A lista de supressão foi ignorada a pedido (mensagem transacional); nenhum destinatário "
        "está nela.",
        "The suppression list was ignored (suppressions=False, a transactional message); no "
        "recipient is on it.",
    ),
    "note_suppressions_ignored_count": (
        "A lista de supressão foi ignorada a pedido (mensagem transacional): {n} destinatário "
        "que pediu para sair recebe esta mensagem.|A lista de supressão foi ignorada a pedido "
        "(mensagem transacional): {n} destinatários que pediram para sair recebem esta mensagem.",
        "The suppression list was ignored (suppressions=False, a transactional message): {n} "
        "recipient who opted out receives this message.|The suppression list was ignored "
        "(suppressions=False, a transactional message): {n} recipients who opted out receive "
        "this message.",
    ),
    # -- a list imported into the suppression list ----------------------------------------------
    "import_title": ("Lista de supressão: importação", "Suppression list: import"),
    "import_added": (
        "{n} número incluído|{n} números incluídos",
        "{n} number added|{n} numbers added",
    ),
    "import_already": (
        "{n} já estava na lista|{n} já estavam na lista",
        "{n} already on the list|{n} already on the list",
    ),
    "import_invalid": (
        "{n} inválido, não incluído|{n} inválidos, não incluídos",
        "{n} invalid, not added|{n} invalid, not added",
    ),
    "import_invalid_title": (
        "Linhas com número inválido (não incluídas)",
        "Rows whose number is invalid (not added)",
    ),
}
