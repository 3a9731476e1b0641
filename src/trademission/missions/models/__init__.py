from .mission import ItineraryStop, Mission, ProgrammeItem, Venue
from .organisation import Membership, Organisation, Project, ProjectPartner
from .team import MissionMember

__all__ = [
    "ItineraryStop",
    "Membership",
    "Mission",
    "MissionMember",
    "Organisation",
    "ProgrammeItem",
    "Project",
    "ProjectPartner",
    "Venue",
]
