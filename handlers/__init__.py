"""Telegram-facing code, grouped by who uses it: `participants`, `staff`, and the `helpdesk`
between the two; what every chat shares (the helpers, start/help/language, the group-chat
guard, the catch-alls, the error handler) is at this level. `register_all` adds them in
priority order."""

from __future__ import annotations

from telegram.ext import Application

from handlers import common, errors, fallback, private_chat
from handlers.helpdesk import relay as helpdesk
from handlers.participants import (
    certificates,
    follow_up,
    my_details,
    my_registrations,
    privacy,
    registration,
    reminders,
    survey,
)
from handlers.staff import (
    announcements,
    attendance,
    auth,
    documents,
    menu,
    roles,
    share,
    training_file,
    trainings,
)

# Earlier modules win when two handlers match the same update (e.g. `/start <payload>`):
# the check-in link (`/start ci_...`) and a certificate's check (`/start sk_...`) must reach
# `attendance` and `certificates` before the registration deep link, the staff `menu` takes
# staff's own /start and /bantuan before `registration` and `common` (a /start with a payload
# still reaches registration), and ends with the catch-all for stale staff buttons; the
# registration conversation comes before the yes/no questions of /saya and /hapusdata.
FEATURES = (
    attendance,
    certificates,
    survey,
    follow_up,
    trainings,
    documents,
    share,
    roles,
    menu,
    announcements,
    registration,
    training_file,
    reminders,
    my_registrations,
    privacy,
    my_details,
    common,
)


def register_all(application: Application) -> None:
    """Add the group-chat guard, every feature's handlers, the catch-alls, the error handler.

    What a participant types outside every feature's steps goes to the staff group
    (`helpdesk`, whose staff-group replies run before the guard); what is left, to `fallback`.
    """
    private_chat.register(application)  # in a handler group of its own, before all of these
    auth.register(application)  # reads a command's sender's access, in a group too
    for feature in FEATURES:
        feature.register(application)
    helpdesk.register(application)
    fallback.register(application)
    application.add_error_handler(errors.handle_error)
