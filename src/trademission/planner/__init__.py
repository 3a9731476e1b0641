"""The meeting-plan optimiser: a pure Python package on OR-Tools CP-SAT (no Django).

Public API::

    problem = load_problem("mission.json")        # or read_dzn("forum-13.dzn")
    result = solve(problem, time_limit=60, workers=2, fairness=2,
                   previous_plan=None, progress=callback, stop=lambda: cancelled)
    violations = validate(problem, result.plan)   # [] for every plan solve returns
"""

from trademission.planner.dzn import DznError, read_dzn
from trademission.planner.io_json import (
    ProblemError,
    load_problem,
    plan_from_json,
    problem_from_json,
    result_to_json,
)
from trademission.planner.problem import (
    ONLINE,
    Calendar,
    Day,
    Meeting,
    Participant,
    Placement,
    Plan,
    Problem,
    ProgrammeItem,
    Result,
    Session,
    Status,
    Travel,
    Unplaced,
    Venue,
)
from trademission.planner.solve import Progress, solve
from trademission.planner.validate import Violation, count_breaks, validate

__all__ = [
    "ONLINE",
    "Calendar",
    "Day",
    "DznError",
    "Meeting",
    "Participant",
    "Placement",
    "Plan",
    "Problem",
    "ProblemError",
    "ProgrammeItem",
    "Progress",
    "Result",
    "Session",
    "Status",
    "Travel",
    "Unplaced",
    "Venue",
    "Violation",
    "count_breaks",
    "load_problem",
    "plan_from_json",
    "problem_from_json",
    "read_dzn",
    "result_to_json",
    "solve",
    "validate",
]
