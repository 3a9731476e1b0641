from .contact import ContactPerson
from .sme import AdvisorNote, Participation, SelectionCriterion, Sme
from .stakeholder import Stakeholder, StakeholderToken

__all__ = [
    "AdvisorNote",
    "ContactPerson",
    "Participation",
    "SelectionCriterion",
    "Sme",
    "Stakeholder",
    "StakeholderToken",
]
