"""Read .txt, .md and .docx reports into text whose offsets evidence can cite.

The *original* text of a document is what its offsets refer to: a text file as read
with its encoding (UTF-8, UTF-8 with BOM, GB18030), a .docx's paragraphs joined by
newlines (python-docx). Markdown is read as text; its markup characters are simply
not names, so extraction passes over them.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from schema import UnreadableFile

from .text import MappedText, normalise_text

DOCUMENT_SUFFIXES = frozenset({".txt", ".md", ".docx"})
_DOC_ID = re.compile(r"[^\w\-.]+")


@dataclass(frozen=True)
class SourceDocument:
    """A document as written (``original``) and normalised for extraction (``mapped``)."""

    doc_id: str
    path: str
    original: str
    mapped: MappedText

    @property
    def text(self) -> str:
        return self.mapped.text

    @property
    def content_hash(self) -> str:
        """Hash of the original text: a corrected document has a new one."""
        return hashlib.blake2b(self.original.encode(), digest_size=12).hexdigest()


def document_id(path: Path) -> str:
    """Id of a document: its file name without the suffix, as the curated data cites it.

    >>> document_id(Path("/x/wenzhou-st-work-reports-2021-2022.txt"))
    'wenzhou-st-work-reports-2021-2022'
    """
    return _DOC_ID.sub("_", path.stem).strip("_") or "document"


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(str(path), "binary content (NUL bytes), not a text document")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(str(path), "not UTF-8 or GB18030 text")


def _docx_text(path: Path) -> str:
    import docx  # python-docx; imported here, only documents need it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise UnreadableFile(str(path), f"not a readable .docx ({e})") from e
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:  # cells hold names too (lists of partners, projects)
        for row in table.rows:
            paragraphs.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(paragraphs)


def read_original(path: Path) -> str:
    """The original text of a document, or :class:`schema.UnreadableFile` saying why not."""
    suffix = path.suffix.lower()
    if suffix not in DOCUMENT_SUFFIXES:
        raise UnreadableFile(str(path), f"not a document ({', '.join(sorted(DOCUMENT_SUFFIXES))})")
    if not path.is_file():
        raise UnreadableFile(str(path), "no such file")
    text = _docx_text(path) if suffix == ".docx" else _decode(path, path.read_bytes())
    if not text.strip():
        raise UnreadableFile(str(path), "empty document")
    return text


def read_document(path: Path, name_slips: Mapping[str, str] | None = None,
                  doc_id: str | None = None) -> SourceDocument:
    """Read and normalise one document (``name_slips``: see :func:`normalise_text`)."""
    original = read_original(path)
    return SourceDocument(doc_id or document_id(path), str(path), original,
                          normalise_text(original, name_slips))


def document_from_text(doc_id: str, text: str,
                       name_slips: Mapping[str, str] | None = None) -> SourceDocument:
    """A document held in memory (tests, the API).

    >>> document_from_text("d", "溫州").text
    '温州'
    """
    return SourceDocument(doc_id, doc_id, text, normalise_text(text, name_slips))
