"""The planned absence rules, as pure functions.

Nothing here touches the database, the clock or Django: callers pass the
allowance, the count already used, the case's kind, the settings and `now`,
and get a decision value back. The services module does the counting and
the writing around these decisions.
"""

from dataclasses import dataclass

# Appointment and participant statuses, shared with the models' choices.
SCHEDULED = "scheduled"
EXPECTED = "expected"
ATTENDED = "attended"
PLANNED_ABSENCE = "planned_absence"
CANCELED_BY_CLIENT = "canceled_by_client"
CANCELED_BY_PRACTICE = "canceled_by_practice"
NO_SHOW = "no_show"
ABSENT = "absent"

# The statuses a client may still cancel or report an absence from.
OPEN_STATUSES = frozenset({SCHEDULED, EXPECTED})


def allowance_of(override, default):
    """Return the case's allowance: its override when set, else the default.

    An override of 0 is a real value (no planned absences), not "unset".
    """
    return default if override is None else override


@dataclass(frozen=True)
class Usage:
    """How much of one allowance is used in one calendar year."""

    year: int
    used: int
    allowance: int

    @property
    def remaining(self):
        return max(0, self.allowance - self.used)

    @property
    def is_used_up(self):
        return self.used >= self.allowance

    @property
    def is_over(self):
        return self.used > self.allowance

    def summary(self):
        """Describe the usage in words, e.g. "4 of 6 used in 2026; 2 remaining"."""
        if self.is_over:
            return f"{self.used} used of {self.allowance} in {self.year}; 0 remaining"
        return (
            f"{self.used} of {self.allowance} used in {self.year}; "
            f"{self.remaining} remaining"
        )

    def after_one_more(self):
        return Usage(self.year, self.used + 1, self.allowance)


@dataclass(frozen=True)
class AllowanceWarning:
    """The warning staff see before a Planned absence past the allowance."""

    case_title: str
    usage: Usage
    member_name: str = ""

    @property
    def message(self):
        who = self.case_title
        if self.member_name:
            who = f"{self.member_name} in {self.case_title}"
        usage = self.usage
        if usage.allowance == 0 and usage.used == 0:
            return f"{who}: no planned absences are allowed in {usage.year} (0)."
        if usage.is_over:
            return (
                f"{who}: {usage.used} planned absences in {usage.year} already "
                f"used, more than the allowance of {usage.allowance}."
            )
        return (
            f"{who}: {usage.used} of {usage.allowance} planned absences in "
            f"{usage.year} already used."
        )


def staff_warning(*, use_allowance, to_status, usage, case_title, member_name=""):
    """Return the warning for staff setting `to_status`, or None.

    Staff are warned, never blocked: the warning only asks them to confirm
    a Planned absence that the allowance no longer covers.
    """
    if not use_allowance or to_status != PLANNED_ABSENCE:
        return None
    if not usage.is_used_up:
        return None
    return AllowanceWarning(case_title, usage, member_name)


def client_cancellation_status(*, use_allowance, usage):
    """Return the status an accepted client cancellation becomes."""
    if use_allowance and usage.used < usage.allowance:
        return PLANNED_ABSENCE
    return CANCELED_BY_CLIENT


@dataclass(frozen=True)
class Refusal:
    """Why the portal will not take a cancellation, in words for a client."""

    code: str
    message: str


PORTAL_OFF = Refusal(
    "portal_off",
    "This practice does not take cancellations in the portal. "
    "Please contact the practice.",
)
WHOLE_SESSION = Refusal(
    "whole_session",
    "A group session cannot be cancelled by one member. You can let the "
    "practice know that you can't attend instead.",
)
ENDED = Refusal("ended", "This session is already over.")
STARTED = Refusal("started", "This session has already started.")
NOT_OPEN = Refusal("not_open", "This session is no longer scheduled.")
INSIDE_NOTICE = Refusal(
    "inside_notice",
    "It is too close to the start of this session to change it in the "
    "portal. Please call or email the practice instead.",
)


def portal_refusal(
    *,
    now,
    start,
    end,
    status,
    portal_open,
    minimum_notice,
    participant_level,
    whole_session,
):
    """Return why the portal refuses a client's change, or None to allow it.

    `status` is the appointment's status, or the member's participant status
    for an absence notice; `minimum_notice` is a timedelta.
    """
    if not portal_open:
        return PORTAL_OFF
    if participant_level and whole_session:
        return WHOLE_SESSION
    if end <= now:
        return ENDED
    if start <= now:
        return STARTED
    if status not in OPEN_STATUSES:
        return NOT_OPEN
    if start - now < minimum_notice:
        return INSIDE_NOTICE
    return None


def fee_due(*, status, fee, canceled_by_client_keeps_fee, no_show_keeps_fee):
    """Return the fee owed for a session in `status` under billing settings.

    Scheduled sessions are not billed yet; a planned absence and a
    cancellation by the practice never are.
    """
    zero = fee * 0
    if status == ATTENDED:
        return fee
    if status == CANCELED_BY_CLIENT:
        return fee if canceled_by_client_keeps_fee else zero
    if status == NO_SHOW:
        return fee if no_show_keeps_fee else zero
    return zero
