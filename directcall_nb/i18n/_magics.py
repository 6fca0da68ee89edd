"""The words of the ``%directcall`` magic: its usage, the sandbox, the login and the status."""

from __future__ import annotations

__all__ = ["MAGICS"]

#: The texts of the magic, by key: (Portuguese, English).
MAGICS: dict[str, tuple[str, str]] = {
    "magic_usage": (
        "%directcall sandbox [--balance N]   inicia um sandbox local da DirectCall e envia por"
        " ele\n"
        "%directcall sandbox --stop          para o sandbox\n"
        "%directcall login [--base-url URL] [--client-id ID]\n"
        "                                    usa uma conta real; a senha é pedida, nunca mostrada\n"
        "%directcall status                  a conta e o servidor em uso, e a validade do token\n"
        "%directcall messages                o que o sandbox recebeu\n"
        "%directcall replies [--limit N]     busca as respostas (pedidos de saída atendidos) e\n"
        "                                    mostra as últimas\n"
        "%directcall history [--last N] [--journal PATH]\n"
        "                                    as últimas campanhas do diário, em tabela e gráfico\n"
        "%directcall help                    este texto",
        "%directcall sandbox [--balance N]   start a local DirectCall sandbox and send through it\n"
        "%directcall sandbox --stop          stop it\n"
        "%directcall login [--base-url URL] [--client-id ID]\n"
        "                                    use a real account; the secret is asked, never shown\n"
        "%directcall status                  which account and server are in use, and the token's"
        " life\n"
        "%directcall messages                what the sandbox received\n"
        "%directcall replies [--limit N]     fetch the replies (opt-outs honoured), show the"
        " latest\n"
        "%directcall history [--last N] [--journal PATH]\n"
        "                                    the last campaigns of the journal, as a table and a"
        " chart\n"
        "%directcall help                    this text",
    ),
    "magic_unreadable": (
        "%directcall: não entendi o comando ({problem}).\n\n{usage}",
        "%directcall: {problem}\n\n{usage}",
    ),
    "magic_failed": ("%directcall {command}: {problem}", "%directcall {command}: {problem}"),
    "magic_limit_too_small": (
        "--limit precisa ser um número inteiro a partir de 1",
        "--limit must be a whole number of at least 1",
    ),
    "magic_last_too_small": (
        "--last precisa ser 1 ou mais, não {last}",
        "--last must be 1 or more, not {last}",
    ),
    "sandbox_reused": (
        "O sandbox da DirectCall já está rodando em {url} (saldo de {balance} créditos); é a "
        "conta em uso.",
        "The DirectCall sandbox is already running at {url} (balance {balance} credits); it is "
        "the account in use.",
    ),
    "sandbox_started": (
        "Sandbox da DirectCall rodando em {url} (uma imitação local: nada sai desta máquina).\n"
        "Conta {client_id}, saldo de {balance} créditos. Agora é a conta em uso.",
        "DirectCall sandbox running at {url} (a local imitation: nothing leaves this machine).\n"
        "Account {client_id}, balance {balance} credits. It is now the account in use.",
    ),
    "sandbox_not_running": ("Nenhum sandbox está rodando.", "No sandbox is running."),
    "sandbox_stopped": ("O sandbox em {url} foi parado.", "The sandbox at {url} was stopped."),
    "sandbox_needed": (
        "Nenhum sandbox está rodando: inicie um com %directcall sandbox.",
        "No sandbox is running: start one with %directcall sandbox.",
    ),
    "login_client_id": ("Client id (identificação da conta): ", "Client id: "),
    "login_secret": ("Client secret (senha) de {client_id}: ", "Client secret for {client_id}: "),
    "login_no_secret": (
        "Nenhuma senha foi informada: nada mudou.",
        "No secret was given: nothing changed.",
    ),
    "login_in_use": (
        "Usando a conta {client_id} em {base_url}. A senha fica só na memória deste kernel; as "
        "credenciais são conferidas no primeiro pedido.",
        "Using account {client_id} at {base_url}. The secret is kept in this kernel's memory "
        "only; the credentials are checked on the first request.",
    ),
    "status_no_account": (
        "Nenhuma conta em uso. Rode %directcall sandbox para experimentar, ou %directcall login "
        "(ou defina DIRECTCALL_CLIENT_ID e DIRECTCALL_CLIENT_SECRET).",
        "No account in use. Run %directcall sandbox to try things out, or %directcall login "
        "(or set DIRECTCALL_CLIENT_ID and DIRECTCALL_CLIENT_SECRET).",
    ),
    "status_account": ("Conta:    {client_id}", "Account: {client_id}"),
    "status_server": ("Servidor: {base_url} — {kind}", "Server:  {base_url} — {kind}"),
    "status_token": ("Token:    {life}", "Token:   {life}"),
    "status_sandbox": ("sandbox (imitação local)", "sandbox (local imitation)"),
    "status_real_server": ("servidor", "server"),
    "token_none": (
        "nenhum token de acesso ainda (um é obtido no primeiro pedido)",
        "no access token yet (one is fetched on the first request)",
    ),
    "token_expired": (
        "o token de acesso expirou (um novo é obtido no próximo pedido)",
        "the access token has expired (a new one is fetched on the next request)",
    ),
    "token_left": (
        "token de acesso válido por mais {minutes} min {seconds} s",
        "access token valid for {minutes} min {seconds} s more",
    ),
}
