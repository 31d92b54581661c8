"""How writing a training reads: a broken rule, in the reader's language."""

from __future__ import annotations

from bot.services.training_spec import Problem
from bot.texts import Safe, t


def problem_text(problem: Problem, lang: str) -> str:
    """A broken rule in words (without saying where)."""
    return t(problem.key, lang, **problem.values)


def problem_line(problem: Problem, lang: str) -> str:
    """A broken rule in words, with the day it is about."""
    text = problem_text(problem, lang)
    if problem.day is None:
        return text
    return t("training.problem.on_day", lang, day=problem.day, problem=Safe(text))
