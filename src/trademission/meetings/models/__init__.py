from .match import Match
from .meeting import Meeting, Outcome
from .plan import MissionPlan, Notification
from .request import MeetingRequest

__all__ = ["Match", "Meeting", "MeetingRequest", "MissionPlan", "Notification", "Outcome"]
