"""Staff roles (/staf): who is staff with which role, granting and revoking."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    "label.staff_roles": ("Staf & peran", "Staff & roles"),
    "does.staff_roles": (
        "beri, cabut dan lihat peran staf lain (pengelola, petugas hadir, pemantau)",
        "grant, revoke and list the other staff's roles (manager, check-in, viewer)",
    ),
    "staff.help.short": ("<b>Bantuan staf</b>\n{commands}", "<b>Staff help</b>\n{commands}"),
    "roles.list": (
        "<b>Staf</b>\n{lines}\n\nUntuk memberi peran: <code>/staf ID_TELEGRAM</code> (angka; "
        "orangnya dapat melihat ID-nya di @userinfobot).",
        "<b>Staff</b>\n{lines}\n\nTo give a role: <code>/staff TELEGRAM_ID</code> (a number; "
        "the person can see theirs with @userinfobot).",
    ),
    "roles.admin_line": ("{id} — admin penuh (ADMIN_IDS)", "{id} — full admin (ADMIN_IDS)"),
    "roles.line": ("{id} — {role}: {trainings}", "{id} — {role}: {trainings}"),
    "roles.all_trainings": ("semua pelatihan", "all trainings"),
    "roles.role.manager": ("Pengelola", "Manager"),
    "roles.role.checkin": ("Petugas hadir", "Check-in"),
    "roles.role.viewer": ("Pemantau", "Viewer"),
    "roles.choose_role": (
        "Peran untuk {id}?\n<b>Pengelola</b>: semua urusan pelatihannya. <b>Petugas hadir</b>: "
        "mencatat kehadiran dan daftar nama hari itu, tanpa nomor HP. <b>Pemantau</b>: angka, "
        "grafik dan laporan, tanpa nama.",
        "Which role for {id}?\n<b>Manager</b>: everything about their trainings. "
        "<b>Check-in</b>: recording attendance and the day's list of names, no phones. "
        "<b>Viewer</b>: counts, charts and reports, no names.",
    ),
    "roles.choose_trainings": (
        "{role} untuk {id}. Pilih pelatihannya (tanpa pilihan: semua pelatihan), lalu Simpan.",
        "{role} for {id}. Choose the trainings (none chosen: all trainings), then Save.",
    ),
    "roles.button.save": ("💾 Simpan", "💾 Save"),
    "roles.button.revoke": ("✖️ Cabut {id}", "✖️ Revoke {id}"),
    "roles.granted": ("✅ {id} kini {role}: {trainings}.", "✅ {id} is now {role}: {trainings}."),
    "roles.revoked": ("{id} tidak lagi staf.", "{id} is no longer staff."),
    "roles.is_admin": (
        "{id} ada di ADMIN_IDS: sudah admin penuh.",
        "{id} is in ADMIN_IDS: a full admin already.",
    ),
    "roles.bad_id": (
        "Tulis ID Telegram berupa angka, misalnya <code>/staf 123456789</code>.",
        "Write the Telegram id as a number, e.g. <code>/staff 123456789</code>.",
    ),
}
