"""The compose form's words: its inputs, its figures, its preview and its sending steps."""

from __future__ import annotations

__all__ = ["FORM"]

#: The form's texts, by key: (Portuguese, English).
FORM: dict[str, tuple[str, str]] = {
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
        "DirectCall: {sms_characters} caracteres por SMS",
        "DirectCall: {sms_characters} characters per SMS",
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
}
