"""The words of a voice message's own options: its recorded audio, and the calls per number."""

from __future__ import annotations

__all__ = ["VOICE"]

#: The texts of the audio and attempts options' errors, by key: (Portuguese, English).
VOICE: dict[str, tuple[str, str]] = {
    "err_audio_missing": (
        "O arquivo de áudio {value} não existe: informe o caminho do MP3 a tocar.",
        "The audio file {value} does not exist: give the path of the MP3 to play.",
    ),
    "err_audio_unreadable": (
        "O arquivo de áudio {value} não pôde ser lido: verifique o arquivo.",
        "The audio file {value} cannot be read: check the file.",
    ),
    "err_audio_empty": (
        "O áudio {value} está vazio: grave a mensagem de novo.",
        "The audio {value} is empty: record the message again.",
    ),
    "err_audio_too_big": (
        "O áudio {value} passa de 4 MB, o máximo que a DirectCall aceita: comprima-o ou encurte-o.",
        "The audio {value} is over 4 MB, the most DirectCall accepts: compress or shorten it.",
    ),
    "err_audio_type": (
        "O áudio deve ser o caminho de um arquivo MP3 ou o seu conteúdo.",
        "The audio must be the path of an MP3 file or its content.",
    ),
    "err_audio_voice_only": (
        "Um áudio só pode ser enviado numa ligação de voz: escolha o canal Voz.",
        "An audio can only be sent in a voice call: choose the voice channel.",
    ),
    "err_attempts_range": (
        "O número de tentativas {value} não é aceito: escreva um número inteiro de 1 a 5 "
        "(sem ele, a DirectCall liga 3 vezes).",
        "The number of attempts {value} is not accepted: write a whole number from 1 to 5 "
        "(without it, DirectCall calls 3 times).",
    ),
    "err_attempts_voice_only": (
        "O número de tentativas vale só para ligações de voz: escolha o canal Voz.",
        "The number of attempts applies to voice calls only: choose the voice channel.",
    ),
}
