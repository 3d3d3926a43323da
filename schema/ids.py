"""Entity and relation ids.

An enterprise with a valid 统一社会信用代码 (unified social credit code) is
identified by it; every other entity by ``<type>:<normalised name>``, which is
stable across loads and readable in URLs and Cypher.
"""

from __future__ import annotations

import hashlib
import re

from .errors import InvalidCreditCode
from .names import normalise_name
from .types import EntityType, RelationType

# GB 32100-2015: 18 characters from this alphabet (no I, O, Z, S, V).
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {c: i for i, c in enumerate(_ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def credit_code_check_char(first17: str) -> str:
    """Check character for the first 17 characters of a credit code.

    >>> credit_code_check_char("91350100M000100Y4")
    '3'
    """
    total = sum(_VALUE[c] * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(raw: str) -> str:
    """Return the normalised credit code, or raise :class:`InvalidCreditCode`.

    >>> validate_credit_code(" 91350100m000100y43 ")
    '91350100M000100Y43'
    """
    code = raw.strip().upper()
    if len(code) != 18:
        raise InvalidCreditCode(raw, f"must have 18 characters, has {len(code)}")
    if not _SHAPE.match(code):
        raise InvalidCreditCode(raw, "has characters outside GB 32100-2015's alphabet "
                                     "(digits and capitals except I, O, S, V, Z)")
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        raise InvalidCreditCode(raw, f"check digit is {code[17]}, GB 32100-2015 gives {expected}")
    return code


def entity_id(entity_type: EntityType, name: str, credit_code: str | None = None) -> str:
    """Stable id of an entity.

    >>> entity_id(EntityType.institute, "浙江大学温州研究院")
    'institute:浙江大学温州研究院'
    >>> entity_id(EntityType.enterprise, "x", "91350100M000100Y43")
    '91350100M000100Y43'
    """
    if credit_code and entity_type is EntityType.enterprise:
        return validate_credit_code(credit_code)
    return f"{entity_type.value}:{normalise_name(name)}"


def relation_id(source: str, relation: RelationType, target: str) -> str:
    """Stable id of the one relation of a type between two entities.

    >>> relation_id("a", RelationType.partnership, "b")[:4]
    'rel:'
    """
    digest = hashlib.blake2b(f"{source}\x1f{relation.value}\x1f{target}".encode(),
                             digest_size=10).hexdigest()
    return f"rel:{digest}"
