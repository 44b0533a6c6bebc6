from practicehub.audit.services.events import record_event

__all__ = ["record_event"]
