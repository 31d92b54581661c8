"""Texts of the notices the bot sends after a change: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "notice.change.head": (
        "📣 <b>Ada perubahan: {title}</b>",
        "📣 <b>A change to {title}</b>",
    ),
    "notice.change.venue": ("📍 Tempat: {old} → <b>{new}</b>", "📍 Venue: {old} → <b>{new}</b>"),
    "notice.change.date": (
        "📅 Hari ke-{day}: {old} → <b>{new}</b>",
        "📅 Day {day}: {old} → <b>{new}</b>",
    ),
    "notice.change.start": (
        "🕗 Hari ke-{day} mulai pukul {old} → <b>{new}</b>",
        "🕗 Day {day} starts at {old} → <b>{new}</b>",
    ),
    "notice.change.end": (
        "🕒 Hari ke-{day} selesai pukul {old} → <b>{new}</b>",
        "🕒 Day {day} ends at {old} → <b>{new}</b>",
    ),
    "notice.change.day_added": (
        "➕ Hari ke-{day} ditambahkan: <b>{new}</b>",
        "➕ Day {day} added: <b>{new}</b>",
    ),
    "notice.change.day_removed": (
        "➖ Hari ke-{day} ({old}) ditiadakan",
        "➖ Day {day} ({old}) is dropped",
    ),
    "notice.change.confirmed": (
        "Jadwal terbaru ada di file kalender ini, dan pengingat ikut jadwal baru. Bila Anda tidak "
        "bisa datang, mohon batal ikut lewat /saya agar kursinya bisa dipakai orang lain.",
        "The new schedule is in this calendar file, and reminders follow it. If you cannot "
        "come, please cancel in /my so someone else can have the seat.",
    ),
    "notice.change.waiting": (
        "Anda masih di daftar tunggu. Kami kabari di sini bila ada kursi untuk Anda.",
        "You are still on the waiting list. We will tell you here if a seat comes free.",
    ),
    "notice.cancelled": (
        "Mohon maaf, pelatihan <b>{title}</b> dibatalkan, jadi pendaftaran Anda di pelatihan ini "
        "tidak berlaku lagi. Lihat pelatihan lain dengan /pelatihan.",
        "We are sorry: the training <b>{title}</b> has been cancelled. Your registration for it "
        "no longer applies. See other trainings with /trainings.",
    ),
}
