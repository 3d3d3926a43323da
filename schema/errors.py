"""One error tree for the whole project.

Every error innograph raises on purpose derives from :class:`InnographError`.
Subclasses build their message from data, so callers pass facts, not prose.
Errors are converted only at the edges (HTTP status in ``api``, exit code in
the CLI).
"""

from __future__ import annotations


class InnographError(Exception):
    """Root of every deliberate innograph error."""

    exit_code = 2


class InvalidInput(InnographError, ValueError):
    """A value given by a user or a file is not acceptable."""

    def __init__(self, what: str, reason: str) -> None:
        self.what = what
        self.reason = reason
        super().__init__(f"{what}: {reason}")


class InvalidCreditCode(InvalidInput):
    """A 统一社会信用代码 fails the GB 32100-2015 format or check digit."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        super().__init__(f"credit code {code!r}", reason)


class UnreadableFile(InnographError):
    """A file cannot be read as any supported table or document."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class AlreadyDecided(InnographError):
    """A review candidate was decided (accepted, rejected) before this decision came."""

    def __init__(self, candidate_id: str, status: str) -> None:
        self.candidate_id = candidate_id
        self.status = status
        super().__init__(f"candidate {candidate_id}: is {status}; only pending candidates "
                         "can be decided")


class EntityNotFound(InnographError):
    """No entity has this id, name or alias."""

    exit_code = 1

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(f"no entity matches {ref!r}")


class AmbiguousName(InnographError):
    """A name or alias matches several entities."""

    exit_code = 1

    def __init__(self, name: str, ids: list[str]) -> None:
        self.name = name
        self.ids = ids
        shown = ", ".join(ids[:5]) + (" …" if len(ids) > 5 else "")
        super().__init__(f"{name!r} is ambiguous: it names {len(ids)} entities ({shown})")


class StoreError(InnographError):
    """The graph store cannot do what was asked."""

    exit_code = 3


class StoreInUse(StoreError):
    """Another process holds the store's write lock."""

    def __init__(self, location: str, pid: int | None) -> None:
        self.location = location
        self.pid = pid
        who = f"process {pid}" if pid else "another process"
        super().__init__(
            f"store {location} is in use by {who}; stop it (an `innograph serve`?) "
            "or open the store read-only"
        )


class StoreUnavailable(StoreError):
    """The store cannot be opened or reached."""

    def __init__(self, location: str, reason: str) -> None:
        self.location = location
        self.reason = reason
        super().__init__(f"store {location} is unavailable: {reason}")


class GraphIncomplete(StoreError):
    """A first load is running, or was killed before it finished: the graph is partial."""

    def __init__(self, location: str) -> None:
        self.location = location
        super().__init__("图谱正在首次载入，或上次载入中途中断：请稍后再试；若载入已中断，请重新运行"
                         "同一载入命令 (the graph in store "
                         f"{location} is incomplete: a first load is running or was "
                         "interrupted; rerun the same load to complete it)")


class StoreBusy(StoreError):
    """Another process is rewriting the store's files (the checkpoint that ends a load) for
    longer than a read waits."""

    def __init__(self, location: str, waited_s: float) -> None:
        self.location = location
        super().__init__(f"图谱正在写入刚载入的数据，请几秒后再试 (store {location} is being "
                         f"rewritten by a load's checkpoint; waited {waited_s:g} s)")


class IntegrityError(StoreError):
    """A write would break the graph's integrity (e.g. a relation to a missing node)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)
