"""Texts of "my registrations" (list, calendar, cancel) and of privacy (see and erase data)."""

TEXTS: dict[str, tuple[str, str]] = {
    # --- the list -------------------------------------------------------------------------
    "my.none": (
        "Anda belum terdaftar di pelatihan apa pun. Ketuk tombol di bawah untuk mendaftar.",
        "You have not signed up for any training yet. Tap the button below to sign up.",
    ),
    "my.title": ("<b>{title}</b>\nKode: {code}", "<b>{title}</b>\nCode: {code}"),
    "my.status.confirmed": (
        "✅ Status: terdaftar, kursi Anda sudah dipesan.",
        "✅ Status: confirmed, your seat is booked.",
    ),
    "my.status.waitlisted": (
        "⏳ Status: daftar tunggu nomor {position}. Kami kabari begitu ada kursi.",
        "⏳ Status: waiting list no. {position}. We will tell you as soon as a seat frees up.",
    ),
    "my.status.cancelled": ("❌ Status: dibatalkan.", "❌ Status: cancelled."),
    "my.status.ended": ("🏁 Pelatihan sudah selesai.", "🏁 This training is over."),
    "my.venue": ("📍 Tempat: {venue}", "📍 Venue: {venue}"),
    "my.day": (
        "🗓 <b>Hari {number}</b>: {date}, {time}",
        "🗓 <b>Day {number}</b>: {date}, {time}",
    ),
    "my.day.topic": ("      {topic}", "      {topic}"),
    "my.more_days": ("… dan {count} hari lagi", "… and {count} more days"),
    "my.history.header": ("<b>Pelatihan saya sebelumnya</b>", "<b>My earlier trainings</b>"),
    "my.history.item": ("• {title} ({dates}): {status}", "• {title} ({dates}): {status}"),
    "my.history.more": ("… dan {count} lainnya", "… and {count} more"),
    "my.short.confirmed": ("terdaftar", "confirmed"),
    "my.short.waitlisted": ("daftar tunggu nomor {position}", "waiting list no. {position}"),
    "my.short.cancelled": ("dibatalkan", "cancelled"),
    "my.short.ended": ("selesai", "finished"),
    "my.short.no_dates": ("jadwal belum ada", "no dates yet"),
    "my.footer": (
        "Ingin mendaftar pelatihan lain atau melihat data Anda? Pilih di bawah.",
        "Want another training, or to see your data? Choose below.",
    ),
    "my.button.calendar": ("📅 Simpan ke kalender", "📅 Add to calendar"),
    "my.button.cancel": ("❌ Batal ikut", "❌ Cancel my place"),
    "my.button.qr": ("🎫 Tiket hadir", "🎫 Check-in ticket"),
    "my.button.data": ("🔐 Data saya", "🔐 My data"),
    "my.button.my": ("📋 Pelatihan saya", "📋 My trainings"),
    # --- calendar ---------------------------------------------------------------------------
    "my.calendar.caption": (
        "Jadwal {title}. Buka file ini untuk memasukkannya ke kalender HP Anda.",
        "Schedule of {title}. Open this file to add it to your phone's calendar.",
    ),
    "my.calendar.waiting": (
        "File kalender dikirim setelah Anda mendapat kursi. Kami kabari begitu ada kursi.",
        "The calendar file comes once you have a seat. We will tell you as soon as one is free.",
    ),
    # --- cancelling --------------------------------------------------------------------------
    "my.cancel.confirm": (
        "Yakin batal ikut <b>{title}</b>?\n"
        "Kursi Anda akan langsung diberikan ke peserta berikutnya di daftar tunggu.",
        "Are you sure you want to give up your place in <b>{title}</b>?\n"
        "Your seat will go straight to the next person on the waiting list.",
    ),
    "my.cancel.confirm_waiting": (
        "Yakin keluar dari daftar tunggu <b>{title}</b>?",
        "Are you sure you want to leave the waiting list of <b>{title}</b>?",
    ),
    "my.cancel.yes": ("Ya, batal ikut", "Yes, cancel my place"),
    "my.cancel.no": ("Tidak, tetap ikut", "No, I'll stay"),
    "my.cancel.done": (
        "Anda batal ikut <b>{title}</b>. Terima kasih sudah memberi tahu.",
        "You gave up your place in <b>{title}</b>. Thank you for letting us know.",
    ),
    "my.cancel.kept": ("Baik, Anda tetap ikut.", "Fine, you keep your place."),
    "my.cancel.already": (
        "Pendaftaran ini sudah dibatalkan sebelumnya.",
        "This registration was already cancelled.",
    ),
    "my.cancel.too_late": (
        "Pelatihan ini sudah selesai, jadi tidak bisa dibatalkan lagi.",
        "This training is over, so it can no longer be cancelled.",
    ),
    "my.cancel.hint": (
        "Silakan jawab dengan tombol <b>Ya</b> atau <b>Tidak</b> di atas.",
        "Please answer with the <b>Yes</b> or <b>No</b> button above.",
    ),
    "my.not_found": (
        "Pendaftaran ini tidak ditemukan. Ketik /saya untuk melihat pendaftaran Anda.",
        "This registration was not found. Type /my to see your registrations.",
    ),
    "my.not_active": (
        "Pendaftaran ini sudah tidak aktif. Ketik /saya untuk melihat yang terbaru.",
        "This registration is no longer active. Type /my for the latest.",
    ),
    # --- a seat from the waiting list ---------------------------------------------------------
    "my.promoted": (
        "🎉 Kursi tersedia! Anda sekarang mendapat kursi di <b>{title}</b>.\n"
        "📅 {dates}\n"
        "📍 {venue}",
        "🎉 A seat is free! You now have a seat at <b>{title}</b>.\n📅 {dates}\n📍 {venue}",
    ),
    "my.promoted.calendar": (
        "Jadwal lengkapnya ada di file kalender ini; buka untuk memasukkannya ke kalender HP. "
        "Pengingat datang sehari sebelum setiap hari pelatihan. Bila tidak bisa datang, mohon "
        "batal ikut lewat /saya agar kursinya bisa dipakai orang lain.",
        "The full schedule is in this calendar file; open it to add it to your phone's "
        "calendar. Reminders come the day before each training day. If you cannot come, "
        "please cancel in /my so someone else can have the seat.",
    ),
    "my.promoted.plain": (
        "Jadwal lengkapnya ada di /saya. Bila tidak bisa datang, mohon batal ikut di sana.",
        "The full schedule is in /my. If you cannot come, please cancel there.",
    ),
    # --- privacy -----------------------------------------------------------------------------
    "privacy.erase.explain": (
        "<b>Hapus data pribadi</b>\n"
        "Yang akan dihapus: nama, nomor HP, nama usaha, bidang usaha, kecamatan, "
        "persetujuan Anda, dan isi pesan Anda kepada petugas.\n"
        "Pendaftaran yang masih aktif akan dibatalkan, dan kursinya diberikan ke peserta lain.\n"
        "Yang tetap disimpan, tanpa nama: jumlah pendaftaran dan kehadiran per pelatihan, "
        "untuk statistik dinas.\n\n"
        "Yakin hapus data Anda?",
        "<b>Delete personal data</b>\n"
        "What will be deleted: your name, phone number, business name, business sector, "
        "district, your consent, and what you wrote to the staff.\n"
        "Active registrations will be cancelled and their seats given to others.\n"
        "What stays, without your name: counts of registrations and attendance per training, "
        "for the office's statistics.\n\n"
        "Delete your data?",
    ),
    "privacy.erase.yes": ("Ya, hapus data saya", "Yes, delete my data"),
    "privacy.erase.no": ("Tidak jadi", "No, keep it"),
    "privacy.erase.done": (
        "Data pribadi Anda sudah dihapus. Anda tetap bisa memakai bot ini dan mendaftar lagi "
        "kapan saja.",
        "Your personal data has been deleted. You can still use this bot and sign up again "
        "at any time.",
    ),
    "privacy.erase.cancelled": (
        "Pendaftaran yang dibatalkan: {titles}",
        "Registrations cancelled: {titles}",
    ),
    "privacy.erase.nothing": (
        "Kami tidak menyimpan data pribadi Anda.",
        "We do not hold any personal data about you.",
    ),
    "privacy.erase.kept": ("Baik, data Anda tidak dihapus.", "Fine, your data is kept."),
    "privacy.erase.hint": (
        "Silakan pilih dengan tombol di atas: hapus data atau tidak jadi.",
        "Please choose with the buttons above: delete the data or keep it.",
    ),
    "privacy.data.header": ("<b>Data Anda yang kami simpan</b>", "<b>Your data we store</b>"),
    "privacy.data.none": (
        "Kami belum menyimpan data apa pun tentang Anda.",
        "We do not store any data about you yet.",
    ),
    "privacy.data.empty": ("(kosong)", "(empty)"),
    "privacy.data.telegram_id": ("ID Telegram: {value}", "Telegram ID: {value}"),
    "privacy.data.language": ("Bahasa: {value}", "Language: {value}"),
    "privacy.data.full_name": ("Nama: {value}", "Name: {value}"),
    "privacy.data.phone": ("Nomor HP: {value}", "Phone: {value}"),
    "privacy.data.business_name": ("Nama usaha: {value}", "Business name: {value}"),
    "privacy.data.sector": ("Bidang usaha: {value}", "Business sector: {value}"),
    "privacy.data.district": ("Kecamatan: {value}", "District: {value}"),
    "privacy.data.consent_at": ("Persetujuan diberikan: {value}", "Consent given: {value}"),
    "privacy.data.created_at": ("Pertama memakai bot: {value}", "First used the bot: {value}"),
    "privacy.data.erased_at": ("Data pribadi dihapus: {value}", "Personal data deleted: {value}"),
    "privacy.data.registrations": ("<b>Pendaftaran</b>", "<b>Registrations</b>"),
    "privacy.data.messages": ("<b>Pesan ke petugas</b>", "<b>Messages with the office</b>"),
    "privacy.data.telegram_name": ("Nama Telegram: {value}", "Telegram name: {value}"),
    "privacy.data.question": ("• {moment}, Anda: {text}", "• {moment}, you: {text}"),
    "privacy.data.reply": ("• {moment}, petugas: {text}", "• {moment}, the office: {text}"),
    "privacy.data.survey": ("<b>Jawaban survei</b>", "<b>Survey answers</b>"),
    "privacy.data.said": ("• {where}: {text}", "• {where}: {text}"),
    "privacy.data.certificates": ("<b>Nama di sertifikat</b>", "<b>Names on certificates</b>"),
    "privacy.data.certificate": (
        "• {where}: {name} · {business}",
        "• {where}: {name} · {business}",
    ),
    "privacy.data.certificate_name": ("• {where}: {name}", "• {where}: {name}"),
    "privacy.data.colleagues": (
        "<b>Rekan yang Anda daftarkan</b>",
        "<b>Colleagues you registered</b>",
    ),
    "privacy.data.colleague": ("• {name}", "• {name}"),
    "privacy.data.footer": (
        "Data ini dipakai hanya untuk mengatur pelatihan. Untuk menghapusnya, ketik /hapusdata.",
        "This data is used only to run the trainings. To delete it, type /deletedata.",
    ),
    "cmd.datasaya": ("Data saya", "My data"),
    # --- fixing one's own details ("Ubah data") ----------------------------------------------
    "details.button.edit": ("✏️ Ubah data", "✏️ Change my details"),
    "details.button.done": ("✅ Selesai", "✅ Done"),
    "details.header": ("<b>Data Anda</b>", "<b>Your details</b>"),
    "details.choose": (
        "Ketuk data yang ingin diubah. Perubahan langsung dipakai untuk semua pendaftaran Anda.",
        "Tap the detail to change. A change applies at once to all your registrations.",
    ),
    "details.saved": ("💾 Perubahan tersimpan.", "💾 Change saved."),
    "details.reissued": (
        "📜 Sertifikat Anda dibuat ulang dengan nama baru (nomornya tetap) dan segera dikirim.",
        "📜 Your certificate is made again with the new name (its number stays) and sent shortly.",
    ),
    "details.done": (
        "Data Anda tersimpan. Ketik /saya untuk melihat pelatihan Anda.",
        "Your details are saved. Type /saya to see your trainings.",
    ),
    "details.none": (
        "Belum ada data yang bisa diubah: data Anda dicatat saat mendaftar pelatihan. "
        "Ketik /daftar untuk mendaftar.",
        "There are no details to change yet: they are recorded when you register for a "
        "training. Type /daftar to register.",
    ),
    "details.hint.typing": (
        "Mohon ketik jawabannya, atau ketik /batal untuk berhenti mengubah data.",
        "Please type the answer, or type /batal to stop changing your details.",
    ),
    "details.left": ("Baik, berhenti mengubah data.", "Fine, no more changes."),
}
