from __future__ import annotations

from django import template

from trademission.meetings.domain.planner_words import in_reader_language

register = template.Library()
register.filter("in_reader_language", in_reader_language)
