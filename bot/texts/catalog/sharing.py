"""Texts of sharing a training: the staff message, the WhatsApp text and the poster:
key -> (Indonesian, English). The WhatsApp text and the poster are plain text (no markup)."""

TEXTS: dict[str, tuple[str, str]] = {
    # ---- to staff, in the chat
    "share.header": (
        "🔗 <b>Bagikan: {title}</b>\n"
        "Tautan pendaftaran (ketuk untuk menyalin):\n<code>{link}</code>\n\n"
        "Di bawah ini: teks untuk WhatsApp (tekan lama, lalu Salin), dan poster A4 — gambar "
        "PNG untuk dikirim, PDF untuk dicetak. Kode QR di poster membuka tautan yang sama.",
        "🔗 <b>Share: {title}</b>\n"
        "Registration link (tap to copy):\n<code>{link}</code>\n\n"
        "Below: a text for WhatsApp in the participants' language (long-press, then Copy), and "
        "an A4 poster — a PNG image to send, a PDF to print. The poster's QR code opens the "
        "same link.",
    ),
    "share.poster_png": ("🖼 Poster {code} (gambar PNG)", "🖼 Poster {code} (PNG image)"),
    "share.poster_pdf": (
        "🖨 Poster {code} (PDF A4, untuk dicetak)",
        "🖨 Poster {code} (A4 PDF, to print)",
    ),
    "share.not_open": (
        "Pelatihan ini tidak sedang dibuka untuk pendaftaran, jadi tautannya belum bisa dipakai. "
        "Terbitkan dulu, lalu bagikan.",
        "This training is not open for registration, so its link would not work yet. Publish "
        "it first, then share it.",
    ),
    "share.more": (
        "Pelatihan lain yang baru diterbitkan: ketuk untuk tautan, teks WhatsApp dan poster.",
        "Other trainings just published: tap one for its link, WhatsApp text and poster.",
    ),
    "share.button": ("🔗 {code}", "🔗 {code}"),
    # ---- the WhatsApp text (plain; *bold* is WhatsApp's own)
    "whatsapp.text": (
        "Halo Bapak/Ibu pelaku usaha mikro! 👋\n"
        "{org} membuka pendaftaran pelatihan:\n\n"
        "{title}\n{schedule}\n📍 {venue}\n👥 Kuota {capacity} peserta\n{deadline}\n"
        "{free}\nDaftar lewat Telegram, cukup 1 menit:\n{link}",
        "Hello, micro-business owners! 👋\n"
        "{org} opens registration for a training:\n\n"
        "{title}\n{schedule}\n📍 {venue}\n👥 {capacity} seats\n{deadline}\n"
        "{free}\nRegister on Telegram in a minute:\n{link}",
    ),
    "whatsapp.dates": ("🗓 {dates}", "🗓 {dates}"),
    "whatsapp.times": ("⏰ {times}", "⏰ {times}"),
    "whatsapp.deadline": (
        "⏳ Pendaftaran dibuka sampai {until}\n",
        "⏳ Registration open until {until}\n",
    ),
    # ---- dates and times as the public reads them
    "share.day_times": ("{date} · {times}", "{date} · {times}"),
    # ---- the poster (A4)
    "poster.kicker": ("PELATIHAN", "TRAINING"),
    "poster.label.seats": ("Kuota", "Seats"),
    "poster.label.deadline": ("Pendaftaran", "Registration"),
    "poster.seats": ("{capacity} peserta", "{capacity} participants"),
    "poster.deadline": ("dibuka sampai {until}", "open until {until}"),
    "poster.scan": ("Pindai untuk mendaftar lewat Telegram", "Scan to register on Telegram"),
    "poster.or_open": ("atau buka {link}", "or open {link}"),
    "poster.footer": (
        "Pendaftaran cukup dari HP, sekitar 1 menit. Pengingat dikirim sehari sebelumnya.",
        "Register from your phone in about a minute. A reminder comes the day before.",
    ),
    "poster.document_title": ("Poster — {title}", "Poster — {title}"),
}
