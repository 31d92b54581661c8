"""Texts of registering a colleague: the conversation's wording for another person, /saya's
section, what messages about a colleague say first, and the "registered by" column."""

TEXTS: dict[str, tuple[str, str]] = {
    "col.button.register": ("➕ Daftarkan rekan", "➕ Register a colleague"),
    "col.choose": (
        "👥 <b>Daftarkan rekan</b>\n"
        "Rekan satu usaha yang tidak memakai Telegram bisa Anda daftarkan di sini. "
        "Pilih pelatihannya:",
        "👥 <b>Register a colleague</b>\n"
        "You can register a colleague from your business who does not use Telegram here. "
        "Choose the training:",
    ),
    "col.consent": (
        "<b>Data pribadi rekan Anda: apakah ia setuju?</b>\n"
        "Kami menyimpan nama, nomor HP, usaha dan kecamatan rekan Anda, hanya untuk mengatur "
        "pelatihan. Semua pesan untuknya datang ke chat ini. Hapus kapan saja dengan "
        "/hapusdata."
        "{baseline}\n\n"
        "Ketuk <b>✅ Saya setuju</b> hanya bila <b>rekan Anda sudah setuju</b>.",
        "<b>Your colleague's personal data: do they agree?</b>\n"
        "We store your colleague's name, phone number, business and district, only to run the "
        "training. Every message for them comes to this chat. Delete it any time with "
        "/deletedata."
        "{baseline}\n\n"
        "Tap <b>✅ I agree</b> only if <b>your colleague has agreed</b>.",
    ),
    "col.consent.declined": (
        "Baik, pendaftaran rekan Anda berhenti di sini: kami hanya bisa mendaftarkannya bila ia "
        "setuju. Ketik /saya lalu <b>➕ Daftarkan rekan</b> bila ia sudah setuju.",
        "All right, your colleague's registration stops here: we can only register them if "
        "they agree. Type /my and tap <b>➕ Register a colleague</b> once they agree.",
    ),
    "col.ask.name": (
        "Siapa <b>nama lengkap rekan Anda</b>? Silakan ketik (untuk daftar hadir dan sertifikat).",
        "What is <b>your colleague's full name</b>? Please type it (for the attendance list "
        "and the certificate).",
    ),
    "col.ask.phone": (
        "Berapa <b>nomor HP rekan Anda</b>? Ketik nomornya (contoh: 0812 3456 7890).",
        "What is <b>your colleague's phone number</b>? Type it (for example 0812 3456 7890).",
    ),
    "col.ask.business": (
        "Apa <b>nama usaha</b> rekan Anda? Ketuk tombol bila sama dengan usaha Anda, "
        "atau ketik namanya.",
        "What is the <b>name of your colleague's business</b>? Tap the button if it is yours, "
        "or type it.",
    ),
    "col.ask.sector": (
        "Apa <b>bidang usaha</b> rekan Anda?",
        "What is your colleague's <b>business sector</b>?",
    ),
    "col.ask.district": (
        "Di <b>kecamatan</b> mana usaha rekan Anda?",
        "In which <b>district</b> is your colleague's business?",
    ),
    "col.bad.phone": (
        "Nomor itu tidak bisa kami pakai. Ketik nomor HP Indonesia rekan Anda, "
        "misalnya 0812 3456 7890.",
        "We can't use that number. Type your colleague's Indonesian mobile number, "
        "such as 0812 3456 7890.",
    ),
    "col.bad.contact": (
        "Mohon ketik nomor HP rekan Anda (tombol bagikan nomor mengirim nomor Anda sendiri).",
        "Please type your colleague's phone number (sharing a contact sends your own number).",
    ),
    "col.summary.head": (
        "👥 <b>Periksa data rekan Anda, {name}</b>",
        "👥 <b>Check your colleague's details: {name}</b>",
    ),
    "col.result.confirmed": (
        "🎉 <b>{name} terdaftar!</b> Kursinya di <b>{training}</b> sudah dipesan.",
        "🎉 <b>{name} is registered!</b> Their seat at <b>{training}</b> is booked.",
    ),
    "col.result.waitlisted": (
        "Kursi <b>{training}</b> sudah penuh. {name} masuk <b>daftar tunggu nomor {position}</b>. "
        "Bila ada peserta yang batal, ia otomatis mendapat kursinya dan kami kabari Anda.",
        "<b>{training}</b> is full. {name} is <b>number {position} on the waiting list</b>. "
        "If a seat frees up, it is theirs automatically and we will tell you.",
    ),
    "col.next_steps": (
        "Pengingat dan kabar untuk {name} kami kirim ke chat ini, sehari sebelum setiap hari "
        "pelatihan. Ketik /saya untuk melihat pendaftarannya, tiket hadirnya, atau batal ikut.",
        "Reminders and news for {name} come to this chat, the day before each training day. "
        "Type /my to see their registration, their check-in ticket, or to cancel.",
    ),
    "col.already.confirmed": (
        "{name} sudah terdaftar di <b>{training}</b> dan kursinya sudah dipesan. Lihat /saya.",
        "{name} is already registered for <b>{training}</b> and their seat is booked. See /my.",
    ),
    "col.already.waitlisted": (
        "{name} sudah ada di <b>daftar tunggu nomor {position}</b> untuk <b>{training}</b>. "
        "Lihat /saya.",
        "{name} is already <b>number {position} on the waiting list</b> of <b>{training}</b>. "
        "See /my.",
    ),
    "reg.refused.own_phone": (
        "nomor HP itu nomor Anda sendiri. Daftarkan rekan dengan nomor HP-nya sendiri.",
        "that phone number is your own. Register your colleague with their own number.",
    ),
    # /saya and /hapusdata.
    "col.my.header": ("👥 <b>Rekan yang Anda daftarkan</b>", "👥 <b>Colleagues you registered</b>"),
    "col.my.for": (
        "👤 Untuk: <b>{name}</b> (rekan Anda)",
        "👤 For: <b>{name}</b> (your colleague)",
    ),
    "col.my.history_title": ("{title} — {name}", "{title} — {name}"),
    "col.erase.also": (
        "Data rekan yang Anda daftarkan juga dihapus, dan pendaftaran mereka yang masih aktif "
        "dibatalkan: {names}.",
        "The data of the colleagues you registered is deleted too, and their active "
        "registrations are cancelled: {names}.",
    ),
    # Messages the bot sends about a colleague begin with this.
    "col.for": (
        "👥 <b>Untuk {name}</b>, rekan yang Anda daftarkan",
        "👥 <b>For {name}</b>, the colleague you registered",
    ),
    # Staff: lists, exports and the dashboard.
    "staff.col.registered_by": ("Didaftarkan oleh", "Registered by"),
    "staff.list.registered_by": ("didaftarkan oleh {value}", "registered by {value}"),
    "app.registered_by": ("Didaftarkan oleh {name}", "Registered by {name}"),
}
