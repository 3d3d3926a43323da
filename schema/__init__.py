"""The ontology: entity and relation types, properties, ids, names and errors."""

from .errors import (
    AlreadyDecided,
    AmbiguousName,
    EntityNotFound,
    GraphIncomplete,
    InnographError,
    IntegrityError,
    InvalidCreditCode,
    InvalidInput,
    StoreBusy,
    StoreError,
    StoreInUse,
    StoreUnavailable,
    UnreadableFile,
)
from .ids import entity_id, relation_id, validate_credit_code
from .names import match_key, normalise_name
from .records import Entity, Relation
from .rules import ENDPOINTS, endpoint_problem
from .types import (
    ChainRole,
    ChainStage,
    EntityType,
    Evidence,
    PartnershipKind,
    PartnershipStatus,
    RelationType,
)

__all__ = [
    "ENDPOINTS",
    "AlreadyDecided",
    "AmbiguousName",
    "ChainRole",
    "ChainStage",
    "Entity",
    "EntityNotFound",
    "EntityType",
    "Evidence",
    "GraphIncomplete",
    "InnographError",
    "IntegrityError",
    "InvalidCreditCode",
    "InvalidInput",
    "PartnershipKind",
    "PartnershipStatus",
    "Relation",
    "RelationType",
    "StoreBusy",
    "StoreError",
    "StoreInUse",
    "StoreUnavailable",
    "UnreadableFile",
    "endpoint_problem",
    "entity_id",
    "match_key",
    "normalise_name",
    "relation_id",
    "validate_credit_code",
]
