"""Texts of the registration feature: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    # The list of open trainings (/pelatihan and the first step of /daftar).
    "reg.list.title": ("<b>Pelatihan yang dibuka</b>", "<b>Open trainings</b>"),
    "reg.list.choose": (
        "Pilih pelatihan yang ingin Anda ikuti dengan tombol di bawah.",
        "Choose the training you want to join with the buttons below.",
    ),
    "reg.list.item": (
        "<b>{number}. {title}</b>\n📅 {dates}\n📍 {venue}\n💺 {seats}",
        "<b>{number}. {title}</b>\n📅 {dates}\n📍 {venue}\n💺 {seats}",
    ),
    "reg.list.empty": (
        "Saat ini belum ada pelatihan yang dibuka. Silakan cek lagi nanti, ya! 🙏",
        "There are no open trainings right now. Please check again later! 🙏",
    ),
    "reg.seats.left": ("Sisa kursi: {seats}", "Seats left: {seats}"),
    "reg.seats.full": (
        "Kursi penuh — Anda bisa masuk daftar tunggu",
        "Full — you can join the waiting list",
    ),
    # A training's button: what people recognise (its title), when, and seats left.
    "reg.button.training": ("{title} · {date} · {seats}", "{title} · {date} · {seats}"),
    # ... or the place the person already holds in it.
    "reg.button.held.confirmed": ("✅ {title} · {date}", "✅ {title} · {date}"),
    "reg.button.held.waiting": (
        "⏳ {title} · {date} · daftar tunggu nomor {position}",
        "⏳ {title} · {date} · waiting list no. {position}",
    ),
    "reg.button.seats": ("sisa {seats}", "{seats} left"),
    "reg.button.full": ("daftar tunggu", "waiting list"),
    "reg.dates.range": ("{first} – {last}", "{first} – {last}"),
    # Details and consent.
    "reg.details": (
        "<b>{title}</b>{description}\n📍 {venue}\n💺 {seats}{deadline}\n\n{days}",
        "<b>{title}</b>{description}\n📍 {venue}\n💺 {seats}{deadline}\n\n{days}",
    ),
    # A training without a description gets no empty line under its title.
    "reg.details.description": ("\n{description}", "\n{description}"),
    "reg.details.deadline": (
        "\n⏳ Pendaftaran dibuka sampai {when}",
        "\n⏳ Registration open until {when}",
    ),
    "reg.details.day": (
        "<b>Hari {number}</b>: {date}, {times}{topic}",
        "<b>Day {number}</b>: {date}, {times}{topic}",
    ),
    "reg.details.topic": (" · {topic}", " · {topic}"),
    "reg.consent": (
        "<b>Data pribadi Anda: apakah Anda setuju?</b>\n"
        "Untuk mendaftar, kami menyimpan nama, nomor HP, nama usaha, bidang usaha, dan "
        "kecamatan Anda. Data ini hanya dipakai dinas untuk mengatur pelatihan, menghubungi "
        "Anda, dan membuat laporan. Anda bisa menghapusnya kapan saja dengan /hapusdata."
        "{baseline}\n\n"
        "Apakah Anda setuju?",
        "<b>Your personal data: do you agree?</b>\n"
        "To register you, we store your name, phone number, business name, business sector and "
        "district. The office uses them only to run the training, contact you and write its "
        "reports. You can delete them at any time with /deletedata."
        "{baseline}\n\n"
        "Do you agree?",
    ),
    "reg.consent.yes": ("✅ Saya setuju", "✅ I agree"),
    "reg.consent.no": ("Tidak setuju, berhenti", "I don't agree, stop here"),
    "reg.consent.declined": (
        "Baik, tidak apa-apa. Pendaftaran berhenti di sini: kami hanya bisa mendaftarkan Anda "
        "bila Anda setuju. Ketik /daftar bila Anda berubah pikiran.",
        "All right. The registration stops here: we can only register you if you agree. "
        "Type /register if you change your mind.",
    ),
    # The questions.
    "reg.ask.name": (
        "Siapa <b>nama lengkap</b> Anda? Ketik seperti di KTP.",
        "What is your <b>full name</b>? Type it as on your ID card.",
    ),
    "reg.ask.phone": (
        "Berapa <b>nomor HP</b> Anda? Ketuk tombol <b>📱 Bagikan nomor saya</b> di bawah, "
        "atau ketik nomornya (contoh: 0812 3456 7890).",
        "What is your <b>phone number</b>? Tap <b>📱 Share my number</b> below, "
        "or type it (for example 0812 3456 7890).",
    ),
    "reg.button.share_phone": ("📱 Bagikan nomor saya", "📱 Share my number"),
    "reg.phone.saved": ("Nomor HP dicatat: {phone} ✅", "Phone number saved: {phone} ✅"),
    "reg.consent.given": (
        "✅ Terima kasih, Anda menyetujui penyimpanan data.",
        "✅ Thank you for agreeing to the storage of your data.",
    ),
    "reg.ask.business": (
        "Apa <b>nama usaha</b> Anda? (contoh: Warung Bu Siti)",
        "What is the <b>name of your business</b>? (for example: Warung Bu Siti)",
    ),
    "reg.ask.sector": ("Apa <b>bidang usaha</b> Anda?", "What is your <b>business sector</b>?"),
    "reg.ask.district": (
        "Di <b>kecamatan</b> mana usaha Anda?",
        "In which <b>district</b> is your business?",
    ),
    "reg.sector.kuliner": ("🍲 Kuliner", "🍲 Food and drink"),
    "reg.sector.fesyen_kriya": ("🧵 Fesyen / kerajinan", "🧵 Fashion / crafts"),
    "reg.sector.jasa": ("🛠 Jasa", "🛠 Services"),
    "reg.sector.perdagangan": ("🛒 Perdagangan", "🛒 Trade"),
    "reg.sector.pertanian_peternakan": (
        "🌾 Pertanian / peternakan",
        "🌾 Farming / livestock",
    ),
    "reg.sector.lainnya": ("Lainnya", "Other"),
    "reg.district.outside": ("Luar kota", "Outside the city"),
    # Wrong answers.
    "reg.bad.name": (
        "Nama harus 2 sampai 100 huruf. Silakan ketik lagi.",
        "The name must be 2 to 100 characters. Please type it again.",
    ),
    "reg.bad.business": (
        "Nama usaha harus 2 sampai 100 huruf. Silakan ketik lagi.",
        "The business name must be 2 to 100 characters. Please type it again.",
    ),
    "reg.bad.phone": (
        "Nomor itu tidak bisa kami pakai. Ketik nomor HP Indonesia, misalnya 0812 3456 7890, "
        "atau ketuk tombol <b>📱 Bagikan nomor saya</b>.",
        "We can't use that number. Type an Indonesian mobile number such as 0812 3456 7890, "
        "or tap <b>📱 Share my number</b>.",
    ),
    "reg.bad.phone_letter": (
        "Sepertinya ada huruf di nomor itu (huruf O untuk angka 0?). Nomor HP hanya berisi "
        "angka. Silakan ketik lagi, misalnya 0812 3456 7890.",
        "There seems to be a letter in that number (an O for a 0?). A phone number has only "
        "digits. Please type it again, for example 0812 3456 7890.",
    ),
    "reg.bad.contact": (
        "Mohon bagikan nomor Anda sendiri dengan tombol <b>📱 Bagikan nomor saya</b>, "
        "atau ketik nomornya.",
        "Please share your own number with the <b>📱 Share my number</b> button, or type it.",
    ),
    "reg.hint.button": (
        "Silakan pilih dengan tombol.",
        "Please choose with the buttons.",
    ),
    "reg.hint.text": ("Mohon ketik jawaban Anda.", "Please type your answer."),
    # Summary and result.
    "reg.summary": (
        "{heading}\n"
        "Pelatihan: <b>{training}</b>\n📍 {venue}\n{days}\n\n"
        "Nama: {name}\nNomor HP: {phone}\nNama usaha: {business}\n"
        "Bidang usaha: {sector}\nKecamatan: {district}{baseline}\n\n{closing}",
        "{heading}\n"
        "Training: <b>{training}</b>\n📍 {venue}\n{days}\n\n"
        "Name: {name}\nPhone: {phone}\nBusiness name: {business}\n"
        "Sector: {sector}\nDistrict: {district}{baseline}\n\n{closing}",
    ),
    "reg.summary.heading": ("<b>Periksa data Anda</b>", "<b>Check your details</b>"),
    "reg.summary.closing": (
        "Sudah benar? Ketuk <b>Konfirmasi</b>, atau pilih data yang ingin diubah.",
        "All correct? Tap <b>Confirm</b>, or choose what to change.",
    ),
    # A full training: the summary says so before the tap, and the button names it.
    "reg.summary.closing_full": (
        "⏳ <b>Kursi sudah penuh.</b> Bila Anda lanjut, Anda masuk <b>daftar tunggu</b> dan "
        "otomatis mendapat kursi bila ada peserta yang batal.\n"
        "Sudah benar? Ketuk <b>Masuk daftar tunggu</b>, atau pilih data yang ingin diubah.",
        "⏳ <b>All seats are taken.</b> If you go on, you join the <b>waiting list</b> and get "
        "a seat automatically when someone cancels.\n"
        "All correct? Tap <b>Join the waiting list</b>, or choose what to change.",
    ),
    "reg.edit.name": ("✏️ Nama", "✏️ Name"),
    "reg.edit.phone": ("✏️ Nomor HP", "✏️ Phone"),
    "reg.edit.business": ("✏️ Nama usaha", "✏️ Business name"),
    "reg.edit.sector": ("✏️ Bidang usaha", "✏️ Sector"),
    "reg.edit.district": ("✏️ Kecamatan", "✏️ District"),
    "reg.confirm": ("✅ Konfirmasi", "✅ Confirm"),
    "reg.confirm.waitlist": ("⏳ Masuk daftar tunggu", "⏳ Join the waiting list"),
    "reg.result.confirmed": (
        "🎉 <b>Pendaftaran berhasil!</b> Kursi Anda di <b>{training}</b> sudah dipesan.",
        "🎉 <b>You're registered!</b> Your seat at <b>{training}</b> is booked.",
    ),
    "reg.result.waitlisted": (
        "Kursi <b>{training}</b> sudah penuh. Anda masuk <b>daftar tunggu nomor {position}</b>. "
        "Bila ada peserta yang batal, Anda otomatis mendapat kursinya.",
        "<b>{training}</b> is full. You are <b>number {position} on the waiting list</b>. "
        "If someone cancels, you get the seat automatically.",
    ),
    "reg.next_steps.waiting": (
        "Begitu ada kursi untuk Anda, kami kirim pesan di sini beserta jadwal dan file "
        "kalendernya. Sampai saat itu tidak ada pengingat. Lihat nomor daftar tunggu Anda, atau "
        "batal ikut, lewat /saya.",
        "As soon as a seat is yours, we will message you here with the schedule and its "
        "calendar file. Until then there are no reminders. See your number on the waiting "
        "list, or give up your place, in /my.",
    ),
    "reg.next_steps": (
        "Sehari sebelum setiap hari pelatihan, kami kirim pengingat di chat ini. "
        "Ketik /saya untuk melihat jadwal, tiket hadir, atau batal ikut.",
        "The day before each training day, you will get a reminder in this chat. "
        "Type /my for the schedule, your check-in ticket, or to cancel.",
    ),
    # Under every result: where to go next.
    "reg.next.my": ("📋 Pelatihan saya", "📋 My trainings"),
    "reg.next.another": ("📝 Pelatihan lain", "📝 Another training"),
    "reg.next.calendar": ("📅 Simpan ke kalender", "📅 Add to calendar"),
    "reg.next.cancel": ("❌ Batal ikut", "❌ Cancel my place"),
    # Choosing a training one already holds: their registration instead of a new one.
    "reg.held": (
        "Anda sudah terdaftar di pelatihan ini.",
        "You are already registered for this training.",
    ),
    "reg.already.confirmed": (
        "Anda sudah terdaftar di <b>{training}</b> dan kursi Anda sudah dipesan.",
        "You are already registered for <b>{training}</b> and your seat is booked.",
    ),
    "reg.already.waitlisted": (
        "Anda sudah ada di <b>daftar tunggu nomor {position}</b> untuk <b>{training}</b>.",
        "You are already <b>number {position} on the waiting list</b> of <b>{training}</b>.",
    ),
    "reg.refused": (
        "Maaf, pendaftaran <b>{training}</b> tidak bisa dilanjutkan: {reason}",
        "Sorry, the registration for <b>{training}</b> cannot go ahead: {reason}",
    ),
    "reg.refused.not_found": ("pelatihan ini tidak ada lagi.", "this training no longer exists."),
    "reg.refused.closed": ("pendaftaran sudah ditutup.", "registration is closed."),
    "reg.refused.deadline_passed": (
        "batas waktu pendaftaran sudah lewat.",
        "the registration deadline has passed.",
    ),
    "reg.refused.started": ("pelatihan sudah dimulai.", "the training has already started."),
    "reg.refused.cancelled": ("pelatihan ini dibatalkan.", "this training was cancelled."),
    "reg.unknown_code": (
        "Maaf, pelatihan dengan kode <b>{code}</b> tidak ditemukan atau pendaftarannya sudah "
        "ditutup. Ini pelatihan yang masih dibuka:",
        "Sorry, the training with code <b>{code}</b> was not found or is closed for "
        "registration. These trainings are open:",
    ),
    "reg.unavailable": (
        "Pelatihan itu sudah tidak bisa dipilih.",
        "That training can no longer be chosen.",
    ),
    "reg.stale": (
        "Tombol ini dari isian yang sudah selesai; tidak ada yang berubah. Lihat pelatihan Anda "
        "di /saya.",
        "This button is from a form you already finished; nothing has changed. See your "
        "trainings in /my.",
    ),
    "reg.stopped": (
        "Anda berhenti mengisi; tidak ada data yang disimpan. Ketik /daftar untuk mulai lagi.",
        "You stopped filling in; nothing was saved. Type /register to start again.",
    ),
    "reg.timeout": (
        "⏰ Isian dihentikan karena lama tidak ada jawaban; tidak ada data yang disimpan. "
        "Ketik /daftar untuk mulai lagi.",
        "⏰ The form was stopped because there was no answer for a while; nothing was saved. "
        "Type /register to start again.",
    ),
}
