"""California's 58 counties: FIPS code, name, and a size weight for the synthetic data; and the
county codes an import accepts.

The weights are rounded total populations in thousands (2020 census, rounded), used only to make
synthetic caseloads roughly proportionate; they are not data to report.

A county code in FIPS style (digits only) must be a county of the configured state
(``PRACTICEHUB_OUTCOMES_STATE``, default ``CA``; ``none`` leaves only the organisation tree) or a
code the organisation tree knows (a node's ``fips`` or a numeric node ``code``): ``99999`` or a
county of another state is refused. Other codes are the agency's own and are kept as they are.
The variable is read here rather than in the settings module because validation and compute run
without Django settings too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

COUNTIES: tuple[tuple[str, str, int], ...] = (
    ("06001", "Alameda", 1682),
    ("06003", "Alpine", 1),
    ("06005", "Amador", 41),
    ("06007", "Butte", 211),
    ("06009", "Calaveras", 46),
    ("06011", "Colusa", 22),
    ("06013", "Contra Costa", 1166),
    ("06015", "Del Norte", 28),
    ("06017", "El Dorado", 192),
    ("06019", "Fresno", 1008),
    ("06021", "Glenn", 29),
    ("06023", "Humboldt", 136),
    ("06025", "Imperial", 180),
    ("06027", "Inyo", 19),
    ("06029", "Kern", 909),
    ("06031", "Kings", 153),
    ("06033", "Lake", 68),
    ("06035", "Lassen", 33),
    ("06037", "Los Angeles", 10014),
    ("06039", "Madera", 157),
    ("06041", "Marin", 262),
    ("06043", "Mariposa", 17),
    ("06045", "Mendocino", 91),
    ("06047", "Merced", 281),
    ("06049", "Modoc", 9),
    ("06051", "Mono", 13),
    ("06053", "Monterey", 439),
    ("06055", "Napa", 138),
    ("06057", "Nevada", 102),
    ("06059", "Orange", 3186),
    ("06061", "Placer", 404),
    ("06063", "Plumas", 20),
    ("06065", "Riverside", 2418),
    ("06067", "Sacramento", 1585),
    ("06069", "San Benito", 64),
    ("06071", "San Bernardino", 2181),
    ("06073", "San Diego", 3298),
    ("06075", "San Francisco", 874),
    ("06077", "San Joaquin", 779),
    ("06079", "San Luis Obispo", 283),
    ("06081", "San Mateo", 764),
    ("06083", "Santa Barbara", 448),
    ("06085", "Santa Clara", 1936),
    ("06087", "Santa Cruz", 270),
    ("06089", "Shasta", 182),
    ("06091", "Sierra", 3),
    ("06093", "Siskiyou", 44),
    ("06095", "Solano", 453),
    ("06097", "Sonoma", 488),
    ("06099", "Stanislaus", 552),
    ("06101", "Sutter", 99),
    ("06103", "Tehama", 65),
    ("06105", "Trinity", 16),
    ("06107", "Tulare", 473),
    ("06109", "Tuolumne", 55),
    ("06111", "Ventura", 843),
    ("06113", "Yolo", 216),
    ("06115", "Yuba", 81),
)


STATE_VARIABLE = "PRACTICEHUB_OUTCOMES_STATE"
DEFAULT_STATE = "CA"
NO_STATE = "none"
# The states whose county FIPS codes the platform ships.
STATE_COUNTIES: dict[str, tuple[str, ...]] = {"CA": tuple(code for code, _, _ in COUNTIES)}
STATE_NAMES = {"CA": "California"}
_FIPS_STYLE = re.compile(r"[0-9]+")


class CountyConfigError(ValueError):
    """The configured state has no county list."""


def is_fips_style(code: str) -> bool:
    """A code written as digits, as a FIPS county code is (surrounding spaces allowed)."""
    return _FIPS_STYLE.fullmatch(code.strip()) is not None


def configured_state() -> str:
    """The state whose counties FIPS-style codes must be (upper case, or ``none``)."""
    state = os.environ.get(STATE_VARIABLE, "").strip() or DEFAULT_STATE
    if state.lower() == NO_STATE:
        return NO_STATE
    if state.upper() not in STATE_COUNTIES:
        raise CountyConfigError(
            f"{STATE_VARIABLE}={state!r}: no county list for that state (known: "
            f"{', '.join(STATE_COUNTIES)}); set it to {NO_STATE} to accept only the counties of "
            "the organisation tree")
    return state.upper()


Lookup = Callable[[frozenset[str]], frozenset[str]]


@dataclass(frozen=True)
class KnownCounties:
    """The FIPS-style county codes an import accepts, and how to name them in a refusal.

    ``lookup`` finds which of some other codes are known elsewhere (the organisation tree); it is
    asked only about codes the data hold and ``codes`` lacks, so data with the state's counties
    never need the application database.
    """

    codes: frozenset[str]
    description: str
    lookup: Lookup | None = None

    def __or__(self, other: KnownCounties) -> KnownCounties:
        lookups = [lookup for lookup in (self.lookup, other.lookup) if lookup is not None]

        def either(candidates: frozenset[str]) -> frozenset[str]:
            return frozenset().union(*(lookup(candidates) for lookup in lookups))

        return KnownCounties(self.codes | other.codes,
                             f"{self.description} or {other.description}",
                             either if lookups else None)

    def resolve(self, found: Iterable[str]) -> KnownCounties:
        """These counties, with those of ``found`` that ``lookup`` knows added to ``codes``."""
        candidates = frozenset(code for code in found if code not in self.codes)
        if not candidates or self.lookup is None:
            return self
        return KnownCounties(self.codes | self.lookup(candidates), self.description, self.lookup)


def state_counties() -> KnownCounties:
    """The county FIPS codes of the configured state."""
    state = configured_state()
    if state == NO_STATE:
        return KnownCounties(frozenset(), "no state configured")
    codes = STATE_COUNTIES[state]
    return KnownCounties(frozenset(codes), f"a county of {STATE_NAMES.get(state, state)} "
                                           f"(FIPS {codes[0]}..{codes[-1]})")
