"""Texts of the business baseline (asked at registration) and the follow-ups months after the
training: key -> (Indonesian, English)."""

TEXTS: dict[str, tuple[str, str]] = {
    # In the consent question, when the baseline is asked.
    "reg.consent.baseline": (
        "\n\nDinas juga memantau perkembangan usaha setelah pelatihan. Karena itu kami "
        "menanyakan <b>kisaran omzet per bulan</b> (pilihan rentang, bukan angka pasti), "
        "<b>jumlah pekerja</b>, dan apakah usaha <b>berjualan online</b>; beberapa bulan "
        "setelah pelatihan kami menanyakannya lagi lewat chat ini. Jawaban ini hanya dipakai "
        "untuk laporan dinas.",
        "\n\nThe office also follows how businesses do after the training. So we ask the "
        "<b>range of monthly sales</b> (a band, never an exact figure), the <b>number of "
        "workers</b> and whether the business <b>sells online</b>; a few months after the "
        "training we ask again in this chat. The answers are used only for the office's "
        "reports.",
    ),
    # The baseline's questions.
    "base.ask.sales": (
        "<b>Tentang usaha (1/3)</b>\nBerapa kira-kira <b>omzet (penjualan) per bulan</b>?",
        "<b>About the business (1/3)</b>\nRoughly how much are the <b>monthly sales</b>?",
    ),
    "base.sales.lt5": ("< Rp 5 juta", "< Rp 5 million"),
    "base.sales.5_15": ("Rp 5–15 juta", "Rp 5–15 million"),
    "base.sales.15_50": ("Rp 15–50 juta", "Rp 15–50 million"),
    "base.sales.50_100": ("Rp 50–100 juta", "Rp 50–100 million"),
    "base.sales.gt100": ("> Rp 100 juta", "> Rp 100 million"),
    "base.ask.workers": (
        "<b>Tentang usaha (2/3)</b>\nBerapa <b>orang yang bekerja</b> di usaha ini, "
        "<b>termasuk pemilik</b>? Ketik angkanya, misalnya 3.",
        "<b>About the business (2/3)</b>\nHow many <b>people work</b> in the business, "
        "<b>the owner included</b>? Type the number, for example 3.",
    ),
    "base.bad.workers": (
        "Mohon ketik angka saja (1 sampai 9999), misalnya 3.",
        "Please type a number only (1 to 9999), for example 3.",
    ),
    "base.ask.online": (
        "<b>Tentang usaha (3/3)</b>\nApakah usaha ini <b>berjualan online</b> (marketplace, "
        "media sosial, WhatsApp)?",
        "<b>About the business (3/3)</b>\nDoes the business <b>sell online</b> (marketplaces, "
        "social media, WhatsApp)?",
    ),
    "base.yes": ("Ya", "Yes"),
    "base.no": ("Tidak", "No"),
    "base.summary": (
        "\nOmzet per bulan: {sales}\nPekerja: {workers}\nJualan online: {online}",
        "\nMonthly sales: {sales}\nWorkers: {workers}\nSells online: {online}",
    ),
    # The follow-up months after the training.
    "fu.intro": (
        "👋 Halo! Sudah {days} hari sejak <b>{title}</b>. Bagaimana kabar usaha Anda? "
        "Beberapa pertanyaan singkat, cukup ketuk tombol: jawaban Anda membantu dinas "
        "menyiapkan pendampingan dan pelatihan berikutnya.",
        "👋 Hello! It has been {days} days since <b>{title}</b>. How is your business doing? "
        "A few short questions, just tap the buttons: your answers help the office plan "
        "mentoring and the next trainings.",
    ),
    "fu.reminder": (
        "🔔 Pengingat: pertanyaan singkat tentang usaha Anda setelah <b>{title}</b> belum "
        "selesai. Lanjutkan di sini:",
        "🔔 A reminder: the short questions about your business after <b>{title}</b> are not "
        "finished yet. Carry on here:",
    ),
    "fu.ask.running": (
        "Apakah usaha Anda <b>masih berjalan</b>?",
        "Is your business <b>still running</b>?",
    ),
    "fu.ask.sales": (
        "Berapa kira-kira <b>omzet per bulan</b> sekarang?",
        "Roughly how much are the <b>monthly sales</b> now?",
    ),
    "fu.ask.workers": (
        "Berapa <b>orang yang bekerja</b> di usaha Anda sekarang, <b>termasuk pemilik</b>? "
        "Ketik angkanya, misalnya 3.",
        "How many <b>people work</b> in your business now, <b>the owner included</b>? Type the "
        "number, for example 3.",
    ),
    "fu.ask.applied": (
        "Apakah <b>ilmu dari pelatihan</b> sudah Anda terapkan di usaha?",
        "Have you <b>applied what the training taught</b> in your business?",
    ),
    "fu.applied.yes": ("✅ Sudah", "✅ Yes"),
    "fu.applied.partly": ("Sebagian", "Partly"),
    "fu.applied.not_yet": ("Belum", "Not yet"),
    "fu.ask.product": (
        "Apakah ada <b>produk baru</b> sejak pelatihan?",
        "Is there a <b>new product</b> since the training?",
    ),
    "fu.ask.photo": (
        "Wah, hebat! Boleh kirim <b>satu foto</b> produk barunya? Atau ketuk Lewati.",
        "Great! Would you send <b>one photo</b> of the new product? Or tap Skip.",
    ),
    "fu.ask.mentoring": (
        "Apakah Anda ingin mendapat <b>pendampingan</b> usaha dari dinas?",
        "Would you like <b>mentoring</b> (pendampingan) for your business from the office?",
    ),
    "fu.button.type": ("✍️ Ketik jawaban", "✍️ Type the answer"),
    "fu.button.photo": ("📷 Kirim foto", "📷 Send a photo"),
    "fu.button.skip": ("Lewati", "Skip"),
    "fu.done": (
        "🙏 Terima kasih! Jawaban Anda sudah kami terima. Semoga usaha Anda makin maju.",
        "🙏 Thank you! We have your answers. All the best for your business.",
    ),
    "fu.bad.workers": (
        "Mohon ketik angka saja (1 sampai 9999), misalnya 3.",
        "Please type a number only (1 to 9999), for example 3.",
    ),
    "fu.photo_only": (
        "Mohon kirim foto produknya, atau ketuk Lewati.",
        "Please send a photo of the product, or tap Skip.",
    ),
    "fu.text_only": ("Mohon ketik angkanya.", "Please type the number."),
    "fu.paused": (
        "Baik, dijeda. Jawaban sejauh ini tersimpan; ketuk tombol pertanyaan untuk lanjut.",
        "All right, paused. Your answers so far are kept; tap the question's button to go on.",
    ),
    # For staff: a training's follow-ups.
    "fu.staff.round": (
        "Tindak lanjut {days} hari: {answered} dari {asked} menjawab",
        "Follow-up after {days} days: {answered} of {asked} answered",
    ),
    # The impact workbook (`python -m bot impact`).
    "impact.sheet.title": ("Dampak", "Impact"),
    "impact.sheet.heading": (
        "Dampak pelatihan: {title} ({code})",
        "Impact of the training: {title} ({code})",
    ),
    "impact.sheet.about": (
        "Peserta yang hadir minimal satu hari: {people}. Omzet dalam rentang, bukan angka.",
        "Participants present on at least one day: {people}. Sales as bands, never figures.",
    ),
    "impact.col.no": ("No", "No"),
    "impact.col.name": ("Nama", "Name"),
    "impact.col.business": ("Usaha", "Business"),
    "impact.col.days": ("Hari hadir", "Days present"),
    "impact.col.sales": ("Omzet per bulan", "Monthly sales"),
    "impact.col.workers": ("Pekerja", "Workers"),
    "impact.col.online": ("Jualan online", "Sells online"),
    "impact.col.running": ("Masih berjalan", "Still running"),
    "impact.col.applied": ("Ilmu diterapkan", "Applied"),
    "impact.col.product": ("Produk baru", "New product"),
    "impact.col.photo": ("Foto produk", "Product photo"),
    "impact.col.mentoring": ("Ingin pendampingan", "Wants mentoring"),
    "impact.col.before": ("{label} (awal)", "{label} (before)"),
    "impact.col.round": ("{label} ({days} hari)", "{label} ({days} days)"),
    # In "Data saya": what the person said about their business.
    "privacy.data.business": ("<b>Tentang usaha Anda</b>", "<b>About your business</b>"),
    "privacy.data.baseline": (
        "• Saat mendaftar, {when}: omzet {sales}, pekerja {workers}",
        "• When registering, {when}: sales {sales}, workers {workers}",
    ),
    "privacy.data.follow_up": (
        "• {where}, tindak lanjut {days} hari: omzet {sales}, pekerja {workers}",
        "• {where}, follow-up after {days} days: sales {sales}, workers {workers}",
    ),
}
