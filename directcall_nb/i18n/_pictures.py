"""The words of the campaign in pictures: the funnel's stages, the charts, the history table."""

from __future__ import annotations

__all__ = ["PICTURES"]

#: The texts of funnels, charts and the campaign history, by key: (Portuguese, English).
PICTURES: dict[str, tuple[str, str]] = {
    # -- the funnel's stages ----------------------------------------------------------------------
    "stage_planned": ("planejadas", "planned"),
    "stage_sent": ("enviadas", "sent"),
    "stage_delivered": ("entregues", "delivered"),
    "stage_unconfirmed": ("entrega não confirmada", "delivery not confirmed"),
    "stage_failed": ("com falha", "failed"),
    "stage_replied": ("responderam", "replied"),
    "stage_opted_out": ("pediram para sair", "opted out"),
    # -- charts ------------------------------------------------------------------------------------
    "funnel_title": (
        "Campanha {campaign}: do planejado à resposta",
        "Campaign {campaign}: from plan to reply",
    ),
    "funnel_title_unsaved": (
        "A campanha: do planejado à resposta",
        "The campaign: from plan to reply",
    ),
    "chart_messages": ("mensagens", "messages"),
    "history_title": ("Últimas campanhas", "Latest campaigns"),
    "history_campaign": ("campanha {campaign}", "campaign {campaign}"),
    "history_empty": (
        "Nenhuma campanha no diário {path} ainda.",
        "No campaign in the journal {path} yet.",
    ),
    # -- the history table ------------------------------------------------------------------------
    "col_campaign": ("campanha", "campaign"),
    "col_date": ("data (Brasília)", "date (Brasília)"),
    "col_channel": ("canal", "channel"),
    "col_sent": ("enviadas", "sent"),
    "col_delivery_rate": ("entregues", "delivered"),
    "col_reply_rate": ("responderam", "replied"),
    "col_opt_out_rate": ("pediram para sair", "opted out"),
    "col_cost": ("custo", "cost"),
    "not_known": ("—", "—"),
}
