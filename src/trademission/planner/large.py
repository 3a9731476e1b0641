"""Large events (thousands of participants): greedy, LP bound, then CP-SAT from the greedy."""

from __future__ import annotations
