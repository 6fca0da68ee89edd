"""The words of what a send does and did: progress, row statuses, reports, plans, estimates.

Also why a campaign stopped early and why a row was not sent.
"""

from __future__ import annotations

__all__ = ["REPORTS"]

#: The texts of progress, statuses, reports and stops, by key: (Portuguese, English).
REPORTS: dict[str, tuple[str, str]] = {
    # -- progress, in real states ----------------------------------------------------------------
    "progress_sent": ("enviadas {n}", "sent {n}"),
    "progress_scheduled": ("agendadas {n}", "scheduled {n}"),
    "progress_already": ("já enviadas antes {n}", "sent before {n}"),
    "progress_failed": ("com falha {n}", "failed {n}"),
    "progress_uncertain": ("sem resposta {n}", "without an answer {n}"),
    "progress_not_sent": ("não enviadas {n}", "not sent {n}"),
    "progress_remaining": ("restantes {n}", "remaining {n}"),
    "progress_billed": ("cobrado {cost}", "billed {cost}"),
    # -- row statuses (one|other) ---------------------------------------------------------------
    "status_none": ("nenhuma linha", "no rows"),
    "status_sent": ("{n} enviada|{n} enviadas", "{n} sent|{n} sent"),
    "status_scheduled": ("{n} agendada|{n} agendadas", "{n} scheduled|{n} scheduled"),
    "status_already_sent": (
        "{n} já enviada antes|{n} já enviadas antes",
        "{n} sent before|{n} sent before",
    ),
    "status_invalid": ("{n} inválida|{n} inválidas", "{n} invalid|{n} invalid"),
    "status_duplicate": ("{n} duplicada|{n} duplicadas", "{n} duplicate|{n} duplicates"),
    "status_failed": ("{n} com falha|{n} com falha", "{n} failed|{n} failed"),
    "status_ambiguous": (
        "{n} sem resposta|{n} sem resposta",
        "{n} without an answer|{n} without an answer",
    ),
    "status_in_progress": ("{n} em andamento|{n} em andamento", "{n} in progress|{n} in progress"),
    "status_not_sent": ("{n} não enviada|{n} não enviadas", "{n} not sent|{n} not sent"),
    "status_cancelled": ("{n} cancelada|{n} canceladas", "{n} cancelled|{n} cancelled"),
    "status_dry_run": (
        "{n} seria enviada|{n} seriam enviadas",
        "{n} would be sent|{n} would be sent",
    ),
    "status_ok": ("{n} a enviar|{n} a enviar", "{n} to send|{n} to send"),
    "heading_sent": ("enviadas", "sent"),
    "heading_scheduled": ("agendadas", "scheduled"),
    "heading_already_sent": ("já enviadas antes", "sent before"),
    "heading_invalid": ("inválidas", "invalid"),
    "heading_duplicate": ("duplicadas", "duplicates"),
    "heading_failed": ("com falha", "failed"),
    "heading_ambiguous": ("sem resposta", "without an answer"),
    "heading_in_progress": ("em andamento", "in progress"),
    "heading_not_sent": ("não enviadas", "not sent"),
    "heading_cancelled": ("canceladas", "cancelled"),
    "heading_dry_run": ("seriam enviadas", "would be sent"),
    "heading_ok": ("a enviar", "to send"),
    "state_sent": ("enviada", "sent"),
    "state_scheduled": ("agendada", "scheduled"),
    "state_already_sent": ("já enviada antes", "sent before"),
    "state_invalid": ("inválida", "invalid"),
    "state_duplicate": ("duplicada", "duplicate"),
    "state_failed": ("com falha", "failed"),
    "state_ambiguous": ("sem resposta", "without an answer"),
    "state_in_progress": ("em andamento", "in progress"),
    "state_not_sent": ("não enviada", "not sent"),
    "state_cancelled": ("cancelada", "cancelled"),
    "state_dry_run": ("seria enviada", "would be sent"),
    "state_ok": ("a enviar", "to send"),
    # -- reports, plans, estimates ---------------------------------------------------------------
    "report_title": ("Relatório de envio", "Send report"),
    "dry_title": ("Simulação", "Dry run"),
    "billed": ("Cobrado nesta execução: {cost}", "Billed in this run: {cost}"),
    "would_cost": ("Custaria {cost}", "Would cost {cost}"),
    "more_rows": (
        "… e mais {n} linha|… e mais {n} linhas",
        "… and {n} more in .rows|… and {n} more in .rows",
    ),
    "more_requests": ("… e mais {n} requisições", "… and {n} more requests"),
    "note_dry_run": (
        "Simulação: nada foi enviado. Seria feita {n} requisição.|Simulação: nada foi enviado. "
        "Seriam feitas {n} requisições.",
        "Dry run: nothing was sent. {n} request would be made.|Dry run: nothing was sent. {n} "
        "requests would be made.",
    ),
    "timing_scheduled": ("Seria agendada para {when}.", "It would be scheduled for {when}."),
    "timing_open": (
        "Seria enviada agora, dentro da janela de envio ({window}); o que não sair até {when} "
        "fica para a próxima abertura.",
        "It would be sent now, inside the delivery window ({window}); what is not sent by "
        "{when} waits for the next opening.",
    ),
    "timing_closed": (
        "Agora está fora da janela de envio ({window}): o envio seria recusado. A janela abre "
        "em {when}.",
        "It is outside the delivery window ({window}) now: the send would be refused. The "
        "window opens at {when}.",
    ),
    "note_stopped": ("O envio parou antes do fim: {why}", "The campaign stopped early: {why}"),
    "note_ambiguous": (
        "{messages} podem ou não ter chegado: a resposta do DirectCall nunca veio. Elas não são "
        "reenviadas às cegas: o próximo envio as procura no extrato do DirectCall assim que ele "
        "as mostra (cerca de 30 minutos depois); as que não estiverem lá são enviadas.",
        "{messages} may or may not have been sent: their answer never came. They are not sent "
        "again blindly: the next send (or directcall_nb.reconcile()) looks them up in "
        "DirectCall's usage statement once it shows them (about 30 minutes later), and sends "
        "those it does not list; resend_ambiguous=True sends them all again.",
    ),
    "note_already_sent": (
        "{messages} já tinham sido enviadas antes e não foram repetidas.",
        "{messages} had been sent by an earlier run and were not sent again.",
    ),
    "note_in_progress": (
        "{messages} estão sendo enviadas agora por outro kernel.",
        "{messages} are being sent by another kernel right now.",
    ),
    "note_no_journal": (
        "Nenhum diário foi mantido: nada impede que estas mensagens sejam enviadas de novo se "
        "isto for executado outra vez.",
        "No journal was kept (journal=False): nothing guards against sending these messages "
        "twice if this is run again.",
    ),
    "plan_title": (
        "Plano: {requests}, {recipients}, {segments}, custo {cost}",
        "Plan: {requests}, {recipients}, {segments}, cost {cost}",
    ),
    "estimate_title": (
        "Estimativa: {channel}{policy}{price}",
        "Estimate: {channel}{policy}{price}",
    ),
    "policy_name_directcall": (
        ", regra DirectCall ({sms_characters} caracteres por SMS)",
        ", DirectCall's rule ({sms_characters} characters per SMS)",
    ),
    "policy_name_gsm": (", regra das operadoras (GSM 03.38)", ", the carriers' rule (GSM 03.38)"),
    "estimate_price": (", {price} por segmento", ", {price} per segment"),
    "estimate_price_voice": (", {price} por ligação", ", {price} per call"),
    "estimate_no_price": (
        ", sem preço (o custo aparece quando o preço é informado)",
        " (no price given: pass price_per_segment= to see the cost)",
    ),
    "segments_word": ("Segmentos", "Segments"),
    "more_invalid": (
        "… e mais {n} inválida|… e mais {n} inválidas",
        "… and {n} more in .rows|… and {n} more in .rows",
    ),
    # -- why a campaign stopped, why a row was not sent ------------------------------------------
    "stop_interrupted": (
        "interrompido (Ctrl-C ou o botão de parar); as requisições em andamento "
        "terminaram e nenhuma outra foi feita",
        "interrupted; the requests already in flight were let finish",
    ),
    "stop_stop_requested": (
        "parado a pedido; as requisições em andamento terminaram",
        "stopped on request; the requests already in flight were let finish",
    ),
    "stop_unreachable": (
        "não foi possível falar com o DirectCall; nada mais foi enviado",
        "DirectCall could not be reached; nothing more was sent",
    ),
    "stop_schedule_passed": (
        "o agendamento de {when} ficou a menos de 1 minuto e o resto não foi "
        "enviado: escolha outro horário e envie de novo",
        "the schedule {when} came less than 1 minute away and the rest was "
        "not sent: choose a later time and send again",
    ),
    "stop_window_closed": (
        "fora da janela de envio; rode de novo a partir de {when}",
        "outside the delivery window; run it again from {when}",
    ),
    "stop_journal": (
        "o diário não pôde ser gravado; nada mais foi enviado",
        "the journal could not be written; nothing more was sent",
    ),
    "stop_partition_unread": (
        "a partição {partition} da lista não pôde ser lida ({error}); ela e as seguintes não "
        "foram enviadas: corrija e envie de novo, o que já foi enviado não se repete",
        "partition {partition} of the list could not be read ({error}); it and the ones after it "
        "were not sent: fix it and send again, what was sent is not repeated",
    ),
    "stop_list_changed": (
        "a partição {partition} da lista mudou desde a estimativa (mais mensagens a enviar do "
        "que as estimadas); ela e as seguintes não foram enviadas",
        "partition {partition} of the list changed since the estimate (more messages to send "
        "than estimated); it and the ones after it were not sent",
    ),
    "stop_internal": (
        "erro interno; nada mais foi enviado",
        "internal error; nothing more was sent",
    ),
    "why_stopped": ("não tentada: o envio parou antes", "not tried: the campaign stopped first"),
    "why_unreachable": (
        "não foi possível falar com o DirectCall: não foi enviada",
        "DirectCall could not be reached: not sent",
    ),
    "why_unavailable": (
        "o DirectCall estava indisponível (503): não foi enviada",
        "DirectCall was unavailable (503): not sent",
    ),
    "why_lost": (
        "a resposta não veio: pode ter sido enviada",
        "the answer never came: it may have been sent",
    ),
    "why_server_error": (
        "o DirectCall falhou ao responder: pode ter sido enviada",
        "DirectCall failed while answering: it may have been sent",
    ),
    "why_unsent": ("recusada antes de sair: não foi enviada", "refused before it left: not sent"),
    "why_abandoned": (
        "ainda esperando a resposta quando a espera foi interrompida",
        "still waiting for the answer when the wait was interrupted",
    ),
    "why_internal": (
        "erro interno durante o envio: pode ter sido enviada",
        "internal error while sending: it may have been sent",
    ),
    "why_ambiguous": (
        "a resposta não veio numa execução anterior: pode ter sido enviada",
        "its answer never came in an earlier run: it may have been sent",
    ),
    "why_in_progress": ("sendo enviada agora por outro kernel", "being sent by another kernel"),
    "why_cancelled": (
        "agendada e depois cancelada: não foi entregue",
        "scheduled, then cancelled: not delivered",
    ),
}
