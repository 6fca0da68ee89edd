"""The words of the replies customers send back: their table, and the sync's summary."""

from __future__ import annotations

__all__ = ["REPLIES"]

#: The texts of replies, by key: (Portuguese, English).
REPLIES: dict[str, tuple[str, str]] = {
    "reply_col_phone": ("telefone", "phone"),
    "reply_col_sent_to": ("respondeu a", "replied to"),
    "reply_col_text": ("resposta", "reply"),
    "reply_col_received_at": ("recebida em", "received"),
    "reply_col_campaign": ("campanha", "campaign"),
    "reply_col_opt_out": ("pediu para sair", "opted out"),
    "reply_no_campaign": ("nenhuma", "none"),
    "reply_yes": ("sim", "yes"),
    "reply_no": ("não", "no"),
    "replies_synced": (
        "{n} resposta nova|{n} respostas novas",
        "{n} new reply|{n} new replies",
    ),
    "replies_opted_out": (
        "{n} pediu para sair (não receberá mais mensagens)"
        "|{n} pediram para sair (não receberão mais mensagens)",
        "{n} opted out (no more messages to it)|{n} opted out (no more messages to them)",
    ),
    "replies_none": ("Nenhuma resposta recebida até agora.", "No replies received so far."),
    "replies_latest": (
        "A última resposta:|As {n} últimas respostas:",
        "The latest reply:|The latest {n} replies:",
    ),
}
