"""Texts of the reminders feature: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    "reminder.head.tomorrow": (
        "🔔 <b>Pengingat: besok hari ke-{day} dari {total}</b>",
        "🔔 <b>Reminder: tomorrow is day {day} of {total}</b>",
    ),
    "reminder.head.today": (
        "🔔 <b>Pengingat: hari ini hari ke-{day} dari {total}</b>",
        "🔔 <b>Reminder: today is day {day} of {total}</b>",
    ),
    "reminder.head.tomorrow_single": (
        "🔔 <b>Pengingat: pelatihan Anda besok</b>",
        "🔔 <b>Reminder: your training is tomorrow</b>",
    ),
    "reminder.head.today_single": (
        "🔔 <b>Pengingat: pelatihan Anda hari ini</b>",
        "🔔 <b>Reminder: your training is today</b>",
    ),
    "reminder.body": (
        "<b>{title}</b>\n📅 {date}\n🕗 Mulai pukul {start}\n📍 {venue}",
        "<b>{title}</b>\n📅 {date}\n🕗 Starts at {start}\n📍 {venue}",
    ),
    "reminder.morning": (
        "☀️ <b>Hari ini pukul {start} di {venue} — sampai jumpa!</b>",
        "☀️ <b>Today at {start} at {venue} — see you there!</b>",
    ),
    "reminder.morning.day": (
        "{title}, hari ke-{day} dari {total}",
        "{title}, day {day} of {total}",
    ),
    "reminder.morning.ticket": (
        "🎫 Tunjukkan tiket hadir Anda ke petugas saat datang (tombol di bawah).",
        "🎫 Show your check-in ticket to the staff when you arrive (button below).",
    ),
    "reminder.button.ticket": ("🎫 Tiket hadir", "🎫 Check-in ticket"),
    "reminder.topic": ("📚 Materi: {topic}", "📚 Topic: {topic}"),
    "reminder.note": ("📝 Catatan: {note}", "📝 Note: {note}"),
    "reminder.question": ("Apakah Anda akan datang?", "Will you come?"),
    "reminder.answer.yes": (
        "✅ Jawaban Anda: <b>Ya, saya datang</b>. Terima kasih, sampai jumpa!",
        "✅ Your answer: <b>Yes, I'll come</b>. Thank you, see you there!",
    ),
    "reminder.answer.no": (
        "🚫 Jawaban Anda: <b>Tidak bisa datang</b>. Terima kasih sudah memberi tahu.",
        "🚫 Your answer: <b>I can't come</b>. Thank you for letting us know.",
    ),
    "reminder.change_hint": (
        "Jawaban bisa diubah dengan tombol di bawah.",
        "You can change your answer with the buttons below.",
    ),
    "reminder.offer_cancel": (
        "Anda menjawab tidak bisa datang untuk setiap hari yang tersisa. Ingin batal ikut "
        "supaya kursinya bisa dipakai peserta lain?",
        "You can't come on any of the remaining days. Would you like to cancel your "
        "registration so someone else can take the seat?",
    ),
    "reminder.button.yes": ("✅ Ya, saya datang", "✅ Yes, I'll come"),
    "reminder.button.no": ("🚫 Tidak bisa datang", "🚫 I can't come"),
    "reminder.button.cancel": ("❌ Batal ikut", "❌ Cancel my place"),
    "reminder.recorded": ("Jawaban dicatat. Terima kasih!", "Answer recorded. Thank you!"),
    "reminder.closed": (
        "Hari pelatihan ini sudah lewat, jadi jawabannya tidak bisa diubah lagi.",
        "This training day is over; the answer can no longer be changed.",
    ),
    "reminder.registration_cancelled": (
        "Pendaftaran ini sudah dibatalkan.",
        "This registration has been cancelled.",
    ),
}
