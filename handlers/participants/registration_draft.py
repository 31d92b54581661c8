"""The registration conversation's draft: the answers given so far, kept in `user_data` (which
the persistence stores after every update), read and written here only.

The conversation's own state says which question is open; the draft holds only answers and
what the screen shows. Stored drafts are plain dicts under `DRAFT` with the keys below: the
same keys as before the draft became a dataclass (a draft stored by an older version still
resumes: its `step` is read once, to know whether the phone question is open).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from bot.services.baseline import Baseline
from bot.services.registration import Profile

# The draft lives in user_data under this key.
DRAFT = "registration"
# Where an older version kept the open question: only whether it is the phone's matters now.
_OLD_STEP, _OLD_PHONE_STEP = "step", "asking_phone"
# Stored keys that differ from the field names (kept as older versions wrote them).
_STORED = {"for_colleague": "colleague"}


@dataclass
class RegistrationDraft:
    """A registration being filled in, for the user or for a colleague of their business."""

    training_id: int | None = None
    name: str | None = None
    phone: str | None = None
    business: str | None = None
    sector: str | None = None
    district: str | None = None
    consent_at: str | None = None  # ISO moment the consent was given
    editing: bool = False  # fixing one answer from the summary: back to it after
    with_details: bool = False  # the consent question shares its message with the training
    for_colleague: bool = False
    holder_business: str = ""  # the user's business name, offered as the colleague's
    # The phone question is open (and for the user, its share-my-number keyboard is below the
    # typing field): leaving the conversation now says so and takes the keyboard away.
    asking_phone: bool = False
    # The business baseline (follow-ups on, none recent on file): asked after the district.
    baseline_due: bool = False
    sales_band: str | None = None
    workers: int | None = None
    sells_online: bool | None = None

    @classmethod
    def from_user_data(cls, data: dict[Any, Any] | None) -> RegistrationDraft:
        """The draft stored in `data` (a fresh one when there is none or it does not read)."""
        stored = (data or {}).get(DRAFT)
        if not isinstance(stored, dict):
            return cls()
        values: dict[str, Any] = {}
        for field in fields(cls):
            value = stored.get(_STORED.get(field.name, field.name))
            if value is not None and _fits(field.type, value):
                values[field.name] = value
        if stored.get(_OLD_STEP) == _OLD_PHONE_STEP:
            values["asking_phone"] = True
        return cls(**values)

    def to_user_data(self, data: dict[Any, Any] | None) -> None:
        """Store the draft in `data`."""
        if data is not None:
            data[DRAFT] = {_STORED.get(k, k): v for k, v in asdict(self).items()}

    @staticmethod
    def drop(data: dict[Any, Any] | None) -> None:
        """Forget the draft (the registration ended or starts afresh)."""
        if data is not None:
            data.pop(DRAFT, None)

    def for_another_training(self) -> RegistrationDraft:
        """A fresh draft for another training, still for the same person (user or colleague)."""
        return RegistrationDraft(
            for_colleague=self.for_colleague, holder_business=self.holder_business
        )

    def with_profile(
        self, training_id: int, known: Profile, *, baseline_due: bool = False
    ) -> RegistrationDraft:
        """The draft of a returning participant: the profile on file, ready for the summary
        (after the baseline's questions when it is due)."""
        return replace(
            self,
            training_id=training_id,
            baseline_due=baseline_due,
            name=known.full_name,
            phone=known.phone,
            business=known.business_name,
            sector=known.sector,
            district=known.district,
            consent_at=known.consent_at.isoformat(),
        )

    def profile(self) -> Profile | None:
        """The person the draft describes, as the registration service takes them; None
        while an answer is missing."""
        name, phone, business, sector, district = (
            self.name, self.phone, self.business, self.sector, self.district
        )  # fmt: skip
        if not (name and phone and business and sector and district and self.consent_at):
            return None
        if self.training_id is None:
            return None
        consent_at = datetime.fromisoformat(self.consent_at)
        return Profile(name, phone, business, sector, district, consent_at, self.baseline())

    def baseline(self) -> Baseline | None:
        """The business baseline the draft holds (None when it was not asked or is missing)."""
        band, workers, online = self.sales_band, self.workers, self.sells_online
        if not self.baseline_due or band is None or workers is None or online is None:
            return None
        return Baseline(band, workers, online)

    @property
    def baseline_missing(self) -> bool:
        """Whether the baseline is to be asked and some answer of it is still missing."""
        return self.baseline_due and self.baseline() is None


def _fits(annotation: object, value: object) -> bool:
    """Whether a stored value has the field's type (a hand-edited or foreign row is ignored)."""
    text = str(annotation)
    if text.startswith("bool"):
        return isinstance(value, bool)
    if text.startswith("int"):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)
