"""Connecting to Neo4j, and turning driver errors into one-line innograph errors.

Every message names the server by its URI without credentials, says what to do, and never
carries the password (the driver echoes URIs with user info, so those are refused outright).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import neo4j
from neo4j import exceptions as nx

from schema import IntegrityError, StoreError, StoreUnavailable

from .neo4j_options import SCHEMES, Neo4jOptions, public_location

_REASON = re.compile(r"\(reason (.+)\)\s*$")
_CREDENTIALS_HINT = "check INNOGRAPH_NEO4J_USER and INNOGRAPH_NEO4J_PASSWORD"


def open_driver(uri: str, options: Neo4jOptions) -> neo4j.Driver:
    """A connected driver, or :class:`schema.StoreUnavailable` naming the URI and the remedy."""
    location = public_location(uri)
    parts = urlsplit(uri)
    if parts.scheme not in SCHEMES:
        raise StoreUnavailable(location, f"not a Neo4j URI; use {', '.join(SCHEMES[:2])} or "
                                         "neo4j+s://HOST (Aura), e.g. bolt://localhost:7687")
    if "@" in parts.netloc:
        raise StoreUnavailable(location, "credentials do not belong in the URI; set "
                                         "INNOGRAPH_NEO4J_USER and INNOGRAPH_NEO4J_PASSWORD")
    # the driver logs routing failures too; without a handler Python would print them beside
    # the one-line error below (a NullHandler keeps them for apps that configure logging)
    driver_log = logging.getLogger("neo4j")
    if not driver_log.handlers:
        driver_log.addHandler(logging.NullHandler())
    auth = (options.user, options.password.get_secret_value()) if options.password else None
    with translate_errors(location, options):
        try:
            driver = neo4j.GraphDatabase.driver(
                uri, auth=auth, user_agent="innograph",
                connection_timeout=options.connect_timeout,
                max_transaction_retry_time=options.connect_timeout)
        except ValueError as e:  # an address the driver cannot parse
            raise _bad_address(location, e, options) from e
        try:
            driver.verify_connectivity()
        except ValueError as e:  # an address that cannot be resolved, e.g. a bad port
            driver.close()
            raise _bad_address(location, e, options) from e
        except BaseException:
            driver.close()
            raise
    return driver


def _bad_address(location: str, error: ValueError, options: Neo4jOptions) -> StoreUnavailable:
    return StoreUnavailable(location, f"not a usable Neo4j address ({_one_line(error, options)})"
                                      "; use bolt://HOST:7687 or neo4j+s://HOST")


def _one_line(error: BaseException, options: Neo4jOptions) -> str:
    text = getattr(error, "message", None) or str(error) or type(error).__name__
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    reason = _REASON.search(lines[-1]) if lines else None
    line = reason.group(1) if reason else (lines[0] if lines else type(error).__name__)
    if options.password and options.password.get_secret_value():
        line = line.replace(options.password.get_secret_value(), "***")
    return line


@contextmanager
def translate_errors(location: str, options: Neo4jOptions, *,
                     writing: bool = False) -> Iterator[None]:
    """Turn driver exceptions raised inside the block into innograph store errors."""
    try:
        yield
    except nx.AuthError as e:
        raise StoreUnavailable(location, f"authentication failed for user {options.user!r}: "
                                         f"{_CREDENTIALS_HINT}") from e
    except (nx.ServiceUnavailable, nx.SessionExpired) as e:
        remedy = ("the server went away mid-write; completed batches are kept, so rerun the "
                  "same command to finish (writes are idempotent MERGEs)" if writing else
                  "is the server running and reachable? (`docker compose up -d neo4j`, or "
                  "check host and port)")
        raise StoreUnavailable(location, f"cannot reach the server ({_one_line(e, options)}); "
                                         f"{remedy}") from e
    except nx.ConfigurationError as e:
        raise StoreUnavailable(location, f"bad connection settings: {_one_line(e, options)}") \
            from e
    except nx.ConstraintError as e:
        raise IntegrityError(f"store {location}: {_one_line(e, options)}") from e
    except nx.ClientError as e:
        raise _client_error(location, e, options) from e
    except nx.Neo4jError as e:
        raise StoreError(f"store {location}: {e.code}: {_one_line(e, options)}") from e
    except nx.DriverError as e:
        raise StoreError(f"store {location}: {type(e).__name__}: {_one_line(e, options)}") \
            from e


def _client_error(location: str, error: nx.ClientError, options: Neo4jOptions) -> StoreError:
    code = error.code or ""
    if code.endswith("DatabaseNotFound"):
        return StoreUnavailable(location, f"database {options.database!r} does not exist: "
                                          "check INNOGRAPH_NEO4J_DATABASE")
    if "TransactionTimedOut" in code:
        return StoreError(f"store {location}: the query ran longer than the read timeout "
                          f"({options.read_timeout:g} s, INNOGRAPH_NEO4J_READ_TIMEOUT)")
    if code == "Neo.ClientError.Security.Forbidden":
        # signed in, but the user's role lacks a privilege (e.g. index management on a first
        # load): not a password problem
        return StoreError(f"store {location}: user {options.user!r} may not do this "
                          f"({_one_line(error, options)}); ask the database administrator "
                          "for the privilege, or have an admin run `innograph init-db` first")
    if code.startswith("Neo.ClientError.Security"):
        return StoreUnavailable(location, f"{_one_line(error, options)}: {_CREDENTIALS_HINT}")
    return StoreError(f"store {location}: {code}: {_one_line(error, options)}")
