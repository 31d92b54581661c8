"""Texts of the staff dashboard (the Mini App): key -> (Indonesian, English).

The page shows them as plain text (never as HTML) and fills `{name}` placeholders itself, so
they hold no markup. `bot.texts.miniapp.page_texts` sends them to the page.
"""

TEXTS: dict[str, tuple[str, str]] = {
    "staff.button.dashboard": ("📊 Buka dasbor", "📊 Open the dashboard"),
    "app.title": ("Dasbor staf", "Staff dashboard"),
    "app.loading": ("Memuat…", "Loading…"),
    "app.back": ("Kembali", "Back"),
    "app.retry": ("Coba lagi", "Try again"),
    "app.trainings": ("Pelatihan", "Trainings"),
    "app.trainings.empty": (
        "Belum ada pelatihan. Buat pelatihan lewat /admin di chat.",
        "No trainings yet. Create one with /admin in the chat.",
    ),
    "app.seats": ("{confirmed}/{capacity} kursi terisi", "{confirmed}/{capacity} seats taken"),
    "app.waiting": ("{waiting} di daftar tunggu", "{waiting} on the waiting list"),
    "app.day": ("Hari {n}", "Day {n}"),
    "app.day_checkins": ("Hari {n}: {present} hadir", "Day {n}: {present} present"),
    "app.no_days": ("Belum ada jadwal", "No days yet"),
    "app.count.confirmed": ("Terdaftar", "Confirmed"),
    "app.count.capacity": ("Kursi", "Seats"),
    "app.count.waiting": ("Daftar tunggu", "Waiting list"),
    "app.count.cancelled": ("Batal", "Cancelled"),
    "app.tab.people": ("Peserta", "Participants"),
    "app.tab.checkin": ("Absensi", "Check-in"),
    "app.tab.charts": ("Grafik", "Charts"),
    "app.search": ("Cari nama, usaha, atau nomor HP", "Search name, business or phone"),
    "app.search.name": ("Cari nama", "Search a name"),
    "app.shown": ("{shown} dari {total} orang", "{shown} of {total} people"),
    "app.no_match": ("Tidak ada yang cocok.", "Nobody matches."),
    "app.people.empty": ("Belum ada pendaftar.", "Nobody has registered yet."),
    "app.checkin.count": ("{present} dari {total} hadir", "{present} of {total} present"),
    "app.checkin.mark": ("Hadir", "Present"),
    "app.checkin.present": ("✓ Hadir", "✓ Present"),
    "app.checkin.undo": ("Batalkan", "Undo"),
    "app.checkin.undo_confirm": (
        "Batalkan kehadiran {name} pada hari {n}?",
        "Undo {name}'s check-in on day {n}?",
    ),
    "app.checkin.future": (
        "Hari ini belum tiba: kehadiran bisa dicatat mulai tanggalnya.",
        "This day has not come yet: attendance can be recorded from its date on.",
    ),
    "app.checkin.not_confirmed": (
        "Orang ini tidak (lagi) terdaftar di pelatihan ini.",
        "This person is not (or no longer) confirmed for this training.",
    ),
    "app.checkin.none": ("Belum ada peserta terdaftar.", "No confirmed participants yet."),
    "app.charts.registrations": ("Pendaftaran per hari", "Registrations per day"),
    "app.charts.attendance": ("Kehadiran per hari pelatihan", "Attendance per training day"),
    "app.charts.district": ("Menurut kecamatan", "By district"),
    "app.charts.sector": ("Menurut bidang usaha", "By business sector"),
    "app.charts.empty": ("Belum ada data.", "No data yet."),
    "app.export": ("📥 Kirim Excel ke chat saya", "📥 Send the Excel file to my chat"),
    "app.export.sent": (
        "File sedang dikirim ke chat Anda dengan bot.",
        "The file is on its way to your chat with the bot.",
    ),
    "app.announce": ("📢 Buat pengumuman", "📢 Make an announcement"),
    "app.announce.audience": ("Untuk siapa?", "For whom?"),
    "app.announce.text": ("Teks pengumuman", "Announcement text"),
    "app.announce.chars": ("{count}/{limit} huruf", "{count}/{limit} characters"),
    "app.announce.preview": ("Lihat pratinjau", "Preview"),
    "app.announce.preview_title": (
        "Pratinjau — begini pesan yang akan diterima:",
        "Preview — this is the message people will receive:",
    ),
    "app.announce.send": ("Kirim ke {count} orang", "Send to {count} people"),
    "app.announce.edit": ("Ubah teks", "Edit the text"),
    "app.announce.no_recipients": (
        "Tidak ada penerima untuk pilihan ini.",
        "Nobody would receive this.",
    ),
    "app.announce.sending": (
        "Sedang dikirim: {done} dari {total}. Laporan akhir akan dikirim ke chat Anda.",
        "Sending: {done} of {total}. The final report will reach your chat.",
    ),
    "app.announce.done": (
        "Selesai: {sent} terkirim, {blocked} memblokir bot, {failed} gagal. Laporan ada di "
        "chat Anda.",
        "Done: {sent} delivered, {blocked} blocked the bot, {failed} failed. The report is in "
        "your chat.",
    ),
    "app.announce.already": (
        "Pengumuman ini sudah dikirim atau dibatalkan.",
        "This announcement was already sent or dropped.",
    ),
    "app.error.unauthorized": (
        "Dasbor ini hanya bisa dibuka dari tombol di bot Telegram. Buka lagi dari /admin.",
        "This dashboard only opens from the button in the Telegram bot. Open it again from /admin.",
    ),
    "app.error.expired": (
        "Sesi ini sudah kedaluwarsa. Tutup dasbor dan buka lagi dari /admin.",
        "This session has expired. Close the dashboard and open it again from /admin.",
    ),
    "app.error.forbidden": (
        "Dasbor ini hanya untuk staf dinas.",
        "This dashboard is for office staff only.",
    ),
    "app.staff.open": ("👥 Staf & jejak audit", "👥 Staff & audit trail"),
    "app.staff.title": ("Staf", "Staff"),
    "app.staff.admin": ("admin penuh (ADMIN_IDS)", "full admin (ADMIN_IDS)"),
    "app.staff.all": ("semua pelatihan", "all trainings"),
    "app.staff.revoke": ("Cabut", "Revoke"),
    "app.staff.grant": ("Beri peran", "Give a role"),
    "app.staff.user_id": ("ID Telegram (angka)", "Telegram id (a number)"),
    "app.staff.role": ("Peran", "Role"),
    "app.staff.role.manager": ("Pengelola", "Manager"),
    "app.staff.role.checkin": ("Petugas hadir", "Check-in"),
    "app.staff.role.viewer": ("Pemantau", "Viewer"),
    "app.staff.trainings": (
        "Pelatihannya (tanpa pilihan: semua pelatihan)",
        "Its trainings (none chosen: all trainings)",
    ),
    "app.staff.granted": ("Peran diberikan.", "Role given."),
    "app.staff.revoked": ("Peran dicabut.", "Role taken away."),
    "app.audit.title": ("Jejak audit (terbaru dulu)", "Audit trail (newest first)"),
    "app.audit.empty": ("Belum ada catatan.", "Nothing recorded yet."),
    "app.audit.line": (
        "{at} · {actor} · {action} · {training} · {people} orang",
        "{at} · {actor} · {action} · {training} · {people} people",
    ),
    "app.staff.refused": (
        "Peran tidak diberikan: ID itu admin penuh (ADMIN_IDS), atau ada kode pelatihan yang "
        "tidak dikenal.",
        "No role given: that id is a full admin (ADMIN_IDS), or a training code is unknown.",
    ),
    "app.error.not_found": (
        "Data ini tidak ada lagi. Muat ulang daftar.",
        "This is no longer there. Reload the list.",
    ),
    "app.error.bad_request": ("Permintaan tidak bisa diproses.", "The request cannot be handled."),
    "app.error.network": (
        "Tidak tersambung ke server. Periksa koneksi lalu coba lagi.",
        "Cannot reach the server. Check the connection and try again.",
    ),
}
