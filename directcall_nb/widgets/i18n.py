"""Every word the compose form shows, one table per language, and errors put in plain words.

Portuguese (Brazil) is the default; English on request. Each table has the same keys; a text
with ``{name}`` fields is filled with `str.format`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from directcall_nb.errors import (
    AccountNotFound,
    APIError,
    AuthenticationError,
    BillingError,
    ColumnNotFound,
    CostLimitExceeded,
    DirectCallError,
    InsufficientBalance,
    InvalidSchedule,
    InvalidSender,
    MessageTooLong,
    MissingCredentials,
    RequestNotSent,
    TemplateError,
    TransportError,
    UnknownPlaceholder,
    api_error,
)

__all__ = ["LANGUAGES", "Language", "Strings", "explain", "explain_codigo", "strings"]

Language = Literal["pt", "en"]
Strings = Mapping[str, str]

_PT: dict[str, str] = {
    # inputs
    "phone": "Coluna do telefone",
    "choose_column": "— escolha —",
    "channel": "Canal",
    "sms": "SMS",
    "voice": "Voz",
    "sender": "Remetente",
    "sender_placeholder": "55 + DDD + número, ex. 551130600300",
    "message": "Mensagem",
    "message_placeholder": "Olá {nome}, sua fatura vence amanhã.",
    "insert": "Inserir coluna:",
    "policy": "Cobrança",
    "policy_directcall": "DirectCall: 140 caracteres por SMS",
    "policy_gsm": "Operadoras (GSM): 160 ou 70 por parte",
    "price": "Preço por segmento (R$)",
    "price_placeholder": "0,08",
    "schedule": "Agendar (Brasília)",
    "time_placeholder": "HH:MM",
    "short_number": "Número curto",
    "show_sender": "Mostrar o remetente no SMS",
    # figures
    "characters": "Caracteres",
    "encoding": "Codificação",
    "per_message": "Segmentos por mensagem",
    "recipients": "Destinatários",
    "invalid": "Inválidos",
    "duplicates": "Duplicados",
    "segments": "Segmentos no total",
    "cost": "Custo",
    "no_price": "informe o preço",
    "range": "{low} a {high}",
    "ucs2_text": "UCS-2 por causa de: {chars}",
    "ucs2_data": "UCS-2 em {count} mensagens, por causa dos valores de {columns}",
    "replace_changes": "Trocar por GSM-7: {changes}",
    "replace": "Substituir",
    "write_message": "Escreva a mensagem.",
    "choose_phone": "Escolha a coluna que tem os telefones.",
    # preview
    "preview_title": "Prévia: como os primeiros destinatários vão receber",
    "part": "parte {n}/{total}",
    "voice_call": "ligação de voz: o texto é lido em voz alta",
    "no_recipients": "Nenhum destinatário pode receber esta mensagem.",
    "invalid_title": "Primeiras linhas inválidas",
    "col_row": "linha",
    "col_phone": "telefone informado",
    "col_reason": "motivo",
    "reason_phone": "telefone inválido: {detail}",
    "reason_line": "{kind}: SMS precisa de celular; use o canal Voz para ligar",
    "reason_empty_column": "a coluna {column} está vazia nesta linha",
    "reason_too_long": "a mensagem teria {chars} caracteres; o DirectCall aceita até 700",
    "reason_empty": "a mensagem ficaria vazia (ou só com espaços)",
    "reason_forbidden": "a coluna {column} tem um caractere que o DirectCall não transmite "
    "(um caractere de controle ou texto inválido)",
    "line_fixed_line": "telefone fixo",
    "line_toll_free": "número 0800",
    "line_premium_rate": "número de tarifa especial",
    "line_voip": "número VoIP",
    "line_other": "número {kind}",
    # sending
    "simulate": "Simular",
    "send": "Enviar",
    "confirm": "Confirmar",
    "cancel": "Cancelar",
    "stop": "Parar",
    "confirm_question": "Confirmar envio para {recipients} destinatários, {segments} segmentos, "
    "{cost}?",
    "confirm_question_no_price": "Confirmar envio para {recipients} destinatários, "
    "{segments} segmentos (preço não informado)?",
    "confirm_schedule": " Entrega agendada para {when}.",
    "nothing_to_send": "Nada a enviar: nenhum destinatário válido.",
    "fix_first": "Corrija a mensagem antes de enviar.",
    "cancelled": "Envio cancelado: nada foi enviado.",
    "sending": "Enviando {requests} requisições para {recipients} destinatários…",
    "stopping": "Parando: as requisições em andamento terminam e nenhuma outra é feita.",
    "busy": "Um envio já está em andamento.",
    "simulation_title": "Simulação: nada foi enviado. Estas são as requisições que o envio faria.",
    "done": "Envio concluído: {summary}.",
    "stopped": "Envio interrompido: {summary}.",
    "summary_sent": "{count} enviadas",
    "summary_scheduled": "{count} agendadas",
    "summary_already": "{count} já enviadas antes (não repetidas)",
    "summary_failed": "{count} com falha",
    "summary_ambiguous": "{count} sem resposta (podem ter sido enviadas)",
    "summary_not_sent": "{count} não tentadas",
    "summary_nothing": "nenhuma mensagem enviada",
    "spent": "gasto {cost}",
    "schedule_time": "Informe a hora do agendamento (HH:MM).",
    "schedule_bad_time": "A hora {time!r} não é válida: use HH:MM, por exemplo 14:30.",
    "schedule_no_date": "Escolha a data do agendamento.",
    "price_bad": "O preço {price!r} não é um valor em reais: use, por exemplo, 0,08.",
    "progress_sent": "enviadas {n}",
    "progress_scheduled": "agendadas {n}",
    "progress_already": "já enviadas antes {n}",
    "progress_failed": "com falha {n}",
    "progress_uncertain": "sem resposta {n}",
    "progress_not_sent": "não enviadas {n}",
    "progress_remaining": "restantes {n}",
    "progress_billed": "cobrado {cost}",
    # errors
    "err_unknown_placeholder": "A mensagem usa {names}, mas a lista não tem essa coluna. "
    "Colunas: {columns}.",
    "err_unclosed": "A chave '{{' na posição {position} não foi fechada. Para escrever uma chave "
    "no texto, use {{{{ ou }}}}.",
    "err_unopened": "A chave '}}' na posição {position} não fecha nenhum campo. Para escrever uma "
    "chave no texto, use {{{{ ou }}}}.",
    "err_empty_field": "O campo na posição {position} está vazio: escreva o nome de uma coluna "
    "entre as chaves.",
    "err_template": "A mensagem não pôde ser lida: {detail}",
    "err_too_long": "A mensagem passa de 700 caracteres, o máximo do DirectCall. {detail}",
    "err_sender": "Remetente inválido: informe o número no formato 55 + DDD + número "
    "(ex. 551130600300). {detail}",
    "err_schedule": "Agendamento inválido: {detail}",
    "err_credentials": "Nenhuma conta DirectCall configurada: rode %directcall login (ou "
    "%directcall sandbox para testar).",
    "err_not_reached": "Não foi possível falar com o DirectCall; nada foi enviado. {detail}",
    "err_transport": "A conexão com o DirectCall falhou. {detail}",
    "err_column": "{detail}",
    "err_cost": "{detail}",
    "err_other": "Erro: {detail}",
    "code_201": "Saldo insuficiente: a conta não tem créditos para este envio e as mensagens "
    "recusadas não foram entregues. Recarregue e envie de novo: o que já foi enviado não se "
    "repete.",
    "code_auth": "Falha de autenticação: o DirectCall recusou as credenciais. Rode "
    "%directcall login de novo.",
    "code_200": "Conta não encontrada no DirectCall.",
    "code_billing": "Problema de cobrança na conta: {msg}",
    "code_other": "O DirectCall recusou o envio (código {codigo}): {msg}",
}

_EN: dict[str, str] = {
    "phone": "Phone column",
    "choose_column": "— choose —",
    "channel": "Channel",
    "sms": "SMS",
    "voice": "Voice",
    "sender": "Sender",
    "sender_placeholder": "55 + area code + number, e.g. 551130600300",
    "message": "Message",
    "message_placeholder": "Hi {name}, your bill is due tomorrow.",
    "insert": "Insert column:",
    "policy": "Billing",
    "policy_directcall": "DirectCall: 140 characters per SMS",
    "policy_gsm": "Carriers (GSM): 160 or 70 per part",
    "price": "Price per segment (R$)",
    "price_placeholder": "0.08",
    "schedule": "Schedule (Brasília time)",
    "time_placeholder": "HH:MM",
    "short_number": "Short number",
    "show_sender": "Show the sender in the SMS",
    "characters": "Characters",
    "encoding": "Encoding",
    "per_message": "Segments per message",
    "recipients": "Recipients",
    "invalid": "Invalid",
    "duplicates": "Duplicates",
    "segments": "Total segments",
    "cost": "Cost",
    "no_price": "enter the price",
    "range": "{low} to {high}",
    "ucs2_text": "UCS-2 because of: {chars}",
    "ucs2_data": "UCS-2 in {count} messages, because of the values of {columns}",
    "replace_changes": "Replace with GSM-7: {changes}",
    "replace": "Replace",
    "write_message": "Write the message.",
    "choose_phone": "Choose the column that holds the phone numbers.",
    "preview_title": "Preview: what the first recipients will receive",
    "part": "part {n}/{total}",
    "voice_call": "voice call: the text is read aloud",
    "no_recipients": "No recipient can receive this message.",
    "invalid_title": "First invalid rows",
    "col_row": "row",
    "col_phone": "phone as given",
    "col_reason": "reason",
    "reason_phone": "invalid phone: {detail}",
    "reason_line": "{kind}: SMS needs a mobile; use the Voice channel to call it",
    "reason_empty_column": "column {column} is empty on this row",
    "reason_too_long": "the message would have {chars} characters; DirectCall accepts at most 700",
    "reason_empty": "the message would be empty (or only spaces)",
    "reason_forbidden": "column {column} holds a character DirectCall cannot carry "
    "(a control character, or text that is not valid Unicode)",
    "line_fixed_line": "landline",
    "line_toll_free": "toll-free number",
    "line_premium_rate": "premium-rate number",
    "line_voip": "VoIP number",
    "line_other": "{kind} number",
    "simulate": "Simulate",
    "send": "Send",
    "confirm": "Confirm",
    "cancel": "Cancel",
    "stop": "Stop",
    "confirm_question": "Confirm sending to {recipients} recipients, {segments} segments, {cost}?",
    "confirm_question_no_price": "Confirm sending to {recipients} recipients, {segments} "
    "segments (no price given)?",
    "confirm_schedule": " Delivery scheduled for {when}.",
    "nothing_to_send": "Nothing to send: no valid recipient.",
    "fix_first": "Fix the message before sending.",
    "cancelled": "Sending cancelled: nothing was sent.",
    "sending": "Sending {requests} requests to {recipients} recipients…",
    "stopping": "Stopping: the requests in flight finish and no other is made.",
    "busy": "A send is already running.",
    "simulation_title": "Simulation: nothing was sent. These are the requests a send would make.",
    "done": "Sending finished: {summary}.",
    "stopped": "Sending stopped: {summary}.",
    "summary_sent": "{count} sent",
    "summary_scheduled": "{count} scheduled",
    "summary_already": "{count} sent before (not repeated)",
    "summary_failed": "{count} failed",
    "summary_ambiguous": "{count} without an answer (may have been sent)",
    "summary_not_sent": "{count} not tried",
    "summary_nothing": "no message sent",
    "spent": "spent {cost}",
    "schedule_time": "Enter the time of the schedule (HH:MM).",
    "schedule_bad_time": "The time {time!r} is not valid: use HH:MM, e.g. 14:30.",
    "schedule_no_date": "Choose the date of the schedule.",
    "price_bad": "The price {price!r} is not an amount in reais: use e.g. 0.08.",
    "progress_sent": "sent {n}",
    "progress_scheduled": "scheduled {n}",
    "progress_already": "sent before {n}",
    "progress_failed": "failed {n}",
    "progress_uncertain": "without an answer {n}",
    "progress_not_sent": "not sent {n}",
    "progress_remaining": "remaining {n}",
    "progress_billed": "billed {cost}",
    "err_unknown_placeholder": "The message uses {names}, but the list has no such column. "
    "Columns: {columns}.",
    "err_unclosed": "The '{{' at position {position} is never closed. To write a brace in the "
    "text, use {{{{ or }}}}.",
    "err_unopened": "The '}}' at position {position} closes no placeholder. To write a brace in "
    "the text, use {{{{ or }}}}.",
    "err_empty_field": "The placeholder at position {position} is empty: put a column name "
    "between the braces.",
    "err_template": "The message cannot be read: {detail}",
    "err_too_long": "The message is over 700 characters, DirectCall's limit. {detail}",
    "err_sender": "Invalid sender: enter the number as 55 + area code + number "
    "(e.g. 551130600300). {detail}",
    "err_schedule": "Invalid schedule: {detail}",
    "err_credentials": "No DirectCall account is set up: run %directcall login (or "
    "%directcall sandbox to try things out).",
    "err_not_reached": "DirectCall could not be reached; nothing was sent. {detail}",
    "err_transport": "The connection to DirectCall failed. {detail}",
    "err_column": "{detail}",
    "err_cost": "{detail}",
    "err_other": "Error: {detail}",
    "code_201": "Insufficient balance: the account has no credits for this send and the "
    "refused messages were not delivered. Top up and send again: what was sent is not repeated.",
    "code_auth": "Authentication failed: DirectCall refused the credentials. Run "
    "%directcall login again.",
    "code_200": "Account not found at DirectCall.",
    "code_billing": "Billing problem with the account: {msg}",
    "code_other": "DirectCall refused the send (code {codigo}): {msg}",
}

LANGUAGES: dict[str, Strings] = {"pt": _PT, "en": _EN}


def strings(language: str) -> Strings:
    """The table of one language.

    Raises
    ------
    ValueError
        For a language other than ``"pt"`` and ``"en"``.
    """
    try:
        return LANGUAGES[language]
    except KeyError:
        raise ValueError(f"language must be 'pt' or 'en', not {language!r}") from None


_POSITION = re.compile(r"at character (\d+)")


def _template_error(exc: TemplateError, words: Strings) -> str:
    if isinstance(exc, UnknownPlaceholder):
        names = ", ".join("{" + name + "}" for name in exc.placeholders)
        return words["err_unknown_placeholder"].format(
            names=names, columns=", ".join(exc.columns) or "—"
        )
    text = str(exc)
    found = _POSITION.search(text)
    if found is not None:
        position = found.group(1)
        if "never closed" in text:
            return words["err_unclosed"].format(position=position)
        if "closes no placeholder" in text:
            return words["err_unopened"].format(position=position)
        if "is empty" in text:
            return words["err_empty_field"].format(position=position)
    return words["err_template"].format(detail=text)


def explain(exc: BaseException, language: str) -> str:
    """A sentence for a person about what went wrong and what to do, without a traceback.

    Parameters
    ----------
    exc : BaseException
        The error.
    language : {"pt", "en"}
        The language of the sentence; the detail taken from the error itself stays as written.
    """
    words = strings(language)
    if isinstance(exc, TemplateError):
        return _template_error(exc, words)
    if isinstance(exc, APIError):
        return explain_codigo(exc.codigo, exc.msg, language)
    simple: list[tuple[type[DirectCallError], str]] = [
        (MessageTooLong, "err_too_long"),
        (InvalidSender, "err_sender"),
        (InvalidSchedule, "err_schedule"),
        (ColumnNotFound, "err_column"),
        (CostLimitExceeded, "err_cost"),
        (MissingCredentials, "err_credentials"),
        (RequestNotSent, "err_not_reached"),
        (TransportError, "err_transport"),
    ]
    for kind, key in simple:
        if isinstance(exc, kind):
            return words[key].format(detail=str(exc))
    return words["err_other"].format(detail=str(exc) or type(exc).__name__)


def explain_codigo(codigo: str, msg: str, language: str) -> str:
    """DirectCall's answer ``codigo`` (with its ``msg``) in plain words."""
    words = strings(language)
    kind = type(api_error(codigo, msg, endpoint="/sms/send"))
    if issubclass(kind, InsufficientBalance):
        return words["code_201"]
    if issubclass(kind, AuthenticationError):
        return words["code_auth"]
    if issubclass(kind, AccountNotFound):
        return words["code_200"]
    if issubclass(kind, BillingError):
        return words["code_billing"].format(msg=msg)
    return words["code_other"].format(codigo=codigo, msg=msg)
