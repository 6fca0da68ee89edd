"""Every error put in words, and what to do about it: ours, and DirectCall's return codes."""

from __future__ import annotations

__all__ = ["ERRORS"]

#: The texts of errors, by key: (Portuguese, English).
ERRORS: dict[str, tuple[str, str]] = {
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
        "{max_characters}.",
        "The message has {characters} characters before any column is filled in; DirectCall "
        "accepts at most {max_characters}.",
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
    "err_window_time": (
        "O horário {value} da janela de envio não é uma hora do dia: use HH:MM, por exemplo 08:00.",
        "The delivery window's time {value} is not a time of day: use HH:MM, e.g. 08:00.",
    ),
    "err_window_order": (
        "A janela de envio precisa terminar depois de começar, no mesmo dia (por exemplo, das "
        "08:00 às 20:00).",
        "The delivery window must end after it starts, on the same day (e.g. 08:00 to 20:00).",
    ),
    "err_window_shape": (
        "A janela de envio {value} não foi entendida: informe o início e o fim, por exemplo das "
        "08:00 às 20:00.",
        "The delivery window {value} cannot be read: give its start and end, e.g. 08:00 to 20:00.",
    ),
    "err_window_no_whole_hour": (
        "A janela de envio não contém nenhuma hora cheia, e a janela de ligações do DirectCall é "
        "em horas cheias: amplie-a para pelo menos uma hora cheia (por exemplo, das 08:00 às "
        "20:00).",
        "The delivery window holds no whole hour, and DirectCall's window for calls is in whole "
        "hours: widen it to at least one whole hour (e.g. 08:00 to 20:00).",
    ),
    "err_weekdays": (
        "Os dias da semana {value} não foram entendidos: escreva, por exemplo, seg-sab, seg-sex "
        "ou seg, qua, sex.",
        "The weekdays {value} cannot be read: write e.g. mon-sat, mon-fri or mon, wed, fri.",
    ),
    "err_weekdays_without_window": (
        "Os dias da semana dizem quando a janela de envio está aberta, mas a janela foi "
        "desligada: informe a janela, ou deixe os dias de fora.",
        "The weekdays say when the delivery window is open, but the window is off: give the "
        "window, or leave the weekdays out.",
    ),
    "err_next_window_needs_window": (
        "Para agendar na próxima abertura da janela de envio, informe a janela (por exemplo, das "
        "08:00 às 20:00).",
        "To schedule at the delivery window's next opening, give the window (e.g. 08:00 to 20:00).",
    ),
    "err_outside_window_closed": (
        "Fora da janela de envio ({window}, horário de Brasília): agora são {moment}, e nada foi "
        "enviado. A janela abre em {opening}: envie a partir daí, ou agende o envio para esse "
        "horário.",
        "Outside the delivery window ({window}, Brasília time): it is {moment}, and nothing was "
        "sent. The window opens at {opening}: send from then on, or pass "
        "schedule='next_window' to schedule it there.",
    ),
    "err_outside_window_schedule": (
        "O agendamento {moment} fica fora da janela de envio ({window}, horário de Brasília): "
        "escolha um horário dentro dela, por exemplo {opening}.",
        "The schedule {moment} falls outside the delivery window ({window}, Brasília time): "
        "choose a time inside it, e.g. {opening}.",
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
    "err_lazy_frame": (
        "A lista é uma consulta do Polars (LazyFrame) que ainda não foi executada: execute-a "
        "com collect antes.",
        "The list is a Polars query (LazyFrame) not run yet: call .collect() first.",
    ),
    "err_partitioned_frame": (
        "A lista é um DataFrame do Dask, que não está na memória: valide, estime e envie pelo "
        "ddf.directcall, que trabalha partição por partição; o formulário precisa de uma lista "
        "na memória (uma amostra, ou a lista calculada com compute).",
        "The list is a Dask DataFrame, not held in memory: validate, estimate and send through "
        "ddf.directcall, which works partition by partition; the form needs a list in memory "
        "(a sample, or the list computed with compute).",
    ),
    "err_unreadable_column": (
        "A coluna {column} ({dtype}) não pode ser lida: converta-a para texto ou número, ou "
        "remova-a da lista.",
        "The column {column} ({dtype}) cannot be read: cast it to text or numbers, or drop it "
        "from the list.",
    ),
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
