from .match import Match
from .meeting import Meeting, Outcome
from .request import MeetingRequest

__all__ = ["Match", "Meeting", "MeetingRequest", "Outcome"]
