"""Every displayed string, in Portuguese (Brazil) and English, in one table.

Each entry of `TABLE` is a key and its two texts ``(pt, en)``; a text may have ``{name}`` fields,
filled with `str.format`, and a text that depends on a count holds its two forms ``one|other``
(see `say_count`). Reprs, reports, the compose form and the magics take their words from here;
errors and reasons are written from their structured fields (`explain`, `reason_text`), never by
reading an English message.

The language is ``directcall_nb.options.language`` unless a display is asked for another (the
compose form is Portuguese by default, whatever the setting).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from directcall_nb.display import format_brl, format_count, mask_numbers
from directcall_nb.errors import (
    APIError,
    ColumnNotFound,
    DirectCallError,
    InvalidOption,
    JournalError,
    TemplateError,
    UnknownPlaceholder,
)
from directcall_nb.settings import current_language
from directcall_nb.vocabulary import Language

__all__ = [
    "TABLE",
    "Words",
    "explain",
    "explain_codigo",
    "line_kind",
    "reason_text",
    "say",
    "say_count",
    "words",
]

Words = Mapping[str, str]

#: key: (Portuguese, English).
TABLE: dict[str, tuple[str, str]] = {
    # -- the compose form: inputs ------------------------------------------------------------------
    "phone": ("Coluna do telefone", "Phone column"),
    "choose_column": ("— escolha —", "— choose —"),
    "international": ("aceitar números internacionais", "accept international numbers"),
    "channel": ("Canal", "Channel"),
    "sms": ("SMS", "SMS"),
    "voice": ("Voz", "Voice"),
    "sender": ("Remetente", "Sender"),
    "sender_placeholder": ("55 + DDD + número, ex. 551130600300", "55 + area code + number"),
    "message": ("Mensagem", "Message"),
    "message_voice": ("Texto lido na ligação", "Text read in the call"),
    "message_placeholder": (
        "Olá {nome}, sua fatura vence amanhã.",
        "Hi {nome}, your bill is due tomorrow.",
    ),
    "insert": ("Inserir coluna:", "Insert column:"),
    "fill": ("Preencher vazios com", "Fill empty values with"),
    "fill_placeholder": (
        "deixe em branco para não enviar a quem tem vazio",
        "leave blank to skip rows with an empty value",
    ),
    "policy": ("Cobrança", "Billing"),
    "policy_directcall": (
        "DirectCall: 140 caracteres por SMS",
        "DirectCall: 140 characters per SMS",
    ),
    "policy_gsm": ("Operadoras (GSM): 160 ou 70 por parte", "Carriers (GSM): 160 or 70 per part"),
    "price_sms": ("Preço por segmento (R$)", "Price per segment (R$)"),
    "price_voice": ("Preço por ligação (R$)", "Price per call (R$)"),
    "price_placeholder": ("0,08", "0.08"),
    "schedule": ("Agendar (Brasília)", "Schedule (Brasília)"),
    "date_placeholder": ("dd/mm/aaaa", "dd/mm/yyyy"),
    "time_placeholder": ("HH:MM", "HH:MM"),
    "sms_options": ("Opções do SMS", "SMS options"),
    "short_number": ("Número curto", "Short number"),
    "show_sender": ("Mostrar o remetente no SMS", "Show the sender in the SMS"),
    # -- the compose form: figures ---------------------------------------------------------------
    "characters": ("Caracteres", "Characters"),
    "encoding": ("Codificação", "Encoding"),
    "per_message": ("Segmentos por mensagem", "Segments per message"),
    "recipients": ("Destinatários", "Recipients"),
    "calls": ("Ligações", "Calls"),
    "invalid": ("Inválidos", "Invalid"),
    "duplicates": ("Duplicados", "Duplicates"),
    "segments": ("Segmentos no total", "Total segments"),
    "cost": ("Custo", "Cost"),
    "no_price": ("informe o preço", "enter the price"),
    "range": ("{low} a {high}", "{low} to {high}"),
    "ucs2_text": ("UCS-2 por causa de: {chars}", "UCS-2 because of: {chars}"),
    "ucs2_data": (
        "UCS-2 em {count}, por causa dos valores de {columns}",
        "UCS-2 in {count}, because of the values of {columns}",
    ),
    "messages": ("{n} mensagem|{n} mensagens", "{n} message|{n} messages"),
    "replace_offer": (
        "Trocar por GSM-7 ({changes}): {before} → {after}",
        "Replace with GSM-7 ({changes}): {before} → {after}",
    ),
    "replace_figures": ("{segments} segmentos, {cost}", "{segments} segments, {cost}"),
    "replace": ("Substituir", "Replace"),
    "write_message": ("Escreva a mensagem.", "Write the message."),
    "choose_phone": (
        "Escolha a coluna que tem os telefones.",
        "Choose the column that holds the phone numbers.",
    ),
    # -- the compose form: preview -------------------------------------------------------------
    "preview_title": (
        "Prévia: como os primeiros destinatários vão receber",
        "Preview: what the first recipients will receive",
    ),
    "part": ("parte {n}/{total}", "part {n}/{total}"),
    "voice_call": (
        "ligação de voz: este texto é lido em voz alta",
        "voice call: this text is read aloud",
    ),
    "no_recipients": (
        "Nenhum destinatário pode receber esta mensagem.",
        "No recipient can receive this message.",
    ),
    "invalid_title": (
        "{n} linha inválida|Primeiras linhas inválidas ({shown} de {n})",
        "{n} invalid row|First invalid rows ({shown} of {n})",
    ),
    "col_row": ("linha", "row"),
    "col_phone": ("telefone informado", "phone as given"),
    "col_phone_any": ("telefone", "phone"),
    "col_reason": ("motivo", "reason"),
    "col_field": ("campo", "field"),
    "col_text": ("texto", "text"),
    "col_request": ("requisição", "request"),
    "col_status": ("situação", "status"),
    # -- the compose form: sending -------------------------------------------------------------
    "simulate": ("Simular", "Simulate"),
    "send": ("Enviar", "Send"),
    "confirm": ("Confirmar", "Confirm"),
    "cancel": ("Cancelar", "Cancel"),
    "stop": ("Parar", "Stop"),
    "confirm_sms": (
        "Confirmar envio de {messages} ({segments}), {cost}{when}?",
        "Confirm sending {messages} ({segments}), {cost}{when}?",
    ),
    "confirm_voice": ("Confirmar {calls}, {cost}{when}?", "Confirm {calls}, {cost}{when}?"),
    "sms_count": ("{n} SMS|{n} SMS", "{n} SMS|{n} SMS"),
    "segment_count": ("{n} segmento|{n} segmentos", "{n} segment|{n} segments"),
    "call_count": ("{n} ligação de voz|{n} ligações de voz", "{n} voice call|{n} voice calls"),
    "price_each_sms": ("{total} ({price} por segmento)", "{total} ({price} per segment)"),
    "price_each_voice": ("{total} ({price} por ligação)", "{total} ({price} per call)"),
    "price_unknown": ("preço não informado", "no price given"),
    "confirm_schedule_sms": (", agendado para {when}", ", scheduled for {when}"),
    "confirm_schedule_voice": (", agendadas para {when}", ", scheduled for {when}"),
    "nothing_to_send": (
        "Nada a enviar: nenhum destinatário válido.",
        "Nothing to send: no valid recipient.",
    ),
    "fix_first": (
        "Corrija os campos marcados antes de continuar.",
        "Fix the marked fields before going on.",
    ),
    "cancelled": ("Envio cancelado: nada foi enviado.", "Sending cancelled: nothing was sent."),
    "sending": ("Enviando {requests} para {recipients}…", "Sending {requests} to {recipients}…"),
    "request_count": ("{n} requisição|{n} requisições", "{n} request|{n} requests"),
    "recipient_count": ("{n} destinatário|{n} destinatários", "{n} recipient|{n} recipients"),
    "stopping": (
        "Parando: as requisições em andamento terminam e nenhuma outra é feita.",
        "Stopping: the requests in flight finish and no other is made.",
    ),
    "busy": ("Um envio já está em andamento.", "A send is already running."),
    "simulation_title": (
        "Simulação: nada foi enviado. Estas são as requisições que o envio faria.",
        "Simulation: nothing was sent. These are the requests a send would make.",
    ),
    "done": ("Envio concluído: {summary}.", "Sending finished: {summary}."),
    "stopped": ("Envio interrompido: {summary}.", "Sending stopped: {summary}."),
    "summary_nothing": ("nenhuma mensagem enviada", "no message sent"),
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
        ", regra DirectCall (140 caracteres por SMS)",
        ", DirectCall's rule (140 characters per SMS)",
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
    "stop_journal": (
        "o diário não pôde ser gravado; nada mais foi enviado",
        "the journal could not be written; nothing more was sent",
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
    # -- what may go wrong with a row -------------------------------------------------------------
    "reason_phone": ("telefone inválido: {detail}", "{detail}"),
    "reason_phone_empty": ("telefone vazio", "empty"),
    "reason_line_type": (
        "{kind}: SMS precisa de celular; use o canal Voz para ligar",
        "{kind} number: SMS needs a mobile; use channel='voice' to call it",
    ),
    "reason_missing_column": (
        "a coluna {column} está vazia nesta linha: preencha-a ou escolha um texto para os vazios",
        "column {column!r} is empty: fill it in, or pass fill='…' to use a default",
    ),
    "reason_forbidden": (
        "a coluna {column} tem um caractere que o DirectCall não transmite (um caractere de "
        "controle ou texto inválido): corrija o valor",
        "column {column!r} holds a character DirectCall cannot carry (a control character, or "
        "text that is not valid Unicode): clean the value",
    ),
    "reason_empty": (
        "a mensagem ficaria vazia (ou só com espaços) nesta linha",
        "the message would be empty (or only spaces) for this row",
    ),
    "reason_too_long": (
        "a mensagem teria {chars} caracteres; o DirectCall aceita até 700: encurte o texto ou os "
        "valores",
        "the message would have {chars} characters; DirectCall accepts at most 700: shorten the "
        "text or the column values",
    ),
    "reason_duplicate": (
        "mesmo telefone e mesmo texto de uma linha anterior",
        "same phone and same text as an earlier row",
    ),
    # -- why a phone number is not valid ---------------------------------------------------------
    "phone_empty": ("vazio", "empty"),
    "phone_not_a_number": ("não é um telefone: {value}", "not a phone number: {value}"),
    "phone_unknown_country": (
        "código de país desconhecido: {value}",
        "unknown country code: {value}",
    ),
    "phone_too_short": (
        "curto demais para ser um telefone: {value}",
        "too short to be a phone number: {value}",
    ),
    "phone_too_long": (
        "longo demais para ser um telefone: {value}",
        "too long to be a phone number: {value}",
    ),
    "phone_br_too_short": (
        "curto demais para um número brasileiro ({digits}){hint}",
        "too short for a Brazilian number ({digits}){hint}",
    ),
    "phone_br_no_ddd": (" — falta o DDD?", " — is the DDD (area code) missing?"),
    "phone_br_too_long": (
        "longo demais para um número brasileiro ({digits})",
        "too long for a Brazilian number ({digits})",
    ),
    "phone_digits": ("{n} dígito|{n} dígitos", "{n} digit|{n} digits"),
    "phone_no_such_ddd": ("o DDD {area} não existe", "DDD {area} does not exist"),
    "phone_leading_nine": (
        "celular de 8 dígitos: falta o 9 na frente — seria 55{number}?",
        "8-digit mobile: the leading 9 is missing — did you mean 55{number}?",
    ),
    "phone_not_in_ddd": (
        "{rest} não é um número válido no DDD {area}",
        "{rest} is not a valid number in DDD {area}",
    ),
    "phone_not_valid_for": ("não é um número válido de {place}", "not a valid number for {place}"),
    "phone_foreign": (
        "número estrangeiro ({place}): aceite números internacionais para enviar",
        "foreign number ({place}); pass allow_international=True",
    ),
    "phone_place": ("{region}, +{country}", "{region}, +{country}"),
    "phone_country_code": ("código de país +{country}", "country code +{country}"),
    "line_fixed_line": ("telefone fixo", "landline"),
    "line_toll_free": ("número 0800", "toll-free"),
    "line_premium_rate": ("número de tarifa especial", "premium-rate"),
    "line_voip": ("número VoIP", "VoIP"),
    "line_shared_cost": ("número de custo compartilhado", "shared-cost"),
    "line_uan": ("número nacional único (4004, 0300)", "universal access"),
    "line_other": ("número {kind}", "{kind}"),
    # -- errors --------------------------------------------------------------------------------
    "err_column_not_found": (
        "A coluna {column} não existe na lista. Colunas: {columns}.",
        "The column {column} is not in the list. Columns: {columns}.",
    ),
    "err_column_repeated": (
        "A lista tem {n} colunas chamadas {column}: renomeie-as.",
        "The list has {n} columns named {column}: rename them.",
    ),
    "err_unknown_placeholder": (
        "A mensagem usa {names}, mas a lista não tem essa coluna. Colunas: {columns}.",
        "The message uses {names}, but the list has no such column. Columns: {columns}.",
    ),
    "err_template_unclosed": (
        "A chave '{{' na posição {position} não foi fechada. Para escrever uma chave no texto, "
        "use {{{{ ou }}}}.",
        "The '{{' at position {position} is never closed. To write a brace in the text, use "
        "{{{{ or }}}}.",
    ),
    "err_template_unopened": (
        "A chave '}}' na posição {position} não fecha nenhum campo. Para escrever uma chave no "
        "texto, use {{{{ ou }}}}.",
        "The '}}' at position {position} closes no placeholder. To write a brace in the text, "
        "use {{{{ or }}}}.",
    ),
    "err_template_empty_placeholder": (
        "O campo na posição {position} está vazio: escreva o nome de uma coluna entre as chaves.",
        "The placeholder at position {position} is empty: put a column name between the braces.",
    ),
    "err_template_forbidden": (
        "A mensagem tem, na posição {position}, um caractere que o DirectCall não transmite "
        "({character}): apague-o.",
        "The message holds a character DirectCall cannot carry ({character}) at position "
        "{position}: delete it.",
    ),
    "err_template_not_text": ("A mensagem precisa ser um texto.", "The message must be text."),
    "err_too_long": (
        "A mensagem tem {characters} caracteres sem contar as colunas; o DirectCall aceita até "
        "700.",
        "The message has {characters} characters before any column is filled in; DirectCall "
        "accepts at most 700.",
    ),
    "err_sender_missing": (
        "Informe o remetente: o número no formato 55 + DDD + número (ex. 551130600300).",
        "Enter the sender: the number as 55 + area code + number (e.g. 551130600300).",
    ),
    "err_sender_format": (
        "Remetente: escreva o número como {suggestion} (só dígitos).",
        "Sender: write the number as {suggestion} (digits only).",
    ),
    "err_sender_invalid": (
        "Remetente inválido: {value} não é um número de telefone. Use 55 + DDD + número (ex. "
        "551130600300).",
        "Invalid sender: {value} is not a phone number. Use 55 + area code + number (e.g. "
        "551130600300).",
    ),
    "err_schedule_past": (
        "O agendamento {moment} já passou (agora são {now} em Brasília): escolha um horário mais "
        "tarde.",
        "The schedule {moment} is in the past (it is {now} in Brasília): choose a later time.",
    ),
    "err_schedule_too_close": (
        "O agendamento {moment} está a menos de 1 minuto de agora ({now} em Brasília): escolha um "
        "horário mais tarde, ou envie sem agendar.",
        "The schedule {moment} is less than 1 minute from now ({now} in Brasília): choose a later "
        "time, or send now.",
    ),
    "err_schedule_unreadable": (
        "A data {value} não foi entendida: use dd/mm/aaaa e HH:MM.",
        "The date {value} cannot be read: use dd/mm/yyyy and HH:MM.",
    ),
    "err_schedule_no_time": (
        "Informe a hora do agendamento (HH:MM).",
        "Enter the time of the schedule (HH:MM).",
    ),
    "err_schedule_no_date": (
        "Informe a data do agendamento (dd/mm/aaaa).",
        "Enter the date of the schedule (dd/mm/yyyy).",
    ),
    "err_schedule_missing": (
        "Informe a data e a hora do agendamento.",
        "Enter the date and time of the schedule.",
    ),
    "err_schedule_bad_time": (
        "A hora {value} não é válida: use HH:MM, por exemplo 14:30.",
        "The time {value} is not valid: use HH:MM, e.g. 14:30.",
    ),
    "err_schedule_bad_date": (
        "A data {value} não é válida: use dd/mm/aaaa, por exemplo 25/12/2026.",
        "The date {value} is not valid: use dd/mm/yyyy, e.g. 25/12/2026.",
    ),
    "err_price": (
        "O preço {value} não é um valor em reais: use, por exemplo, 0,08.",
        "The price {value} is not an amount in reais: use e.g. 0.08.",
    ),
    "err_show_sender": (
        "Para mostrar o remetente no SMS, informe o remetente.",
        "To show the sender in the SMS, enter the sender.",
    ),
    "err_fill": (
        "O texto para os vazios tem um caractere que o DirectCall não transmite: apague-o.",
        "The fill text holds a character DirectCall cannot carry: delete it.",
    ),
    "err_option": (
        "A opção {option} não aceita o valor {value}.",
        "The option {option} does not accept {value}.",
    ),
    "err_option_suggestion": (" Use {suggestion}.", " Use {suggestion}."),
    "err_cost_limit": (
        "Esta campanha custa {cost} ({segments} para {recipients}), mais que o limite de {limit}; "
        "nada foi enviado.",
        "This campaign costs {cost} ({segments} to {recipients}), more than the limit of "
        "{limit}; nothing was sent.",
    ),
    "err_missing_credentials": (
        "Nenhuma conta DirectCall configurada: rode %directcall login (ou %directcall sandbox "
        "para testar).",
        "No DirectCall account is set up: run %directcall login (or %directcall sandbox to try "
        "things out).",
    ),
    "err_insecure_url": (
        "Endereço inseguro: use https:// (http:// só é aceito para este computador).",
        "Insecure address: use https:// (http:// is accepted for this machine only).",
    ),
    "err_configuration": (
        "A configuração do cliente não é válida: {detail}",
        "The client cannot be set up: {detail}",
    ),
    "err_journal_directory": (
        "O diário {path} é uma pasta: indique um arquivo.",
        "The journal {path} is a directory: give a file.",
    ),
    "err_journal_locked": (
        "O diário {path} ficou bloqueado por outro programa por 60 s: feche-o e tente de novo.",
        "The journal {path} stayed locked by another program for 60 s: close it and try again.",
    ),
    "err_journal_not_journal": (
        "O arquivo {path} não é um diário do directcall_nb.",
        "The file {path} is not a directcall_nb journal.",
    ),
    "err_journal_newer": (
        "O diário {path} foi escrito por uma versão mais nova: atualize.",
        "The journal {path} was written by a newer version: upgrade.",
    ),
    "err_journal_closed": ("O diário {path} está fechado.", "The journal {path} is closed."),
    "err_journal_other": (
        "O diário {path} não pôde ser usado.",
        "The journal {path} cannot be used.",
    ),
    "err_not_reached": (
        "Não foi possível falar com o DirectCall; nada foi enviado.",
        "DirectCall could not be reached; nothing was sent.",
    ),
    "err_answer_lost": (
        "A resposta do DirectCall não chegou: o pedido pode ter sido atendido.",
        "DirectCall's answer never came: the request may have been carried out.",
    ),
    "err_server_failure": (
        "O DirectCall respondeu com um erro (HTTP {status_code}).",
        "DirectCall answered with an error (HTTP {status_code}).",
    ),
    "err_transport": ("A conexão com o DirectCall falhou.", "The connection to DirectCall failed."),
    "err_input": ("Entrada inválida.", "Invalid input."),
    "err_other": (
        "Erro inesperado ({name}); nada foi enviado.",
        "Unexpected error ({name}); nothing was sent.",
    ),
    "code_201": (
        "Saldo insuficiente: a conta não tem créditos para este envio e as mensagens recusadas "
        "não foram entregues. Recarregue e envie de novo: o que já foi enviado não se repete.",
        "Insufficient balance: the account has no credits for this send and the refused "
        "messages were not delivered. Top up and send again: what was sent is not repeated.",
    ),
    "code_auth": (
        "Falha de autenticação: o DirectCall recusou as credenciais. Rode %directcall "
        "login de novo.",
        "Authentication failed: DirectCall refused the credentials. Run %directcall login again.",
    ),
    "code_200": ("Conta não encontrada no DirectCall.", "Account not found at DirectCall."),
    "code_billing": (
        "Problema de cobrança na conta (código {codigo}): {msg}",
        "Billing problem with the account (code {codigo}): {msg}",
    ),
    "code_other": (
        "O DirectCall recusou o pedido (código {codigo}): {msg}",
        "DirectCall refused the request (code {codigo}): {msg}",
    ),
}

_INDEX = {"pt": 0, "en": 1}


def words(language: Language | None = None) -> Words:
    """The whole table in one language (``directcall_nb.options.language`` when None)."""
    column = _INDEX[language or current_language()]
    return {key: texts[column] for key, texts in TABLE.items()}


def say(key: str, language: Language | None = None, /, **fields: Any) -> str:
    """The text of ``key`` in ``language``, its ``{fields}`` filled in."""
    text = TABLE[key][_INDEX[language or current_language()]]
    return text.format(**fields) if fields else text


def say_count(key: str, n: int, language: Language | None = None, /, **fields: Any) -> str:
    """The text of ``key`` for the count ``n``: its ``one`` form for 1, its ``other`` form else.

    ``{n}`` is written with thousands separators (``1.234``).
    """
    one, _, other = TABLE[key][_INDEX[language or current_language()]].partition("|")
    return (one if n == 1 or not other else other).format(n=format_count(n), **fields)


def line_kind(line_type: str, language: Language | None = None) -> str:
    """A line type in words: ``fixed_line`` → ``"telefone fixo"``."""
    key = f"line_{line_type}"
    if key in TABLE:
        return say(key, language)
    return say("line_other", language, kind=line_type.replace("_", " "))


def reason_text(kind: str, language: Language | None = None, /, **fields: Any) -> str:
    """Why a row is not sent, in words (``kind`` is ``phone``, ``line_type``, ``empty``, ...)."""
    if kind == "line_type":
        fields = {"kind": line_kind(str(fields["line_type"]), language)}
    return say(f"reason_{kind}", language, **fields)


def _moment(value: object) -> str:
    return f"{value:%d/%m/%Y %H:%M}" if isinstance(value, datetime) else str(value)


def _value(value: object) -> str:
    text = value if isinstance(value, str) else repr(value)
    return mask_numbers(f"'{text}'" if isinstance(value, str) else text)


def _option(error: InvalidOption, language: Language) -> str:
    d = error.details
    if error.kind == "sender":
        problem = d["problem"] if d["problem"] in ("missing", "format", "invalid") else "invalid"
        if problem == "format" and not d["suggestion"]:
            problem = "invalid"
        return say(f"err_sender_{problem}", language, value=_value(d["value"]),
                   suggestion=d["suggestion"])  # fmt: skip
    if error.kind == "schedule":
        problem = d["problem"] or "unreadable"
        return say(
            f"err_schedule_{problem}",
            language,
            value=_value(d["value"]),
            moment=_moment(d["moment"]),
            now=_moment(d["now"]),
        )
    special = {
        ("show_sender", "needs_sender"): "err_show_sender",
        ("fill", "forbidden"): "err_fill",
        ("price_per_segment", "not_amount"): "err_price",
    }.get((d["option"], d["problem"]))
    if special is not None:
        return say(special, language, value=_value(d["value"]))
    text = say("err_option", language, option=d["option"], value=_value(d["value"]))
    if d["suggestion"]:
        text += say("err_option_suggestion", language, suggestion=d["suggestion"])
    return text


def explain(error: BaseException, language: Language | None = None) -> str:
    """What went wrong and what to do, for a person: written from the error's fields.

    Parameters
    ----------
    error : BaseException
        The error. Ours are written from their `DirectCallError.details`; any other is named,
        never shown as a traceback.
    language : {"pt", "en"}, optional
        The language; ``directcall_nb.options.language`` by default.
    """
    language = language or current_language()
    if not isinstance(error, DirectCallError):
        return say("err_other", language, name=type(error).__name__)
    if isinstance(error, APIError):
        return explain_codigo(error.codigo, error.msg, language)
    if isinstance(error, InvalidOption):
        return _option(error, language)
    if isinstance(error, UnknownPlaceholder):
        names = ", ".join("{" + name + "}" for name in error.placeholders)
        return say("err_unknown_placeholder", language, names=names,
                   columns=", ".join(error.columns) or "—")  # fmt: skip
    if isinstance(error, TemplateError):
        return say(f"err_template_{error.problem}", language, position=error.position,
                   character=error.character)  # fmt: skip
    if isinstance(error, ColumnNotFound):
        if error.duplicated:
            return say("err_column_repeated", language, n=error.duplicated, column=error.column)
        return say("err_column_not_found", language, column=error.column,
                   columns=", ".join(error.columns) or "—")  # fmt: skip
    if isinstance(error, JournalError):
        key = f"err_journal_{error.problem}"
        return say(key if key in TABLE else "err_journal_other", language, path=error.path)
    details = error.details
    if error.kind == "cost_limit":
        return say(
            "err_cost_limit",
            language,
            cost=format_brl(details["cost"]),
            limit=format_brl(details["limit"]),
            segments=say_count("segment_count", details["segments"], language),
            recipients=say_count("recipient_count", details["recipients"], language),
        )
    if error.kind == "too_long":
        return say("err_too_long", language, characters=details["characters"])
    key = f"err_{error.kind}"
    if key in TABLE:
        return say(key, language, **details)
    return say("err_input" if isinstance(error, ValueError) else "err_other", language,
               name=type(error).__name__)  # fmt: skip


def explain_codigo(codigo: str, msg: str, language: Language | None = None) -> str:
    """DirectCall's return code put in words, with what to do about it."""
    from directcall_nb.errors import (
        AccountNotFound,
        AuthenticationError,
        BillingError,
        InsufficientBalance,
        api_error,
    )

    error = api_error(codigo, msg, endpoint="")
    if isinstance(error, InsufficientBalance):
        return say("code_201", language)
    if isinstance(error, AuthenticationError):
        return say("code_auth", language)
    if isinstance(error, AccountNotFound):
        return say("code_200", language)
    if isinstance(error, BillingError):
        return say("code_billing", language, codigo=codigo, msg=msg)
    return say("code_other", language, codigo=codigo, msg=msg)
