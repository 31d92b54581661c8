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
        "{waiting} di daftar tunggu",
        "• <b>{code}</b> {title} — {status}, starts {first_day}, {confirmed}/{capacity} "
        "participants, {waiting} waiting",
    ),
    "staff.training_status.draft": ("draf", "draft"),
    "staff.training_status.open": ("dibuka", "open"),
    "staff.training_status.closed": ("ditutup", "closed"),
    "staff.training_status.cancelled": ("dibatalkan", "cancelled"),
    "staff.training": (
        "<b>{title}</b>\n{lines}\n\n<b>Jadwal</b>\n{days}",
        "<b>{title}</b>\n{lines}\n\n<b>Schedule</b>\n{days}",
    ),
    "staff.training.participants": (
        "{confirmed}/{capacity}, daftar tunggu: {waiting}",
        "{confirmed}/{capacity}, waiting: {waiting}",
    ),
    "staff.training.day": ("Hari {n}: {date}, {times}", "Day {n}: {date}, {times}"),
    "staff.training.topic": (" — {topic}", " — {topic}"),
    "staff.line": ("{label}: {value}", "{label}: {value}"),
    "staff.button.cancel_yes": ("Ya, batalkan pelatihan", "Yes, cancel the training"),
    "staff.button.cancel_no": ("Tidak, kembali", "No, go back"),
    "staff.button.prev": ("◀️ Sebelumnya", "◀️ Previous"),
    "staff.button.next": ("Berikutnya ▶️", "Next ▶️"),
    "staff.pub.done": (
        "✅ Diterbitkan: pendaftaran dibuka. Tautan, teks WhatsApp dan poster menyusul di bawah.",
        "✅ Published: registration is open. The link, a WhatsApp text and a poster follow below.",
    ),
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
    # ---- the staff menu (/start and /admin for staff) and staff help
    "staff.help": (
        "<b>Bantuan staf</b>\n{commands}\n\n"
        "<b>{new_training}</b>: {staff_menu} → {new_training}. Tanggal boleh ditulis "
        "<i>8 Des</i>, <i>8/12</i>, <i>besok</i>, <i>Senin depan</i> atau <i>8-10 Des</i>; jam "
        "<i>08.00-15.00</i>, <i>9-3</i> atau <i>9 pagi</i>. Di akhir ada ringkasan untuk "
        "mengubah isian apa pun.\n"
        "<b>{share}</b>: halaman pelatihan → {share}: tautan pendaftaran, teks WhatsApp, poster "
        "A4 (PNG dan PDF) dengan kode QR.\n"
        "<b>Impor</b>: kirim file YAML pelatihan ke chat ini; <code>published: false</code> "
        "menyimpannya sebagai draf sampai Anda menekan {publish}.\n"
        "<b>{attendance}</b>: pindai QR peserta dengan kamera HP, atau pilih nama di /hadir.",
        "<b>Staff help</b>\n{commands}\n\n"
        "<b>{new_training}</b>: {staff_menu} → {new_training}. Dates may be typed as "
        "<i>8 Dec</i>, <i>8/12</i>, <i>tomorrow</i>, <i>next Monday</i> or <i>8-10 Dec</i>; "
        "times as <i>08.00-15.00</i>, <i>9-3</i> or <i>9 am</i>. A summary at the end lets you "
        "fix any field.\n"
        "<b>{share}</b>: a training's page → {share}: the registration link, a WhatsApp text, an "
        "A4 poster (PNG and PDF) with a QR code.\n"
        "<b>Import</b>: send a YAML training file to this chat; <code>published: false</code> "
        "keeps it a draft until you tap {publish}.\n"
        "<b>{attendance}</b>: scan a participant's QR code with the phone's camera, or pick "
        "names in /checkin.",
    ),
    "staff.help.command": (
        "/{command} — <b>{label}</b>: {does}",
        "/{command} — <b>{label}</b>: {does}",
    ),
    "staff.help.leave": (
        "/{command} — berhenti mengisi (tidak ada yang disimpan)",
        "/{command} — stop filling in (nothing is saved)",
    ),
    # ---- participants
    "staff.people": (
        "<b>{title}</b> ({code})\n"
        "Terdaftar: {confirmed}/{capacity} · Daftar tunggu: {waiting} · Batal: {cancelled}\n"
        "<b>Per hari</b> (👍 akan datang / 👎 tidak datang · ✅ sudah hadir)\n{days}\n\n"
        "<b>Daftar peserta</b> (hal. {page}/{pages})\n{list}",
        "<b>{title}</b> ({code})\n"
        "Confirmed: {confirmed}/{capacity} · Waiting: {waiting} · Cancelled: {cancelled}\n"
        "<b>Per day</b> (👍 will come / 👎 won't come · ✅ is here)\n{days}\n\n"
        "<b>Participants</b> (page {page}/{pages})\n{list}",
    ),
    "staff.people.day": (
        "Hari {n} ({date}): 👍 {yes} / 👎 {no} · ✅ {present}",
        "Day {n} ({date}): 👍 {yes} / 👎 {no} · ✅ {present}",
    ),
    "staff.people.none": ("Belum ada pendaftar.", "No registrations yet."),
    "staff.status.confirmed": ("terdaftar", "confirmed"),
    "staff.status.waitlisted": ("daftar tunggu", "waiting list"),
    "staff.status.waitlisted_at": ("daftar tunggu nomor {position}", "waiting list no. {position}"),
    "staff.status.cancelled": ("batal", "cancelled"),
    "staff.status.erased": ("data dihapus", "data erased"),
    "staff.erased_name": ("(data dihapus atas permintaan)", "(erased on request)"),
    "staff.sheet.cancelled": ("{code} batal", "{code} cancelled"),
    "staff.sheet.heading": ("Daftar peserta — {title}", "Participants — {title}"),
    "staff.sheet.about": ("{code} · {dates} · {venue}", "{code} · {dates} · {venue}"),
    "staff.sheet.counts": (
        "Terdaftar: {confirmed}/{capacity} · Daftar tunggu: {waiting} · Batal: {cancelled}",
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
    "staff.col.waitlist": ("No. daftar tunggu", "Waiting list no."),
    "staff.col.registered": ("Waktu daftar", "Registered at"),
    "staff.col.rsvp_day": ("Akan datang hari {n}", "Will come day {n}"),
    "staff.col.present_day": ("Hadir hari {n}", "Present day {n}"),
    "staff.col.code": ("Kode", "Code"),
    "staff.col.title": ("Pelatihan", "Training"),
    "staff.col.venue": ("Tempat", "Venue"),
    "staff.col.first_day": ("Hari pertama", "First day"),
    "staff.col.last_day": ("Hari terakhir", "Last day"),
    "staff.col.seats": ("Kursi", "Seats"),
    "staff.col.confirmed": ("Terdaftar", "Confirmed"),
    "staff.col.waitlisted": ("Daftar tunggu", "Waiting list"),
    "staff.col.cancelled": ("Batal", "Cancelled"),
    "staff.rsvp.yes": ("ya", "yes"),
    "staff.rsvp.no": ("tidak", "no"),
    "staff.present.yes": ("hadir", "present"),
    # ---- the training conversation
    "staff.new.intro": (
        "Membuat pelatihan baru: kode, judul, tempat, kursi, lalu tanggal dan jam. Deskripsi dan "
        "batas pendaftaran bisa diubah di ringkasan. Ketik /batal untuk berhenti mengisi kapan "
        "saja.",
        "Creating a new training: code, title, venue, seats, then dates and times. The "
        "description and the deadline can be changed in the summary. Type /cancel to stop "
        "filling in at any time.",
    ),
    "staff.ask.code": (
        "Kode pelatihan? Huruf, angka, - atau _ (contoh: KP-2026-01). Dipakai di tautan daftar.",
        "Training code? Letters, digits, - or _ (e.g. KP-2026-01). Used in the sign-up link.",
    ),
    "staff.ask.title": ("Judul pelatihan?", "Title of the training?"),
    "staff.ask.description": ("Deskripsi singkat?", "A short description?"),
    "staff.ask.venue": (
        "Tempat pelatihan? (nama gedung dan alamat singkat)",
        "Venue? (the building and a short address)",
    ),
    "staff.ask.seats": ("Berapa kursi? (angka, misalnya 30)", "How many seats? (e.g. 30)"),
    "staff.ask.deadline": (
        "Batas pendaftaran? Contoh: <i>7 Des</i>, <i>7 Des 12.00</i>, <i>besok</i>.",
        "Registration deadline? E.g. <i>7 Dec</i>, <i>7 Dec 12.00</i>, <i>tomorrow</i>.",
    ),
    "staff.ask.dates": (
        "Tanggal pelatihan? Contoh: <i>8 Des</i>, <i>8/12</i>, <i>besok</i>, <i>Senin depan</i>.\n"
        "Beberapa hari sekaligus: <i>8-10 Des</i> atau <i>8, 9, 11 Des</i>. Boleh langsung "
        "dengan jam: <i>8-10 Des 08.00-15.00</i>",
        "Dates of the training? E.g. <i>8 Dec</i>, <i>8/12</i>, <i>tomorrow</i>, "
        "<i>next Monday</i>.\nSeveral days at once: <i>8-10 Dec</i> or <i>8, 9, 11 Dec</i>. "
        "Times may follow: <i>8-10 Dec 08.00-15.00</i>",
    ),
    "staff.ask.date": (
        "Hari {n}: tanggal? Contoh: <i>9 Des</i>, <i>9/12</i>, <i>lusa</i>. Boleh dengan jam: "
        "<i>9 Des 08.00-15.00</i>",
        "Day {n}: date? E.g. <i>9 Dec</i>, <i>9/12</i>, <i>Friday</i>. Times may follow: "
        "<i>9 Dec 08.00-15.00</i>",
    ),
    "staff.ask.start": (
        "Hari {n} ({date}): jam berapa? Mulai dan selesai, contoh <i>08.00-15.00</i>, "
        "<i>9-3</i> atau <i>9 pagi - 1 siang</i>.",
        "Day {n} ({date}): what time? Start and end, e.g. <i>08.00-15.00</i>, <i>9-3</i> or "
        "<i>9 am - 1 pm</i>.",
    ),
    "staff.ask.end": (
        "Hari {n} ({date}) mulai {start}. Jam selesai? Contoh: <i>15.00</i>",
        "Day {n} ({date}) starts at {start}. End time? E.g. <i>15.00</i>",
    ),
    "staff.ask.topic": ("Hari {n}: materi?", "Day {n}: topic?"),
    "staff.ask.note": (
        "Hari {n}: catatan untuk peserta (misalnya yang perlu dibawa)?",
        "Day {n}: a note for participants (e.g. what to bring)?",
    ),
    "staff.ask.current": ("Sekarang: {value}", "Now: {value}"),
    "staff.dates.read": ("📅 {count} hari: {dates}.", "📅 {count} days: {dates}."),
    "staff.skip.description": ("Tanpa deskripsi", "No description"),
    "staff.skip.deadline": ("Tanpa batas (sampai mulai)", "No deadline (until it starts)"),
    "staff.skip.topic": ("Tanpa materi", "No topic"),
    "staff.skip.note": ("Tanpa catatan", "No note"),
    "staff.button.deadline_auto": (
        "Sehari sebelum hari 1 (otomatis)",
        "The day before day 1 (automatic)",
    ),
    "staff.button.same_times": ("🔁 Sama dengan hari {n}: {times}", "🔁 Same as day {n}: {times}"),
    "staff.button.next_day": ("➕ Besoknya: {date}, {times}", "➕ Next day: {date}, {times}"),
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
        "<b>Ringkasan</b> — periksa, ketuk isian untuk mengubah, lalu simpan.\n{lines}\n\n"
        "<b>Jadwal</b>\n{days}\n{problems}",
        "<b>Summary</b> — check it, tap a field to change it, then save.\n{lines}\n\n"
        "<b>Schedule</b>\n{days}\n{problems}",
    ),
    "staff.summary.day": (
        "Hari {n}: {date}, {times}",
        "Day {n}: {date}, {times}",
    ),
    "staff.summary.deadline_auto": ("{moment} (otomatis)", "{moment} (automatic)"),
    "staff.summary.no_deadline": ("sampai pelatihan mulai", "until the training starts"),
    "staff.fix.day": ("Hari {n}", "Day {n}"),
    "staff.day_menu": ("Ubah hari {n}: pilih yang diubah.", "Edit day {n}: choose what to change."),
    "staff.save.created": (
        "💾 Tersimpan sebagai draf. Tekan {publish} bila sudah siap.",
        "💾 Saved as a draft. Tap {publish} when ready.",
    ),
    "staff.save.published": (
        "✅ Tersimpan dan diterbitkan: pendaftaran dibuka. Tautan, teks WhatsApp dan poster "
        "menyusul di bawah.",
        "✅ Saved and published: registration is open. The link, a WhatsApp text and a poster "
        "follow below.",
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
    # ---- reading dates and times as typed (`bot.services.natural_input`)
    "natural.problem.date": (
        "Tanggal tidak dikenali. Contoh: 8 Des, 8/12, besok, lusa, Senin depan; beberapa hari: "
        "8-10 Des.",
        "Date not recognised. E.g. 8 Dec, 8/12, tomorrow, next Monday; several days: 8-10 Dec.",
    ),
    "natural.problem.time": (
        "Jam tidak dikenali. Contoh: 08.00-15.00, 9-3, 9 pagi, 13.30.",
        "Time not recognised. E.g. 08.00-15.00, 9-3, 9 am, 13.30.",
    ),
    "natural.problem.one_date": ("Tulis satu tanggal saja di sini.", "Give one date only here."),
    "natural.problem.range_order": (
        "Tanggal akhir harus sesudah tanggal awal.",
        "The last date must come after the first.",
    ),
    "natural.problem.too_many": (
        "Paling banyak {maximum} hari sekaligus.",
        "At most {maximum} days at once.",
    ),
    "natural.problem.weekday": (
        "{date} bukan hari {weekday}. Periksa lagi tanggalnya.",
        "{date} is not a {weekday}. Please check the date.",
    ),
    # ---- labels: one key per label on every staff screen (buttons add their icon)
    "label.staff_menu": ("Menu staf", "Staff menu"),
    "label.participant_menu": ("Menu peserta", "Participant menu"),
    "label.help": ("Bantuan staf", "Staff help"),
    "label.new_training": ("Pelatihan baru", "New training"),
    "label.edit": ("Ubah", "Edit"),
    "label.publish": ("Terbitkan", "Publish"),
    "label.reopen": ("Buka lagi pendaftaran", "Reopen registration"),
    "label.close": ("Tutup pendaftaran", "Close registration"),
    "label.participants": ("Peserta", "Participants"),
    "label.export": ("Ekspor", "Export"),
    "label.announce": ("Umumkan", "Announce"),
    "label.attendance": ("Hadir", "Check-in"),
    "label.documents": ("Dokumen & laporan", "Documents & report"),
    "label.statistics": ("Statistik", "Statistics"),
    "label.share": ("Bagikan", "Share"),
    "label.cancel_training": ("Batalkan pelatihan", "Cancel training"),
    "label.back": ("Kembali", "Back"),
    "label.quit": ("Berhenti", "Stop"),
    "label.save": ("Simpan", "Save"),
    "label.save_draft": ("Simpan sebagai draf", "Save as draft"),
    "label.save_publish": ("Simpan & terbitkan", "Save & publish"),
    "label.add_day": ("Tambah hari", "Add a day"),
    "label.drop_day": ("Hapus hari ini", "Remove this day"),
    "label.code": ("Kode", "Code"),
    "label.status": ("Status", "Status"),
    "label.title": ("Judul", "Title"),
    "label.description": ("Deskripsi", "Description"),
    "label.venue": ("Tempat", "Venue"),
    "label.seats": ("Kursi", "Seats"),
    "label.deadline": ("Batas daftar", "Deadline"),
    "label.date": ("Tanggal", "Date"),
    "label.times": ("Jam", "Time"),
    "label.topic": ("Materi", "Topic"),
    "label.note": ("Catatan", "Note"),
    # What each staff command does (Telegram's command menu and the staff help).
    "cmd.staff": ("{label} — {does}", "{label} — {does}"),
    "does.staff_menu": (
        "semua pelatihan; buat, ubah, terbitkan, bagikan, tutup atau batalkan",
        "the trainings; create, edit, publish, share, close or cancel",
    ),
    "does.participants": (
        "jumlah per status dan daftar peserta satu pelatihan",
        "counts and the list of a training's participants",
    ),
    "does.export": (
        "daftar peserta sebagai file Excel (CSV bila diminta)",
        "the participant list as an Excel file (CSV on request)",
    ),
    "does.announce": (
        "kirim pesan ke peserta, daftar tunggu, atau semua pendaftar",
        "send a message to participants, the waiting list or everyone",
    ),
    "does.statistics": (
        "grafik pendaftaran, kehadiran, kecamatan dan bidang usaha",
        "charts of registrations, attendance, districts and sectors",
    ),
    "does.attendance": (
        "catat kehadiran hari ini dari daftar nama",
        "record today's attendance from the list of names",
    ),
    # ---- attendance
    "attendance.qr.copy": ("📋 Salin kode {code}", "📋 Copy code {code}"),
    "attendance.qr.caption": (
        "🎫 Tiket hadir <b>{title}</b> — {name}.\nTunjukkan ke petugas saat datang. Jika QR "
        "tidak terbaca, sebutkan kode tiket <b>{code}</b>.",
        "🎫 Check-in ticket for <b>{title}</b> — {name}.\nShow it to the staff when you arrive. "
        "If the QR code will not scan, tell them the ticket code <b>{code}</b>.",
    ),
    # ---- the ticket image (plain text: drawn, not sent as HTML)
    "ticket.heading": ("TIKET HADIR", "CHECK-IN TICKET"),
    "ticket.code": ("Kode tiket", "Ticket code"),
    "ticket.hint": (
        "Tunjukkan tiket ini ke petugas saat datang. Jika QR tidak terbaca, sebutkan kode "
        "tiket di atas.",
        "Show this ticket to the staff when you arrive. If the QR code will not scan, tell "
        "them the ticket code above.",
    ),
    "attendance.show_to_staff": (
        "Ini tiket hadir Anda. Tunjukkan QR-nya ke petugas saat datang, ya.",
        "This is your check-in ticket. Please show its QR code to the staff when you arrive.",
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
        "⚠️ {name} tidak terdaftar (di daftar tunggu atau batal) di {title}.",
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
