"""How writing a training reads: a broken rule, a refused training file (where and why), and
what an import did. The command line prints the English texts as plain text (`plain`)."""

from __future__ import annotations

from datetime import date

from bot.services.training_file import ImportResult, TrainingFileError
from bot.services.training_spec import Problem
from bot.texts import Safe, t
from bot.texts.formatting import format_staff_day


def problem_text(problem: Problem, lang: str) -> str:
    """A broken rule in words (without saying where); a date as every staff screen writes it."""
    values = {
        name: format_staff_day(value, lang) if isinstance(value, date) else value
        for name, value in problem.values.items()
    }
    return t(problem.key, lang, **values)


def problem_line(problem: Problem, lang: str) -> str:
    """A broken rule in words, with the day it is about."""
    text = problem_text(problem, lang)
    if problem.day is None:
        return text
    return t("training.problem.on_day", lang, day=problem.day, problem=Safe(text))


def _where(error: TrainingFileError, lang: str) -> list[str]:
    where = []
    if error.position is not None:
        key = "import.where.training_code" if error.code else "import.where.training"
        where.append(t(key, lang, n=error.position, code=error.code))
    if error.problem.day is not None:
        where.append(t("import.where.day", lang, day=error.problem.day))
    if error.line is not None:
        where.append(t("import.where.line", lang, line=error.line))
    if error.problem.field:
        where.append(t("import.where.field", lang, field=error.problem.field))
    return where


def file_error_text(error: TrainingFileError, lang: str) -> str:
    """Where in the file (training, day, line, field) and what is wrong there."""
    where = ", ".join(_where(error, lang))
    text = problem_text(error.problem, lang)
    return f"{where[:1].upper()}{where[1:]}: {text}" if where else text


def import_summary(result: ImportResult, lang: str) -> str:
    """One line: how many trainings were created and updated, how many people were told."""
    return t(
        "import.summary",
        lang,
        count=len(result.written),
        created=len(result.created),
        updated=len(result.updated),
        codes=", ".join(result.created + result.updated),
        told=result.told,
        promoted=result.promoted,
    )
