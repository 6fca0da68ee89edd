"""Reading a request's fields: the query string, a form body, a multipart body and its files.

DirectCall reads form fields the way PHP does, which nobody documents in detail. The sandbox
reads them strictly, so that a client's mistake shows up as a ``001`` answer naming the field
instead of being quietly repaired:

- every name and text value must be UTF-8 (invalid bytes are not replaced);
- a text value may not contain the NUL character;
- a name may appear only once in the query string and once in the body (the body's value
  wins over the query string's; a name twice in the same place is refused) **[assumed]**.

A field that breaks one of these rules is left out of the fields and described in
:attr:`Form.problems`, so that the answer can still be given in the format the request asked
for. A body that cannot be read at all (a broken multipart message) raises :class:`FormError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from python_multipart.multipart import MultipartParser, parse_options_header

from directcall_nb.sandbox._wire import shown

__all__ = ["Form", "FormError", "Upload", "parse_multipart", "parse_urlencoded", "read_fields"]


@dataclass(frozen=True)
class Upload:
    """A file sent as multipart/form-data: its name and its bytes."""

    filename: str
    data: bytes

    def __repr__(self) -> str:
        return f"Upload(filename={self.filename!r}, size={len(self.data)})"


class FormError(ValueError):
    """A body that cannot be read as a form at all; the message says why, in Portuguese."""


@dataclass
class Form:
    """The readable fields and files of a request, and what was wrong with the others."""

    fields: dict[str, str] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def problem(self) -> str | None:
        """The first problem, as the ``msg`` of a ``001`` answer; ``None`` if there is none."""
        return self.problems[0] if self.problems else None


def _unquote(raw: bytes) -> bytes:
    return unquote_to_bytes(raw.replace(b"+", b" "))


def parse_urlencoded(data: bytes) -> list[tuple[bytes, bytes]]:
    """Return the ``name=value`` pairs of a query string or form body, percent-decoded.

    Names and values stay bytes.

    ``+`` is a space; a pair without ``=`` has an empty value; empty pairs are skipped.
    """
    pairs: list[tuple[bytes, bytes]] = []
    for piece in data.split(b"&"):
        if not piece:
            continue
        name, _, value = piece.partition(b"=")
        pairs.append((_unquote(name), _unquote(value)))
    return pairs


class _MultipartReader:
    """Collects the parts of a multipart body from python-multipart's callbacks."""

    def __init__(self, max_text_part: int) -> None:
        self.max_text_part = max_text_part
        self.parts: list[tuple[dict[bytes, bytes], bytes]] = []
        self.ended = False
        self.error: str | None = None
        self._headers: dict[bytes, bytes] = {}
        self._name = b""
        self._value = b""
        self._data = bytearray()

    def on_part_begin(self) -> None:
        self._headers = {}
        self._data = bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._name.strip().lower()] = self._value.strip()
        self._name, self._value = b"", b""

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._data += data[start:end]

    def on_part_end(self) -> None:
        self.parts.append((self._headers, bytes(self._data)))

    def on_end(self) -> None:
        self.ended = True

    def callbacks(self) -> dict[str, object]:
        names = (
            "on_part_begin",
            "on_header_field",
            "on_header_value",
            "on_header_end",
            "on_part_data",
            "on_part_end",
            "on_end",
        )
        return {name: getattr(self, name) for name in names}


def parse_multipart(
    content_type: str, body: bytes, *, max_text_part: int
) -> tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes, bytes]]]:
    """Return the text parts ``(name, value)`` and file parts ``(name, filename, data)``.

    Raises
    ------
    FormError
        When the body is not a complete multipart message, a part has no name, or a text part
        is larger than ``max_text_part`` bytes.
    """
    _, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if not boundary:
        raise FormError("o Content-Type multipart/form-data não informa o boundary")
    reader = _MultipartReader(max_text_part)
    try:
        parser = MultipartParser(boundary, reader.callbacks())  # type: ignore[arg-type]
        parser.write(body)
        parser.finalize()
    except Exception as exc:  # python-multipart's errors, whatever their class
        raise FormError(f"o corpo multipart/form-data é inválido ({type(exc).__name__})") from None
    if not reader.ended:
        raise FormError("o corpo multipart/form-data termina antes do boundary final")
    texts: list[tuple[bytes, bytes]] = []
    files: list[tuple[bytes, bytes, bytes]] = []
    for headers, data in reader.parts:
        disposition, params = parse_options_header(headers.get(b"content-disposition", b""))
        name = params.get(b"name")
        if disposition != b"form-data" or name is None:
            raise FormError("uma parte do corpo multipart/form-data não tem Content-Disposition")
        # python-multipart reads header values as latin-1: these are the bytes that were sent.
        if b"filename" in params:
            files.append((name, params[b"filename"], data))
        elif len(data) > max_text_part:
            megabytes = max_text_part / (1024 * 1024)
            raise FormError(f"o campo {shown(_text(name))} passa de {megabytes:g} MB")
        else:
            texts.append((name, data))
    return texts, files


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _decode(problems: list[str], raw_name: bytes, raw: bytes | None) -> tuple[str, str] | None:
    """Decode a field's name and value, or return ``None`` after noting why they cannot be."""
    try:
        name = raw_name.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"O nome de campo {shown(_text(raw_name))} não está em UTF-8 válido")
        return None
    if raw is None:
        return name, ""
    try:
        value = raw.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(f"O campo {shown(name)} não está em UTF-8 válido")
        return None
    if "\x00" in value:
        problems.append(f"O campo {shown(name)} contém o caractere NUL")
        return None
    return name, value


def read_fields(
    query: Sequence[tuple[bytes, bytes]],
    body: Sequence[tuple[bytes, bytes]],
    files: Sequence[tuple[bytes, bytes, bytes]] = (),
) -> Form:
    """Decode and check the raw pairs of the query string, the body and its files."""
    form = Form()
    repeated: set[str] = set()
    from_query: dict[str, str] = {}
    for place, pairs in (("query", query), ("body", body)):
        seen: set[str] = set()
        for raw_name, raw_value in pairs:
            decoded = _decode(form.problems, raw_name, raw_value)
            if decoded is None:
                continue
            name, value = decoded
            if name in seen:
                repeated.add(name)
                continue
            seen.add(name)
            (from_query if place == "query" else form.fields)[name] = value
    seen_files: set[str] = set()
    for raw_name, raw_filename, data in files:
        decoded = _decode(form.problems, raw_name, None)
        if decoded is None:
            continue
        name = decoded[0]
        if name in seen_files or name in form.fields:
            repeated.add(name)
            continue
        seen_files.add(name)
        form.files[name] = Upload(_text(raw_filename), data)
    for name in sorted(repeated):
        form.problems.append(f"O campo {shown(name)} foi enviado mais de uma vez")
        form.fields.pop(name, None)
        form.files.pop(name, None)
    form.fields = {**{k: v for k, v in from_query.items() if k not in repeated}, **form.fields}
    return form
