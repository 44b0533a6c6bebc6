from __future__ import annotations

from practicehub.core.errors import Refused


class FidelityError(Refused):
    """A request the fidelity rules refuse; the message is shown to the person as is."""


class ObservationLocked(FidelityError):
    def __init__(self) -> None:
        super().__init__("This observation is submitted and locked; amend it with a reason.")
