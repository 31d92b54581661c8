"""Texts of the staff feature: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- menu and a training's page
    "staff.menu": (
        "<b>Menu staf</b>\n{trainings}\n\nPilih pelatihan atau buat yang baru.",
        "<b>Staff menu</b>\n{trainings}\n\nChoose a training or create a new one.",
    ),
    "staff.menu.empty": ("Belum ada pelatihan.", "No trainings yet."),
    "staff.menu.line": (
        "• <b>{code}</b> {title} — {status}, mulai {first_day}, {confirmed}/{capacity} peserta, "
        "{waiting} antre",
        "• <b>{code}</b> {title} — {status}, starts {first_day}, {confirmed}/{capacity} "
        "participants, {waiting} waiting",
    ),
    "staff.training_status.draft": ("draf", "draft"),
    "staff.training_status.open": ("dibuka", "open"),
    "staff.training_status.closed": ("ditutup", "closed"),
    "staff.training_status.cancelled": ("dibatalkan", "cancelled"),
    "staff.training": (
        "<b>{title}</b>\nKode: {code}\nStatus: {status}\nTempat: {venue}\n"
        "Peserta: {confirmed}/{capacity}, antre: {waiting}\n\n<b>Jadwal</b>\n{days}",
        "<b>{title}</b>\nCode: {code}\nStatus: {status}\nVenue: {venue}\n"
        "Participants: {confirmed}/{capacity}, waiting: {waiting}\n\n<b>Schedule</b>\n{days}",
    ),
    "staff.training.day": ("Hari {n}: {date} — {topic}", "Day {n}: {date} — {topic}"),
    "staff.button.new": ("➕ Pelatihan baru", "➕ New training"),
    "staff.button.edit": ("✏️ Ubah", "✏️ Edit"),
    "staff.button.publish": ("📢 Buka pendaftaran", "📢 Open registration"),
    "staff.button.close": ("🔒 Tutup pendaftaran", "🔒 Close registration"),
    "staff.button.participants": ("👥 Peserta", "👥 Participants"),
    "staff.button.export": ("📥 Ekspor Excel/CSV", "📥 Export Excel/CSV"),
    "staff.button.attendance": ("✅ Kehadiran hari ini", "✅ Today's attendance"),
    "staff.button.cancel_training": ("❌ Batalkan pelatihan", "❌ Cancel training"),
    "staff.button.cancel_yes": ("Ya, batalkan pelatihan", "Yes, cancel the training"),
    "staff.button.cancel_no": ("Tidak, kembali", "No, go back"),
    "staff.button.back": ("⬅️ Kembali", "⬅️ Back"),
    "staff.button.prev": ("◀️ Sebelumnya", "◀️ Previous"),
    "staff.button.next": ("Berikutnya ▶️", "Next ▶️"),
    "staff.button.add_day": ("➕ Tambah hari", "➕ Add a day"),
    "staff.button.drop_day": ("🗑 Hapus hari ini", "🗑 Remove this day"),
    "staff.button.save": ("💾 Simpan", "💾 Save"),
    "staff.button.quit": ("✖️ Batal", "✖️ Cancel"),
    "staff.pub.done": ("✅ Pendaftaran dibuka.", "✅ Registration is open."),
    "staff.pub.unchanged": ("Pendaftaran sudah dibuka.", "Registration is already open."),
    "staff.pub.not_allowed": (
        "Tidak bisa dibuka: pelatihan dibatalkan atau belum punya jadwal.",
        "Cannot open: the training is cancelled or has no days yet.",
    ),
    "staff.close.done": (
        "🔒 Pendaftaran ditutup. Peserta yang sudah terdaftar tetap terdaftar.",
        "🔒 Registration closed. Registered participants stay registered.",
    ),
    "staff.close.unchanged": ("Pendaftaran sudah ditutup.", "Registration is already closed."),
    "staff.close.not_allowed": (
        "Hanya pelatihan yang dibuka yang bisa ditutup.",
        "Only an open training can be closed.",
    ),
    "staff.cancel.ask": (
        "Batalkan <b>{title}</b> ({code})?\n{people} pendaftaran aktif akan dibatalkan dan "
        "pendaftar diberi tahu. Ini tidak bisa diulang.",
        "Cancel <b>{title}</b> ({code})?\n{people} active registrations will be cancelled and "
        "the registrants told. This cannot be undone.",
    ),
    "staff.cancel.done": (
        "❌ Pelatihan dibatalkan; {people} pendaftaran dibatalkan.",
        "❌ Training cancelled; {people} registrations cancelled.",
    ),
    "staff.cancel.already": (
        "Pelatihan ini sudah dibatalkan.",
        "This training is already cancelled.",
    ),
    "staff.unknown_code": (
        "Pelatihan dengan kode {code} tidak ditemukan. Lihat /admin.",
        "No training with code {code}. See /admin.",
    ),
    "staff.choose_training": ("Pilih pelatihan:", "Choose a training:"),
    # ---- participants
    "staff.people": (
        "<b>{title}</b> ({code})\n"
        "Terdaftar: {confirmed}/{capacity} · Antre: {waiting} · Batal: {cancelled}\n"
        "<b>Per hari</b> (hadir ya / tidak · hadir tercatat)\n{days}\n\n"
        "<b>Daftar peserta</b> (hal. {page}/{pages})\n{list}",
        "<b>{title}</b> ({code})\n"
        "Confirmed: {confirmed}/{capacity} · Waiting: {waiting} · Cancelled: {cancelled}\n"
        "<b>Per day</b> (coming yes / no · checked in)\n{days}\n\n"
        "<b>Participants</b> (page {page}/{pages})\n{list}",
    ),
    "staff.people.day": (
        "Hari {n} ({date}): 👍 {yes} / 👎 {no} · ✅ {present}",
        "Day {n} ({date}): 👍 {yes} / 👎 {no} · ✅ {present}",
    ),
    "staff.people.none": ("Belum ada pendaftar.", "No registrations yet."),
    "staff.status.confirmed": ("terdaftar", "confirmed"),
    "staff.status.waitlisted": ("antre", "waiting"),
    "staff.status.waitlisted_at": ("antre no. {position}", "waiting no. {position}"),
    "staff.status.cancelled": ("batal", "cancelled"),
    "staff.status.erased": ("data dihapus", "data erased"),
    "staff.erased_name": ("(data dihapus atas permintaan)", "(erased on request)"),
    "staff.sheet.cancelled": ("{code} batal", "{code} cancelled"),
    "staff.sheet.heading": ("Daftar peserta — {title}", "Participants — {title}"),
    "staff.sheet.about": ("{code} · {dates} · {venue}", "{code} · {dates} · {venue}"),
    "staff.sheet.counts": (
        "Terdaftar: {confirmed}/{capacity} · Antre: {waiting} · Batal: {cancelled}",
        "Confirmed: {confirmed}/{capacity} · Waiting: {waiting} · Cancelled: {cancelled}",
    ),
    "staff.sheet.printed": ("Dicetak {moment}", "Printed {moment}"),
    "staff.sheet.cancelled_heading": (
        "Batal atau data dihapus — {title}",
        "Cancelled or erased — {title}",
    ),
    # ---- export
    "staff.export.caption": (
        "Daftar peserta {code}: {count} pendaftaran (Excel).",
        "Participants of {code}: {count} registrations (Excel).",
    ),
    "staff.export.csv_button": ("📄 Kirim juga sebagai CSV", "📄 Also send as CSV"),
    "staff.export.csv_caption": (
        "Versi CSV (UTF-8, pemisah titik koma).",
        "CSV version (UTF-8, semicolon-separated).",
    ),
    "staff.col.no": ("No", "No"),
    "staff.col.name": ("Nama", "Name"),
    "staff.col.phone": ("Telepon", "Phone"),
    "staff.col.business": ("Nama usaha", "Business"),
    "staff.col.sector": ("Bidang usaha", "Sector"),
    "staff.col.district": ("Kecamatan", "District"),
    "staff.col.status": ("Status", "Status"),
    "staff.col.waitlist": ("No. antre", "Waiting no."),
    "staff.col.registered": ("Waktu daftar", "Registered at"),
    "staff.col.rsvp_day": ("Konfirmasi hari {n}", "RSVP day {n}"),
    "staff.col.present_day": ("Hadir hari {n}", "Present day {n}"),
    "staff.col.code": ("Kode", "Code"),
    "staff.col.title": ("Pelatihan", "Training"),
    "staff.col.venue": ("Tempat", "Venue"),
    "staff.col.first_day": ("Hari pertama", "First day"),
    "staff.col.last_day": ("Hari terakhir", "Last day"),
    "staff.col.seats": ("Kursi", "Seats"),
    "staff.col.confirmed": ("Terdaftar", "Confirmed"),
    "staff.col.waitlisted": ("Antre", "Waiting"),
    "staff.col.cancelled": ("Batal", "Cancelled"),
    "staff.rsvp.yes": ("hadir", "yes"),
    "staff.rsvp.no": ("tidak", "no"),
    "staff.present.yes": ("hadir", "present"),
    # ---- the training conversation
    "staff.new.intro": (
        "Membuat pelatihan baru. Ketik /batal untuk keluar kapan saja.",
        "Creating a new training. Type /cancel to leave at any time.",
    ),
    "staff.ask.code": (
        "Kode pelatihan? Huruf, angka, - atau _ (contoh: KP-2026-01). Dipakai di tautan daftar.",
        "Training code? Letters, digits, - or _ (e.g. KP-2026-01). Used in the sign-up link.",
    ),
    "staff.ask.title": ("Judul pelatihan?", "Title of the training?"),
    "staff.ask.description": ("Deskripsi singkat?", "A short description?"),
    "staff.ask.venue": ("Tempat pelatihan?", "Venue?"),
    "staff.ask.seats": ("Jumlah kursi (angka)?", "Number of seats (a number)?"),
    "staff.ask.deadline": (
        "Batas pendaftaran? Tanggal (DD-MM-YYYY), boleh dengan jam: 06-12-2026 23:59",
        "Registration deadline? A date (DD-MM-YYYY), optionally with a time: 06-12-2026 23:59",
    ),
    "staff.ask.date": ("Hari {n}: tanggal? (DD-MM-YYYY)", "Day {n}: date? (DD-MM-YYYY)"),
    "staff.ask.start": ("Hari {n}: jam mulai? (HH:MM)", "Day {n}: start time? (HH:MM)"),
    "staff.ask.end": ("Hari {n}: jam selesai? (HH:MM)", "Day {n}: end time? (HH:MM)"),
    "staff.ask.topic": ("Hari {n}: materi?", "Day {n}: topic?"),
    "staff.ask.note": (
        "Hari {n}: catatan untuk peserta (misalnya yang perlu dibawa)?",
        "Day {n}: a note for participants (e.g. what to bring)?",
    ),
    "staff.ask.current": ("Sekarang: {value}", "Now: {value}"),
    "staff.skip.description": ("Tanpa deskripsi", "No description"),
    "staff.skip.deadline": ("Tanpa batas (sampai mulai)", "No deadline (until it starts)"),
    "staff.skip.topic": ("Tanpa materi", "No topic"),
    "staff.skip.note": ("Tanpa catatan", "No note"),
    "staff.hint.date_past": ("Tanggal itu sudah lewat.", "That date has passed."),
    "staff.hint.deadline_past": ("Batas itu sudah lewat.", "That deadline has passed."),
    "staff.hint.text_expected": ("Mohon ketik jawabannya.", "Please type the answer."),
    "staff.hint.use_buttons": (
        "Silakan pilih dengan tombol di bawah.",
        "Please choose with the buttons below.",
    ),
    "staff.problem.incomplete_day": (
        "Ada hari yang belum lengkap.",
        "A day is not complete.",
    ),
    "staff.summary": (
        "<b>Ringkasan</b>\nKode: {code}\nJudul: {title}\nDeskripsi: {description}\n"
        "Tempat: {venue}\nKursi: {seats}\nBatas daftar: {deadline}\n\n<b>Jadwal</b>\n{days}\n"
        "{problems}",
        "<b>Summary</b>\nCode: {code}\nTitle: {title}\nDescription: {description}\n"
        "Venue: {venue}\nSeats: {seats}\nDeadline: {deadline}\n\n<b>Schedule</b>\n{days}\n"
        "{problems}",
    ),
    "staff.summary.day": (
        "Hari {n}: {date} {start}–{end}, {topic} ({note})",
        "Day {n}: {date} {start}–{end}, {topic} ({note})",
    ),
    "staff.fix.code": ("Kode", "Code"),
    "staff.fix.title": ("Judul", "Title"),
    "staff.fix.description": ("Deskripsi", "Description"),
    "staff.fix.venue": ("Tempat", "Venue"),
    "staff.fix.seats": ("Kursi", "Seats"),
    "staff.fix.deadline": ("Batas daftar", "Deadline"),
    "staff.fix.day": ("Hari {n}", "Day {n}"),
    "staff.fix.date": ("Tanggal", "Date"),
    "staff.fix.start": ("Mulai", "Start"),
    "staff.fix.end": ("Selesai", "End"),
    "staff.fix.topic": ("Materi", "Topic"),
    "staff.fix.note": ("Catatan", "Note"),
    "staff.day_menu": ("Ubah hari {n}: pilih yang diubah.", "Edit day {n}: choose what to change."),
    "staff.save.created": (
        "💾 Tersimpan sebagai draf. Buka pendaftaran bila sudah siap.",
        "💾 Saved as a draft. Open registration when ready.",
    ),
    "staff.save.updated": ("💾 Perubahan tersimpan.", "💾 Changes saved."),
    "staff.save.refused": ("⚠️ Belum bisa disimpan:\n{problems}", "⚠️ Cannot save yet:\n{problems}"),
    "staff.save.told": (
        "📣 {told} orang diberi tahu perubahan jadwal.",
        "📣 {told} people were told of the change.",
    ),
    "staff.save.promoted": (
        "🎉 {promoted} orang naik dari daftar tunggu dan diberi tahu.",
        "🎉 {promoted} moved up from the waiting list and were told.",
    ),
    "staff.quit": (
        "Tidak disimpan. Ketik /admin untuk menu staf.",
        "Not saved. Type /admin for the staff menu.",
    ),
    # ---- attendance
    "attendance.qr.caption": (
        "Kode hadir <b>{title}</b> — {name}.\nTunjukkan ke petugas saat datang.",
        "Check-in code for <b>{title}</b> — {name}.\nShow it to the staff when you arrive.",
    ),
    "attendance.show_to_staff": (
        "Ini kode hadir Anda. Tunjukkan QR-nya ke petugas saat datang, ya.",
        "This is your check-in code. Please show the QR code to the staff when you arrive.",
    ),
    "attendance.checkin.checked_in": (
        "✅ Hadir: <b>{name}</b>\n{title}, hari {n} dari {of} ({date}), {time}.",
        "✅ Present: <b>{name}</b>\n{title}, day {n} of {of} ({date}), {time}.",
    ),
    "attendance.checkin.already": (
        "ℹ️ {name} sudah tercatat hadir hari {n} ({date}) pukul {time}.",
        "ℹ️ {name} was already checked in on day {n} ({date}) at {time}.",
    ),
    "attendance.checkin.unknown_token": (
        "⚠️ Kode hadir tidak dikenal.",
        "⚠️ Unknown check-in code.",
    ),
    "attendance.checkin.not_confirmed": (
        "⚠️ {name} tidak terdaftar (antre atau batal) di {title}.",
        "⚠️ {name} holds no seat (waiting or cancelled) in {title}.",
    ),
    "attendance.checkin.no_day_today": (
        "⚠️ {title} tidak ada jadwal hari ini. Kehadiran {name} tidak dicatat.",
        "⚠️ {title} has no day today. {name} was not checked in.",
    ),
    "attendance.no_day_today": (
        "{title} tidak ada jadwal hari ini. Jadwal: {dates}",
        "{title} has no day today. Schedule: {dates}",
    ),
    "attendance.sheet": (
        "<b>Kehadiran</b> {title}\nHari {n} dari {of} ({date}): {present}/{total} hadir.\n"
        "Ketuk nama untuk menandai hadir / batal hadir. (hal. {page}/{pages})",
        "<b>Attendance</b> {title}\nDay {n} of {of} ({date}): {present}/{total} present.\n"
        "Tap a name to mark present / not present. (page {page}/{pages})",
    ),
}
