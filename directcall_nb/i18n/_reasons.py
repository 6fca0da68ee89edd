"""Why a row cannot be sent to: the row's reasons, a phone number's faults, line types."""

from __future__ import annotations

__all__ = ["REASONS"]

#: The texts of reasons, by key: (Portuguese, English).
REASONS: dict[str, tuple[str, str]] = {
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
        "a mensagem teria {chars} caracteres; o DirectCall aceita até {max_characters}: encurte o "
        "texto ou os valores",
        "the message would have {chars} characters; DirectCall accepts at most {max_characters}: "
        "shorten the text or the column values",
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
}
