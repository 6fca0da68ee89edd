"""The IPython extension in a real (headless) IPython shell: loading, the sandbox, login, status."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

import directcall_nb
from directcall_nb import magics
from directcall_nb.sandbox import Sandbox
from directcall_nb.sending import default_client, use_client


@pytest.fixture
def shell() -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "directcall_nb")
    yield ip
    ip.run_line_magic("directcall", "sandbox --stop")
    use_client(None)


def test_loading_twice_registers_once(shell: InteractiveShell) -> None:
    shell.run_line_magic("reload_ext", "directcall_nb")
    magics.load_ipython_extension(shell)
    magics.load_ipython_extension(shell)
    registered = [name for name in shell.magics_manager.registry if name == "DirectCallMagics"]
    assert registered == ["DirectCallMagics"]
    assert "directcall" in shell.magics_manager.magics["line"]
    result = shell.run_cell("import pandas as pd; pd.DataFrame({'a': [1]}).directcall")  # type: ignore[no-untyped-call]
    assert result.success


def test_help_and_bad_arguments_print_usage(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.run_line_magic("directcall", "")
    assert "%directcall sandbox" in capsys.readouterr().out
    shell.run_line_magic("directcall", "help")
    assert "%directcall login" in capsys.readouterr().out
    shell.run_line_magic("directcall", "fly")
    out = capsys.readouterr().out
    assert "invalid choice" in out
    assert "%directcall status" in out
    shell.run_line_magic("directcall", "sandbox --balance many")
    assert "--balance" in capsys.readouterr().out


def test_sandbox_becomes_the_account_in_use(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    shell.run_line_magic("directcall", "sandbox --balance 50")
    out = capsys.readouterr().out
    sandbox = magics.running_sandbox()
    assert sandbox is not None
    assert sandbox.url in out
    assert "sandbox" in out
    assert sandbox.balance == 50
    client = default_client()
    assert client.base_url == sandbox.url

    client.send(["5511912345678"], "Olá!", sender="551130600300")
    assert list(sandbox.messages()["text"]) == ["Olá!"]

    shell.run_line_magic("directcall", "sandbox")
    out = capsys.readouterr().out
    assert "already running" in out
    assert magics.running_sandbox() is sandbox

    shown = shell.run_line_magic("directcall", "messages")
    assert isinstance(shown, pd.DataFrame)
    assert list(shown["phone"]) == ["55 11 9****-5678"]
    assert list(sandbox.messages()["phone"]) == ["5511912345678"]  # the data stays whole

    shell.run_line_magic("directcall", "status")
    out = capsys.readouterr().out
    token = client._tokens._token
    assert token is not None
    assert sandbox.url in out
    assert "sandbox" in out
    assert sandbox.client_id in out
    assert "valid for" in out
    assert token.value.reveal() not in out
    assert sandbox.client_secret not in out


def test_login_asks_the_secret_and_never_shows_it(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox(client_id="analista@empresa.com.br") as sb:
        prompts: list[str] = []

        def typed(prompt: str = "") -> str:
            prompts.append(prompt)
            return sb.client_secret

        monkeypatch.setattr("getpass.getpass", typed)
        shell.run_line_magic(
            "directcall", f"login --base-url {sb.url} --client-id analista@empresa.com.br"
        )
        out = capsys.readouterr().out
        assert prompts
        assert "analista@empresa.com.br" in prompts[0]
        assert sb.client_secret not in out
        assert "analista@empresa.com.br" in out

        client = default_client()
        client.send(["5511912345678"], "Teste", sender="551130600300")
        assert len(sb.messages()) == 1

        shell.run_line_magic("directcall", "status")
        out = capsys.readouterr().out
        token = client._tokens._token
        assert token is not None
        assert sb.url in out
        assert "analista@empresa.com.br" in out
        assert sb.client_secret not in out
        assert token.value.reveal() not in out

        namespace = repr({k: v for k, v in shell.user_ns.items() if not k.startswith("_")})
        assert shell.history_manager is not None
        history = repr(shell.history_manager.input_hist_raw)
        assert sb.client_secret not in namespace
        assert sb.client_secret not in history


def test_wrong_secret_is_reported_on_first_use_without_echo(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox() as sb:
        monkeypatch.setattr("getpass.getpass", lambda prompt="": "not-the-secret")
        shell.run_line_magic("directcall", f"login --base-url {sb.url} --client-id {sb.client_id}")
        assert "not-the-secret" not in capsys.readouterr().out
        from directcall_nb.errors import AuthenticationError

        with pytest.raises(AuthenticationError) as caught:
            default_client().send(["5511912345678"], "Teste", sender="551130600300")
        assert "not-the-secret" not in str(caught.value)


def test_status_without_an_account_says_what_to_do(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_client(None)
    monkeypatch.delenv("DIRECTCALL_CLIENT_ID", raising=False)
    monkeypatch.delenv("DIRECTCALL_CLIENT_SECRET", raising=False)
    shell.run_line_magic("directcall", "status")
    assert "%directcall sandbox" in capsys.readouterr().out
    shell.run_line_magic("directcall", "messages")
    assert "No sandbox is running" in capsys.readouterr().out


def test_rich_display_of_a_send_response(shell: InteractiveShell) -> None:
    with Sandbox() as sb:
        answer = sb.client().send(["5511912345678", "5521987654321"], "Olá!", sender="551130600300")
    assert shell.display_formatter is not None
    data, _ = shell.display_formatter.format(answer)  # type: ignore[no-untyped-call]
    assert "SendResponse(" in data["text/plain"]
    assert "recipients=2" in data["text/plain"]
    page = data["text/html"]
    assert str(answer.callerid) in page
    assert "5511912345678" not in page
    assert "55 11 9****-5678" in page


def test_replies_syncs_and_shows_the_latest_masked(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str]
) -> None:
    directcall_nb.options.language = "pt"  # type: ignore[attr-defined]
    try:
        shell.run_line_magic("directcall", "sandbox")
        sandbox = magics.running_sandbox()
        assert sandbox is not None
        pd.DataFrame({"celular": ["11 91234-5678", "21 98765-4321"]}).directcall.send(
            "Sua fatura vence amanhã", phone="celular", sender="551130600300", progress=False
        )
        sandbox.reply("5511912345678", "SAIR")
        sandbox.reply("5521987654321", "Já paguei, ligue no 11 99999-8888")
        capsys.readouterr()
        shown = shell.run_line_magic("directcall", "replies")
        out = capsys.readouterr().out
        again = shell.run_line_magic("directcall", "replies --limit 1")
        out_again = capsys.readouterr().out
    finally:
        directcall_nb.options.language = None  # type: ignore[attr-defined]

    assert "2 respostas novas" in out
    assert "1 pediu para sair" in out
    assert isinstance(shown, pd.DataFrame)
    assert list(shown.columns) == [
        "telefone", "respondeu a", "resposta", "recebida em", "campanha", "pediu para sair"
    ]  # fmt: skip
    assert shown["telefone"].tolist() == ["55 21 9****-4321", "55 11 9****-5678"]
    assert shown["respondeu a"].tolist() == ["55 11 ****-0300"] * 2
    assert shown["pediu para sair"].tolist() == ["não", "sim"]
    assert "99999-8888" not in shown.to_string()
    assert "True" not in shown.to_string()
    assert "0 respostas novas" in out_again
    assert "A última resposta" in out_again
    assert isinstance(again, pd.DataFrame)
    assert again["resposta"].tolist() == ["Já paguei, ligue no 11 9****-8888"]


def test_replies_without_an_account_says_what_to_do(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_client(None)
    monkeypatch.delenv("DIRECTCALL_CLIENT_ID", raising=False)
    monkeypatch.delenv("DIRECTCALL_CLIENT_SECRET", raising=False)
    directcall_nb.options.language = "pt"  # type: ignore[attr-defined]
    try:
        shown = shell.run_line_magic("directcall", "replies")
    finally:
        directcall_nb.options.language = None  # type: ignore[attr-defined]
    out = capsys.readouterr().out
    assert shown is None
    assert "Nenhuma conta DirectCall configurada" in out
    assert "%directcall sandbox" in out
    shell.run_line_magic("directcall", "replies --limit 0")
    assert "--limit" in capsys.readouterr().out


def test_history_shows_the_last_campaigns_as_a_table_and_an_image(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "journal.sqlite3"
    shell.run_line_magic("directcall", f"history --journal {path}")
    out = capsys.readouterr().out
    assert "Nenhuma campanha" in out or "No campaign" in out
    with Sandbox() as sb:
        frame = pd.DataFrame({"celular": ["11912340001", "11912340002"], "nome": ["Ana", "Bia"]})
        for text in ("Oi {nome}", "Tchau {nome}", "Até {nome}"):
            frame.directcall.send(
                text, phone="celular", sender="551130600300", client=sb.client(), journal=path
            )
    shown = shell.run_line_magic("directcall", f"history --last 2 --journal {path}")
    formatter = shell.display_formatter
    assert formatter is not None
    bundle, _ = formatter.format(shown)  # type: ignore[no-untyped-call]
    html = bundle["text/html"]
    assert html.count("<tr>") == 3  # the heading and the last two campaigns
    assert ">3</td>" in html
    assert ">2</td>" in html
    assert ">1</td>" not in html
    assert "data:image/png;base64," in html
    image = bundle["image/png"]
    assert (image if isinstance(image, bytes) else base64.b64decode(image)).startswith(b"\x89PNG")
    assert "11912340001" not in html
    assert "551130600300" not in html
    shell.run_line_magic("directcall", "history --last 0")
    assert "--last" in capsys.readouterr().out


def test_in_portuguese_the_magic_speaks_portuguese(
    shell: InteractiveShell, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    directcall_nb.options.language = "pt"  # type: ignore[attr-defined]
    try:
        shell.run_line_magic("directcall", "help")
        assert "inicia um sandbox local" in capsys.readouterr().out
        shell.run_line_magic("directcall", "voar")
        out = capsys.readouterr().out
        assert "não entendi o comando" in out
        assert "a conta e o servidor em uso" in out
        shell.run_line_magic("directcall", "messages")
        assert "Nenhum sandbox está rodando" in capsys.readouterr().out
        shell.run_line_magic("directcall", "sandbox --balance 30")
        out = capsys.readouterr().out
        sandbox = magics.running_sandbox()
        assert sandbox is not None
        assert f"Sandbox da DirectCall rodando em {sandbox.url}" in out
        assert "saldo de 30 créditos" in out
        shell.run_line_magic("directcall", "status")
        out = capsys.readouterr().out
        assert "sandbox (imitação local)" in out
        assert "nenhum token de acesso ainda" in out
        shell.run_line_magic("directcall", "replies --limit 0")
        assert "--limit precisa ser um número inteiro" in capsys.readouterr().out
        shell.run_line_magic("directcall", "sandbox --stop")
        assert f"O sandbox em {sandbox.url} foi parado." in capsys.readouterr().out
        use_client(None)
        monkeypatch.delenv("DIRECTCALL_CLIENT_ID", raising=False)
        monkeypatch.delenv("DIRECTCALL_CLIENT_SECRET", raising=False)
        shell.run_line_magic("directcall", "replies")
        out = capsys.readouterr().out
        assert "Nenhuma conta DirectCall configurada" in out
        for english in ("sandbox running", "No sandbox", "account in use", "must be"):
            assert english not in out
    finally:
        directcall_nb.options.language = None  # type: ignore[attr-defined]
