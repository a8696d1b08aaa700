"""File storage with Telegram-like identifiers.

Telegram gives every stored file two identifiers: a ``file_id`` that is specific to the bot
(and may differ between two sends of the same bytes) and a ``file_unique_id`` that is the same
for the same content, for every bot, forever. Bots use the latter to detect a photo that was
sent twice, so the emulator derives it from a hash of the bytes. ``file_id`` embeds the bot id,
so an id issued to another bot (or made up) is rejected like on Telegram.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import struct
from dataclasses import dataclass, field
from typing import Any

# The first bytes of real file_ids encode the file type; mimic them for realism.
_KIND_PREFIX = {
    "photo": "AgAC",
    "document": "BQAC",
    "audio": "CQAC",
    "video": "BAAC",
    "voice": "AwAC",
}
# Telegram's PhotoSize kinds: "s" fits 90px, "m" 320px, "x" 1280px here (largest last).
_PHOTO_SIZES = (("s", 90), ("m", 320), ("x", 1280))


@dataclass
class StoredFile:
    """One downloadable file (a photo size is its own file, like on Telegram)."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes = field(repr=False)
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None
    duration: int | None = None  # voice messages: seconds
    # For photo sizes: the file_ids of the whole PhotoSize list this size belongs to.
    photo_group: tuple[str, ...] = ()

    @property
    def file_size(self) -> int:
        return len(self.data)

    def as_file(self) -> dict[str, Any]:
        """The ``File`` object returned by getFile."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }

    def as_photo_size(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "width": self.width,
            "height": self.height,
        }

    def as_document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
        }
        if self.file_name:
            doc["file_name"] = self.file_name
        if self.mime_type:
            doc["mime_type"] = self.mime_type
        return doc

    def as_voice(self) -> dict[str, Any]:
        voice: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "duration": self.duration or 0,
            "file_size": self.file_size,
        }
        if self.mime_type:
            voice["mime_type"] = self.mime_type
        return voice


class FileStore:
    """All files known to the emulated bot."""

    def __init__(self, bot_id: int) -> None:
        self._bot_id = bot_id
        self._serial = 0
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}

    def _next_ids(self, kind: str, data: bytes, variant: str) -> tuple[str, str]:
        self._serial += 1
        digest = hashlib.sha256(kind.encode() + b":" + variant.encode() + b":" + data).digest()
        unique = "AQAD" + base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")
        payload = f"{self._bot_id}:{self._serial}:{digest[:6].hex()}".encode()
        file_id = _KIND_PREFIX.get(kind, "CAAC") + base64.urlsafe_b64encode(payload).decode()
        return file_id.rstrip("="), unique

    def _store(self, record: StoredFile) -> StoredFile:
        self._by_id[record.file_id] = record
        self._by_path[record.file_path] = record
        return record

    def add_photo(self, data: bytes) -> list[StoredFile]:
        """Store a photo as Telegram does: three sizes (s, m, x), the largest last.

        Every size keeps the original bytes (there is no image library here); widths and
        heights follow the real aspect ratio when the header can be read.
        """
        width, height = image_size(data) or (1280, 960)
        records = []
        for label, side in _PHOTO_SIZES:
            scale = min(1.0, side / max(width, height))
            w, h = max(1, round(width * scale)), max(1, round(height * scale))
            file_id, unique = self._next_ids("photo", data, label)
            path = f"photos/file_{self._serial}.jpg"
            records.append(
                StoredFile(
                    file_id, unique, "photo", data, path, mime_type="image/jpeg", width=w, height=h
                )
            )
        group = tuple(r.file_id for r in records)
        for r in records:
            r.photo_group = group
            self._store(r)
        return records

    def add_document(self, data: bytes, file_name: str | None, mime_type: str | None) -> StoredFile:
        if mime_type is None or mime_type == "application/octet-stream":
            guessed = mimetypes.guess_type(file_name or "")[0]
            mime_type = guessed or mime_type or "application/octet-stream"
        file_id, unique = self._next_ids("document", data, "")
        ext = ""
        if file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1][:10]
        path = f"documents/file_{self._serial}" + (f".{ext}" if ext else "")
        return self._store(
            StoredFile(
                file_id, unique, "document", data, path, file_name=file_name, mime_type=mime_type
            )
        )

    def add_voice(self, data: bytes, mime_type: str | None, duration: int | None) -> StoredFile:
        """A voice message; without ``duration`` it is read from an OGG or WAV header."""
        seconds = duration if duration is not None else audio_duration(data)
        if not mime_type or not mime_type.startswith("audio/"):
            mime_type = "audio/ogg"
        file_id, unique = self._next_ids("voice", data, "")
        path = f"voice/file_{self._serial}.oga"
        return self._store(
            StoredFile(
                file_id, unique, "voice", data, path, mime_type=mime_type, duration=seconds or 0
            )
        )

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)

    def photo_sizes(self, record: StoredFile) -> list[StoredFile]:
        """The whole PhotoSize list a photo file belongs to."""
        return [self._by_id[fid] for fid in record.photo_group] or [record]


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG, read from its header; ``None`` otherwise."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        w, h = struct.unpack(">II", data[16:24])
        return int(w), int(h)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        w, h = struct.unpack("<HH", data[6:10])
        return int(w), int(h)
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                i += 1
                continue
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                h, w = struct.unpack(">HH", data[i + 5 : i + 9])
                return int(w), int(h)
            i += 2 + length
    return None


def audio_duration(data: bytes) -> int | None:
    """Whole seconds (rounded) of an OGG Opus/Vorbis or a PCM WAV file, from its headers;
    ``None`` for anything else (a Telegram client measures the recording instead)."""
    if data[:4] == b"OggS":
        return _ogg_duration(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return _wav_duration(data)
    return None


def _ogg_duration(data: bytes) -> int | None:
    """The last page's granule position over the sample rate (Opus: 48 kHz less pre-skip)."""
    granule, i = -1, 0
    while i + 27 <= len(data) and data[i : i + 4] == b"OggS":
        granule = struct.unpack("<q", data[i + 6 : i + 14])[0]
        segments = data[i + 27 : i + 27 + data[i + 26]]
        i += 27 + len(segments) + sum(segments)
    opus = data.find(b"OpusHead")
    vorbis = data.find(b"\x01vorbis")
    if opus >= 0 and opus + 12 <= len(data):
        pre_skip = struct.unpack("<H", data[opus + 10 : opus + 12])[0]
        samples, rate = granule - pre_skip, 48_000
    elif vorbis >= 0 and vorbis + 16 <= len(data):
        samples, rate = granule, int(struct.unpack("<I", data[vorbis + 12 : vorbis + 16])[0])
    else:
        return None
    return round(samples / rate) if samples >= 0 and rate else None


def _wav_duration(data: bytes) -> int | None:
    """The ``data`` chunk's size over the ``fmt `` chunk's byte rate."""
    byte_rate = size = None
    i = 12
    while i + 8 <= len(data):
        kind, length = data[i : i + 4], int(struct.unpack("<I", data[i + 4 : i + 8])[0])
        if kind == b"fmt " and i + 20 <= len(data):
            byte_rate = int(struct.unpack("<I", data[i + 16 : i + 20])[0])
        elif kind == b"data":
            size = min(length, len(data) - i - 8)
            break
        i += 8 + length + (length & 1)
    if not byte_rate or size is None:
        return None
    return round(size / byte_rate)
