"""Why a mention was read: which reader proposed it and the rule or model span that fired.

With the second reader on, every organisation mention says who read it (``readers``:
rules, model or both), the rule that fired (``rule``: the method and, for a kind word,
the word itself — ``suffix:研究院``), the model's span when it read one there
(``model_span``, offsets into the document as written) and a one-line explanation in
Chinese for the review screen. ``extract --json`` prints these fields and the review
queue stores them with the candidate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .mentions import Mention
from .patterns import SUFFIX_PATTERN

#: what each rule method means, in Chinese, for the review screen
#: (``list``: 华联机械、天球电器X家单位; ``body``: 国务院, 市委; ``document``: a name read
#: elsewhere in the document, repeated here)
RULE_NAMES: dict[str, str] = {
    "gazetteer": "图谱已有名称", "suffix": "机构类别词", "list": "名单列举", "body": "政府机构名录",
    "team": "团队称谓", "leader": "带头人", "document": "同文重复", "model": "模型",
}


def rule_fired(mention: Mention) -> str | None:
    """The rule that read ``mention``: its method, and for a kind word the word
    (``suffix:研究院``); ``None`` for a name only the model read."""
    if "rules" not in mention.readers:
        return None
    if mention.method == "suffix":
        kinds = [m.group(0) for m in SUFFIX_PATTERN.finditer(mention.text)
                 if m.end() == len(mention.text)]
        if kinds:
            return f"suffix:{max(kinds, key=len)}"
    return mention.method


def _rule_words(rule: str | None) -> str:
    method, _, word = (rule or "").partition(":")
    name = RULE_NAMES.get(method, method)
    return f"{name}“{word}”" if word else name


#: the Chinese explanation by who read the mention and whether the model agreed
_SAYS: dict[str, Callable[[str, str], str]] = {
    "both": lambda rule, seen: f"规则（{rule}）与模型读出同一名称",
    "disagree": lambda rule, seen: f"规则（{rule}）读出；模型读作“{seen}”",
    "longer": lambda rule, seen: f"规则（{rule}）读出较短的名称，模型读出全名“{seen}”",
    "rules": lambda rule, seen: f"仅规则（{rule}）读出，模型未读出机构名",
    "model": lambda rule, seen: "仅模型读出（LAC 机构名）",
}


def explain(mention: Mention, written: Callable[[int, int], str],
            span: Callable[[int, int], tuple[int, int]]) -> dict[str, Any]:
    """The explanation fields of a mention (``written``/``span``: the original text and
    offsets of a normalised span)."""
    rule = rule_fired(mention)
    seen = written(*mention.model_span) if mention.model_span else ""
    if "rules" not in mention.readers:
        case = "model"
    elif "model" in mention.readers:
        case = "longer" if mention.rule_span else "both"
    else:
        case = "disagree" if mention.model_span else "rules"
    model_span = None
    if mention.model_span is not None:
        start, end = span(*mention.model_span)
        model_span = {"name": seen, "start": start, "end": end}
    rule_span = None
    if mention.rule_span is not None:
        start, end = span(*mention.rule_span)
        rule_span = {"name": written(*mention.rule_span), "start": start, "end": end}
    return {"readers": list(mention.readers), "rule": rule, "model_span": model_span,
            "rule_span": rule_span,
            "rule_confidence": mention.rule_confidence,
            "explanation": _SAYS[case](_rule_words(rule), seen)}
